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
        return Self.value(highest.extreme, lowest.extreme, close)
    }

    @inlinable @inline(__always)
    static func value(_ highest: Double, _ lowest: Double, _ close: Double) -> Double {
        let diff = (highest - lowest) / 100.0
        return diff != 0.0 ? (close - lowest) / diff : 0.0
    }

    /// `batch` over three columns into two new ones (STOCH and STOCHF).
    static func columns(high: Column<Double>, low: Column<Double>, close: Column<Double>, fastKPeriod: Int, stages: [SMA],
                        indicator: String) throws(IndicatorError) -> (k: Column<Double>, d: Column<Double>) {
        let n = try Batch.checkLengths([high, low, close], indicator)
        var k = Column<Double>(unsafeUninitializedCount: n) { _ in }, d = Column<Double>(unsafeUninitializedCount: n) { _ in }
        k.withUnsafeMutableBufferPointer { kBuffer in
            d.withUnsafeMutableBufferPointer { dBuffer in
                Batch.withInputs([high, low, close]) { h, l, c, _ in
                    guard let kBase = kBuffer.baseAddress, let dBase = dBuffer.baseAddress else { return }
                    batch(high: h, low: l, close: c, begin: Batch.firstNumber(h, l, c, count: n), count: n,
                          fastKPeriod: fastKPeriod, stages: stages, k: kBase, d: dBase)
                }
            }
        }
        return (k, d)
    }

    /// The batch of the fast stochastic shared by STOCH, STOCHF and STOCHRSI: %K of
    /// `high`/`low`/`close` from `begin` into `k` (the first %K at `begin + fastKPeriod - 1`, NaN
    /// before it), then `smoothing` SMA stages, each over the previous stage from that stage's
    /// first value, the first stage in place in `k` and the last into `d` (for one stage, `k` is
    /// %K and `d` its SMA). Finally `k` is hidden (NaN) until `d` has a value, as the streaming
    /// state machines return nothing until their last stage does. Returns nothing; writes `k[0...]`
    /// and `d[0...]` whole.
    @inlinable @inline(__always)
    static func batch(high: UnsafePointer<Double>, low: UnsafePointer<Double>, close: UnsafePointer<Double>, begin: Int, count n: Int,
                      fastKPeriod: Int, stages: [SMA], k: UnsafeMutablePointer<Double>, d: UnsafeMutablePointer<Double>) {
        var first = begin + fastKPeriod - 1
        let firstK = Swift.min(first, n)
        for i in 0..<firstK { k[i] = .nan }
        if first < n {
            Batch.rollingExtremes(high, Highest.self, low, Lowest.self, range: begin..<n, period: fastKPeriod) { i, hh, ll in
                k[i] = value(hh, ll, close[i])
            }
        }
        // Only now: the inputs may live in `d` (STOCHRSI's RSI), and %K has been read from them.
        for i in 0..<firstK { d[i] = .nan }
        guard first < n else { return }
        for (j, stage) in stages.enumerated() {
            var sma = stage
            let last = j == stages.count - 1
            if last {
                for i in firstK..<Swift.min(first, n) { d[i] = .nan }
                guard first < n else { break }
                Batch.run(&sma, k, into: d, first..<n) { $0.step($1) }
            } else {
                guard first < n else { for i in firstK..<n { d[i] = .nan }; break }
                Batch.run(&sma, k, into: k, first..<n) { $0.step($1) }
            }
            first += stage.period - 1
        }
        for i in 0..<Swift.min(first, n) { k[i] = .nan }
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
        let state = try STOCH(fastKPeriod: fastKPeriod, slowKPeriod: slowKPeriod, slowDPeriod: slowDPeriod)
        let (slowK, slowD) = try RawStochastic.columns(high: high, low: low, close: close, fastKPeriod: state.fastKPeriod,
                                                       stages: [state.slowK, state.slowD], indicator: "stoch")
        return (slowK, slowD)
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
        let state = try STOCHF(fastKPeriod: fastKPeriod, fastDPeriod: fastDPeriod)
        let (fastK, fastD) = try RawStochastic.columns(high: high, low: low, close: close, fastKPeriod: state.fastKPeriod,
                                                       stages: [state.fastD], indicator: "stochf")
        return (fastK, fastD)
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
        let state = try STOCHRSI(period: period, fastKPeriod: fastKPeriod, fastDPeriod: fastDPeriod)
        let n = x.count
        var fastK = Column<Double>(unsafeUninitializedCount: n) { _ in }, fastD = Column<Double>(unsafeUninitializedCount: n) { _ in }
        fastK.withUnsafeMutableBufferPointer { k in
            fastD.withUnsafeMutableBufferPointer { d in
                x.withUnsafeBufferPointer { input in
                    guard let k = k.baseAddress, let d = d.baseAddress, let input = input.baseAddress else { return }
                    // The RSI goes into `d` first; the stochastic reads it from its first value on.
                    let begin = Batch.firstNumber(input, input, input, count: n)
                    var rsi = state.rsi
                    var i = begin
                    while i < n && !rsi.core.isSteady { d[i] = rsi.step(input[i]); i += 1 }
                    while i < n { rsi.core.steadyStep(input[i]); d[i] = rsi.current; i += 1 }
                    RawStochastic.batch(high: d, low: d, close: d, begin: Swift.min(begin + state.rsi.period, n), count: n,
                                        fastKPeriod: state.stochastic.fastKPeriod, stages: [state.stochastic.fastD], k: k, d: d)
                }
            }
        }
        return (fastK, fastD)
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

    /// One division a bar: `(HH - close) / (HH - LL) · -100`. TA-Lib divides twice
    /// (`(HH - close) / ((HH - LL) / -100)`); the two differ by a rounding or two (within its
    /// 1e-9 parity tolerance), and the divider, at about 4.5 cycles a division, set the pace.
    @inlinable @inline(__always)
    static func value(_ highest: Double, _ lowest: Double, _ close: Double) -> Double {
        let range = highest - lowest
        return range != 0.0 ? (highest - close) / range * -100.0 : 0.0
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        let period = try WILLR(period: period).highest.period
        let n = try Batch.checkLengths([high, low, close], "willr")
        // The division sets the pace one bar at a time. The extremes go to the output (highest)
        // and to L1 scratch (lowest) a block at a time; then the block's values are made two bars
        // at a time, one packed division for both, with the same operands: the same bits.
        return Batch.withInputs([high, low, close]) { h, l, c, _ in
            Column(unsafeUninitializedCount: n) { out in
                let out = out.baseAddress!
                let begin = Batch.firstNumber(h, l, c, count: n)
                let firstOutput = Swift.min(n, begin + period - 1)
                for i in 0..<firstOutput { out[i] = .nan }
                let lows = UnsafeMutablePointer<Double>.allocate(capacity: Batch.blockSize)
                defer { lows.deallocate() }
                var blockStart = firstOutput
                @inline(__always) func finishBlock(through end: Int) {
                    let start = blockStart
                    Batch.pairs(end &- start, { p in
                        let j = start &+ p
                        Batch.store(Self.values(Batch.pair(out + j), Batch.pair(lows + p), Batch.pair(c + j)), out + j)
                    }, single: { p in
                        let j = start &+ p
                        out[j] = Self.value(out[j], lows[p], c[j])
                    })
                    blockStart = end
                }
                // Invariant: bars blockStart..<i hold their highest in `out` and lowest in `lows`.
                Batch.rollingExtremes(h, Highest.self, l, Lowest.self, range: begin..<n, period: period) { i, highest, lowest in
                    out[i] = highest
                    lows[i &- blockStart] = lowest
                    if i &- blockStart == Batch.blockSize &- 1 { finishBlock(through: i &+ 1) }
                }
                if blockStart < n { finishBlock(through: n) }
            }
        }
    }

    /// ``value(_:_:_:)`` for two bars.
    @inlinable @inline(__always)
    static func values(_ highest: SIMD2<Double>, _ lowest: SIMD2<Double>, _ close: SIMD2<Double>) -> SIMD2<Double> {
        let range = highest - lowest
        return ((highest - close) / range * SIMD2(repeating: -100.0)).replacing(with: 0, where: range .== 0)
    }
}
