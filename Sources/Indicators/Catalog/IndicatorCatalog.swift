import ColumnStore

/// A bar field an indicator reads.
public enum InputField: String, Sendable {
    case open, high, low, close, volume
}

/// One parameter of an indicator: TA-Lib's name, default and kind.
public struct IndicatorParameter: Sendable {
    public var name: String
    public var defaultValue: Double
    public var isInteger: Bool
}

/// Everything the CLI and the parity tests need to know about one indicator.
public struct IndicatorDefinition: Sendable {
    /// TA-Lib's function name in lower case (or the Colonnade name for non-TA-Lib ones).
    public let name: String
    public let summary: String
    public let inputs: [InputField]
    public let parameters: [IndicatorParameter]
    /// Output names in TA-Lib's order, lower case; `["real"]` for single-output functions.
    public let outputs: [String]
    /// Whether TA-Lib has this function (the parity tests cover exactly these).
    public let isTALib: Bool
    let compute: @Sendable ([Column<Double>], [Double]) throws(IndicatorError) -> [Column<Double>]

    /// Runs the indicator on `series` with the given parameters (missing trailing ones take defaults).
    ///
    /// - Throws: ``IndicatorError`` for too many parameters, a non-integer where a period is
    ///   expected, a value outside its range, or a needed field the series lacks (all-NaN volume).
    public func evaluate(on series: BarSeries, parameters given: [Double] = []) throws(IndicatorError) -> [Column<Double>] {
        let values = try resolvedParameters(given)
        let columns = try inputs.map { field throws(IndicatorError) -> Column<Double> in
            let column = series.column(named: field.rawValue)!
            if field == .volume && !column.isEmpty && column.allSatisfy(\.isNaN) {
                throw IndicatorError(name, .missingInput("volume"))
            }
            return column
        }
        return try compute(columns, values)
    }

    /// Runs the indicator on any columns standing in for its ``inputs`` (in that order), e.g. an
    /// SMA of an RSI: leading NaNs are skipped as for bar fields.
    ///
    /// - Throws: ``IndicatorError`` for a wrong number of inputs, inputs of different lengths, or
    ///   parameters ``resolvedParameters(_:)`` refuses.
    public func evaluate(inputs columns: [Column<Double>], parameters given: [Double] = []) throws(IndicatorError) -> [Column<Double>] {
        guard columns.count == inputs.count else {
            throw IndicatorError(name, .wrongInputCount(expected: inputs.count, found: columns.count))
        }
        return try compute(columns, try resolvedParameters(given))
    }

    /// The full parameter list for `given`: missing trailing parameters take their defaults, and
    /// every value is checked against its range, so a call that passes here cannot fail later for
    /// its parameters.
    ///
    /// - Throws: ``IndicatorError`` for too many parameters, a non-integer where a period is
    ///   expected, or a value outside its range.
    public func resolvedParameters(_ given: [Double]) throws(IndicatorError) -> [Double] {
        guard given.count <= parameters.count else {
            throw IndicatorError(name, .wrongParameterCount(expected: 0...parameters.count, found: given.count))
        }
        var values = parameters.map(\.defaultValue)
        for (i, value) in given.enumerated() {
            if parameters[i].isInteger {
                guard value == value.rounded(), Swift.abs(value) <= 1e9 else {
                    throw IndicatorError(name, .notAnInteger(parameter: parameters[i].name, value: value))
                }
            }
            values[i] = value
        }
        // The kernels check their ranges when they are built; building them on no bars runs
        // exactly those checks and nothing else.
        let empty = Column<Double>()
        _ = try compute(Array(repeating: empty, count: inputs.count), values)
        return values
    }
}

/// The indicators Colonnade knows, by name.
public enum IndicatorCatalog {
    /// Looks up a definition by its lower-case name.
    /// - Throws: ``IndicatorError/Kind/unknownIndicator(_:)``.
    public static func definition(named name: String) throws(IndicatorError) -> IndicatorDefinition {
        guard let definition = byName[name.lowercased()] else { throw IndicatorError("", .unknownIndicator(name)) }
        return definition
    }

