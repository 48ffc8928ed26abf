import ColumnStore

/// Commodity channel index, TA-Lib `CCI(high, low, close, timeperiod=14)`:
/// `(tp - mean(tp)) / (0.015 · meanAbsDev(tp))` over the last `n` typical prices
/// `tp = (h + l + c) / 3` (0 when either term is zero). First value at `n - 1`.
///
/// The window sums run in TA-Lib's circular-buffer order, O(n) per bar as in TA-Lib.
public struct CCI: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    /// Exactly `period` slots, filled in TA-Lib's circular order.
    @usableFromInline var buffer: RingStorage
    @usableFromInline var slot = 0
    @usableFromInline var count = 0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "cci")
        buffer = RingStorage(count: period)
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period - 1 }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let t = count
        count += 1
        let typical = (high + low + close) / 3
        let n = period
        let ring = buffer.base
        ring[slot] = typical
        slot += 1
        if slot == n { slot = 0 }
        guard t >= n - 1 else { return .nan }
        var average = 0.0
        for i in 0..<n { average += ring[i] }
        average /= Double(n)
        var deviation = 0.0
        for i in 0..<n { deviation += Swift.abs(ring[i] - average) }
        let distance = typical - average
        return distance != 0.0 && deviation != 0.0 ? distance / (0.015 * (deviation / Double(n))) : 0.0
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try CCI(period: period)
        return try Batch.mapHLC(high, low, close, &state, indicator: "cci", isSteady: { $0.count >= $0.period },
                                { $0.step(high: $1, low: $2, close: $3) }) { state, h, l, c, start, end, out in
            state.steady(h, l, c, bars: start, end, into: out)
        }
    }

    /// `step` for bars `start..<end` once every slot holds a price, eight bars `n` apart at a
    /// time.
    ///
    /// TA-Lib sums the ring in slot order, and slot `i` of bar `j`'s window holds bar
    /// `j − ((s − i) mod n)` (`s` the slot bar `j` is written to): the ring order is bars
    /// `j − s … j`, then `j − n + 1 … j − s − 1`. Bars `n` apart share their slot, so eight of
    /// them (`j + q·n`) walk the same order and their sums run as the lanes of one vector, each
    /// lane in exactly `step`'s order (the same bits), from rows of typical prices laid out
    /// lane by lane. Through `step` a bar cost ~24 ns: two 14-add chains back to back (TA-Lib's
    /// own loop is the same, ~29 ns); eight chains side by side hide most of that latency.
    /// Bars past the last whole group of `8n` go through `step`.
    @inlinable @inline(__always)
    mutating func steady(_ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
                         bars start: Int, _ end: Int, into out: UnsafeMutablePointer<Double>) {
        let n = period, span = 8 * n
        var j = start
        if end - start >= span {
            let divisor = SIMD8<Double>(repeating: Double(n))
            withUnsafeTemporaryAllocation(of: SIMD8<Double>.self, capacity: 2 * n) { buffer in
                // rows[r], r in 1 − n ..< n: lane q holds the typical price of bar base + r + q·n.
                let rows = buffer.baseAddress! + n
                while end - j >= span {
                    let base = j
                    for r in (1 - n)..<n {
                        var high = SIMD8<Double>(), low = SIMD8<Double>(), close = SIMD8<Double>()
                        for q in 0..<8 {
                            let b = base + r + q * n
                            high[q] = h[b]; low[q] = l[b]; close[q] = c[b]
                        }
                        rows[r] = (high + low + close) / 3
                    }
                    // Row k is bars base + k + q·n, all written to slot `slot`.
                    for k in 0..<n {
                        let s = slot
                        slot = s + 1 == n ? 0 : s + 1
                        var sum = SIMD8<Double>()
                        for r in (k - s)...k { sum += rows[r] }
                        for r in (k + 1 - n)..<(k - s) { sum += rows[r] }
                        let average = sum / divisor
                        var deviation = SIMD8<Double>()
                        for r in (k - s)...k { deviation += Batch.magnitude(rows[r] - average) }
                        for r in (k + 1 - n)..<(k - s) { deviation += Batch.magnitude(rows[r] - average) }
                        let distance = rows[k] - average
                        let index = (distance / (0.015 * (deviation / divisor)))
                            .replacing(with: 0, where: (distance .== 0) .| (deviation .== 0))
                        for q in 0..<8 { out[base + k + q * n] = index[q] }
                    }
                    j += span
                }
            }
            // The ring as `step` would have left it after bar j − 1 (slot `slot` is bar j's).
            let ring = buffer.base
            for b in (j - n)..<j { ring[(slot + n - (j - b)) % n] = (h[b] + l[b] + c[b]) / 3 }
            count += j - start
        }
        while j < end {
            out[j] = step(high: h[j], low: l[j], close: c[j])
            j += 1
        }
    }
}

