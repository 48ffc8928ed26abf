import ColumnStore

/// Rolling sum, TA-Lib `SUM(real, timeperiod=30)`, with the same add-then-subtract order as
/// ``SMA``. First value at `n - 1`.
public struct SUM: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var total = 0.0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "sum")
        window = RingBuffer(capacity: period)
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
        total += x
        guard t >= period - 1 else { return .nan }
        let result = total
        total -= window[t - period + 1]
        return result
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        _ = try SUM(period: period)
        // TA-Lib's SUM is SMA's running total without the division: SMA's arithmetic over the
        // input array (the leaving value read there, not from a ring).
        return SMARun.column(x, period: period, totals: true)
    }
}

/// Highest value over the last `n` bars, TA-Lib `MAX(real, timeperiod=30)`. First value at `n - 1`.
public struct MAX: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var extreme: RollingExtreme<Highest, ValuesOnly>
    public init(period: Int = 30) throws(IndicatorError) {
        extreme = RollingExtreme<Highest, ValuesOnly>(period: try Check.period(period, "timeperiod", of: "max"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { extreme.period - 1 }
    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        extreme.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double { extreme.step(x) ? extreme.extreme : .nan }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        let state = try MAX(period: period)
        return Batch.mapExtreme(x, Highest.self, period: state.extreme.period)
    }
}

/// Lowest value over the last `n` bars, TA-Lib `MIN(real, timeperiod=30)`. First value at `n - 1`.
public struct MIN: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var extreme: RollingExtreme<Lowest, ValuesOnly>
    public init(period: Int = 30) throws(IndicatorError) {
        extreme = RollingExtreme<Lowest, ValuesOnly>(period: try Check.period(period, "timeperiod", of: "min"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { extreme.period - 1 }
    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        extreme.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double { extreme.step(x) ? extreme.extreme : .nan }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        let state = try MIN(period: period)
        return Batch.mapExtreme(x, Lowest.self, period: state.extreme.period)
    }
}

/// Midpoint of the window, TA-Lib `MIDPOINT(real, timeperiod=14)`: `(max + min) / 2` over the last
/// `n` values. First value at `n - 1`.
public struct MIDPOINT: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var highest: RollingExtreme<Highest, ValuesOnly>
    @usableFromInline var lowest: RollingExtreme<Lowest, ValuesOnly>
    public init(period: Int = 14) throws(IndicatorError) {
        let n = try Check.period(period, "timeperiod", of: "midpoint")
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
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let ready = highest.step(x)
        guard lowest.step(x), ready else { return .nan }
        return (highest.extreme + lowest.extreme) / 2.0
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        let state = try MIDPOINT(period: period)
        return try Batch.mapExtremes(x, Highest.self, x, Lowest.self, period: state.highest.period, indicator: "midpoint") { highest, lowest in
            (highest + lowest) / 2.0
        }
    }
}

/// Midpoint price, TA-Lib `MIDPRICE(high, low, timeperiod=14)`: `(highest high + lowest low) / 2`
/// over the last `n` bars. First value at `n - 1`.
public struct MIDPRICE: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var highest: RollingExtreme<Highest, ValuesOnly>
    @usableFromInline var lowest: RollingExtreme<Lowest, ValuesOnly>
    public init(period: Int = 14) throws(IndicatorError) {
        let n = try Check.period(period, "timeperiod", of: "midprice")
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
    public mutating func update(high: Double, low: Double) -> Double {
        makeUnique()
        return step(high: high, low: low)
    }

    @inlinable
    mutating func step(high: Double, low: Double) -> Double {
        let ready = highest.step(high)
        guard lowest.step(low), ready else { return .nan }
        return (highest.extreme + lowest.extreme) / 2.0
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        let state = try MIDPRICE(period: period)
        return try Batch.mapExtremes(high, Highest.self, low, Lowest.self, period: state.highest.period, indicator: "midprice") { highest, lowest in
            (highest + lowest) / 2.0
        }
    }
}

/// Linear regression over the last `n` values, TA-Lib `LINEARREG(real, timeperiod=14)` (the fitted
/// value at the newest bar) and `LINEARREG_SLOPE` (the slope per bar). First value at `n - 1`.
///
/// Least squares with TA-Lib's x axis (x = bars back from the newest) in O(1) per bar: a running
/// sum `S = Σ d` and a distance-weighted sum `Q = Σ (bars back)·d` of the values shifted by an
/// anchor (`d = y - anchor`), updated as `Q ← Q + S - n·d_out`, `S ← S - d_out + d_in`. The slope
/// `(n·Q - Σx·S) / (Σx² - ...)` needs only the shifted sums, so the anchor removes the price level
/// from the cancellation; both sums are rebuilt from the window (and the anchor moved to its
/// mean) every `8n` bars so rounding cannot drift. Agrees with TA-Lib within 1e-9.
public struct LinearRegression: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var value: Double
        public var slope: Double
        @inlinable public init(value: Double, slope: Double) {
            self.value = value; self.slope = slope
        }
    }
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline let sumX: Double
    @usableFromInline let divisor: Double
    @usableFromInline let reciprocalDivisor: Double
    @usableFromInline var anchor = 0.0
    @usableFromInline var shiftedSum = 0.0
    @usableFromInline var weightedSum = 0.0
    @usableFromInline var barsSinceReseed = 0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14, indicator: String = "linearreg") throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: indicator)
        let n = Double(period)
        sumX = n * Double(period - 1) * 0.5
        let sumXSquared = Double(period * (period - 1) * (2 * period - 1) / 6)
        divisor = sumX * sumX - n * sumXSquared
        reciprocalDivisor = 1.0 / divisor
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

    /// Feeds one value; returns the fitted value and slope, or NaN during warm-up.
    @inlinable
    public mutating func update(_ x: Double) -> Value {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Value {
        let t = count
        count = t &+ 1
        window[t] = x
        if t == 0 { anchor = x }
        let n = period
        let d = x - anchor
        if t >= n {
            // Every value moves one bar further back; the oldest leaves.
            let leaving = window[t &- n] - anchor
            weightedSum += shiftedSum - Double(n) * leaving
            shiftedSum += d - leaving
        } else {
            weightedSum += shiftedSum
            shiftedSum += d
        }
        guard t >= n &- 1 else { return Value(value: .nan, slope: .nan) }
        barsSinceReseed &+= 1
        if barsSinceReseed >= 8 &* n { reseed(at: t) }
        return Self.fit(anchor: anchor, shifted: shiftedSum, weighted: weightedSum, count: Double(n), sumX: sumX,
                        reciprocalDivisor: reciprocalDivisor)
    }

    /// Moves the anchor to the mean of the window ending at `t` and rebuilds both sums exactly.
    /// The batch of `step` from `range.lowerBound` (the first number): `emit(j, value, slope)` for
    /// every `j`, NaN during warm-up. Past the warm-up, `step`'s arithmetic runs in a loop of its
    /// own over the input (the leaving value and the reseed read from it), sums in registers.
    @inlinable @inline(__always)
    static func batch(_ state: LinearRegression, _ input: UnsafePointer<Double>, _ range: Range<Int>,
                      _ emit: (Int, Double, Double) -> Void) {
        var state = state
        var j = range.lowerBound
        let end = range.upperBound
        let n = state.period
        while j < end && state.count < n {
            let v = state.step(input[j])
            emit(j, v.value, v.slope)
            j += 1
        }
        guard j < end else { return }
        var anchor = state.anchor, shifted = state.shiftedSum, weighted = state.weightedSum, since = state.barsSinceReseed
        let (sumX, reciprocalDivisor, count) = (state.sumX, state.reciprocalDivisor, Double(n))
        while j < end {
            let d = input[j] - anchor
            let leaving = input[j - n] - anchor
            weighted += shifted - count * leaving
            shifted += d - leaving
            since &+= 1
            if since >= 8 &* n {
                (anchor, shifted, weighted) = reseeded(input + (j - n + 1), n)
                since = 0
            }
            let fitted = fit(anchor: anchor, shifted: shifted, weighted: weighted, count: count, sumX: sumX,
                             reciprocalDivisor: reciprocalDivisor)
            emit(j, fitted.value, fitted.slope)
            j += 1
        }
    }

    /// The fitted value at the newest bar and the slope from the shifted sums. Multiplications by
    /// reciprocals, not divisions: two divisions a bar bound the loop (within 1e-9 of TA-Lib).
    @inlinable @inline(__always)
    static func fit(anchor: Double, shifted: Double, weighted: Double, count: Double, sumX: Double,
                    reciprocalDivisor: Double) -> Value {
        let slope = (count * weighted - sumX * shifted) * reciprocalDivisor
        let intercept = anchor + (shifted - slope * sumX) * (1.0 / count)
        return Value(value: intercept + slope * (count - 1.0), slope: slope)
    }

    /// `reseed`'s arithmetic over `window[0..<n]` (oldest first): the new anchor and both sums.
    @usableFromInline
    static func reseeded(_ window: UnsafePointer<Double>, _ n: Int) -> (anchor: Double, shifted: Double, weighted: Double) {
        var total = 0.0
        for k in 0..<n { total += window[k] }
        let anchor = total / Double(n)
        var shifted = 0.0, weighted = 0.0
        for k in 0..<n {
            let d = window[k] - anchor
            shifted += d
            weighted += Double(n - 1 - k) * d
        }
        return (anchor, shifted, weighted)
    }

    /// One output of a whole column (`slope` false: the fitted value).
    static func compute(_ x: Column<Double>, period: Int, indicator: String, slope wantsSlope: Bool) throws(IndicatorError) -> Column<Double> {
        let state = try LinearRegression(period: period, indicator: indicator)
        return x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                guard let base = input.baseAddress else { return }
                let begin = Batch.firstNumber(base, base, base, count: input.count)
                for i in 0..<begin { out[i] = .nan }
                if wantsSlope {
                    batch(state, base, begin..<input.count) { j, _, slope in out[j] = slope }
                } else {
                    batch(state, base, begin..<input.count) { j, value, _ in out[j] = value }
                }
            }
        }
    }

    @usableFromInline
    mutating func reseed(at t: Int) {
        let n = period
        var total = 0.0
        for j in (t - n + 1)...t { total += window[j] }
        anchor = total / Double(n)
        shiftedSum = 0
        weightedSum = 0
        for j in (t - n + 1)...t {
            let d = window[j] - anchor
            shiftedSum += d
            weightedSum += Double(t - j) * d
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
    public static func compute(_ x: Column<Double>, period: Int = 14) throws(IndicatorError) -> (value: Column<Double>, slope: Column<Double>) {
        let state = try LinearRegression(period: period)
        let n = x.count
        var values = Column<Double>(unsafeUninitializedCount: n) { _ in }, slopes = Column<Double>(unsafeUninitializedCount: n) { _ in }
        values.withUnsafeMutableBufferPointer { v in
            slopes.withUnsafeMutableBufferPointer { s in
                x.withUnsafeBufferPointer { input in
                    guard let base = input.baseAddress else { return }
                    let begin = Batch.firstNumber(base, base, base, count: n)
                    for i in 0..<begin { v[i] = .nan; s[i] = .nan }
                    batch(state, base, begin..<n) { j, value, slope in v[j] = value; s[j] = slope }
                }
            }
        }
        return (values, slopes)
    }
}

/// Parabolic SAR, TA-Lib `SAR(high, low, acceleration=0.02, maximum=0.2)`, with TA-Lib's start:
/// the direction comes from the 1-bar -DM of bar 1, and bar 1 is compared with itself on its first
/// step. First value at `t = 1`.
public struct SAR: Sendable {
    public let acceleration: Double
    public let maximum: Double
    @usableFromInline var isLong = true
    @usableFromInline var af = 0.0
    @usableFromInline var ep = 0.0
    @usableFromInline var sar = 0.0
    @usableFromInline var newHigh = 0.0
    @usableFromInline var newLow = 0.0
    @usableFromInline var count = 0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(acceleration: Double = 0.02, maximum: Double = 0.2) throws(IndicatorError) {
        var a = try Check.real(acceleration, "acceleration", in: 0...3e37, of: "sar")
        let m = try Check.real(maximum, "maximum", in: 0...3e37, of: "sar")
        if a > m { a = m }
        self.acceleration = a
        self.maximum = m
        af = a
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 1 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double) -> Double {
        makeUnique()
        return step(high: high, low: low)
    }

    @inlinable
    mutating func step(high: Double, low: Double) -> Double {
        let t = count
        count += 1
        if t == 0 {
            newHigh = high; newLow = low
            return .nan
        }
        if t == 1 {
            let diffP = high - newHigh, diffM = newLow - low
            isLong = !(diffM > 0 && diffP < diffM)
            if isLong { ep = high; sar = newLow } else { ep = low; sar = newHigh }
            newLow = low; newHigh = high
        }
        let prevLow = newLow, prevHigh = newHigh
        newLow = low; newHigh = high
        return Self.advance(isLong: &isLong, af: &af, ep: &ep, sar: &sar, prevHigh: prevHigh, prevLow: prevLow,
                            newHigh: newHigh, newLow: newLow, acceleration: acceleration, maximum: maximum)
    }

    /// One bar of the parabolic stop from bar 1 on: the previous and current bar's extremes in,
    /// this bar's SAR out; the direction, factor, extreme point and next SAR updated in place.
    @inlinable @inline(__always)
    static func advance(isLong: inout Bool, af: inout Double, ep: inout Double, sar: inout Double, prevHigh: Double, prevLow: Double,
                        newHigh: Double, newLow: Double, acceleration: Double, maximum: Double) -> Double {
        let output: Double
        if isLong {
            if newLow <= sar {
                isLong = false
                sar = Swift.max(ep, prevHigh, newHigh)
                output = sar
                af = acceleration
                ep = newLow
                sar = sar + af * (ep - sar)
                sar = Swift.max(sar, prevHigh, newHigh)
            } else {
                output = sar
                // A new extreme is a coin toss on real prices: bit selects, not a branch.
                let extends = newHigh > ep
                af = chosen(Swift.min(af + acceleration, maximum), or: af, if: extends)
                ep = chosen(newHigh, or: ep, if: extends)
                sar = sar + af * (ep - sar)
                sar = Swift.min(sar, prevLow, newLow)
            }
        } else if newHigh >= sar {
            isLong = true
            sar = Swift.min(ep, prevLow, newLow)
            output = sar
            af = acceleration
            ep = newHigh
            sar = sar + af * (ep - sar)
            sar = Swift.min(sar, prevLow, newLow)
        } else {
            output = sar
            let extends = newLow < ep
            af = chosen(Swift.min(af + acceleration, maximum), or: af, if: extends)
            ep = chosen(newLow, or: ep, if: extends)
            sar = sar + af * (ep - sar)
            sar = Swift.max(sar, prevHigh, newHigh)
        }
        return output
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, acceleration: Double = 0.02,
                               maximum: Double = 0.2) throws(IndicatorError) -> Column<Double> {
        var state = try SAR(acceleration: acceleration, maximum: maximum)
        let n = try Batch.checkLengths([high, low], "sar")
        // Bars 0 and 1 through the state machine; then `advance` in a loop with the state in
        // registers, reading the previous bar from the input (called per bar, the machine kept
        // it in memory).
        return Batch.withInputs([high, low]) { h, l, _, _ in
            Column(unsafeUninitializedCount: n) { out in
                let begin = Batch.firstNumber(h, l, l, count: n)
                for i in 0..<begin { out[i] = .nan }
                var j = begin
                while j < n && state.count < 2 { out[j] = state.step(high: h[j], low: l[j]); j += 1 }
                var (isLong, af, ep, sar) = (state.isLong, state.af, state.ep, state.sar)
                let (acceleration, maximum) = (state.acceleration, state.maximum)
                while j < n {
                    out[j] = advance(isLong: &isLong, af: &af, ep: &ep, sar: &sar, prevHigh: h[j - 1], prevLow: l[j - 1],
                                     newHigh: h[j], newLow: l[j], acceleration: acceleration, maximum: maximum)
                    j += 1
                }
            }
        }
    }
}
