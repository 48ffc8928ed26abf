internal import CKernels
import ColumnStore

/// Population variance, TA-Lib `VAR(real, timeperiod=5)`: `Σ(x - mean)² / n` over the last `n`
/// values. First value at `n - 1`. (TA-Lib's `nbdev` argument to VAR has no effect; it is not
/// taken here.)
///
/// Like TA-Lib 0.6+ (its issues #118, #243), the running sums are kept on data shifted by an
/// anchor `K` — `Σ(x-K)²/n - (Σ(x-K)/n)²` — so the `E[x²] - mean²` cancellation of the textbook
/// running form cannot occur. The anchor moves to the window mean (an exact two-pass recompute)
/// when the variance falls below 1e-6 of the shifted second moment, or every `32n` bars, which
/// bounds the relative error near 2e-10. A variance below 1e-12 of that moment is reported as 0,
/// and the output is never negative. O(1) amortized per bar.
public struct VAR: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline let reciprocal: Double
    @usableFromInline var anchor = Double.nan
    @usableFromInline var shiftedSum = 0.0
    @usableFromInline var shiftedSquares = 0.0
    @usableFromInline var barsSinceReseed = 0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 5) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "var")
        reciprocal = 1.0 / Double(period)
        // The value leaving is read after the new one is written: `period + 1` values.
        window = RingBuffer(capacity: period + 1)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        window.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let t = count
        count += 1
        window[t] = x
        if t == 0 || anchor.isNaN { anchor = x }
        let d = x - anchor
        if t >= period {
            // The bar's change to each sum, entering less leaving, is formed off the sums'
            // chains: one add a bar on each (adding then subtracting was two, 6 cycles).
            let leaving = window[t - period] - anchor
            shiftedSum += d - leaving
            shiftedSquares += d * d - leaving * leaving
        } else {
            shiftedSum += d
            shiftedSquares += d * d
        }
        guard t >= period - 1 else { return .nan }
        // Multiplications by 1/n, not divisions: two divides a bar would cost more than the rest.
        var secondMoment = shiftedSquares * reciprocal
        var mean = shiftedSum * reciprocal
        var variance = secondMoment - mean * mean
        barsSinceReseed &+= 1
        if !(variance >= 1e-6 * secondMoment) || barsSinceReseed >= 32 &* period {
            reseed(at: t)
            secondMoment = shiftedSquares * reciprocal
            mean = shiftedSum * reciprocal
            variance = secondMoment - mean * mean
        }
        if !(variance >= 1e-12 * secondMoment) { variance = 0 }
        return variance
    }

    /// The batch of `step` from `range.lowerBound` (the first number) on: writes
    /// `transform(variance)` of every bar `j` in `range` to `out[j]` (NaN during warm-up) and hands
    /// the bars written to `finish` in consecutive ranges, in order, while they are still in the
    /// L1 cache. `transform` works lane by lane (STDDEV's root, computed among the variances'
    /// arithmetic instead of in a pass of its own, where the root unit alone set the pace);
    /// `finish` is where BBANDS makes its bands.
    ///
    /// With `totals`, the loop also runs SMA's add-then-subtract chain over the same window and
    /// writes each bar's total (before the leaving value is subtracted) to `totals[j]`, NaN before
    /// the first full window: BBANDS's middle band, to be divided by `n`. Its 6-cycle chain then
    /// runs beside the variance's sums instead of in a pass of its own.
    ///
    /// Past the warm-up, in blocks of up to ``Batch/blockSize`` bars: one pass runs both running
    /// sums (their only chains, one add a bar each) and keeps them in scratch; a second derives
    /// the variances two bars at a time and looks for the first bar that reseeds (the variance
    /// below 1e-6 of the second moment, or the `32n`-th bar since the last reseed). That bar is
    /// then reseeded exactly as `step` does and the next block starts after it, so every value is
    /// `step`'s to the bit: the sums, the tests and the arithmetic are the same, in the same order.
    /// In one loop, the test's branch and the variance's arithmetic held the recurrence back.
    @inlinable @inline(__always)
    static func batch(_ state: VAR, _ input: UnsafePointer<Double>, _ range: Range<Int>,
                      into out: UnsafeMutablePointer<Double>, totals: UnsafeMutablePointer<Double>? = nil,
                      transform: (SIMD2<Double>) -> SIMD2<Double>, finish: (Range<Int>) -> Void) {
        @inline(__always) func single(_ v: Double) -> Double { transform(SIMD2(repeating: v))[0] }
        var state = state
        var j = range.lowerBound
        let end = range.upperBound
        // The machine through its first output, so a value leaves at every later bar.
        let warmUp = j
        let r = state.reciprocal, n = state.period
        var total = 0.0
        while j < end && state.count <= state.period {
            out[j] = single(state.step(input[j]))
            if let totals {
                total += input[j]
                if j &- warmUp >= n &- 1 { totals[j] = total; total -= input[j &- n &+ 1] } else { totals[j] = .nan }
            }
            j += 1
        }
        finish(warmUp..<j)
        guard j < end else { return }
        var anchor = state.anchor, sum = state.shiftedSum, squares = state.shiftedSquares, since = state.barsSinceReseed
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 * Batch.blockSize)
        defer { sums.deallocate() }
        let shiftedSums = sums, shiftedSquares = sums + Batch.blockSize
        let (reseedBelow, zeroBelow) = (SIMD2<Double>(repeating: 1e-6), SIMD2<Double>(repeating: 1e-12))
        let periodic = 32 &* n

        // Invariant: the sums cover bars j − n ..< j; the first of them leaves at bar j.
        while j < end {
            let start = j
            if anchor.isNaN {
                // After a reseed over a window holding a NaN: `step`'s first line, one bar alone.
                anchor = input[j]
            }
            // The bar at which the count alone reseeds closes the block at the latest.
            let forced = start &+ Swift.max(0, periodic &- 1 &- since)
            let blockEnd = Swift.min(end, start &+ Batch.blockSize, forced &+ 1)
            var s = sum, q = squares
            // `totals` is fixed for the whole loop: the compiler splits the loop on it.
            for b in 0..<(blockEnd &- start) {
                let i = start &+ b
                let d = input[i] - anchor
                let leaving = input[i &- n] - anchor
                s += d - leaving
                q += d * d - leaving * leaving
                shiftedSums[b] = s; shiftedSquares[b] = q
                if let totals {
                    total += input[i]
                    totals[i] = total
                    total -= input[i &- n &+ 1]
                }
            }
            // The first bar of the block that reseeds, if any; every bar before it is final.
            var reseedAt = blockEnd &- start
            var b = 0
            while b < blockEnd &- start {
                let pair = b &+ 1 < blockEnd &- start
                let s2 = pair ? SIMD2(shiftedSums[b], shiftedSums[b &+ 1]) : SIMD2(repeating: shiftedSums[b])
                let q2 = pair ? SIMD2(shiftedSquares[b], shiftedSquares[b &+ 1]) : SIMD2(repeating: shiftedSquares[b])
                let secondMoment = q2 * r
                let mean = s2 * r
                let variance = secondMoment - mean * mean
                let reseeds = .!(variance .>= reseedBelow * secondMoment)
                let kept = transform(variance.replacing(with: 0, where: .!(variance .>= zeroBelow * secondMoment)))
                out[start &+ b] = kept[0]
                if pair { out[start &+ b &+ 1] = kept[1] }
                if any(reseeds) {
                    reseedAt = reseeds[0] ? b : b &+ 1
                    break
                }
                b &+= 2
            }
            if forced < blockEnd { reseedAt = Swift.min(reseedAt, forced &- start) }
            if reseedAt < blockEnd &- start {
                // `step`'s reseed at bar `i`: from the window ending there, then the same tests.
                let i = start &+ reseedAt
                (anchor, sum, squares) = reseeded(input + (i &- n &+ 1), n)
                since = 0
                let secondMoment = squares * r
                let mean = sum * r
                var variance = secondMoment - mean * mean
                if !(variance >= 1e-12 * secondMoment) { variance = 0 }
                out[i] = single(variance)
                // The average's chain ran past `i`: back to where it stood after bar `i`.
                if let totals { total = totals[i] - input[i &- n &+ 1] }
                j = i &+ 1
            } else {
                sum = s; squares = q
                since &+= blockEnd &- start
                j = blockEnd
            }
            finish(start..<j)
        }
    }

    /// `reseed`'s arithmetic over `window[0..<n]`: the new anchor and both sums.
    @usableFromInline
    static func reseeded(_ window: UnsafePointer<Double>, _ n: Int) -> (anchor: Double, sum: Double, squares: Double) {
        var total = 0.0
        for i in 0..<n { total += window[i] }
        let anchor = total / Double(n)
        var sum = 0.0, squares = 0.0
        for i in 0..<n {
            let d = window[i] - anchor
            sum += d
            squares += d * d
        }
        return (anchor, sum, squares)
    }

    /// Moves the anchor to the mean of the window ending at `t` and recomputes both sums.
    @usableFromInline
    mutating func reseed(at t: Int) {
        var total = 0.0
        for i in (t - period + 1)...t { total += window[i] }
        anchor = total / Double(period)
        shiftedSum = 0
        shiftedSquares = 0
        for i in (t - period + 1)...t {
            let d = window[i] - anchor
            shiftedSum += d
            shiftedSquares += d * d
        }
        barsSinceReseed = 0
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 5) throws(IndicatorError) -> Column<Double> {
        let state = try VAR(period: period)
        return x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                guard let base = input.baseAddress else { return }
                let begin = Batch.firstNumber(base, base, base, count: input.count)
                for i in 0..<begin { out[i] = .nan }
                VAR.batch(state, base, begin..<input.count, into: out.baseAddress!, transform: { $0 }, finish: { _ in })
            }
        }
    }
}

