import Engine
import Execution

extension StrategySpec {
    /// How far a price lies from a reference price (the engine's `PriceDistance`).
    public typealias PriceDistance = Engine.PriceDistance
    /// How the orders of the entry (or exit) rules are placed (the engine's `OrderPlacement`).
    public typealias OrderPlacement = Engine.OrderPlacement

    /// Exits the engine manages for every trade a spec opens, besides the exit rules.
    ///
    /// Stop-loss and take-profit are measured from the entry's reference price: the limit or
    /// stop price of a priced entry, else the close of the bar that decided (the last price known
    /// when the order goes out, as a backtesting.py strategy writes `self.buy(sl=close·0.95)`).
    /// They become a bracket the broker attaches when the entry fills: both legs work from the
    /// entry bar on and cancel each other. A trailing stop starts from the entry's fill price and
    /// follows the most favourable price since; with a stop-loss as well, the tighter of the two
    /// holds. A trade open for ``maxBarsHeld`` bars (its entry bar included) is closed at the next
    /// open.
    public struct RiskRules: Sendable, Equatable {
        /// Distance of the stop-loss below a long entry (above a short one).
        public var stopLoss: PriceDistance?
        /// Distance of the take-profit above a long entry (below a short one).
        public var takeProfit: PriceDistance?
        /// Distance a trailing stop keeps from the most favourable price since entry.
        public var trailingStop: PriceDistance?
        /// The most bars a trade stays open: one opened at bar e is closed at market at the open of
        /// bar e + maxBarsHeld (≥ 1).
        public var maxBarsHeld: Int?

        public init(stopLoss: PriceDistance? = nil, takeProfit: PriceDistance? = nil, trailingStop: PriceDistance? = nil,
                    maxBarsHeld: Int? = nil) {
            self.stopLoss = stopLoss
            self.takeProfit = takeProfit
            self.trailingStop = trailingStop
            self.maxBarsHeld = maxBarsHeld
        }

        /// True when the spec has no risk rule.
        public var isEmpty: Bool { stopLoss == nil && takeProfit == nil && trailingStop == nil && maxBarsHeld == nil }
    }

    /// The order placement and protection the engine applies to every trade of this spec.
    public var orderRules: OrderRules {
        OrderRules(entryOrder: entryOrder, exitOrder: exitOrder, stopLoss: risk.stopLoss, takeProfit: risk.takeProfit,
                   trailingStop: risk.trailingStop)
    }
}

extension StrategySpec.RiskRules: CustomStringConvertible {
    /// `stop-loss 5%, take-profit 2×ATR(14), trailing stop 8%, at most 10 bars held`, or `none`.
    public var description: String {
        var parts: [String] = []
        if let stopLoss { parts.append("stop-loss \(stopLoss)") }
        if let takeProfit { parts.append("take-profit \(takeProfit)") }
        if let trailingStop { parts.append("trailing stop \(trailingStop)") }
        if let maxBarsHeld { parts.append("at most \(maxBarsHeld) bar\(maxBarsHeld == 1 ? "" : "s") held") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
