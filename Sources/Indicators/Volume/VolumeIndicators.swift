import ColumnStore
internal import CKernels

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

    /// A line that stands at `value` (the batch's last bar).
    @inlinable init(value: Double) { self.value = value }
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
                // Two bars' flows at a time (one two-lane division), added to the line in order in
                // the same loop: the division's throughput and the line's 3-cycle chain overlap.
                // A bar without a positive range adds +0.0, which leaves the line's bits as they
                // were (it starts at +0.0, and a sum is -0.0 only if both terms are): `step`'s
                // arithmetic, which skips the bar.
                var line = 0.0
                while j &+ 2 <= n {
                    let (high, low, close) = (Batch.pair(h + j), Batch.pair(l + j), Batch.pair(c + j))
                    let range = high - low
                    let flow = ((((close - low) - (high - close)) / range) * Batch.pair(v + j)).replacing(with: 0, where: .!(range .> 0))
                    line += flow[0]
                    out[j] = line
                    line += flow[1]
                    out[j &+ 1] = line
                    j &+= 2
                }
                if j < n {
                    var last = AD(value: line)
                    out[j] = last.step(high: h[j], low: l[j], close: c[j], volume: v[j])
                }
            }
        }
    }
}

/// Chaikin oscillator, TA-Lib `ADOSC(high, low, close, volume, fastperiod=3, slowperiod=10)`:
/// `EMA_fast(AD) - EMA_slow(AD)`, both EMAs seeded with the first AD value (not an average) and
/// updated as `k·ad + (1-k)·ema`. First value at `max(fast, slow) - 1`.
///
/// The averages' update is one fused step, `fma(1-k, ema, k·ad)`, the contraction TA-Lib's FMA
/// build makes of it; with it ADOSC equals TA-Lib's to the bit. The stream uses `addingProduct`,
/// the batch a C loop with the CPU's fused multiply-add (`colonnade_adosc_fused`).
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
            fast = (fastK * ad).addingProduct(1.0 - fastK, fast)
            slow = (slowK * ad).addingProduct(1.0 - slowK, slow)
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
        return try fusedBatch(high: high, low: low, close: close, volume: volume, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two): the state
    /// machine through the warm-up, then the line and both averages in C.
    static func fusedBatch(high: Column<Double>, low: Column<Double>, close: Column<Double>, volume: Column<Double>,
                           _ state: inout ADOSC, allowHardware: Bool) throws(IndicatorError) -> Column<Double> {
        let n = try Batch.checkLengths([high, low, close, volume], "adosc")
        return Batch.withInputs([high, low, close, volume]) { h, l, c, v in
            Column(unsafeUninitializedCount: n) { out in
                var j = 0
                while j < n && SIMD4(h[j], l[j], c[j], v[j]).hasNaN { out[j] = .nan; j += 1 }
                while j < n && state.count <= state.lookback { out[j] = state.step(high: h[j], low: l[j], close: c[j], volume: v[j]); j += 1 }
                guard j < n, let target = out.baseAddress else { return }
                var values = [state.line.value, state.fast, state.slow]
                colonnade_adosc_fused(h + j, l + j, c + j, v + j, target + j, n - j, state.fastK, state.slowK, &values,
                                      allowHardware ? 1 : 0)
                (state.line.value, state.fast, state.slow) = (values[0], values[1], values[2])
                state.count += n - j
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