/// Standard deviation, TA-Lib `STDDEV(real, timeperiod=5, nbdev=1)`: `nbdev·sqrt(VAR)` with
/// ``VAR``'s cancellation-free variance. First value at `n - 1`.
public struct STDDEV: Sendable {
    public let deviations: Double
    @usableFromInline var variance: VAR

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 5, deviations: Double = 1.0) throws(IndicatorError) {
        variance = try VAR(period: try Check.period(period, "timeperiod", of: "stddev"))
        self.deviations = try Check.real(deviations, "nbdev", in: -3e37...3e37, of: "stddev")
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { variance.period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        variance.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let v = variance.step(x)
        if v.isNaN { return v }
        return v.squareRoot() * deviations
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 5, deviations: Double = 1.0) throws(IndicatorError) -> Column<Double> {
        let state = try STDDEV(period: period, deviations: deviations)
        let deviations = state.deviations
        return x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                guard let base = input.baseAddress else { return }
                let begin = Batch.firstNumber(base, base, base, count: input.count)
                for i in 0..<begin { out[i] = .nan }
                // A NaN variance stays NaN (the root of a NaN is NaN, as is its product).
                let factor = SIMD2<Double>(repeating: deviations)
                VAR.batch(state.variance, base, begin..<input.count, into: out.baseAddress!, transform: { v in
                    colonnade_sqrt2(v) * factor
                }, finish: { _ in })
            }
        }
    }
}

