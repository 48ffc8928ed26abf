import ColumnStore

/// Rolling sum, TA-Lib `SUM(real, timeperiod=30)`, with the same add-then-subtract order as
/// ``SMA``. First value at `n - 1`.
public struct SUM: Sendable {
    public let period: Int
    @usableFromInline var total = 0.0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "sum")
        window = RingBuffer(capacity: period)
    }

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

    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try SUM(period: period)
        return Batch.map(x, &state) { $0.step($1) }
    }
}

/// Highest value over the last `n` bars, TA-Lib `MAX(real, timeperiod=30)`. First value at `n - 1`.
public struct MAX: Sendable {
    @usableFromInline var extreme: RollingExtreme<Highest, ValuesOnly>
    public init(period: Int = 30) throws(IndicatorError) {
        extreme = RollingExtreme<Highest, ValuesOnly>(period: try Check.period(period, "timeperiod", of: "max"))
    }
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
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try MAX(period: period)
        return Batch.map(x, &state) { $0.step($1) }
    }
}

/// Lowest value over the last `n` bars, TA-Lib `MIN(real, timeperiod=30)`. First value at `n - 1`.
public struct MIN: Sendable {
    @usableFromInline var extreme: RollingExtreme<Lowest, ValuesOnly>
    public init(period: Int = 30) throws(IndicatorError) {
        extreme = RollingExtreme<Lowest, ValuesOnly>(period: try Check.period(period, "timeperiod", of: "min"))
    }
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
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try MIN(period: period)
        return Batch.map(x, &state) { $0.step($1) }
    }
}

/// Midpoint of the window, TA-Lib `MIDPOINT(real, timeperiod=14)`: `(max + min) / 2` over the last
/// `n` values. First value at `n - 1`.
public struct MIDPOINT: Sendable {
    @usableFromInline var highest: RollingExtreme<Highest, ValuesOnly>
    @usableFromInline var lowest: RollingExtreme<Lowest, ValuesOnly>
    public init(period: Int = 14) throws(IndicatorError) {
        let n = try Check.period(period, "timeperiod", of: "midpoint")
        highest = RollingExtreme<Highest, ValuesOnly>(period: n)
        lowest = RollingExtreme<Lowest, ValuesOnly>(period: n)
    }
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
    public static func compute(_ x: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try MIDPOINT(period: period)
        return Batch.map(x, &state) { $0.step($1) }
    }
}

/// Midpoint price, TA-Lib `MIDPRICE(high, low, timeperiod=14)`: `(highest high + lowest low) / 2`
/// over the last `n` bars. First value at `n - 1`.
public struct MIDPRICE: Sendable {
    @usableFromInline var highest: RollingExtreme<Highest, ValuesOnly>
    @usableFromInline var lowest: RollingExtreme<Lowest, ValuesOnly>
    public init(period: Int = 14) throws(IndicatorError) {
        let n = try Check.period(period, "timeperiod", of: "midprice")
        highest = RollingExtreme<Highest, ValuesOnly>(period: n)
        lowest = RollingExtreme<Lowest, ValuesOnly>(period: n)
    }
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
    public static func compute(high: Column<Double>, low: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try MIDPRICE(period: period)
        return try Batch.map([high, low], &state, indicator: "midprice") { state, a, b, _, _ in state.step(high: a, low: b) }
    }
}

/// Linear regression over the last `n` values, TA-Lib `LINEARREG(real, timeperiod=14)` (the fitted
/// value at the newest bar) and `LINEARREG_SLOPE` (the slope per bar). Least squares in TA-Lib's
/// form and order; O(n) per bar as in TA-Lib. First value at `n - 1`.
public struct LinearRegression: Sendable {
    public struct Value: Sendable, Equatable {
        public var value: Double
        public var slope: Double
        @inlinable public init(value: Double, slope: Double) {
            self.value = value; self.slope = slope
        }
    }
    public let period: Int
    @usableFromInline let sumX: Double
    @usableFromInline let divisor: Double
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    public init(period: Int = 14, indicator: String = "linearreg") throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: indicator)
        let n = Double(period)
        sumX = n * Double(period - 1) * 0.5
        let sumXSquared = Double(period * (period - 1) * (2 * period - 1) / 6)
        divisor = sumX * sumX - n * sumXSquared
        window = RingBuffer(capacity: period)
    }

    public var lookback: Int { period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        window.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Value {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Value {
        let t = count
        count += 1
        window[t] = x
        guard t >= period - 1 else { return Value(value: .nan, slope: .nan) }
        var sumXY = 0.0, sumY = 0.0
        var i = period - 1
        while i >= 0 {
            let y = window[t - i]
            sumY += y
            sumXY += Double(i) * y
            i -= 1
        }
        let n = Double(period)
        let slope = (n * sumXY - sumX * sumY) / divisor
        let intercept = (sumY - slope * sumX) / n
        return Value(value: intercept + slope * Double(period - 1), slope: slope)
    }

    public static func compute(_ x: Column<Double>, period: Int = 14) throws(IndicatorError) -> (value: Column<Double>, slope: Column<Double>) {
        var state = try LinearRegression(period: period)
        let out = try Batch.map([x], &state, indicator: "linearreg") { state, x, y, z, w -> SIMD2<Double> in
            let v = state.step(x)
            return SIMD2(v.value, v.slope)
        }
        return (out[0], out[1])
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

    public init(acceleration: Double = 0.02, maximum: Double = 0.2) throws(IndicatorError) {
        var a = try Check.real(acceleration, "acceleration", in: 0...3e37, of: "sar")
        let m = try Check.real(maximum, "maximum", in: 0...3e37, of: "sar")
        if a > m { a = m }
        self.acceleration = a
        self.maximum = m
        af = a
    }

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
                if newHigh > ep { ep = newHigh; af = Swift.min(af + acceleration, maximum) }
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
            if newLow < ep { ep = newLow; af = Swift.min(af + acceleration, maximum) }
            sar = sar + af * (ep - sar)
            sar = Swift.max(sar, prevHigh, newHigh)
        }
        return output
    }

    public static func compute(high: Column<Double>, low: Column<Double>, acceleration: Double = 0.02,
                               maximum: Double = 0.2) throws(IndicatorError) -> Column<Double> {
        var state = try SAR(acceleration: acceleration, maximum: maximum)
        return try Batch.map([high, low], &state, indicator: "sar") { state, a, b, _, _ in state.step(high: a, low: b) }
    }
}
