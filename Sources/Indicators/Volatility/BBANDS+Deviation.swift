import ColumnStore

/// Population variance, TA-Lib `VAR(real, timeperiod=5)`: `mean(x²) - mean(x)²` over the last `n`
/// values, with TA-Lib's running sums. First value at `n - 1`. (TA-Lib's `nbdev` argument to VAR
/// has no effect; it is not taken here.)
public struct VAR: Sendable {
    public let period: Int
    @usableFromInline var sum = 0.0
    @usableFromInline var sumOfSquares = 0.0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    public init(period: Int = 5) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "var")
        window = RingBuffer(capacity: period)
    }

    public var lookback: Int { period - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double {
        let t = count
        count += 1
        window[t] = x
        sum += x
        sumOfSquares += x * x
        guard t >= period - 1 else { return .nan }
        let n = Double(period)
        let mean = sum / n
        let meanOfSquares = sumOfSquares / n
        let leaving = window[t - period + 1]
        sum -= leaving
        sumOfSquares -= leaving * leaving
        return meanOfSquares - mean * mean
    }

    public static func compute(_ x: Column<Double>, period: Int = 5) throws(IndicatorError) -> Column<Double> {
        var state = try VAR(period: period)
        return Batch.map(x) { state.update($0) }
    }
}

/// Standard deviation, TA-Lib `STDDEV(real, timeperiod=5, nbdev=1)`: `nbdev·sqrt(VAR)` (0 when
/// the variance is below 1e-14). First value at `n - 1`.
public struct STDDEV: Sendable {
    public let deviations: Double
    @usableFromInline var variance: VAR

    public init(period: Int = 5, deviations: Double = 1.0) throws(IndicatorError) {
        variance = try VAR(period: try Check.period(period, "timeperiod", of: "stddev"))
        self.deviations = try Check.real(deviations, "nbdev", in: -3e37...3e37, of: "stddev")
    }

    public var lookback: Int { variance.period - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double {
        let v = variance.update(x)
        if v.isNaN { return v }
        return isZeroOrNegative(v) ? 0.0 : v.squareRoot() * deviations
    }

    public static func compute(_ x: Column<Double>, period: Int = 5, deviations: Double = 1.0) throws(IndicatorError) -> Column<Double> {
        var state = try STDDEV(period: period, deviations: deviations)
        return Batch.map(x) { state.update($0) }
    }
}

/// Bollinger bands, TA-Lib `BBANDS(real, timeperiod=5, nbdevup=2, nbdevdn=2)` with TA-Lib's
/// default simple moving average: `middle = SMA(n)`, `upper = middle + up·σ`,
/// `lower = middle - down·σ`, with σ the population standard deviation around that SMA
/// (TA-Lib's "precalculated MA" form: `sqrt(mean(x²) - sma²)`, 0 when not positive).
/// First value at `n - 1`.
///
/// TA-Lib's own default period for BBANDS is 5; the CLI spec `bbands:20,2,2` asks for 20.
public struct BBANDS: Sendable {
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
    @usableFromInline var sumOfSquares = 0.0

    public init(period: Int = 5, up: Double = 2.0, down: Double = 2.0) throws(IndicatorError) {
        average = try SMA(period: try Check.period(period, "timeperiod", of: "bbands"))
        self.up = try Check.real(up, "nbdevup", in: -3e37...3e37, of: "bbands")
        self.down = try Check.real(down, "nbdevdn", in: -3e37...3e37, of: "bbands")
    }

    public var lookback: Int { average.period - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Value {
        let middle = average.update(x)
        let t = average.count - 1
        let n = average.period
        sumOfSquares += x * x
        guard t >= n - 1 else { return Value(upper: .nan, middle: .nan, lower: .nan) }
        var meanOfSquares = sumOfSquares / Double(n)
        let leaving = average.window[t - n + 1]
        sumOfSquares -= leaving * leaving
        meanOfSquares -= middle * middle
        let sigma = isZeroOrNegative(meanOfSquares) ? 0.0 : meanOfSquares.squareRoot()
        return Value(upper: middle + sigma * up, middle: middle, lower: middle - sigma * down)
    }

    public static func compute(_ x: Column<Double>, period: Int = 5, up: Double = 2.0, down: Double = 2.0) throws(IndicatorError)
    -> (upper: Column<Double>, middle: Column<Double>, lower: Column<Double>) {
        var state = try BBANDS(period: period, up: up, down: down)
        let out = try Batch.map([x], indicator: "bbands") { b -> SIMD3<Double> in
            let v = state.update(b.x)
            return SIMD3(v.upper, v.middle, v.lower)
        }
        return (out[0], out[1], out[2])
    }
}