/// Bollinger bands, TA-Lib `BBANDS(real, timeperiod=20, nbdevup=2, nbdevdn=2)` with TA-Lib's
/// default simple moving average: `middle = SMA(n)`, `upper = middle + up·σ`,
/// `lower = middle - down·σ`, with σ the population standard deviation of the window computed
/// as ``VAR`` computes it. First value at `n - 1`. (TA-Lib's default period became 20 in 0.6.)
public struct BBANDS: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var upper: Double
        public var middle: Double
        public var lower: Double
        @inlinable public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper; self.middle = middle; self.lower = lower
        }
    }
    public let up: Double
    public let down: Double
    @usableFromInline var average: SMA
    @usableFromInline var variance: VAR

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 20, up: Double = 2.0, down: Double = 2.0) throws(IndicatorError) {
        average = try SMA(period: try Check.period(period, "timeperiod", of: "bbands"))
        variance = try VAR(period: period)
        self.up = try Check.real(up, "nbdevup", in: -3e37...3e37, of: "bbands")
        self.down = try Check.real(down, "nbdevdn", in: -3e37...3e37, of: "bbands")
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { average.period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        average.makeUnique()
        variance.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Value {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Value {
        let middle = average.step(x)
        let sigma = variance.step(x).squareRoot()
        guard !middle.isNaN else { return Value(upper: .nan, middle: .nan, lower: .nan) }
        return Value(upper: middle + sigma * up, middle: middle, lower: middle - sigma * down)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 20, up: Double = 2.0, down: Double = 2.0) throws(IndicatorError)
    -> (upper: Column<Double>, middle: Column<Double>, lower: Column<Double>) {
        let state = try BBANDS(period: period, up: up, down: down)
        let n = x.count
        // The middle band is SMA's arithmetic (add, divide, then subtract the value leaving the
        // window), its totals written by the variance's loop and divided two bars at a time
        // after it; the deviations go to the upper band's column and become both bands there.
        // Where the average is NaN (its warm-up), so are both bands.
        var upper = Column<Double>(unsafeUninitializedCount: n) { _ in }, middle = Column<Double>(unsafeUninitializedCount: n) { _ in }
        var lower = Column<Double>(unsafeUninitializedCount: n) { _ in }
        let (factorUp, factorDown) = (SIMD2(repeating: state.up), SIMD2(repeating: state.down))
        let count = SIMD2(repeating: Double(period))
        upper.withUnsafeMutableBufferPointer { u in
            lower.withUnsafeMutableBufferPointer { l in
                middle.withUnsafeMutableBufferPointer { m in
                    x.withUnsafeBufferPointer { input in
                        guard let base = input.baseAddress, let up = u.baseAddress, let down = l.baseAddress,
                              let average = m.baseAddress else { return }
                        let begin = Batch.firstNumber(base, base, base, count: n)
                        for i in 0..<begin { up[i] = .nan; down[i] = .nan; average[i] = .nan }
                        VAR.batch(state.variance, base, begin..<n, into: up, totals: average, transform: { v in
                            colonnade_sqrt2(v)
                        }) { bars in
                            Batch.pairs(bars.count, { p in
                                let j = bars.lowerBound &+ p
                                let mean = Batch.pair(average + j) / count, sigma = Batch.pair(up + j)
                                Batch.store(mean, average + j)
                                Batch.store(mean + sigma * factorUp, up + j)
                                Batch.store(mean - sigma * factorDown, down + j)
                            }, single: { p in
                                let j = bars.lowerBound &+ p
                                let mean = average[j] / count[0], sigma = up[j]
                                average[j] = mean
                                up[j] = mean + sigma * factorUp[0]
                                down[j] = mean - sigma * factorDown[0]
                            })
                        }
                    }
                }
            }
        }
        return (upper, middle, lower)
    }
}
