import Execution

/// The built-in strategies by name, with their parameters: what `colonnade backtest --strategy`
/// runs. Documented in docs/strategies.md.
public enum BuiltInStrategy: Sendable {
    case smaCross(SMACross)
    case rules(RuleStrategy)

    /// One parameter of a built-in strategy.
    public struct Parameter: Sendable {
        public enum Kind: Sendable { case integer, number, choice([String]) }
        public var name: String
        public var kind: Kind
        public var defaultValue: String
        public var summary: String
    }

    /// A built-in strategy's name, summary and parameters.
    public struct Descriptor: Sendable {
        public var name: String
        public var summary: String
        public var parameters: [Parameter]
    }

    static let directionParameter = Parameter(name: "direction", kind: .choice(TradeDirection.allCases.map(\.rawValue)),
                                              defaultValue: "long-only", summary: "long-only or long-short")

    /// Every built-in strategy, in documentation order.
    public static let catalog: [Descriptor] = [
        Descriptor(name: "sma-cross", summary: "fast SMA of the close crossing the slow SMA", parameters: [
            Parameter(name: "fast", kind: .integer, defaultValue: "10", summary: "fast SMA period"),
            Parameter(name: "slow", kind: .integer, defaultValue: "20", summary: "slow SMA period"),
            directionParameter]),
        Descriptor(name: "rsi-reversal", summary: "RSI leaving oversold enters, leaving overbought exits", parameters: [
            Parameter(name: "period", kind: .integer, defaultValue: "14", summary: "RSI period"),
            Parameter(name: "lower", kind: .number, defaultValue: "30", summary: "oversold level"),
            Parameter(name: "upper", kind: .number, defaultValue: "70", summary: "overbought level"),
            directionParameter]),
        Descriptor(name: "macd-cross", summary: "MACD line crossing its signal line", parameters: [
            Parameter(name: "fast", kind: .integer, defaultValue: "12", summary: "fast EMA period"),
            Parameter(name: "slow", kind: .integer, defaultValue: "26", summary: "slow EMA period"),
            Parameter(name: "signal", kind: .integer, defaultValue: "9", summary: "signal EMA period"),
            directionParameter]),
        Descriptor(name: "bollinger-reversion", summary: "close crossing outside the Bollinger bands, back to the middle", parameters: [
            Parameter(name: "period", kind: .integer, defaultValue: "20", summary: "band period"),
            Parameter(name: "width", kind: .number, defaultValue: "2", summary: "standard deviations"),
            directionParameter]),
        Descriptor(name: "donchian-breakout", summary: "close breaking the previous N-bar high, exit below the M-bar low", parameters: [
            Parameter(name: "entry", kind: .integer, defaultValue: "20", summary: "entry channel bars"),
            Parameter(name: "exit", kind: .integer, defaultValue: "10", summary: "exit channel bars"),
            directionParameter]),
    ]

    /// The strategy `name` with `parameters` (text values, as given on the command line); missing
    /// parameters take their defaults.
    ///
    /// - Throws: ``StrategyParameterError`` naming an unknown strategy or parameter, a value that
    ///   is not of the parameter's kind, or a value out of range.
    public init(name: String, parameters: [String: String] = [:]) throws {
        guard let descriptor = Self.catalog.first(where: { $0.name == name }) else {
            throw StrategyParameterError(parameter: "strategy", "'\(name)' is not a built-in strategy (known: \(Self.catalog.map(\.name).joined(separator: ", ")))")
        }
        for key in parameters.keys.sorted() where !descriptor.parameters.contains(where: { $0.name == key }) {
            throw StrategyParameterError(parameter: key, "is not a parameter of \(name) (known: \(descriptor.parameters.map(\.name).joined(separator: ", ")))")
        }
        var values: [String: String] = [:]
        for p in descriptor.parameters {
            let text = parameters[p.name] ?? p.defaultValue
            switch p.kind {
            case .integer:
                guard Int(text) != nil else { throw StrategyParameterError(parameter: p.name, "must be a whole number, is '\(text)'") }
            case .number:
                guard let x = Double(text), x.isFinite else { throw StrategyParameterError(parameter: p.name, "must be a number, is '\(text)'") }
            case .choice(let options):
                guard options.contains(text) else {
                    throw StrategyParameterError(parameter: p.name, "must be one of \(options.joined(separator: ", ")), is '\(text)'")
                }
            }
            values[p.name] = text
        }
        func int(_ k: String) -> Int { Int(values[k]!)! }
        func number(_ k: String) -> Double { Double(values[k]!)! }
        let direction = TradeDirection(rawValue: values["direction"]!)!
        do {
            switch name {
            case "sma-cross": self = .smaCross(try SMACross(fast: int("fast"), slow: int("slow"), direction: direction))
            case "rsi-reversal":
                self = .rules(try .rsiReversal(period: int("period"), lower: number("lower"), upper: number("upper"), direction: direction))
            case "macd-cross":
                self = .rules(try .macdCross(fast: int("fast"), slow: int("slow"), signal: int("signal"), direction: direction))
            case "bollinger-reversion":
                self = .rules(try .bollingerReversion(period: int("period"), width: number("width"), direction: direction))
            default:
                self = .rules(try .donchianBreakout(entry: int("entry"), exit: int("exit"), direction: direction))
            }
        } catch let error as StrategyParameterError {
            throw error
        } catch {
            // Indicator parameter errors (a period out of range) name the indicator's own parameter.
            throw StrategyParameterError(parameter: name, "\(error)")
        }
    }

    /// Runs this strategy in `backtest`, specialized for its concrete type.
    public func run(in backtest: Backtest) throws(BacktestError) -> BacktestResult {
        switch self {
        case .smaCross(let s): return try backtest.run(s)
        case .rules(let s): return try backtest.run(s)
        }
    }
}