/// Money flow index, TA-Lib `MFI(high, low, close, volume, timeperiod=14)`:
/// `100·P / (P + N)` where `P` and `N` sum `tp·volume` over the last `n` bars whose typical price
/// rose or fell. As in TA-Lib 0.8.1, a change within 1e-14 counts as neither (so rounding noise in
/// `(h+l+c)/3` cannot flip a flat bar), and the index is 0 when there is no flow at all. A side
/// with no flow left in the window has a sum of exactly 0, whatever the running sum's rounding.
/// First value at `t = n`.
public struct MFI: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    /// The flows of the last `period` bars, `period` slots each, filled circularly.
    @usableFromInline var positive: RingStorage
    @usableFromInline var negative: RingStorage
    @usableFromInline var slot = 0
    @usableFromInline var positiveSum = 0.0
    @usableFromInline var negativeSum = 0.0
    @usableFromInline var previousTypical = 0.0
    /// TA-Lib 0.8.1's counts per side: a bar going the side's way adds one, a non-zero flow
    /// leaving takes one; a side whose count is 0 has a sum of exactly 0. (A bar without volume
    /// that goes a side's way adds one that no leaving flow takes back, as in TA-Lib.)
    @usableFromInline var positiveBars = 0
    @usableFromInline var negativeBars = 0
    @usableFromInline var count = 0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "mfi")
        positive = RingStorage(count: period)
        negative = RingStorage(count: period)
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&positive) { positive = positive.copy() }
        if !isKnownUniquelyReferenced(&negative) { negative = negative.copy() }
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period }

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
        let typical = (high + low + close) / 3.0
        if t == 0 { previousTypical = typical; return .nan }
        let positive = self.positive.base, negative = self.negative.base
        let slot = self.slot
        self.slot = slot + 1 == period ? 0 : slot + 1
        // Which way a bar's flow goes is a coin toss on real prices: selects, not branches (a
        // branch here mispredicted half the time). Adding or subtracting a 0 flow leaves a sum's
        // bits as they were, so this is the branching form's arithmetic exactly.
        if t > period {
            let leavingPositive = positive[slot], leavingNegative = negative[slot]
            positiveSum -= leavingPositive
            negativeSum -= leavingNegative
            positiveBars &-= leavingPositive != 0 ? 1 : 0
            negativeBars &-= leavingNegative != 0 ? 1 : 0
        }
        let change = typical - previousTypical
        previousTypical = typical
        let flow = typical * volume
        // Not flat (`isZero`: |change| < 1e-14) and falling, or not flat and not falling (NaN
        // included), each as one comparison: `&&` compiles to a branch.
        let down = change <= -0.00000000000001
        let up = !(change < 0.00000000000001)
        let positiveFlow = masked(flow, keep: up), negativeFlow = masked(flow, keep: down)
        positive[slot] = positiveFlow
        negative[slot] = negativeFlow
        positiveSum += positiveFlow
        negativeSum += negativeFlow
        positiveBars &+= up ? 1 : 0
        negativeBars &+= down ? 1 : 0
        if positiveBars == 0 { positiveSum = 0 }
        if negativeBars == 0 { negativeSum = 0 }
        guard t >= period else { return .nan }
        let total = positiveSum + negativeSum
        return total <= 0 ? 0.0 : 100.0 * (positiveSum / total)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, volume: Column<Double>,
                               period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try MFI(period: period)
        let n = try Batch.checkLengths([high, low, close, volume], "mfi")
        // Through the warm-up the state machine; once a flow leaves the window every bar, `step`'s
        // arithmetic in a loop of its own: no counter, no warm-up branches, sums and counts in
        // registers (called per bar, the machine's branches and reloads took ~16 ns/bar).
        return Batch.withInputs([high, low, close, volume]) { h, l, c, v in
            Column(unsafeUninitializedCount: n) { out in
                var j = 0
                while j < n && SIMD4(h[j], l[j], c[j], v[j]).hasNaN { out[j] = .nan; j += 1 }
                while j < n && state.count <= state.period {
                    out[j] = state.step(high: h[j], low: l[j], close: c[j], volume: v[j])
                    j += 1
                }
                guard j < n else { return }
                let positive = state.positive.base, negative = state.negative.base
                let period = state.period
                var slot = state.slot
                // The two sides as lanes: vector compares and selects stay branch-free, where the
                // scalar `x != 0 ? 1 : 0` counts were turned into branches that mispredict on half
                // the bars. Lane-wise IEEE arithmetic is `step`'s, bit for bit.
                var sums = SIMD2(state.positiveSum, state.negativeSum)
                var counts = SIMD2(Int64(state.positiveBars), Int64(state.negativeBars))
                var previousTypical = state.previousTypical
                let one = SIMD2<Int64>(repeating: 1), none = SIMD2<Int64>(), noFlow = SIMD2<Double>()
                // `x < 1e-14` is `x <= (1e-14).nextDown` for every double, NaN included.
                let flatBounds = SIMD2((0.00000000000001).nextDown, -0.00000000000001)
                let flipSecond = SIMD2<Int64>(0, -1) .!= SIMD2<Int64>()
                // In blocks of three passes over L1-resident scratch: the typical prices (vector
                // divisions), the running sums (the only serial part), then the index (vector
                // divisions again). In one loop the two scalar divisions a bar sat on every
                // iteration's path and filled the scheduler: ~8.9 ns/bar, against ~6 this way.
                let block = Batch.blockSize
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * block) { scratch in
                    let typicals = scratch.baseAddress!, positiveSums = typicals + block, totals = positiveSums + block
                    while j < n {
                        let m = Swift.min(block, n - j)
                        Batch.pairs(m) { k in
                            let typical = (Batch.pair(h + j + k) + Batch.pair(l + j + k) + Batch.pair(c + j + k)) / 3.0
                            Batch.store(typical, typicals + k)
                        } single: { k in typicals[k] = (h[j + k] + l[j + k] + c[j + k]) / 3.0 }
                        // Invariant: `sums` and `counts` cover the flows in the ring, whose slot
                        // `slot` holds the flows of the bar about to leave the window.
                        for k in 0..<m {
                            let typical = typicals[k]
                            let leaving = SIMD2(positive[slot], negative[slot])
                            sums -= leaving
                            counts &-= none.replacing(with: one, where: leaving .!= noFlow)
                            let change = typical - previousTypical
                            previousTypical = typical
                            let flow = typical * v[j + k]
                            // A side gets no flow unless the bar goes its way: positive unless
                            // `change < 1e-14` (NaN goes positive), negative unless
                            // `!(change <= -1e-14)` (not flat and falling). One vector compare and
                            // a flip of the second lane.
                            let notItsWay = (SIMD2(repeating: change) .<= flatBounds) .^ flipSecond
                            let entering = SIMD2(repeating: flow).replacing(with: 0, where: notItsWay)
                            positive[slot] = entering[0]
                            negative[slot] = entering[1]
                            slot = slot + 1 == period ? 0 : slot + 1
                            sums += entering
                            // One for a side the bar went, written with the mask as it stands:
                            // `.!notItsWay` measured back at 13 ns/bar (branches again).
                            counts &+= one &- none.replacing(with: one, where: notItsWay)
                            sums.replace(with: 0, where: counts .== none)
                            positiveSums[k] = sums[0]
                            totals[k] = sums[0] + sums[1]
                        }
                        Batch.pairs(m) { k in
                            let total = Batch.pair(totals + k)
                            let index = 100.0 * (Batch.pair(positiveSums + k) / total)
                            Batch.store(index.replacing(with: 0, where: total .<= 0), out.baseAddress! + j + k)
                        } single: { k in
                            let total = totals[k]
                            out[j + k] = total <= 0 ? 0.0 : 100.0 * (positiveSums[k] / total)
                        }
                        j += m
                    }
                }
            }
        }
    }
}

