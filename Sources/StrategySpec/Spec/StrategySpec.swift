import Engine
import Execution

/// A trading strategy as data: a versioned JSON document that names its parameters, its
/// indicators and its entry and exit rules as expressions, its sizing and its execution settings.
///
/// A spec can only compute on the columns of the bars it is given (see ``ExpressionPlan``): it
/// is safe to run whatever its author wrote. The document is described in docs/spec.md, with a
/// JSON Schema in docs/strategy-spec.schema.json.
///
/// Rule semantics:
/// - An entry rule is acted on only when flat in its direction, an exit rule only while in a
///   position (no pyramiding). A short entry while long reverses the position, and so does a long
///   entry while short.
/// - A rule that holds at bar t acts at the open of bar t + 1 (plus the configured latency).
/// - The first decision is made one bar after every indicator the spec declares or its rules use has a value
///   (``PlanValues/warmUpBars``), as backtesting.py starts its `next()`.
/// - The default size is backtesting.py's unsized order: all of the available margin, in whole
///   units under the `backtesting-py` profile.
public struct StrategySpec: Sendable, Equatable {
    /// The document version this Colonnade reads and writes.
    public static let currentVersion = 1

    /// A named, tunable constant of the rules (the optimizer's search space).
    public struct Parameter: Sendable, Equatable {
        /// A short name for lists and reports.
        public var name: String
        public var defaultValue: Double
        public var minimum: Double?
        public var maximum: Double?
        /// The grid step an optimizer should use, if any.
        public var step: Double?
        /// Whether only whole numbers are allowed (periods).
        public var isInteger: Bool

        public init(name: String, default defaultValue: Double, minimum: Double? = nil, maximum: Double? = nil,
                    step: Double? = nil, isInteger: Bool = false) {
            self.name = name
            self.defaultValue = defaultValue
            self.minimum = minimum
            self.maximum = maximum
            self.step = step
            self.isInteger = isInteger
        }
    }

    /// An expression with a name the rules can use.
    public struct Definition: Sendable, Equatable {
        public var name: String
        /// The expression, in the language of docs/expressions.md.
        public var expression: String

        public init(name: String, expression: String) {
            self.name = name
            self.expression = expression
        }
    }

    /// When to enter and leave one side.
    public struct Rules: Sendable, Equatable {
        /// A condition; acted on when flat on this side.
        public var entry: String
        /// A condition; acted on while in a position on this side. Without one, the position is
        /// held until the other side's entry reverses it or the data ends.
        public var exit: String?

        public init(entry: String, exit: String? = nil) {
            self.entry = entry
            self.exit = exit
        }
    }

    /// How large each entry is.
    public enum Sizing: Sendable, Equatable {
        /// All of the available margin (backtesting.py's unsized order); on K instruments sharing
        /// one account, 1/K of it per entry.
        case allIn
        /// A fixed quantity.
        case units(Double)
        /// A fixed amount of cash at the fill price.
        case notional(Double)
        /// A percentage (0 < p ≤ 100) of equity at the fill.
        case percentOfEquity(Double)
        /// As many units as lose a percentage (0 < p ≤ 100) of equity if the stop-loss is hit:
        /// `⌊equity·p/100 / |fill − stop|⌋` lots. Needs ``RiskRules/stopLoss``.
        case riskPercent(Double)

        /// The engine's size; a risk size needs the stop-loss price of the order.
        public func sizeType(stopLoss: Double? = nil) -> SizeType {
            switch self {
            case .allIn: return .allIn
            case .units(let quantity): return .units(quantity)
            case .notional(let amount): return .notional(amount)
            case .percentOfEquity(let percent): return .equityFraction(percent / 100)
            case .riskPercent(let percent): return .risk(fraction: percent / 100, stopPrice: stopLoss ?? .nan)
            }
        }

        /// The sizing's name in JSON.
        var typeName: String {
            switch self {
            case .allIn: return "allIn"
            case .units: return "units"
            case .notional: return "notional"
            case .percentOfEquity: return "percentOfEquity"
            case .riskPercent: return "riskPercent"
            }
        }
    }

    /// The schema version the document is written in (1).
    public var version: Int
    public var name: String
    /// What the strategy does, in words.
    public var description: String
    /// Symbols the strategy is meant for (informative; the data given to a run decides).
    public var symbols: [String]
    /// The bar timeframe the strategy is meant for, e.g. `1d` (informative).
    public var timeframe: String?
    /// Extra data columns the rules read besides open, high, low, close and volume.
    public var columns: [String]
    /// Named numbers the expressions use, with defaults and the ranges a run or a sweep may set.
    public var parameters: [Parameter]
    /// Named expressions, in order: each may use the ones before it.
    public var indicators: [Definition]
    /// When to enter and exit long positions; nil for a short-only strategy.
    public var long: Rules?
    /// When to enter and exit short positions; nil for a long-only strategy.
    public var short: Rules?
    /// How big each entry is (all available equity by default, as backtesting.py).
    public var sizing: Sizing
    /// Stop-loss, take-profit, trailing stop and holding limit for every trade.
    public var risk: RiskRules
    /// How entry orders are placed (market by default).
    public var entryOrder: OrderPlacement
    /// How the exit rules' orders are placed (market by default). Reversals and time exits are
    /// always at market.
    public var exitOrder: OrderPlacement
    /// The profile and costs the spec was written for; the command line can override them.
    public var execution: ExecutionSettings

    public init(name: String, description: String = "", symbols: [String] = [], timeframe: String? = nil,
                columns: [String] = [], parameters: [Parameter] = [], indicators: [Definition] = [],
                long: Rules? = nil, short: Rules? = nil, sizing: Sizing = .allIn, risk: RiskRules = RiskRules(),
                entryOrder: OrderPlacement = .market, exitOrder: OrderPlacement = .market,
                execution: ExecutionSettings = ExecutionSettings()) {
        self.version = StrategySpec.currentVersion
        self.name = name
        self.description = description
        self.symbols = symbols
        self.timeframe = timeframe
        self.columns = columns
        self.parameters = parameters
        self.indicators = indicators
        self.long = long
        self.short = short
        self.sizing = sizing
        self.risk = risk
        self.entryOrder = entryOrder
        self.exitOrder = exitOrder
        self.execution = execution
    }
}
