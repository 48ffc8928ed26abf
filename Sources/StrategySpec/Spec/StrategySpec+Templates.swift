import Engine

extension StrategySpec {
    /// The names of the built-in strategies available as specs (`colonnade spec show NAME`).
    public static let templateNames = ["sma-cross", "rsi-reversal", "macd-cross", "bollinger-reversion", "donchian-breakout"]

    /// The built-in strategy `name` written as a spec; with `.longShort` it trades the short side
    /// too. Running it gives the built-in's trades (tested on the fixtures).
    ///
    /// - Throws: ``SpecError`` for an unknown name.
    public static func template(named name: String, direction: TradeDirection = .longOnly) throws(SpecError) -> StrategySpec {
        let shorts = direction == .longShort
        func period(_ name: String, _ value: Double, _ minimum: Double = 2) -> Parameter {
            Parameter(name: name, default: value, minimum: minimum, maximum: 1000, step: 1, isInteger: true)
        }
        switch name {
        case "sma-cross":
            return StrategySpec(
                name: name, description: "The fast SMA of the close crossing the slow one: buy on a cross above, sell on a cross below"
                    + (shorts ? " (and reverse to short)." : "."),
                parameters: [period("fast", 10), period("slow", 20)],
                indicators: [Definition(name: "fast_ma", expression: "sma(close, fast)"), Definition(name: "slow_ma", expression: "sma(close, slow)")],
                long: Rules(entry: "fast_ma crosses_above slow_ma", exit: "fast_ma crosses_below slow_ma"),
                short: shorts ? Rules(entry: "fast_ma crosses_below slow_ma", exit: "fast_ma crosses_above slow_ma") : nil)
        case "rsi-reversal":
            return StrategySpec(
                name: name, description: "RSI leaving oversold enters long, leaving overbought exits" + (shorts ? "; short the other way round." : "."),
                parameters: [period("period", 14), Parameter(name: "lower", default: 30, minimum: 0, maximum: 100),
                             Parameter(name: "upper", default: 70, minimum: 0, maximum: 100)],
                indicators: [Definition(name: "strength", expression: "rsi(close, period)")],
                long: Rules(entry: "strength crosses_above lower", exit: "strength crosses_below upper"),
                short: shorts ? Rules(entry: "strength crosses_below upper", exit: "strength crosses_above lower") : nil)
        case "macd-cross":
            return StrategySpec(
                name: name, description: "The MACD line crossing its signal line" + (shorts ? ", long above and short below." : ": long while above."),
                parameters: [period("fast", 12), period("slow", 26), period("signal", 9, 1)],
                indicators: [Definition(name: "m", expression: "macd(close, fast, slow, signal)")],
                long: Rules(entry: "m.macd crosses_above m.signal", exit: "m.macd crosses_below m.signal"),
                short: shorts ? Rules(entry: "m.macd crosses_below m.signal", exit: "m.macd crosses_above m.signal") : nil)
        case "bollinger-reversion":
            return StrategySpec(
                name: name, description: "The close crossing below the lower Bollinger band enters long, back above the middle band exits"
                    + (shorts ? "; above the upper band enters short, back below the middle covers." : "."),
                parameters: [period("period", 20), Parameter(name: "width", default: 2, minimum: 0.1, maximum: 10)],
                indicators: [Definition(name: "bands", expression: "bbands(close, period, width, width)")],
                long: Rules(entry: "close crosses_below bands.lower", exit: "close crosses_above bands.middle"),
                short: shorts ? Rules(entry: "close crosses_above bands.upper", exit: "close crosses_below bands.middle") : nil)
        case "donchian-breakout":
            return StrategySpec(
                name: name, description: "The close breaking above the highest high of the previous `entry` bars enters long, "
                    + "below the lowest low of the previous `exit` bars exits" + (shorts ? "; short and cover the other way round." : "."),
                parameters: [period("entry", 20), period("exit", 10)],
                long: Rules(entry: "close > highest(high, entry)[1]", exit: "close < lowest(low, exit)[1]"),
                short: shorts ? Rules(entry: "close < lowest(low, entry)[1]", exit: "close > highest(high, exit)[1]") : nil)
        default:
            throw SpecError(path: "template", .invalidValue("\"\(name)\" is not a built-in strategy (known: \(templateNames.joined(separator: ", ")))"))
        }
    }
}