/// Ultimate oscillator, TA-Lib `ULTOSC(high, low, close, timeperiod1=7, timeperiod2=14, timeperiod3=28)`:
/// `100·(4·A1/B1 + 2·A2/B2 + A3/B3) / 7` where `A` sums buying pressure `close - min(low, prevClose)`
/// and `B` sums true range over each period. TA-Lib sorts the periods (shortest weighs 4). First
/// value at the longest period.
public struct ULTOSC: Sendable {
    /// Periods ascending.
    public let periods: (Int, Int, Int)
    @usableFromInline let p1: Int, p2: Int, p3: Int
    /// Buying-pressure (a) and true-range (b) sums per period.
    @usableFromInline var a1 = 0.0, b1 = 0.0, a2 = 0.0, b2 = 0.0, a3 = 0.0, b3 = 0.0
    @usableFromInline var pressure: RingBuffer
    @usableFromInline var range: RingBuffer
    @usableFromInline var previousClose = 0.0
    @usableFromInline var count = 0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period1: Int = 7, period2: Int = 14, period3: Int = 28) throws(IndicatorError) {
        let p = [try Check.period(period1, "timeperiod1", in: 1...100_000, of: "ultosc"),
                 try Check.period(period2, "timeperiod2", in: 1...100_000, of: "ultosc"),
                 try Check.period(period3, "timeperiod3", in: 1...100_000, of: "ultosc")].sorted()
        periods = (p[0], p[1], p[2])
        (p1, p2, p3) = (p[0], p[1], p[2])
        pressure = RingBuffer(capacity: p[2] + 1)
        range = RingBuffer(capacity: p[2] + 1)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { periods.2 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        pressure.makeUnique()
        range.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let t = count
        count += 1
        defer { previousClose = close }
        if t == 0 { return .nan }
        let (buying, trueRange) = Self.bar(high: high, low: low, close: close, previousClose: previousClose)
        pressure[t] = buying
        range[t] = trueRange
        // A bar joins a period's sums once it is inside the first window that period outputs.
        if t >= p3 - p1 + 1 { a1 += buying; b1 += trueRange }
        if t >= p3 - p2 + 1 { a2 += buying; b2 += trueRange }
        a3 += buying; b3 += trueRange
        guard t >= p3 else { return .nan }
        let output = Self.value(a1, b1, a2, b2, a3, b3)
        a1 -= pressure[t - p1 + 1]; b1 -= range[t - p1 + 1]
        a2 -= pressure[t - p2 + 1]; b2 -= range[t - p2 + 1]
        a3 -= pressure[t - p3 + 1]; b3 -= range[t - p3 + 1]
        return output
    }

    /// A bar's buying pressure and true range (TA-Lib's comparisons, in its order).
    @inlinable @inline(__always)
    static func bar(high: Double, low: Double, close: Double, previousClose: Double) -> (buying: Double, trueRange: Double) {
        let trueLow = Swift.min(low, previousClose)
        var trueRange = high - low
        let up = Swift.abs(previousClose - high)
        if up > trueRange { trueRange = up }
        let down = Swift.abs(previousClose - low)
        if down > trueRange { trueRange = down }
        return (close - trueLow, trueRange)
    }

    /// The oscillator from the three periods' sums.
    @inlinable @inline(__always)
    static func value(_ a1: Double, _ b1: Double, _ a2: Double, _ b2: Double, _ a3: Double, _ b3: Double) -> Double {
        var output = 0.0
        if !isZero(b1) { output += 4.0 * (a1 / b1) }
        if !isZero(b2) { output += 2.0 * (a2 / b2) }
        if !isZero(b3) { output += a3 / b3 }
        return 100.0 * (output / 7.0)
    }

    /// ``value(_:_:_:_:_:_:)`` for two bars at once, lane by lane: a skipped term adds +0.0,
    /// which leaves the running output's bits as they were (it is never -0.0: it starts at +0.0
    /// and a sum of doubles is -0.0 only if both terms are).
    @inlinable @inline(__always)
    static func value(_ a1: SIMD2<Double>, _ b1: SIMD2<Double>, _ a2: SIMD2<Double>, _ b2: SIMD2<Double>,
                      _ a3: SIMD2<Double>, _ b3: SIMD2<Double>) -> SIMD2<Double> {
        var output = SIMD2<Double>()
        output += (4.0 * (a1 / b1)).replacing(with: 0, where: Batch.isZero(b1))
        output += (2.0 * (a2 / b2)).replacing(with: 0, where: Batch.isZero(b2))
        output += (a3 / b3).replacing(with: 0, where: Batch.isZero(b3))
        return 100.0 * (output / 7.0)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period1: Int = 7,
                               period2: Int = 14, period3: Int = 28) throws(IndicatorError) -> Column<Double> {
        var state = try ULTOSC(period1: period1, period2: period2, period3: period3)
        let n = try Batch.checkLengths([high, low, close], "ultosc")
        // Through the warm-up the state machine; from the first output on, `step`'s arithmetic in a
        // loop with the six sums in registers (called per bar, the machine kept them in memory).
        return Batch.withInputs([high, low, close]) { h, l, c, _ in
            Column(unsafeUninitializedCount: n) { out in
                let begin = Batch.firstNumber(h, l, c, count: n)
                for i in 0..<begin { out[i] = .nan }
                var j = begin
                while j < n && state.count < state.p3 { out[j] = state.step(high: h[j], low: l[j], close: c[j]); j += 1 }
                guard j < n else { return }
                let pressure = state.pressure, range = state.range
                let (p1, p2, p3) = (state.p1, state.p2, state.p3)
                var (a1, b1, a2, b2, a3, b3) = (state.a1, state.b1, state.a2, state.b2, state.a3, state.b3)
                var t = state.count
                let (lag1, lag2, lag3) = (p1 - 1, p2 - 1, p3 - 1)
                // In blocks of two passes over L1-resident scratch: the six running sums (the
                // serial part), then the oscillator as two-lane divisions. In one loop the four
                // scalar divisions a bar sat on every iteration's path.
                let block = Batch.blockSize
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * block) { scratch in
                    // One row of six sums per bar: a single pointer, so the serial loop keeps its
                    // sums, inputs and rings in registers (six row pointers spilled).
                    let rows = scratch.baseAddress!
                    while j < n {
                        let m = Swift.min(block, n - j)
                        for k in 0..<m {
                            let (buying, trueRange) = Self.bar(high: h[j + k], low: l[j + k], close: c[j + k], previousClose: c[j + k - 1])
                            pressure[t] = buying
                            range[t] = trueRange
                            a1 += buying; b1 += trueRange
                            a2 += buying; b2 += trueRange
                            a3 += buying; b3 += trueRange
                            let row = rows + 6 &* k
                            row[0] = a1; row[1] = b1; row[2] = a2; row[3] = b2; row[4] = a3; row[5] = b3
                            // Positions stay far from overflow (t < n); wrapping arithmetic keeps
                            // the overflow checks out of the loop.
                            a1 -= pressure[t &- lag1]; b1 -= range[t &- lag1]
                            a2 -= pressure[t &- lag2]; b2 -= range[t &- lag2]
                            a3 -= pressure[t &- lag3]; b3 -= range[t &- lag3]
                            t &+= 1
                        }
                        let target = out.baseAddress! + j
                        Batch.pairs(m) { k in
                            let r = rows + 6 &* k
                            let value = Self.value(SIMD2(r[0], r[6]), SIMD2(r[1], r[7]), SIMD2(r[2], r[8]),
                                                   SIMD2(r[3], r[9]), SIMD2(r[4], r[10]), SIMD2(r[5], r[11]))
                            Batch.store(value, target + k)
                        } single: { k in
                            let r = rows + 6 * k
                            target[k] = Self.value(r[0], r[1], r[2], r[3], r[4], r[5])
                        }
                        j += m
                    }
                }
            }
        }
    }
}

