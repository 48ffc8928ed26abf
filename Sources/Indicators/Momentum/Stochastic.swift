import ColumnStore

/// The raw stochastic %K: `100·(close - LL) / (HH - LL)` over the last `n` bars' highest high
/// and lowest low (0 when the range is zero), computed as TA-Lib does: divide by `(HH - LL)/100`.
@usableFromInline
struct RawStochastic: Sendable {
    @usableFromInline var highest: RollingExtreme<Highest, ValuesOnly>
    @usableFromInline var lowest: RollingExtreme<Lowest, ValuesOnly>

    @inlinable init(period: Int) {
        highest = RollingExtreme<Highest, ValuesOnly>(period: period)
        lowest = RollingExtreme<Lowest, ValuesOnly>(period: period)
    }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        highest.makeUnique()
        lowest.makeUnique()
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double? {
        let ready = highest.step(high)
        guard lowest.step(low), ready else { return nil }
        let diff = (highest.extreme - lowest.extreme) / 100.0
        return diff != 0.0 ? (close - lowest.extreme) / diff : 0.0
    }
}

/// Slow stochastic, TA-Lib `STOCH(high, low, close, fastk_period=5, slowk_period=3, slowd_period=3)`
/// with TA-Lib's default simple moving averages: `slowk = SMA(%K, slowk)`, `slowd = SMA(slowk, slowd)`.
/// Both outputs start at `(fastk-1) + (slowk-1) + (slowd-1)`.
public struct STOCH: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var slowK: Double
        public var slowD: Double
        @inlinable public init(slowK: Double, slowD: Double) {
            self.slowK = slowK; self.slowD = slowD
        }
    }
    public let fastKPeriod: Int, slowKPeriod: Int, slowDPeriod: Int
    @usableFromInline var raw: RawStochastic
    @usableFromInline var slowK: SMA
    @usableFromInline var slowD: SMA

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(fastKPeriod: Int = 5, slowKPeriod: Int = 3, slowDPeriod: Int = 3) throws(IndicatorError) {
        self.fastKPeriod = try Check.period(fastKPeriod, "fastk_period", in: 1...100_000, of: "stoch")
        self.slowKPeriod = try Check.period(slowKPeriod, "slowk_period", in: 1...100_000, of: "stoch")
        self.slowDPeriod = try Check.period(slowDPeriod, "slowd_period", in: 1...100_000, of: "stoch")
        raw = RawStochastic(period: fastKPeriod)
        slowK = try SMA(period: slowKPeriod)
        slowD = try SMA(period: slowDPeriod)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { fastKPeriod - 1 + slowKPeriod - 1 + slowDPeriod - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        raw.makeUnique()
        slowK.makeUnique()
        slowD.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Value {
        guard let k = raw.step(high: high, low: low, close: close) else { return Value(slowK: .nan, slowD: .nan) }
        let sk = slowK.step(k)
        guard slowK.count >= slowKPeriod else { return Value(slowK: .nan, slowD: .nan) }
        let sd = slowD.step(sk)
        guard slowD.count >= slowDPeriod else { return Value(slowK: .nan, slowD: .nan) }
        return Value(slowK: sk, slowD: sd)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, fastKPeriod: Int = 5,
                               slowKPeriod: Int = 3, slowDPeriod: Int = 3) throws(IndicatorError) -> (slowK: Column<Double>, slowD: Column<Double>) {
        var state = try STOCH(fastKPeriod: fastKPeriod, slowKPeriod: slowKPeriod, slowDPeriod: slowDPeriod)
        let out = try Batch.map([high, low, close], &state, indicator: "stoch") { state, x, y, z, w -> SIMD2<Double> in
            let v = state.step(high: x, low: y, close: z)
            return SIMD2(v.slowK, v.slowD)
        }
        return (out[0], out[1])
    }
}

/// Fast stochastic, TA-Lib `STOCHF(high, low, close, fastk_period=5, fastd_period=3)`:
/// `fastk = %K`, `fastd = SMA(fastk, fastd_period)`. Both start at `(fastk-1) + (fastd-1)`.
public struct STOCHF: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var fastK: Double
        public var fastD: Double
        @inlinable public init(fastK: Double, fastD: Double) {
            self.fastK = fastK; self.fastD = fastD
        }
    }
    public let fastKPeriod: Int, fastDPeriod: Int
    @usableFromInline var raw: RawStochastic
    @usableFromInline var fastD: SMA

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(fastKPeriod: Int = 5, fastDPeriod: Int = 3) throws(IndicatorError) {
        self.fastKPeriod = try Check.period(fastKPeriod, "fastk_period", in: 1...100_000, of: "stochf")
        self.fastDPeriod = try Check.period(fastDPeriod, "fastd_period", in: 1...100_000, of: "stochf")
        raw = RawStochastic(period: fastKPeriod)
        fastD = try SMA(period: fastDPeriod)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { fastKPeriod - 1 + fastDPeriod - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        raw.makeUnique()
        fastD.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Value {
        guard let k = raw.step(high: high, low: low, close: close) else { return Value(fastK: .nan, fastD: .nan) }
        let d = fastD.step(k)
        guard fastD.count >= fastDPeriod else { return Value(fastK: .nan, fastD: .nan) }
        return Value(fastK: k, fastD: d)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, fastKPeriod: Int = 5,
                               fastDPeriod: Int = 3) throws(IndicatorError) -> (fastK: Column<Double>, fastD: Column<Double>) {
        var state = try STOCHF(fastKPeriod: fastKPeriod, fastDPeriod: fastDPeriod)
        let out = try Batch.map([high, low, close], &state, indicator: "stochf") { state, x, y, z, w -> SIMD2<Double> in
            let v = state.step(high: x, low: y, close: z)
            return SIMD2(v.fastK, v.fastD)
        }
        return (out[0], out[1])
    }
}

/// Stochastic RSI, TA-Lib `STOCHRSI(real, timeperiod=14, fastk_period=5, fastd_period=3)`: the fast
/// stochastic of `RSI(timeperiod)` (RSI as high, low and close). Starts at `n + (fastk-1) + (fastd-1)`.
public struct STOCHRSI: Sendable {
    @usableFromInline var rsi: RSI
    @usableFromInline var stochastic: STOCHF

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14, fastKPeriod: Int = 5, fastDPeriod: Int = 3) throws(IndicatorError) {
        rsi = try RSI(period: try Check.period(period, "timeperiod", of: "stochrsi"))
        stochastic = try STOCHF(fastKPeriod: try Check.period(fastKPeriod, "fastk_period", in: 1...100_000, of: "stochrsi"),
                                fastDPeriod: try Check.period(fastDPeriod, "fastd_period", in: 1...100_000, of: "stochrsi"))
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { rsi.lookback + stochastic.lookback }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        stochastic.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> STOCHF.Value {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> STOCHF.Value {
        let r = rsi.step(x)
        guard rsi.core.count > rsi.period else { return STOCHF.Value(fastK: .nan, fastD: .nan) }
        return stochastic.step(high: r, low: r, close: r)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 14, fastKPeriod: Int = 5,
                               fastDPeriod: Int = 3) throws(IndicatorError) -> (fastK: Column<Double>, fastD: Column<Double>) {
        var state = try STOCHRSI(period: period, fastKPeriod: fastKPeriod, fastDPeriod: fastDPeriod)
        let out = try Batch.map([x], &state, indicator: "stochrsi") { state, x, y, z, w -> SIMD2<Double> in
            let v = state.step(x)
            return SIMD2(v.fastK, v.fastD)
        }
        return (out[0], out[1])
    }
}

/// Williams' %R, TA-Lib `WILLR(high, low, close, timeperiod=14)`: `-100·(HH - close) / (HH - LL)`
/// over the last `n` bars (0 when the range is zero). First value at `n - 1`.
public struct WILLR: Sendable {
    @usableFromInline var highest: RollingExtreme<Highest, ValuesOnly>
    @usableFromInline var lowest: RollingExtreme<Lowest, ValuesOnly>

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        let n = try Check.period(period, "timeperiod", of: "willr")
        highest = RollingExtreme<Highest, ValuesOnly>(period: n)
        lowest = RollingExtreme<Lowest, ValuesOnly>(period: n)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { highest.period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        highest.makeUnique()
        lowest.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let ready = highest.step(high)
        guard lowest.step(low), ready else { return .nan }
        return Self.value(highest.extreme, lowest.extreme, close)
    }

    @inlinable @inline(__always)
    static func value(_ highest: Double, _ lowest: Double, _ close: Double) -> Double {
        let diff = (highest - lowest) / -100.0
        return diff != 0.0 ? (highest - close) / diff : 0.0
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        let state = try WILLR(period: period)
        return try Batch.mapExtremes(high, Highest.self, low, Lowest.self, extra: close, period: state.highest.period,
                                     indicator: "willr") { highest, lowest, close in Self.value(highest, lowest, close) }
    }
}
