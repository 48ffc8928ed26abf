import ColumnStore

/// Triangular moving average, TA-Lib `TRIMA(real, timeperiod=30)`: an SMA of an SMA, i.e.
/// triangle weights 1, 2, ..., peak, ..., 2, 1 over `n` bars. First value at `n - 1`.
///
/// Kept as TA-Lib keeps it: a numerator updated with a "sub" run (older half) and an "add" run
/// (newer half), so each bar costs O(1) and rounding matches TA-Lib's.
public struct TRIMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline let half: Int
    @usableFromInline let factor: Double
    @usableFromInline let isOdd: Bool
    @usableFromInline var numerator = 0.0
    @usableFromInline var numeratorSub = 0.0
    @usableFromInline var numeratorAdd = 0.0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "trima")
        half = period >> 1
        isOdd = period % 2 == 1
        factor = isOdd ? 1.0 / Double((half + 1) * (half + 1)) : 1.0 / Double(half * (half + 1))
        window = RingBuffer(capacity: period + 1)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        window.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let t = count
        count += 1
        window[t] = x
        if t < period - 1 { return .nan }
        if t == period - 1 {
            // Seed: the older half (through the middle) builds numeratorSub, the newer half numeratorAdd.
            let middle = isOdd ? half : half - 1
            var k = middle
            while k >= 0 { numeratorSub += window[k]; numerator += numeratorSub; k -= 1 }
            k = middle + 1
            while k <= t { numeratorAdd += window[k]; numerator += numeratorAdd; k += 1 }
            return numerator * factor
        }
        let leaving = window[t - period]
        numerator -= numeratorSub
        numeratorSub -= leaving
        let middleValue = window[t - half]
        numeratorSub += middleValue
        if isOdd {
            numerator += numeratorAdd
            numeratorAdd -= middleValue
        } else {
            numeratorAdd -= middleValue
            numerator += numeratorAdd
        }
        numeratorAdd += x
        numerator += x
        return numerator * factor
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// After the seed, the batch runs `step`'s arithmetic in a loop of its own that reads the
    /// leaving and middle values from the input instead of the ring and keeps the three sums in
    /// registers (the state machine, called per bar, kept them in memory).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try TRIMA(period: period)
        return x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                var i = 0
                while i < input.count && input[i].isNaN { out[i] = .nan; i += 1 }
                // Through the seed (the first `period` values) the state machine runs as streamed.
                while i < input.count && state.count < state.period { out[i] = state.step(input[i]); i += 1 }
                var numerator = state.numerator, sub = state.numeratorSub, add = state.numeratorAdd
                let (n, half, factor) = (state.period, state.half, state.factor)
                if state.isOdd {
                    for j in i..<input.count {
                        let x = input[j], middleValue = input[j - half]
                        numerator -= sub; sub -= input[j - n]; sub += middleValue
                        numerator += add; add -= middleValue
                        add += x; numerator += x
                        out[j] = numerator * factor
                    }
                } else {
                    for j in i..<input.count {
                        let x = input[j], middleValue = input[j - half]
                        numerator -= sub; sub -= input[j - n]; sub += middleValue
                        add -= middleValue; numerator += add
                        add += x; numerator += x
                        out[j] = numerator * factor
                    }
                }
            }
        }
    }
}
