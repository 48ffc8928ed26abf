import ColumnStore

/// Commodity channel index, TA-Lib `CCI(high, low, close, timeperiod=14)`:
/// `(tp - mean(tp)) / (0.015 · meanAbsDev(tp))` over the last `n` typical prices
/// `tp = (h + l + c) / 3` (0 when either term is zero). First value at `n - 1`.
///
/// The window sums run in TA-Lib's circular-buffer order, O(n) per bar as in TA-Lib.
public struct CCI: Sendable {
    public let period: Int
    @usableFromInline var buffer: [Double]
    @usableFromInline var count = 0

    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "cci")
        buffer = [Double](repeating: 0, count: period)
    }

    public var lookback: Int { period - 1 }

    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        let t = count
        count += 1
        let typical = (high + low + close) / 3
        let n = period
        return buffer.withUnsafeMutableBufferPointer { ring in
            ring[t % n] = typical
            guard t >= n - 1 else { return .nan }
            var average = 0.0
            for i in 0..<n { average += ring[i] }
            average /= Double(n)
            var deviation = 0.0
            for i in 0..<n { deviation += Swift.abs(ring[i] - average) }
            let distance = typical - average
            return distance != 0.0 && deviation != 0.0 ? distance / (0.015 * (deviation / Double(n))) : 0.0
        }
    }

    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try CCI(period: period)
        return try Batch.map([high, low, close], indicator: "cci") { state.update(high: $0.x, low: $0.y, close: $0.z) }
    }
}

/// Money flow index, TA-Lib `MFI(high, low, close, volume, timeperiod=14)`:
/// `100·P / (P + N)` where `P` and `N` sum `tp·volume` over the last `n` bars whose typical price
/// rose or fell. As in TA-Lib 0.8.1, a change within 1e-14 counts as neither (so rounding noise in
/// `(h+l+c)/3` cannot flip a flat bar), and the index is 0 when there is no flow at all. A side
/// with no flow left in the window has a sum of exactly 0, whatever the running sum's rounding.
/// First value at `t = n`.
public struct MFI: Sendable {
    public let period: Int
    @usableFromInline var positive: [Double]
    @usableFromInline var negative: [Double]
    @usableFromInline var positiveSum = 0.0
    @usableFromInline var negativeSum = 0.0
    @usableFromInline var previousTypical = 0.0
    @usableFromInline var positiveBars = 0
    @usableFromInline var negativeBars = 0
    @usableFromInline var count = 0

    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "mfi")
        positive = [Double](repeating: 0, count: period)
        negative = positive
    }

    public var lookback: Int { period }

    @inlinable
    public mutating func update(high: Double, low: Double, close: Double, volume: Double) -> Double {
        let t = count
        count += 1
        let typical = (high + low + close) / 3.0
        if t == 0 { previousTypical = typical; return .nan }
        let slot = (t - 1) % period
        if t > period {
            if positive[slot] != 0 { positiveSum -= positive[slot]; positiveBars -= 1 }
            if negative[slot] != 0 { negativeSum -= negative[slot]; negativeBars -= 1 }
        }
        let change = typical - previousTypical
        previousTypical = typical
        let flow = typical * volume
        positive[slot] = 0.0
        negative[slot] = 0.0
        if isZero(change) {
            // Flat bar: no flow either way.
        } else if change < 0 {
            negative[slot] = flow; negativeSum += flow; negativeBars += 1
        } else {
            positive[slot] = flow; positiveSum += flow; positiveBars += 1
        }
        if positiveBars == 0 { positiveSum = 0 }
        if negativeBars == 0 { negativeSum = 0 }
        guard t >= period else { return .nan }
        let total = positiveSum + negativeSum
        return total <= 0 ? 0.0 : 100.0 * (positiveSum / total)
    }

    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, volume: Column<Double>,
                               period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try MFI(period: period)
        return try Batch.map([high, low, close, volume], indicator: "mfi") { state.update(high: $0.x, low: $0.y, close: $0.z, volume: $0.w) }
    }
}

/// Ultimate oscillator, TA-Lib `ULTOSC(high, low, close, timeperiod1=7, timeperiod2=14, timeperiod3=28)`:
/// `100·(4·A1/B1 + 2·A2/B2 + A3/B3) / 7` where `A` sums buying pressure `close - min(low, prevClose)`
/// and `B` sums true range over each period. TA-Lib sorts the periods (shortest weighs 4). First
/// value at the longest period.
public struct ULTOSC: Sendable {
    /// Periods ascending.
    public let periods: (Int, Int, Int)
    @usableFromInline var sums = [Double](repeating: 0, count: 6)   // a1 b1 a2 b2 a3 b3
    @usableFromInline var pressure: RingBuffer
    @usableFromInline var range: RingBuffer
    @usableFromInline var previousClose = 0.0
    @usableFromInline var count = 0

    public init(period1: Int = 7, period2: Int = 14, period3: Int = 28) throws(IndicatorError) {
        let p = [try Check.period(period1, "timeperiod1", in: 1...100_000, of: "ultosc"),
                 try Check.period(period2, "timeperiod2", in: 1...100_000, of: "ultosc"),
                 try Check.period(period3, "timeperiod3", in: 1...100_000, of: "ultosc")].sorted()
        periods = (p[0], p[1], p[2])
        pressure = RingBuffer(capacity: p[2] + 1)
        range = RingBuffer(capacity: p[2] + 1)
    }

