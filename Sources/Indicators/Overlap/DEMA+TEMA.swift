import ColumnStore
internal import CKernels

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
        let e1 = first.step(x)
        guard first.count >= period else { return .nan }
        let e2 = second.step(e1)
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
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two): the state
    /// machine through the warm-up, then both stages in C (`colonnade_dema_fused`).
    static func fusedBatch(_ x: Column<Double>, _ state: inout DEMA, allowHardware: Bool) -> Column<Double> {
        Batch.map(x, &state, steadyWhen: \.second.isSeeded, { $0.step($1) }) { state, source, target, count in
            var stages = [state.first.value, state.second.value]
            colonnade_dema_fused(source, target, count, state.first.k, &stages, allowHardware ? 1 : 0)
            state.first.value = stages[0]; state.second.value = stages[1]
            state.first.count += count; state.second.count += count
        }
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
        let e1 = first.step(x)
        guard first.count >= period else { return .nan }
        let e2 = second.step(e1)
        guard second.count >= period else { return .nan }
        let e3 = third.step(e2)
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
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two): the state
    /// machine through the warm-up, then the three stages in C (`colonnade_tema_fused`).
    static func fusedBatch(_ x: Column<Double>, _ state: inout TEMA, allowHardware: Bool) -> Column<Double> {
        Batch.map(x, &state, steadyWhen: \.third.isSeeded, { $0.step($1) }) { state, source, target, count in
            var stages = [state.first.value, state.second.value, state.third.value]
            colonnade_tema_fused(source, target, count, state.first.k, &stages, allowHardware ? 1 : 0)
            state.first.value = stages[0]; state.second.value = stages[1]; state.third.value = stages[2]
            state.first.count += count; state.second.count += count; state.third.count += count
        }
    }
}