/// Aroon, TA-Lib `AROON(high, low, timeperiod=14)`: `up = 100·(n - bars since the highest high)/n`,
/// `down` likewise for the lowest low, over the last `n + 1` bars (ties go to the most recent bar).
/// First value at `t = n`.
public struct AROON: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var down: Double
        public var up: Double
        @inlinable public init(down: Double, up: Double) {
            self.down = down; self.up = up
        }
    }
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var highest: RollingExtreme<Highest, WithPositions>
    @usableFromInline var lowest: RollingExtreme<Lowest, WithPositions>

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "aroon")
        highest = RollingExtreme<Highest, WithPositions>(period: period + 1)
        lowest = RollingExtreme<Lowest, WithPositions>(period: period + 1)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period }

    /// Bars since the extremes, or nil during warm-up.
    @inlinable
    mutating func positions(high: Double, low: Double) -> (high: Int, low: Int, today: Int)? {
        let ready = highest.step(high)
        guard lowest.step(low), ready else { return nil }
        return (highest.extremeIndex, lowest.extremeIndex, highest.count - 1)
    }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        highest.makeUnique()
        lowest.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double) -> Value {
        makeUnique()
        return step(high: high, low: low)
    }

    @inlinable
    mutating func step(high: Double, low: Double) -> Value {
        guard let p = positions(high: high, low: low) else { return Value(down: .nan, up: .nan) }
        let factor = 100.0 / Double(period)
        return Value(down: factor * Double(period - (p.today - p.low)), up: factor * Double(period - (p.today - p.high)))
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, period: Int = 14) throws(IndicatorError) -> (down: Column<Double>, up: Column<Double>) {
        _ = try AROON(period: period)  // checks the parameters
        let n = try Batch.checkLengths([high, low], "aroon")
        var down = Column<Double>(unsafeUninitializedCount: n) { _ in }, up = Column<Double>(unsafeUninitializedCount: n) { _ in }
        let factor = 100.0 / Double(period)
        down.withUnsafeMutableBufferPointer { d in
            up.withUnsafeMutableBufferPointer { u in
                Batch.withInputs([high, low]) { h, l, _, _ in
                    let begin = Batch.firstNumber(h, l, l, count: n)
                    for i in 0..<Swift.min(n, begin + period) { d[i] = .nan; u[i] = .nan }
                    Batch.rollingExtremePositions(h, Highest.self, l, Lowest.self, range: begin..<n, period: period + 1) { i, highIndex, lowIndex in
                        d[i] = factor * Double(period - (i - lowIndex)); u[i] = factor * Double(period - (i - highIndex))
                    }
                }
            }
        }
        return (down, up)
    }
}