    public var lookback: Int { periods.2 }

    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        let t = count
        count += 1
        defer { previousClose = close }
        if t == 0 { return .nan }
        let trueLow = Swift.min(low, previousClose)
        var trueRange = high - low
        let up = Swift.abs(previousClose - high)
        if up > trueRange { trueRange = up }
        let down = Swift.abs(previousClose - low)
        if down > trueRange { trueRange = down }
        pressure[t] = close - trueLow
        range[t] = trueRange
        let longest = periods.2
        let ps = [periods.0, periods.1, periods.2]
        // A bar joins period k's sums once it is inside the first window that period outputs.
        for k in 0..<3 where t >= longest - ps[k] + 1 {
            sums[2 * k] += pressure[t]
            sums[2 * k + 1] += trueRange
        }
        guard t >= longest else { return .nan }
        var output = 0.0
        if !isZero(sums[1]) { output += 4.0 * (sums[0] / sums[1]) }
        if !isZero(sums[3]) { output += 2.0 * (sums[2] / sums[3]) }
        if !isZero(sums[5]) { output += sums[4] / sums[5] }
        for k in 0..<3 {
            let leaving = t - ps[k] + 1
            sums[2 * k] -= pressure[leaving]
            sums[2 * k + 1] -= range[leaving]
        }
        return 100.0 * (output / 7.0)
    }

    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period1: Int = 7,
                               period2: Int = 14, period3: Int = 28) throws(IndicatorError) -> Column<Double> {
        var state = try ULTOSC(period1: period1, period2: period2, period3: period3)
        return try Batch.map([high, low, close], indicator: "ultosc") { state.update(high: $0.x, low: $0.y, close: $0.z) }
    }
}

/// Aroon, TA-Lib `AROON(high, low, timeperiod=14)`: `up = 100·(n - bars since the highest high)/n`,
/// `down` likewise for the lowest low, over the last `n + 1` bars (ties go to the most recent bar).
/// First value at `t = n`.
public struct AROON: Sendable {
    public struct Value: Sendable, Equatable {
        public var down: Double
        public var up: Double
        @inlinable public init(down: Double, up: Double) {
            self.down = down; self.up = up
        }
    }
    public let period: Int
    @usableFromInline var highest: RollingExtreme
    @usableFromInline var lowest: RollingExtreme

    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "aroon")
        highest = RollingExtreme(period: period + 1, maximum: true)
        lowest = RollingExtreme(period: period + 1, maximum: false)
    }

    public var lookback: Int { period }

    /// Bars since the extremes, or nil during warm-up.
    @inlinable
    mutating func positions(high: Double, low: Double) -> (high: Int, low: Int, today: Int)? {
        let ready = highest.update(high)
        guard lowest.update(low), ready else { return nil }
        return (highest.extremeIndex, lowest.extremeIndex, highest.count - 1)
    }

    @inlinable
    public mutating func update(high: Double, low: Double) -> Value {
        guard let p = positions(high: high, low: low) else { return Value(down: .nan, up: .nan) }
        let factor = 100.0 / Double(period)
        return Value(down: factor * Double(period - (p.today - p.low)), up: factor * Double(period - (p.today - p.high)))
    }

    public static func compute(high: Column<Double>, low: Column<Double>, period: Int = 14) throws(IndicatorError) -> (down: Column<Double>, up: Column<Double>) {
        var state = try AROON(period: period)
        let out = try Batch.map([high, low], indicator: "aroon") { b -> SIMD2<Double> in
            let v = state.update(high: b.x, low: b.y)
            return SIMD2(v.down, v.up)
        }
        return (out[0], out[1])
    }
}

/// Aroon oscillator, TA-Lib `AROONOSC(high, low, timeperiod=14)`: `up - down`, computed as TA-Lib
/// does from the two positions: `100/n · (highIndex - lowIndex)`. First value at `t = n`.
public struct AROONOSC: Sendable {
    @usableFromInline var aroon: AROON

    public init(period: Int = 14) throws(IndicatorError) {
        aroon = try AROON(period: try Check.period(period, "timeperiod", of: "aroonosc"))
    }

    public var lookback: Int { aroon.period }

    @inlinable
    public mutating func update(high: Double, low: Double) -> Double {
        guard let p = aroon.positions(high: high, low: low) else { return .nan }
        return (100.0 / Double(aroon.period)) * Double(p.high - p.low)
    }

    public static func compute(high: Column<Double>, low: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try AROONOSC(period: period)
        return try Batch.map([high, low], indicator: "aroonosc") { state.update(high: $0.x, low: $0.y) }
    }
}

/// Balance of power, TA-Lib `BOP(open, high, low, close)`: `(close - open) / (high - low)`, 0 when
/// the range is not positive. No warm-up.
public struct BOP: Sendable {
    public init() {}
    public var lookback: Int { 0 }

    @inlinable
    public func update(open: Double, high: Double, low: Double, close: Double) -> Double {
        let range = high - low
        return isZeroOrNegative(range) ? 0.0 : (close - open) / range
    }

    public static func compute(open: Column<Double>, high: Column<Double>, low: Column<Double>, close: Column<Double>) throws(IndicatorError) -> Column<Double> {
        let state = BOP()
        return try Batch.map([open, high, low, close], indicator: "bop") { state.update(open: $0.x, high: $0.y, low: $0.z, close: $0.w) }
    }
}
