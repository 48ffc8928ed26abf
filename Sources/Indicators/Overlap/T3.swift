import ColumnStore

/// Tillson T3, TA-Lib `T3(real, timeperiod=5, vfactor=0.7)`.
///
/// Six chained EMAs `e1...e6` (`e = k·x + (1-k)·e`, `k = 2/(n+1)`), each seeded with the simple
/// average of its first `n` inputs, combined as `c1·e6 + c2·e5 + c3·e4 + c4·e3` with
/// `c1 = -v³`, `c2 = 3v² + 3v³`, `c3 = -6v² - 3v - 3v³`, `c4 = 1 + 3v + v³ + 3v²`.
/// First value at `6(n-1)`.
public struct T3: Sendable {
    public let period: Int
    public let volumeFactor: Double
    @usableFromInline let k: Double
    @usableFromInline let oneMinusK: Double
    @usableFromInline let c1, c2, c3, c4: Double
    /// Per stage: running value (or seed sum) and inputs seen.
    @usableFromInline var values = [Double](repeating: 0, count: 6)
    @usableFromInline var counts = [Int](repeating: 0, count: 6)

    public init(period: Int = 5, volumeFactor: Double = 0.7) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "t3")
        let v = try Check.real(volumeFactor, "vfactor", in: 0...1, of: "t3")
        self.volumeFactor = v
        k = 2.0 / (Double(period) + 1.0)
        oneMinusK = 1.0 - k
        let v2 = v * v
        c1 = -v2 * v
        c2 = 3.0 * (v2 - c1)
        c3 = -6.0 * v2 - 3.0 * (v - c1)
        c4 = 1.0 + 3.0 * v - c1 + 3.0 * v2
    }

    public var lookback: Int { 6 * (period - 1) }

    @inlinable
    public mutating func update(_ x: Double) -> Double {
        var input = x
        for stage in 0..<6 {
            counts[stage] += 1
            if counts[stage] > period {
                values[stage] = (k * input) + (oneMinusK * values[stage])
            } else {
                values[stage] += input
                guard counts[stage] == period else { return .nan }
                values[stage] /= Double(period)
            }
            input = values[stage]
        }
        return c1 * values[5] + c2 * values[4] + c3 * values[3] + c4 * values[2]
    }

    public static func compute(_ x: Column<Double>, period: Int = 5, volumeFactor: Double = 0.7) throws(IndicatorError) -> Column<Double> {
        var state = try T3(period: period, volumeFactor: volumeFactor)
        return Batch.map(x) { state.update($0) }
    }
}
