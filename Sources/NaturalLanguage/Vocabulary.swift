/// The indicators a description may name, the words for each, and their defaults.
struct IndicatorWords: Sendable {
    /// Word sequences that name it ("simple moving average", "sma"), longest tried first.
    var names: [[String]]
    /// The expression for given periods (inputs default to the close).
    var expression: @Sendable (_ periods: [Double], _ input: String) -> String
    /// How many periods it takes, and the defaults when none are given (nil: a period is required).
    var periodCount: Int
    var defaults: [Double]?
    /// What the defaults are, for the explanation.
    var defaultNote: String?
}

enum Vocabulary {
    static func format(_ value: Double) -> String {
        value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func periods(_ values: [Double]) -> String { values.map(format).joined(separator: ", ") }

    static let indicators: [IndicatorWords] = [
        IndicatorWords(names: [["simple", "moving", "average"], ["simple", "moving", "averages"], ["moving", "average"], ["moving", "averages"],
                               ["sma"], ["smas"], ["ma"], ["mas"]],
                       expression: { "sma(\($1), \(periods($0)))" }, periodCount: 1, defaults: nil, defaultNote: nil),
        IndicatorWords(names: [["exponential", "moving", "average"], ["exponential", "moving", "averages"], ["ema"], ["emas"]],
                       expression: { "ema(\($1), \(periods($0)))" }, periodCount: 1, defaults: nil, defaultNote: nil),
        IndicatorWords(names: [["weighted", "moving", "average"], ["wma"]],
                       expression: { "wma(\($1), \(periods($0)))" }, periodCount: 1, defaults: nil, defaultNote: nil),
        IndicatorWords(names: [["relative", "strength", "index"], ["rsi"]],
                       expression: { "rsi(\($1), \(periods($0)))" }, periodCount: 1, defaults: [14],
                       defaultNote: "RSI over 14 bars, TA-Lib's default"),
        IndicatorWords(names: [["average", "true", "range"], ["atr"]],
                       expression: { p, _ in "atr(\(periods(p)))" }, periodCount: 1, defaults: [14], defaultNote: "ATR over 14 bars, TA-Lib's default"),
        IndicatorWords(names: [["macd", "signal", "line"], ["macd", "signal"], ["signal", "line"]],
                       expression: { "macd(\($1), \(periods($0))).signal" }, periodCount: 3, defaults: [12, 26, 9],
                       defaultNote: "MACD 12, 26, 9, TA-Lib's default"),
        IndicatorWords(names: [["macd", "histogram"]],
                       expression: { "macd(\($1), \(periods($0))).hist" }, periodCount: 3, defaults: [12, 26, 9],
                       defaultNote: "MACD 12, 26, 9, TA-Lib's default"),
        IndicatorWords(names: [["macd", "line"], ["macd"]],
                       expression: { "macd(\($1), \(periods($0))).macd" }, periodCount: 3, defaults: [12, 26, 9],
                       defaultNote: "MACD 12, 26, 9, TA-Lib's default"),
        IndicatorWords(names: [["upper", "bollinger", "band"], ["bollinger", "upper", "band"], ["upper", "band"]],
                       expression: { "bbands(\($1), \(periods($0)), 2, 2).upper" }, periodCount: 1, defaults: [20],
                       defaultNote: "Bollinger Bands over 20 bars, 2 standard deviations"),
        IndicatorWords(names: [["lower", "bollinger", "band"], ["bollinger", "lower", "band"], ["lower", "band"]],
                       expression: { "bbands(\($1), \(periods($0)), 2, 2).lower" }, periodCount: 1, defaults: [20],
                       defaultNote: "Bollinger Bands over 20 bars, 2 standard deviations"),
        IndicatorWords(names: [["middle", "bollinger", "band"], ["bollinger", "middle", "band"], ["middle", "band"]],
                       expression: { "bbands(\($1), \(periods($0)), 2, 2).middle" }, periodCount: 1, defaults: [20],
                       defaultNote: "Bollinger Bands over 20 bars, 2 standard deviations"),
        IndicatorWords(names: [["average", "directional", "index"], ["adx"]],
                       expression: { p, _ in "adx(\(periods(p)))" }, periodCount: 1, defaults: [14], defaultNote: "ADX over 14 bars, TA-Lib's default"),
        IndicatorWords(names: [["commodity", "channel", "index"], ["cci"]],
                       expression: { p, _ in "cci(\(periods(p)))" }, periodCount: 1, defaults: [14], defaultNote: "CCI over 14 bars, TA-Lib's default"),
        IndicatorWords(names: [["rate", "of", "change"], ["roc"]],
                       expression: { "roc(\($1), \(periods($0)))" }, periodCount: 1, defaults: [10], defaultNote: "ROC over 10 bars, TA-Lib's default"),
        IndicatorWords(names: [["momentum"], ["mom"]],
                       expression: { "mom(\($1), \(periods($0)))" }, periodCount: 1, defaults: [10], defaultNote: "momentum over 10 bars, TA-Lib's default"),
    ]

    /// Words for the bar columns (after an article, which the reader has already taken).
    static let series: [([String], String)] = [
        (["closing", "price"], "close"), (["close", "price"], "close"), (["share", "price"], "close"), (["stock", "price"], "close"),
        (["stock"], "close"), (["price"], "close"), (["close"], "close"),
        (["opening", "price"], "open"), (["open"], "open"),
        (["high"], "high"), (["low"], "low"), (["volume"], "volume"), (["trading", "volume"], "volume"),
    ]

    /// Bars per unit of time, on daily bars.
    static let units: [String: Double] = [
        "day": 1, "days": 1, "bar": 1, "bars": 1, "period": 1, "periods": 1, "session": 1, "sessions": 1,
        "candle": 1, "candles": 1, "week": 5, "weeks": 5, "month": 21, "months": 21, "year": 252, "years": 252,
    ]
}
