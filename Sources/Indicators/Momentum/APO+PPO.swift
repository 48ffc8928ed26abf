import ColumnStore
internal import CKernels

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
        let s = slow.step(x)
        let f = fast.step(x)
        guard t >= slowPeriod - 1 else { return nil }
        return (f, s)
    }

    /// Both averages have values: from here every step is the fused recurrence of both.
    @inlinable var isSteady: Bool { count >= slowPeriod }

    /// The rest of a batch past the warm-up: both averages and the oscillator in C
    /// (`colonnade_price_oscillator_fused`), APO's difference or, with `percent`, PPO's ratio.
    mutating func fill(from source: UnsafePointer<Double>, into target: UnsafeMutablePointer<Double>, count: Int,
                       percent: Bool, allowHardware: Bool) {
        var stages = [fast.value, slow.value]
        colonnade_price_oscillator_fused(source, target, count, fast.k, slow.k, percent ? 1 : 0, &stages, allowHardware ? 1 : 0)
        fast.value = stages[0]; slow.value = stages[1]
        fast.count += count; slow.count += count; self.count += count
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
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two).
    static func fusedBatch(_ x: Column<Double>, _ state: inout APO, allowHardware: Bool) -> Column<Double> {
        Batch.map(x, &state, steadyWhen: \.pair.isSteady, { $0.step($1) }) { state, source, target, count in
            state.pair.fill(from: source, into: target, count: count, percent: false, allowHardware: allowHardware)
        }
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
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two).
    static func fusedBatch(_ x: Column<Double>, _ state: inout PPO, allowHardware: Bool) -> Column<Double> {
        Batch.map(x, &state, steadyWhen: \.pair.isSteady, { $0.step($1) }) { state, source, target, count in
            state.pair.fill(from: source, into: target, count: count, percent: true, allowHardware: allowHardware)
        }
    }
}
