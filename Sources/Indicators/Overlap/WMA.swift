import ColumnStore

/// Weighted moving average, TA-Lib `WMA(real, timeperiod=30)`: weights 1...n, newest heaviest.
///
/// `wma[t] = Σ_{j=1..n} j·x[t-n+j] / (n(n+1)/2)`, first value at `t = n - 1`. Computed with
/// TA-Lib's running weighted sum and running plain sum, in its order, so outputs are
/// bit-identical to TA-Lib's. Like TA-Lib 0.6 (its fix for issue #254), both sums are rebuilt
/// from the window every `8n` outputs so that add/subtract rounding cannot drift.
///
/// Complexity: O(1) per bar.
public struct WMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline let divider: Double
    @usableFromInline var periodSum = 0.0
    @usableFromInline var periodSub = 0.0
    @usableFromInline var trailingValue = 0.0
    @usableFromInline var count = 0
    @usableFromInline var barsUntilReseed: Int
    @usableFromInline var window: RingBuffer

    /// - Throws: ``IndicatorError`` unless `1 <= period <= 100000`.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "wma")
        barsUntilReseed = 8 * period
        divider = Double((period * (period + 1)) >> 1)
        window = RingBuffer(capacity: period)
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
        let i = count
        count += 1
        window[i] = x
        if period == 1 { return x }
        guard i >= period - 1 else {
            periodSub += x
            periodSum += x * Double(i + 1)
            return .nan
        }
        periodSub += x
        periodSub -= trailingValue
        periodSum += x * Double(period)
        barsUntilReseed -= 1
        if barsUntilReseed <= 0 {
            barsUntilReseed = 8 * period
            periodSub = 0
            periodSum = 0
            for weight in 1..<period {
                let v = window[i - period + weight]
                periodSub += v
                periodSum += v * Double(weight)
            }
            periodSub += x
            periodSum += x * Double(period)
        }
        trailingValue = window[i - period + 1]
        let average = periodSum / divider
        periodSum -= periodSub
        return average
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try WMA(period: period)
        guard period > 1 else { return Batch.map(x, &state) { $0.step($1) } }
        return x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                guard let x = input.baseAddress else { return }
                let end = input.count
                var j = Batch.firstNumber(x, x, x, count: end)
                for i in 0..<j { out[i] = .nan }
                // The machine through its first output; then its arithmetic in a loop of its own,
                // the value leaving read from the input instead of the ring, both sums in
                // registers (through `step`, the ring and the reseed counter lived in memory).
                while j < end && state.count < state.period { out[j] = state.step(x[j]); j += 1 }
                var (sum, sub, untilReseed) = (state.periodSum, state.periodSub, state.barsUntilReseed)
                let n = state.period, newest = Double(state.period), divider = state.divider
                while j < end {
                    let value = x[j]
                    sub += value
                    sub -= x[j - n]
                    sum += value * newest
                    untilReseed -= 1
                    if untilReseed <= 0 {
                        untilReseed = 8 * n
                        (sub, sum) = (0, 0)
                        for weight in 1..<n {
                            let v = x[j - n + weight]
                            sub += v
                            sum += v * Double(weight)
                        }
                        sub += value
                        sum += value * newest
                    }
                    out[j] = sum / divider
                    sum -= sub
                    j += 1
                }
            }
        }
    }
}
