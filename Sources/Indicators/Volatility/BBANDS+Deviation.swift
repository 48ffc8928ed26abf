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

    /// The batch of `step` from `range.lowerBound` (the first number) on: `emit(j, variance)` for
    /// every `j`, NaN during warm-up. Past the warm-up, `step`'s arithmetic runs in a loop of its
    /// own over the input (leaving values and reseeds read from it, not from the ring), with the
    /// sums in registers. The state machine, a call per bar around a call to `reseed`, kept them
    /// in memory.
    @inlinable @inline(__always)
    static func batch(_ state: VAR, _ input: UnsafePointer<Double>, _ range: Range<Int>, _ emit: (Int, Double) -> Void) {
        var state = state
        var j = range.lowerBound
        let end = range.upperBound
        // The machine through its first output, so a value leaves at every later bar.
        while j < end && state.count <= state.period { emit(j, state.step(input[j])); j += 1 }
        guard j < end else { return }
        var anchor = state.anchor, sum = state.shiftedSum, squares = state.shiftedSquares, since = state.barsSinceReseed
        let r = state.reciprocal, n = state.period
        // Invariant: the sums cover bars j − n ..< j; the first of them leaves at bar j.
        while j < end {
            let x = input[j]
            if anchor.isNaN { anchor = x }
            let d = x - anchor
            let leaving = input[j - n] - anchor
            sum += d - leaving
            squares += d * d - leaving * leaving
            var secondMoment = squares * r
            var mean = sum * r
            var variance = secondMoment - mean * mean
            since &+= 1
            if !(variance >= 1e-6 * secondMoment) || since >= 32 &* n {
                (anchor, sum, squares) = reseeded(input + (j - n + 1), n)
                since = 0
                secondMoment = squares * r
                mean = sum * r
                variance = secondMoment - mean * mean
            }
            if !(variance >= 1e-12 * secondMoment) { variance = 0 }
            emit(j, variance)
            j += 1
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
                VAR.batch(state, base, begin..<input.count) { j, variance in out[j] = variance }
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
                VAR.batch(state.variance, base, begin..<input.count) { j, v in out[j] = v.isNaN ? v : v.squareRoot() * deviations }
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
        // The middle band is the SMA batch; the bands come from one VAR batch that reads it.
        var upper = Column<Double>(unsafeUninitializedCount: n) { _ in }, middle = Column<Double>(unsafeUninitializedCount: n) { _ in }
        var lower = Column<Double>(unsafeUninitializedCount: n) { _ in }
        let (factorUp, factorDown) = (state.up, state.down)
        upper.withUnsafeMutableBufferPointer { u in
            middle.withUnsafeMutableBufferPointer { m in
                lower.withUnsafeMutableBufferPointer { l in
                    x.withUnsafeBufferPointer { input in
                        guard let base = input.baseAddress else { return }
                        let begin = Batch.firstNumber(base, base, base, count: n)
                        for i in 0..<begin { u[i] = .nan; m[i] = .nan; l[i] = .nan }
                        // The middle band is SMA's arithmetic (add, divide, then subtract the value
                        // leaving the window), run in the same loop as the variance.
                        var sum = 0.0
                        let count = Double(period)
                        VAR.batch(state.variance, base, begin..<n) { j, variance in
                            sum += base[j]
                            guard j - begin >= period - 1 else { u[j] = .nan; m[j] = .nan; l[j] = .nan; return }
                            let average = sum / count
                            sum -= base[j - period + 1]
                            let sigma = variance.squareRoot()
                            m[j] = average
                            if average.isNaN { u[j] = .nan; l[j] = .nan; return }
                            u[j] = average + sigma * factorUp
                            l[j] = average - sigma * factorDown
                        }
                    }
                }
            }
        }
        return (upper, middle, lower)
    }
}
