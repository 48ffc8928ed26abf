import ColumnStore

/// Tillson T3, TA-Lib `T3(real, timeperiod=5, vfactor=0.7)`.
///
/// Six chained EMAs `e1...e6` (`e = k·x + (1-k)·e`, `k = 2/(n+1)`), each seeded with the simple
/// average of its first `n` inputs, combined as `c1·e6 + c2·e5 + c3·e4 + c4·e3` with
/// `c1 = -v³`, `c2 = 3v² + 3v³`, `c3 = -6v² - 3v - 3v³`, `c4 = 1 + 3v + v³ + 3v²`.
/// First value at `6(n-1)`.
public struct T3: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    public let volumeFactor: Double
    @usableFromInline let k: Double
    @usableFromInline let oneMinusK: Double
    @usableFromInline let c1, c2, c3, c4: Double
    @usableFromInline var e1 = T3Stage(), e2 = T3Stage(), e3 = T3Stage(), e4 = T3Stage(), e5 = T3Stage(), e6 = T3Stage()

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 5, volumeFactor: Double = 0.7) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "t3")
        let v = try Check.real(volumeFactor, "vfactor", in: 0...1, of: "t3")
        self.volumeFactor = v
        k = 2.0 / (Double(period) + 1.0)
        oneMinusK = 1.0 - k
        let v2 = v * v
        c1 = -v2 * v
        c2 = 3.0 * (v2 - c1)
        c3 = -6.0 * v2 - 3.0 * (v - c1)
        c4 = 1.0 + 3.0 * v - c1 + 3.0 * v2
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 6 * (period - 1) }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        guard let v1 = e1.feed(x, period: period, k: k, oneMinusK: oneMinusK),
              let v2 = e2.feed(v1, period: period, k: k, oneMinusK: oneMinusK),
              let v3 = e3.feed(v2, period: period, k: k, oneMinusK: oneMinusK),
              let v4 = e4.feed(v3, period: period, k: k, oneMinusK: oneMinusK),
              let v5 = e5.feed(v4, period: period, k: k, oneMinusK: oneMinusK),
              let v6 = e6.feed(v5, period: period, k: k, oneMinusK: oneMinusK) else { return .nan }
        return c1 * v6 + c2 * v5 + c3 * v4 + c4 * v3
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 5, volumeFactor: Double = 0.7) throws(IndicatorError) -> Column<Double> {
        var state = try T3(period: period, volumeFactor: volumeFactor)
        return Batch.map(x, &state, steadyWhen: { $0.e6.count >= $0.period }, { $0.step($1) }, steady: { s, x in
            let (k, l) = (s.k, s.oneMinusK)
            let v1 = s.e1.steady(x, k: k, oneMinusK: l), v2 = s.e2.steady(v1, k: k, oneMinusK: l)
            let v3 = s.e3.steady(v2, k: k, oneMinusK: l), v4 = s.e4.steady(v3, k: k, oneMinusK: l)
            let v5 = s.e5.steady(v4, k: k, oneMinusK: l), v6 = s.e6.steady(v5, k: k, oneMinusK: l)
            return s.c1 * v6 + s.c2 * v5 + s.c3 * v4 + s.c4 * v3
        })
    }
}

/// One EMA stage of T3: seeded with the mean of its first `period` inputs, then `k·x + (1-k)·e`.
@usableFromInline
struct T3Stage: Sendable {
    @usableFromInline var value = 0.0
    @usableFromInline var count = 0

    @inlinable init() {}

    /// `feed` past the seed, without the counter (the batch's steady loop).
    @inlinable
    mutating func steady(_ x: Double, k: Double, oneMinusK: Double) -> Double {
        value = (k * x) + (oneMinusK * value)
        return value
    }

    /// The stage's value after `x`, or nil while it is still collecting its seed.
    @inlinable
    mutating func feed(_ x: Double, period: Int, k: Double, oneMinusK: Double) -> Double? {
        count += 1
        if count > period {
            value = (k * x) + (oneMinusK * value)
            return value
        }
        value += x
        guard count == period else { return nil }
        value /= Double(period)
        return value
    }
}
