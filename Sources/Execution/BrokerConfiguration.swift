/// Account and market-simulation settings for one backtest.
///
/// The defaults reproduce backtesting.py 0.6.6's `Backtest` defaults except cash; see
/// ``backtestingPy(cash:commission:spread:exclusiveOrders:finalizeTrades:)``.
public struct BrokerConfiguration: Sendable {
    /// Starting cash; must be positive.
    public var cash: Double
    /// Charged on every fill (entry and exit).
    public var commission: Commission
    /// Relative bid-ask spread: a buy fills at `price·(1 + spread)`, a sell at `price·(1 − spread)`,
    /// on the entering side only (backtesting.py's `spread`).
    public var spread: Double
    /// Initial margin requirement in (0, 1]; leverage is `1 / margin`.
    public var margin: Double
    /// Keep long and short trades of one instrument side by side instead of netting (FIFO).
    public var hedging: Bool
    /// Every new order first cancels working entry orders and closes all open trades.
    public var exclusiveOrders: Bool
    /// Close the trades still open after the last bar (at its open) so they count in the statistics.
    public var finalizeTrades: Bool
    /// Quantities are rounded down to a multiple of this (1 = whole units).
    public var lotSize: Double

    public init(cash: Double = 10_000, commission: Commission = .none, spread: Double = 0, margin: Double = 1,
                hedging: Bool = false, exclusiveOrders: Bool = false, finalizeTrades: Bool = false,
                lotSize: Double = 1) {
        self.cash = cash
        self.commission = commission
        self.spread = spread
        self.margin = margin
        self.hedging = hedging
        self.exclusiveOrders = exclusiveOrders
        self.finalizeTrades = finalizeTrades
        self.lotSize = lotSize
    }

    /// backtesting.py 0.6.6's semantics: fills at the next open, commission as a fraction of the
    /// traded value on entry and on exit, whole units, unsized orders take `1 − 2⁻⁵²` of the
    /// available margin, spread on the entering side, FIFO netting.
    public static func backtestingPy(cash: Double = 10_000, commission: Double = 0, spread: Double = 0,
                                     exclusiveOrders: Bool = false, finalizeTrades: Bool = false) -> Self {
        BrokerConfiguration(cash: cash, commission: commission == 0 ? .none : .relative(rate: commission),
                            spread: spread, exclusiveOrders: exclusiveOrders, finalizeTrades: finalizeTrades)
    }

    /// Checks every setting, naming the first that is out of range.
    public func validate() throws(ConfigurationError) {
        guard cash.isFinite, cash > 0 else { throw ConfigurationError(setting: "cash", "must be a positive number, is \(cash)") }
        guard spread.isFinite, spread >= 0, spread < 1 else {
            throw ConfigurationError(setting: "spread", "must be in [0, 1), is \(spread)")
        }
        guard margin.isFinite, margin > 0, margin <= 1 else {
            throw ConfigurationError(setting: "margin", "must be in (0, 1], is \(margin)")
        }
        guard lotSize.isFinite, lotSize > 0 else {
            throw ConfigurationError(setting: "lotSize", "must be a positive number, is \(lotSize)")
        }
        if case .relative(let rate, let fixed) = commission {
            guard rate.isFinite, rate >= -0.1, rate < 0.1 else {
                throw ConfigurationError(setting: "commission", "rate must be in [-0.1, 0.1), is \(rate)")
            }
            guard fixed.isFinite, fixed >= 0 else {
                throw ConfigurationError(setting: "commission", "fixed part must be a non-negative number, is \(fixed)")
            }
        }
    }
}

/// A broker setting out of range.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var setting: String
    public var message: String
    public init(setting: String, _ message: String) {
        self.setting = setting
        self.message = message
    }
    public var description: String { "\(setting) \(message)" }
}
