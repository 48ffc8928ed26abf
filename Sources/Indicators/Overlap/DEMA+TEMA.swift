import ColumnStore

/// Double exponential moving average, TA-Lib `DEMA(real, timeperiod=30)`: `2·e1 - e2` where
/// `e1 = EMA(x)` and `e2 = EMA(e1)`, each stage seeded like ``EMA``. First value at `2(n-1)`.
public struct DEMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var first: EMA
    @usableFromInline var second: EMA

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "dema")
        first = EMA(period: period, k: emaFactor(period))
        second = first
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 2 * (period - 1) }

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
        let e1 = first.stageStep(x)
        guard first.count >= period else { return .nan }
        let e2 = second.stageStep(e1)
        guard second.count >= period else { return .nan }
        return (2.0 * e1) - e2
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try DEMA(period: period)
        return Batch.map(x, &state, steadyWhen: { $0.second.count >= $0.period }, { $0.step($1) }, steady: { s, x in
            let e1 = s.first.steadyStageStep(x), e2 = s.second.steadyStageStep(e1)
            return (2.0 * e1) - e2
        })
    }
}

/// Triple exponential moving average, TA-Lib `TEMA(real, timeperiod=30)`: `3·e1 - 3·e2 + e3`
/// over three chained ``EMA`` stages. First value at `3(n-1)`.
public struct TEMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var first: EMA
    @usableFromInline var second: EMA
    @usableFromInline var third: EMA

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "tema")
        first = EMA(period: period, k: emaFactor(period))
        second = first
        third = first
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 3 * (period - 1) }

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
        let e1 = first.stageStep(x)
        guard first.count >= period else { return .nan }
        let e2 = second.stageStep(e1)
        guard second.count >= period else { return .nan }
        let e3 = third.stageStep(e2)
        guard third.count >= period else { return .nan }
        return e3 + ((3.0 * e1) - (3.0 * e2))
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try TEMA(period: period)
        return Batch.map(x, &state, steadyWhen: { $0.third.count >= $0.period }, { $0.step($1) }, steady: { s, x in
            let e1 = s.first.steadyStageStep(x), e2 = s.second.steadyStageStep(e1), e3 = s.third.steadyStageStep(e2)
            return e3 + ((3.0 * e1) - (3.0 * e2))
        })
    }
}