/// Aroon oscillator, TA-Lib `AROONOSC(high, low, timeperiod=14)`: `up - down`, computed as TA-Lib
/// does from the two positions: `100/n · (highIndex - lowIndex)`. First value at `t = n`.
public struct AROONOSC: Sendable {
    @usableFromInline var aroon: AROON

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        aroon = try AROON(period: try Check.period(period, "timeperiod", of: "aroonosc"))
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { aroon.period }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        aroon.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double) -> Double {
        makeUnique()
        return step(high: high, low: low)
    }

    @inlinable
    mutating func step(high: Double, low: Double) -> Double {
        guard let p = aroon.positions(high: high, low: low) else { return .nan }
        return (100.0 / Double(aroon.period)) * Double(p.high - p.low)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        _ = try AROONOSC(period: period)
        let n = try Batch.checkLengths([high, low], "aroonosc")
        let factor = 100.0 / Double(period)
        return Batch.withInputs([high, low]) { h, l, _, _ in
            Column(unsafeUninitializedCount: n) { out in
                let begin = Batch.firstNumber(h, l, l, count: n)
                for i in 0..<Swift.min(n, begin + period) { out[i] = .nan }
                Batch.rollingExtremePositions(h, Highest.self, l, Lowest.self, range: begin..<n, period: period + 1) { i, highIndex, lowIndex in
                    out[i] = factor * Double(highIndex - lowIndex)
                }
            }
        }
    }
}

/// Balance of power, TA-Lib `BOP(open, high, low, close)`: `(close - open) / (high - low)`, 0 when
/// the range is not positive. No warm-up.
public struct BOP: Sendable {
    /// Creates the state machine; it has no parameters and cannot fail.
    public init() {}
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 0 }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public func update(open: Double, high: Double, low: Double, close: Double) -> Double {
        return step(open: open, high: high, low: low, close: close)
    }

    @inlinable
    func step(open: Double, high: Double, low: Double, close: Double) -> Double {
        let range = high - low
        return isZeroOrNegative(range) ? 0.0 : (close - open) / range
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(open: Column<Double>, high: Column<Double>, low: Column<Double>, close: Column<Double>) throws(IndicatorError) -> Column<Double> {
        var state = BOP()
        return try Batch.map([open, high, low, close], &state, indicator: "bop") { state, a, b, c, d in state.step(open: a, high: b, low: c, close: d) }
    }
}