    /// Evaluates a parsed spec: one `(output name, values)` pair per output, in TA-Lib's order.
    public static func evaluate(_ spec: IndicatorSpec, on series: BarSeries) throws(IndicatorError) -> [(output: String, values: Column<Double>)] {
        let definition = try definition(named: spec.name)
        let columns = try definition.evaluate(on: series, parameters: spec.parameters)
        return Array(zip(definition.outputs, columns)).map { ($0.0, $0.1) }
    }

    static let byName: [String: IndicatorDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    // Helpers keep each entry on one line: p = integer period, r = real parameter.
    private static func p(_ name: String, _ value: Int) -> IndicatorParameter { IndicatorParameter(name: name, defaultValue: Double(value), isInteger: true) }
    private static func r(_ name: String, _ value: Double) -> IndicatorParameter { IndicatorParameter(name: name, defaultValue: value, isInteger: false) }
    private static func def(_ name: String, _ summary: String, _ inputs: [InputField], _ parameters: [IndicatorParameter],
                            _ outputs: [String] = ["real"], talib: Bool = true,
                            _ compute: @escaping @Sendable ([Column<Double>], [Double]) throws(IndicatorError) -> [Column<Double>]) -> IndicatorDefinition {
        IndicatorDefinition(name: name, summary: summary, inputs: inputs, parameters: parameters, outputs: outputs, isTALib: talib, compute: compute)
    }

    /// Every indicator, in documentation order.
    public static let all: [IndicatorDefinition] = [
        // Overlap studies
        def("sma", "Simple moving average", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try SMA.compute(c[0], period: Int(v[0]))] },
        def("ema", "Exponential moving average", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try EMA.compute(c[0], period: Int(v[0]))] },
        def("wma", "Weighted moving average", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try WMA.compute(c[0], period: Int(v[0]))] },
        def("dema", "Double exponential moving average", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try DEMA.compute(c[0], period: Int(v[0]))] },
        def("tema", "Triple exponential moving average", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try TEMA.compute(c[0], period: Int(v[0]))] },
        def("trima", "Triangular moving average", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try TRIMA.compute(c[0], period: Int(v[0]))] },
        def("kama", "Kaufman adaptive moving average", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try KAMA.compute(c[0], period: Int(v[0]))] },
        def("t3", "Tillson T3 moving average", [.close], [p("timeperiod", 5), r("vfactor", 0.7)]) { c, v throws(IndicatorError) in
            [try T3.compute(c[0], period: Int(v[0]), volumeFactor: v[1])] },
        def("bbands", "Bollinger bands", [.close], [p("timeperiod", 20), r("nbdevup", 2), r("nbdevdn", 2)], ["upperband", "middleband", "lowerband"]) { c, v throws(IndicatorError) in
            let b = try BBANDS.compute(c[0], period: Int(v[0]), up: v[1], down: v[2]); return [b.upper, b.middle, b.lower] },
        def("midpoint", "Midpoint over period", [.close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in [try MIDPOINT.compute(c[0], period: Int(v[0]))] },
        def("midprice", "Midpoint price over period", [.high, .low], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try MIDPRICE.compute(high: c[0], low: c[1], period: Int(v[0]))] },
        def("sar", "Parabolic SAR", [.high, .low], [r("acceleration", 0.02), r("maximum", 0.2)]) { c, v throws(IndicatorError) in
            [try SAR.compute(high: c[0], low: c[1], acceleration: v[0], maximum: v[1])] },
        // Momentum
        def("rsi", "Relative strength index", [.close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in [try RSI.compute(c[0], period: Int(v[0]))] },
        def("macd", "Moving average convergence/divergence", [.close], [p("fastperiod", 12), p("slowperiod", 26), p("signalperiod", 9)],
            ["macd", "macdsignal", "macdhist"]) { c, v throws(IndicatorError) in
            let m = try MACD.compute(c[0], fastPeriod: Int(v[0]), slowPeriod: Int(v[1]), signalPeriod: Int(v[2])); return [m.macd, m.signal, m.histogram] },
        def("stoch", "Slow stochastic", [.high, .low, .close], [p("fastk_period", 5), p("slowk_period", 3), p("slowd_period", 3)], ["slowk", "slowd"]) { c, v throws(IndicatorError) in
            let s = try STOCH.compute(high: c[0], low: c[1], close: c[2], fastKPeriod: Int(v[0]), slowKPeriod: Int(v[1]), slowDPeriod: Int(v[2]))
            return [s.slowK, s.slowD] },
        def("stochf", "Fast stochastic", [.high, .low, .close], [p("fastk_period", 5), p("fastd_period", 3)], ["fastk", "fastd"]) { c, v throws(IndicatorError) in
            let s = try STOCHF.compute(high: c[0], low: c[1], close: c[2], fastKPeriod: Int(v[0]), fastDPeriod: Int(v[1])); return [s.fastK, s.fastD] },
        def("stochrsi", "Stochastic RSI", [.close], [p("timeperiod", 14), p("fastk_period", 5), p("fastd_period", 3)], ["fastk", "fastd"]) { c, v throws(IndicatorError) in
            let s = try STOCHRSI.compute(c[0], period: Int(v[0]), fastKPeriod: Int(v[1]), fastDPeriod: Int(v[2])); return [s.fastK, s.fastD] },
        def("adx", "Average directional index", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try ADX.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("adxr", "Average directional movement rating", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try ADXR.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("plus_di", "Plus directional indicator", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try PLUS_DI.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("minus_di", "Minus directional indicator", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try MINUS_DI.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("dx", "Directional movement index", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try DX.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("cci", "Commodity channel index", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try CCI.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("willr", "Williams' %R", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try WILLR.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("mfi", "Money flow index", [.high, .low, .close, .volume], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try MFI.compute(high: c[0], low: c[1], close: c[2], volume: c[3], period: Int(v[0]))] },
        def("roc", "Rate of change, percent", [.close], [p("timeperiod", 10)]) { c, v throws(IndicatorError) in [try ROC.compute(c[0], period: Int(v[0]))] },
        def("rocp", "Rate of change, fraction", [.close], [p("timeperiod", 10)]) { c, v throws(IndicatorError) in [try ROCP.compute(c[0], period: Int(v[0]))] },
        def("mom", "Momentum", [.close], [p("timeperiod", 10)]) { c, v throws(IndicatorError) in [try MOM.compute(c[0], period: Int(v[0]))] },
        def("cmo", "Chande momentum oscillator", [.close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in [try CMO.compute(c[0], period: Int(v[0]))] },
        def("ppo", "Percentage price oscillator", [.close], [p("fastperiod", 12), p("slowperiod", 26)]) { c, v throws(IndicatorError) in
            [try PPO.compute(c[0], fastPeriod: Int(v[0]), slowPeriod: Int(v[1]))] },
        def("apo", "Absolute price oscillator", [.close], [p("fastperiod", 12), p("slowperiod", 26)]) { c, v throws(IndicatorError) in
            [try APO.compute(c[0], fastPeriod: Int(v[0]), slowPeriod: Int(v[1]))] },
        def("trix", "1-bar rate of change of a triple EMA", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try TRIX.compute(c[0], period: Int(v[0]))] },
        def("ultosc", "Ultimate oscillator", [.high, .low, .close], [p("timeperiod1", 7), p("timeperiod2", 14), p("timeperiod3", 28)]) { c, v throws(IndicatorError) in
            [try ULTOSC.compute(high: c[0], low: c[1], close: c[2], period1: Int(v[0]), period2: Int(v[1]), period3: Int(v[2]))] },
        def("aroon", "Aroon", [.high, .low], [p("timeperiod", 14)], ["aroondown", "aroonup"]) { c, v throws(IndicatorError) in
            let a = try AROON.compute(high: c[0], low: c[1], period: Int(v[0])); return [a.down, a.up] },
        def("aroonosc", "Aroon oscillator", [.high, .low], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try AROONOSC.compute(high: c[0], low: c[1], period: Int(v[0]))] },
        def("bop", "Balance of power", [.open, .high, .low, .close], []) { c, _ throws(IndicatorError) in
            [try BOP.compute(open: c[0], high: c[1], low: c[2], close: c[3])] },
        // Volatility
        def("atr", "Average true range", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try ATR.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("natr", "Normalized average true range", [.high, .low, .close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try NATR.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]))] },
        def("trange", "True range", [.high, .low, .close], []) { c, _ throws(IndicatorError) in [try TRANGE.compute(high: c[0], low: c[1], close: c[2])] },
        // Volume
        def("obv", "On-balance volume", [.close, .volume], []) { c, _ throws(IndicatorError) in [try OBV.compute(price: c[0], volume: c[1])] },
        def("ad", "Chaikin accumulation/distribution line", [.high, .low, .close, .volume], []) { c, _ throws(IndicatorError) in
            [try AD.compute(high: c[0], low: c[1], close: c[2], volume: c[3])] },
        def("adosc", "Chaikin oscillator", [.high, .low, .close, .volume], [p("fastperiod", 3), p("slowperiod", 10)]) { c, v throws(IndicatorError) in
            [try ADOSC.compute(high: c[0], low: c[1], close: c[2], volume: c[3], fastPeriod: Int(v[0]), slowPeriod: Int(v[1]))] },
        // Statistics
        def("stddev", "Standard deviation", [.close], [p("timeperiod", 5), r("nbdev", 1)]) { c, v throws(IndicatorError) in
            [try STDDEV.compute(c[0], period: Int(v[0]), deviations: v[1])] },
        def("var", "Variance", [.close], [p("timeperiod", 5)]) { c, v throws(IndicatorError) in [try VAR.compute(c[0], period: Int(v[0]))] },
        def("linearreg", "Linear regression value", [.close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try LinearRegression.compute(c[0], period: Int(v[0]), indicator: "linearreg", slope: false)] },
        def("linearreg_slope", "Linear regression slope", [.close], [p("timeperiod", 14)]) { c, v throws(IndicatorError) in
            [try LinearRegression.compute(c[0], period: Int(v[0]), indicator: "linearreg_slope", slope: true)] },
        def("max", "Highest value over period", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try MAX.compute(c[0], period: Int(v[0]))] },
        def("min", "Lowest value over period", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try MIN.compute(c[0], period: Int(v[0]))] },
        def("sum", "Sum over period", [.close], [p("timeperiod", 30)]) { c, v throws(IndicatorError) in [try SUM.compute(c[0], period: Int(v[0]))] },
        // Not in TA-Lib
        def("vwap", "Rolling volume-weighted average price", [.high, .low, .close, .volume], [p("timeperiod", 20)], talib: false) { c, v throws(IndicatorError) in
            [try VWAP.compute(high: c[0], low: c[1], close: c[2], volume: c[3], period: Int(v[0]))] },
        def("donchian", "Donchian channel", [.high, .low], [p("timeperiod", 20)], ["upper", "middle", "lower"], talib: false) { c, v throws(IndicatorError) in
            let d = try Donchian.compute(high: c[0], low: c[1], period: Int(v[0])); return [d.upper, d.middle, d.lower] },
        def("keltner", "Keltner channel (EMA ± k·ATR)", [.high, .low, .close], [p("timeperiod", 20), r("multiplier", 2), p("atrperiod", 10)],
            ["upper", "middle", "lower"], talib: false) { c, v throws(IndicatorError) in
            let k = try Keltner.compute(high: c[0], low: c[1], close: c[2], period: Int(v[0]), multiplier: v[1], atrPeriod: Int(v[2]))
            return [k.upper, k.middle, k.lower] },
    ]
}
