import ColumnStore
internal import CKernels

/// A change over `n` bars: the shared state of MOM, ROC and ROCP.
extension Batch {
    /// `value(x[i], x[i - lag])` from the first number plus `lag` on, NaN before: the batch of a
    /// ``Lagged`` state, reading the lagged value from the input instead of a ring, two bars at a
    /// time through `pair` (the same operations lane by lane, so the same bits). The scalar loop
    /// stayed scalar: the overflow check on `i - lag` kept the compiler from vectorizing it.
    @inlinable @inline(__always)
    static func lagged(_ x: Column<Double>, by lag: Int, _ value: (Double, Double) -> Double,
                       pair: (SIMD2<Double>, SIMD2<Double>) -> SIMD2<Double>) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                guard let x = input.baseAddress, let out = out.baseAddress else { return }
                var begin = 0
                while begin < input.count && x[begin].isNaN { begin += 1 }
                let first = Swift.min(input.count, begin + lag)
                for i in 0..<first { out[i] = .nan }
                let current = x + first, previous = x + first - lag, target = out + first
                Batch.pairs(input.count - first) { k in
                    Batch.store(pair(Batch.pair(current + k), Batch.pair(previous + k)), target + k)
                } single: { k in
                    target[k] = value(current[k], previous[k])
                }
            }
        }
    }
}

@usableFromInline
struct Lagged: Sendable {
    @usableFromInline let period: Int
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    @inlinable init(period: Int) {
        self.period = period
        window = RingBuffer(capacity: period + 1)
    }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        window.makeUnique()
    }

    @inlinable
    mutating func step(_ x: Double) -> Double? {
        let t = count
        count += 1
        window[t] = x
        return t >= period ? window[t - period] : nil
    }
}

/// Momentum, TA-Lib `MOM(real, timeperiod=10)`: `x[t] - x[t-n]`. First value at `t = n`.
public struct MOM: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var lag: Lagged
    public init(period: Int = 10) throws(IndicatorError) {
        lag = Lagged(period: try Check.period(period, "timeperiod", in: 1...100_000, of: "mom"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { lag.period }
    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        lag.makeUnique()
    }

    /// `x[t-n]`, or nil during warm-up.
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        guard let previous = lag.step(x) else { return .nan }
        return x - previous
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 10) throws(IndicatorError) -> Column<Double> {
        let state = try MOM(period: period)
        return Batch.lagged(x, by: state.lag.period) { current, previous in current - previous } pair: { $0 - $1 }
    }
}

/// Rate of change in percent, TA-Lib `ROC(real, timeperiod=10)`: `(x[t]/x[t-n] - 1)·100`
/// (0 when `x[t-n]` is 0). First value at `t = n`.
public struct ROC: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var lag: Lagged
    public init(period: Int = 10) throws(IndicatorError) {
        lag = Lagged(period: try Check.period(period, "timeperiod", in: 1...100_000, of: "roc"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { lag.period }
    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        lag.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        guard let previous = lag.step(x) else { return .nan }
        return previous != 0.0 ? ((x / previous) - 1.0) * 100.0 : 0.0
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 10) throws(IndicatorError) -> Column<Double> {
        let state = try ROC(period: period)
        return Batch.lagged(x, by: state.lag.period) { x, previous in previous != 0.0 ? ((x / previous) - 1.0) * 100.0 : 0.0 }
            pair: { x, previous in (((x / previous) - 1.0) * 100.0).replacing(with: 0, where: previous .== 0) }
    }
}

/// Rate of change as a fraction, TA-Lib `ROCP(real, timeperiod=10)`: `(x[t] - x[t-n]) / x[t-n]`
/// (0 when `x[t-n]` is 0). First value at `t = n`.
public struct ROCP: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var lag: Lagged
    public init(period: Int = 10) throws(IndicatorError) {
        lag = Lagged(period: try Check.period(period, "timeperiod", in: 1...100_000, of: "rocp"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { lag.period }
    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        lag.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        guard let previous = lag.step(x) else { return .nan }
        return previous != 0.0 ? (x - previous) / previous : 0.0
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 10) throws(IndicatorError) -> Column<Double> {
        let state = try ROCP(period: period)
        return Batch.lagged(x, by: state.lag.period) { x, previous in previous != 0.0 ? (x - previous) / previous : 0.0 }
            pair: { x, previous in ((x - previous) / previous).replacing(with: 0, where: previous .== 0) }
    }
}

/// TRIX, TA-Lib `TRIX(real, timeperiod=30)`: the 1-bar ROC (in percent) of a triple EMA, each
/// EMA stage seeded like ``EMA``. First value at `3(n-1) + 1`.
public struct TRIX: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var stages: (EMA, EMA, EMA)
    @usableFromInline var previous = Double.nan

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "trix")
        let ema = EMA(period: period, k: emaFactor(period))
        stages = (ema, ema, ema)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 3 * (period - 1) + 1 }

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
        let e1 = stages.0.step(x)
        guard stages.0.count >= period else { return .nan }
        let e2 = stages.1.step(e1)
        guard stages.1.count >= period else { return .nan }
        let e3 = stages.2.step(e2)
        guard stages.2.count >= period else { return .nan }
        defer { previous = e3 }
        guard stages.2.count > period else { return .nan }
        return previous != 0.0 ? ((e3 / previous) - 1.0) * 100.0 : 0.0
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try TRIX(period: period)
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two): the state
    /// machine until it has its first value (from then on `previous` is the third stage's last
    /// value), then the stages and the rate of change in C (`colonnade_trix_fused`).
    static func fusedBatch(_ x: Column<Double>, _ state: inout TRIX, allowHardware: Bool) -> Column<Double> {
        Batch.map(x, &state, steadyWhen: { $0.stages.2.count > $0.period }, { $0.step($1) }) { state, source, target, count in
            var stages = [state.stages.0.value, state.stages.1.value, state.stages.2.value]
            colonnade_trix_fused(source, target, count, state.stages.0.k, &stages, allowHardware ? 1 : 0)
            state.stages.0.value = stages[0]; state.stages.1.value = stages[1]; state.stages.2.value = stages[2]
            state.stages.0.count += count; state.stages.1.count += count; state.stages.2.count += count
            state.previous = stages[2]
        }
    }
}
