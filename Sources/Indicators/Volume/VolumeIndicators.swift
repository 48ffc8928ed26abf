import ColumnStore

/// On-balance volume, TA-Lib `OBV(real, volume)`: starts at the first bar's volume, then adds the
/// bar's volume when the price rose and subtracts it when it fell. No warm-up.
public struct OBV: Sendable {
    @usableFromInline var value = 0.0
    @usableFromInline var previous = 0.0
    @usableFromInline var started = false

    /// Creates the state machine; it has no parameters and cannot fail.
    public init() {}
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 0 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(price: Double, volume: Double) -> Double {
        makeUnique()
        return step(price: price, volume: volume)
    }

    @inlinable
    mutating func step(price: Double, volume: Double) -> Double {
        if !started {
            started = true
            value = volume
        } else {
            // Branch-free (the direction is random): value ± volume, or + 0 on an unchanged
            // price, which gives the same bits as TA-Lib's three-way branch.
            let direction: Double = price > previous ? 1 : (price < previous ? -1 : 0)
            value += direction * volume
        }
        previous = price
        return value
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(price: Column<Double>, volume: Column<Double>) throws(IndicatorError) -> Column<Double> {
        var state = OBV()
        return try Batch.map([price, volume], &state, indicator: "obv") { state, a, b, _, _ in state.step(price: a, volume: b) }
    }
}

/// Chaikin accumulation/distribution line, TA-Lib `AD(high, low, close, volume)`: the running sum of
/// `((close - low) - (high - close)) / (high - low) · volume` over bars with a positive range. No warm-up.
public struct AD: Sendable {
    @usableFromInline var value = 0.0

    /// Creates the state machine; it has no parameters and cannot fail.
    public init() {}
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 0 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double, volume: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close, volume: volume)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double, volume: Double) -> Double {
        let range = high - low
        if range > 0.0 { value += (((close - low) - (high - close)) / range) * volume }
        return value
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, volume: Column<Double>) throws(IndicatorError) -> Column<Double> {
        let n = try Batch.checkLengths([high, low, close, volume], "ad")
        return Batch.withInputs([high, low, close, volume]) { h, l, c, v in
            Column(unsafeUninitializedCount: n) { out in
                var j = 0
                while j < n && SIMD4(h[j], l[j], c[j], v[j]).hasNaN { out[j] = .nan; j += 1 }
                var value = 0.0
                flowBlocks(h, l, c, v, bars: j, n) { lo, hi, flows in
                    var line = value  // in a register for the block (a captured variable is not)
                    for k in 0..<(hi - lo) {
                        line += flows[k]
                        out[lo + k] = line
                    }
                    value = line
                }
            }
        }
    }

    /// Bars `start..<end` in blocks: each bar's flow `((c - l) - (h - c)) / (h - l) · v` (+0.0
    /// without a positive range) computed two bars at a time into L1 scratch, then
    /// `body(lo, hi, flows)`. Adding the +0.0 of a skipped bar leaves the line's bits as they
    /// were (the line starts at +0.0, and a sum is -0.0 only if both terms are), so a batch that
    /// adds every flow is `step`'s arithmetic; the division stays off the line's chain.
    @inlinable @inline(__always)
    static func flowBlocks(_ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
                           _ v: UnsafePointer<Double>, bars start: Int, _ end: Int,
                           _ body: (Int, Int, UnsafePointer<Double>) -> Void) {
        let block = Batch.blockSize
        withUnsafeTemporaryAllocation(of: Double.self, capacity: block) { scratch in
            let flows = scratch.baseAddress!
            var lo = start
            while lo < end {
                let hi = Swift.min(end, lo + block)
                Batch.pairs(hi - lo) { k in
                    let (high, low, close) = (Batch.pair(h + lo + k), Batch.pair(l + lo + k), Batch.pair(c + lo + k))
                    let range = high - low
                    let flow = (((close - low) - (high - close)) / range) * Batch.pair(v + lo + k)
                    Batch.store(flow.replacing(with: 0, where: .!(range .> 0)), flows + k)
                } single: { k in
                    let j = lo + k, range = h[j] - l[j]
                    flows[k] = range > 0.0 ? (((c[j] - l[j]) - (h[j] - c[j])) / range) * v[j] : 0.0
                }
                body(lo, hi, flows)
                lo = hi
            }
        }
    }
}

