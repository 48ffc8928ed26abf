import ColumnStore

/// The pair of EMAs behind APO and PPO. Unlike MACD's, both are seeded from the first bar (as
/// TA-Lib 0.6+ does for the price oscillators); outputs start when the slow one has a value.
///
/// TA-Lib 0.6 (Python wheel 0.8) defaults the moving-average type of APO and PPO to EMA; that is
/// the type used here.
@usableFromInline
struct EMAPair: Sendable {
    @usableFromInline let fastPeriod: Int
    @usableFromInline let slowPeriod: Int
    @usableFromInline var fast: EMA
    @usableFromInline var slow: EMA
    @usableFromInline var count = 0

    @inlinable
    init(fast: Int, slow: Int) {
        let (f, s) = slow < fast ? (slow, fast) : (fast, slow)
        fastPeriod = f; slowPeriod = s
        self.fast = EMA(period: f, k: emaFactor(f))
        self.slow = EMA(period: s, k: emaFactor(s))
    }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    @inlinable
    mutating func step(_ x: Double) -> (fast: Double, slow: Double)? {
        let t = count
        count += 1
        let s = slow.stageStep(x)
        let f = fast.stageStep(x)
        guard t >= slowPeriod - 1 else { return nil }
        return (f, s)
    }

    /// Both averages have values: from here `steadyStep` does what `step` does.
    @inlinable var isSteady: Bool { count >= slowPeriod }

    /// `step` once both averages are seeded, without the counters (the batch's steady loop).
    @inlinable
    mutating func steadyStep(_ x: Double) -> (fast: Double, slow: Double) {
        let s = slow.steadyStageStep(x)
        return (fast.steadyStageStep(x), s)
    }
}

/// Absolute price oscillator, TA-Lib `APO(real, fastperiod=12, slowperiod=26)`: `EMA_fast - EMA_slow`.
/// First value at `slow - 1`.
public struct APO: Sendable {
    @usableFromInline var pair: EMAPair

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(fastPeriod: Int = 12, slowPeriod: Int = 26) throws(IndicatorError) {
        pair = EMAPair(fast: try Check.period(fastPeriod, "fastperiod", of: "apo"),
                       slow: try Check.period(slowPeriod, "slowperiod", of: "apo"))
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { pair.slowPeriod - 1 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// `(fast, slow)`, or nil during warm-up.
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        guard let (f, s) = pair.step(x) else { return .nan }
        return f - s
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, fastPeriod: Int = 12, slowPeriod: Int = 26) throws(IndicatorError) -> Column<Double> {
        var state = try APO(fastPeriod: fastPeriod, slowPeriod: slowPeriod)
        return Batch.map(x, &state, steadyWhen: { $0.pair.isSteady }, { $0.step($1) }, steady: { s, x in
            let (f, slow) = s.pair.steadyStep(x)
            return f - slow
        })
    }
}

/// Percentage price oscillator, TA-Lib `PPO(real, fastperiod=12, slowperiod=26)`:
/// `100·(EMA_fast - EMA_slow) / EMA_slow` (0 when the slow average is zero). First value at `slow - 1`.
public struct PPO: Sendable {
    @usableFromInline var pair: EMAPair

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(fastPeriod: Int = 12, slowPeriod: Int = 26) throws(IndicatorError) {
        pair = EMAPair(fast: try Check.period(fastPeriod, "fastperiod", of: "ppo"),
                       slow: try Check.period(slowPeriod, "slowperiod", of: "ppo"))
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { pair.slowPeriod - 1 }

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
        guard let (f, s) = pair.step(x) else { return .nan }
        return isZero(s) ? 0.0 : ((f - s) / s) * 100.0
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, fastPeriod: Int = 12, slowPeriod: Int = 26) throws(IndicatorError) -> Column<Double> {
        var state = try PPO(fastPeriod: fastPeriod, slowPeriod: slowPeriod)
        return Batch.map(x, &state, steadyWhen: { $0.pair.isSteady }, { $0.step($1) }, steady: { s, x in
            let (f, slow) = s.pair.steadyStep(x)
            return isZero(slow) ? 0.0 : ((f - slow) / slow) * 100.0
        })
    }
}
