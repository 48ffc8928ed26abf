import ColumnStore

/// Double exponential moving average, TA-Lib `DEMA(real, timeperiod=30)`: `2·e1 - e2` where
/// `e1 = EMA(x)` and `e2 = EMA(e1)`, each stage seeded like ``EMA``. First value at `2(n-1)`.
public struct DEMA: Sendable {
    public let period: Int
    @usableFromInline var first: EMA
    @usableFromInline var second: EMA

    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "dema")
        first = EMA(period: period, k: emaFactor(period))
        second = first
    }

    public var lookback: Int { 2 * (period - 1) }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let e1 = first.step(x)
        guard first.count >= period else { return .nan }
        let e2 = second.step(e1)
        guard second.count >= period else { return .nan }
        return (2.0 * e1) - e2
    }

    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try DEMA(period: period)
        return Batch.map(x, &state) { $0.step($1) }
    }
}

/// Triple exponential moving average, TA-Lib `TEMA(real, timeperiod=30)`: `3·e1 - 3·e2 + e3`
/// over three chained ``EMA`` stages. First value at `3(n-1)`.
public struct TEMA: Sendable {
    public let period: Int
    @usableFromInline var first: EMA
    @usableFromInline var second: EMA
    @usableFromInline var third: EMA

    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "tema")
        first = EMA(period: period, k: emaFactor(period))
        second = first
        third = first
    }

    public var lookback: Int { 3 * (period - 1) }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let e1 = first.step(x)
        guard first.count >= period else { return .nan }
        let e2 = second.step(e1)
        guard second.count >= period else { return .nan }
        let e3 = third.step(e2)
        guard third.count >= period else { return .nan }
        return e3 + ((3.0 * e1) - (3.0 * e2))
    }

    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try TEMA(period: period)
        return Batch.map(x, &state) { $0.step($1) }
    }
}