/// Chaikin oscillator, TA-Lib `ADOSC(high, low, close, volume, fastperiod=3, slowperiod=10)`:
/// `EMA_fast(AD) - EMA_slow(AD)`, both EMAs seeded with the first AD value (not an average) and
/// updated as `k·ad + (1-k)·ema`. First value at `max(fast, slow) - 1`.
public struct ADOSC: Sendable {
    public let fastPeriod: Int, slowPeriod: Int
    @usableFromInline let fastK: Double, slowK: Double
    @usableFromInline var line = AD()
    @usableFromInline var fast = 0.0
    @usableFromInline var slow = 0.0
    @usableFromInline var count = 0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(fastPeriod: Int = 3, slowPeriod: Int = 10) throws(IndicatorError) {
        self.fastPeriod = try Check.period(fastPeriod, "fastperiod", of: "adosc")
        self.slowPeriod = try Check.period(slowPeriod, "slowperiod", of: "adosc")
        fastK = emaFactor(fastPeriod)
        slowK = emaFactor(slowPeriod)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { Swift.max(fastPeriod, slowPeriod) - 1 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double, volume: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close, volume: volume)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double, volume: Double) -> Double {
        let t = count
        count += 1
        let ad = line.step(high: high, low: low, close: close, volume: volume)
        if t == 0 {
            fast = ad; slow = ad
        } else {
            fast = (fastK * ad) + ((1.0 - fastK) * fast)
            slow = (slowK * ad) + ((1.0 - slowK) * slow)
        }
        return t >= lookback ? fast - slow : .nan
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, volume: Column<Double>,
                               fastPeriod: Int = 3, slowPeriod: Int = 10) throws(IndicatorError) -> Column<Double> {
        var state = try ADOSC(fastPeriod: fastPeriod, slowPeriod: slowPeriod)
        let n = try Batch.checkLengths([high, low, close, volume], "adosc")
        // Through the warm-up the state machine; from the first output on, its arithmetic in a loop
        // with the A/D line and both averages in registers.
        return Batch.withInputs([high, low, close, volume]) { h, l, c, v in
            Column(unsafeUninitializedCount: n) { out in
                var j = 0
                while j < n && SIMD4(h[j], l[j], c[j], v[j]).hasNaN { out[j] = .nan; j += 1 }
                while j < n && state.count <= state.lookback { out[j] = state.step(high: h[j], low: l[j], close: c[j], volume: v[j]); j += 1 }
                var (ad, fast, slow) = (state.line.value, state.fast, state.slow)
                let (fastK, slowK) = (state.fastK, state.slowK)
                // The division stays inline here: it is off the averages' 6-cycle chains and fits
                // beside them (a separate two-lane pass, as AD's, measured slower).
                while j < n {
                    let range = h[j] - l[j]
                    if range > 0.0 { ad += (((c[j] - l[j]) - (h[j] - c[j])) / range) * v[j] }
                    fast = (fastK * ad) + ((1.0 - fastK) * fast)
                    slow = (slowK * ad) + ((1.0 - slowK) * slow)
                    out[j] = fast - slow
                    j += 1
                }
            }
        }
    }
}

/// Rolling volume-weighted average price (not a TA-Lib function):
/// `VWAP[t] = Σ tp·v / Σ v` over the last `n` bars, with typical price `tp = (h + l + c) / 3`.
/// NaN when the window's volume is zero or during warm-up (first value at `n - 1`).
///
/// The sums are recomputed over the window every `n` bars so that add/remove rounding cannot
/// drift over long series. Amortized O(1) per bar.
public struct VWAP: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var priceVolume: RingBuffer
    @usableFromInline var volumes: RingBuffer
    @usableFromInline var sumPV = 0.0
    @usableFromInline var sumV = 0.0
    @usableFromInline var count = 0
    /// Bars until the sums are next rebuilt from the window.
    @usableFromInline var untilRebuild = 0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 20) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "vwap")
        priceVolume = RingBuffer(capacity: period)
        volumes = RingBuffer(capacity: period)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        priceVolume.makeUnique()
        volumes.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double, volume: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close, volume: volume)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double, volume: Double) -> Double {
        let t = count
        count += 1
        let pv = (high + low + close) / 3.0 * volume
        if t >= period {
            sumPV -= priceVolume[t - period]
            sumV -= volumes[t - period]
        }
        priceVolume[t] = pv
        volumes[t] = volume
        sumPV += pv
        sumV += volume
        guard t >= period - 1 else { return .nan }
        if untilRebuild == 0 {
            untilRebuild = period
            sumPV = 0; sumV = 0
            for i in (t - period + 1)...t { sumPV += priceVolume[i]; sumV += volumes[i] }
        }
        untilRebuild -= 1
        return sumV != 0 ? sumPV / sumV : .nan
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, volume: Column<Double>,
                               period: Int = 20) throws(IndicatorError) -> Column<Double> {
        var state = try VWAP(period: period)
        return try Batch.map([high, low, close, volume], &state, indicator: "vwap") { state, a, b, c, d in state.step(high: a, low: b, close: c, volume: d) }
    }
}
