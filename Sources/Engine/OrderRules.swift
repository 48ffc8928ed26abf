import Execution
import Indicators

/// How far a price lies from a reference price: a stop-loss from the entry, a limit from the
/// close that decided it.
public enum PriceDistance: Sendable, Equatable {
    /// A percentage of the reference price, in (0, 100): `percent(5)` puts a long's stop-loss at
    /// `reference·(1 − 0.05)`.
    case percent(Double)
    /// A distance in price units, > 0.
    case amount(Double)
    /// A multiple (> 0) of TA-Lib's ATR over `period` bars (default 14), read at the bar that
    /// decided. The ATR counts toward the warm-up like any indicator.
    case atr(multiple: Double, period: Int)

    /// The price `self` away from `reference`, above it (`sign` +1) or below it (−1):
    /// `reference·(1 ± p/100)` for a percentage (the form backtesting.py strategies write),
    /// `reference ± distance` otherwise, with `atr` the ATR at the deciding bar.
    public func price(from reference: Double, sign: Double, atr: Double) -> Double {
        switch self {
        case .percent(let p): return reference * (1 + sign * (p / 100))
        case .amount(let distance): return reference + sign * distance
        case .atr(let multiple, _): return reference + sign * multiple * atr
        }
    }

    /// The ATR period this distance reads, if any.
    public var atrPeriod: Int? {
        if case .atr(_, let period) = self { return period }
        return nil
    }

    /// The ATR period of an `atr` distance that gives none.
    public static let defaultATRPeriod = 14

    /// Why this distance cannot be used, or nil: the key of the value at fault (`percent`,
    /// `amount`, `atr` for the multiple, `period`) and what is wrong with it. A percentage must lie
    /// in (0, 100), an amount and a multiple must be positive and finite, a period one TA-Lib's
    /// ATR accepts.
    public var validationProblem: (key: String, message: String)? {
        switch self {
        case .percent(let p):
            guard p.isFinite, p > 0, p < 100 else { return ("percent", "must be in (0, 100), is \(p)") }
        case .amount(let d):
            guard d.isFinite, d > 0 else { return ("amount", "must be a positive price distance, is \(d)") }
        case .atr(let multiple, let period):
            guard multiple.isFinite, multiple > 0 else { return ("atr", "must be a positive multiple, is \(multiple)") }
            do { _ = try ATR(period: period) } catch { return ("period", error.description) }
        }
        return nil
    }
}

/// How the orders of the entry (or exit) rules are placed.
///
/// A priced order sits `offset` from the close of the bar that decided: an entry limit on the
/// better side (below it for a buy), an entry stop on the worse side (above it for a buy, a
/// breakout), and likewise for exits (a long's exit limit above the close, its exit stop below).
/// It works for ``validBars`` bars after the deciding bar and is then cancelled; while it works
/// the rule that placed it is not acted on again.
public struct OrderPlacement: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case market, limit, stop
    }

    public var kind: Kind
    /// Required for a limit or stop; nil for a market order.
    public var offset: PriceDistance?
    /// Bars a limit or stop works after the deciding bar (≥ 1; latency counts against it).
    public var validBars: Int

    public init(kind: Kind = .market, offset: PriceDistance? = nil, validBars: Int = 1) {
        self.kind = kind
        self.offset = offset
        self.validBars = validBars
    }

    /// A market order at the next open.
    public static let market = OrderPlacement()

    /// The engine's order type for a placement on `side` decided at `reference`: market, or a
    /// limit or stop `offset` away on the side the kind calls for.
    public func orderType(side: OrderSide, reference: Double, atr: Double) -> OrderType {
        guard let offset, kind != .market else { return .market }
        // A buy limit lies below the reference, a buy stop above; a sell the other way round.
        let sign = (kind == .limit ? -1.0 : 1.0) * side.sign
        let price = offset.price(from: reference, sign: sign, atr: atr)
        return kind == .limit ? .limit(price) : .stop(price)
    }
}

/// How a rule-driven strategy (``RuleStrategy``, and through it a strategy spec) places its
/// orders and protects its trades, beyond "market order at the next open".
///
/// Stop-loss and take-profit are measured from the entry's reference price: the limit or stop
/// price of a priced entry, else the close of the bar that decided (the last price known when the
/// order goes out, as a backtesting.py strategy writes `self.buy(sl=close·0.95)`). They become a
/// bracket the broker attaches when the entry fills: both legs work from the entry bar on and
/// cancel each other. A trailing stop starts from the entry's fill price and follows the most
/// favourable price since; with a stop-loss as well, the tighter of the two holds.
///
/// An entry whose bracket or price cannot be placed (an ATR of 0 makes the stop-loss the entry
/// price; a distance larger than the price makes it negative; a take-profit nearer than the
/// spread lies behind the price paid; an ATR still in its warm-up) is not placed.
public struct OrderRules: Sendable, Equatable {
    /// How entries are placed: at market, or as a limit or stop working for a few bars.
    public var entryOrder: OrderPlacement
    /// How rule exits are placed. Reversals and holding-limit exits are always at market.
    public var exitOrder: OrderPlacement
    /// Distance of the stop-loss below a long entry (above a short one).
    public var stopLoss: PriceDistance?
    /// Distance of the take-profit above a long entry (below a short one).
    public var takeProfit: PriceDistance?
    /// Distance a trailing stop keeps from the most favourable price since entry.
    public var trailingStop: PriceDistance?

    public init(entryOrder: OrderPlacement = .market, exitOrder: OrderPlacement = .market, stopLoss: PriceDistance? = nil,
                takeProfit: PriceDistance? = nil, trailingStop: PriceDistance? = nil) {
        self.entryOrder = entryOrder
        self.exitOrder = exitOrder
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.trailingStop = trailingStop
    }

    /// True when every order is a market order and no trade carries a bracket.
    public var isMarketOnly: Bool {
        entryOrder.kind == .market && exitOrder.kind == .market && stopLoss == nil && takeProfit == nil && trailingStop == nil
    }

    /// The ATR periods the distances read, ascending.
    public var atrPeriods: [Int] {
        let distances = [stopLoss, takeProfit, trailingStop, entryOrder.offset, exitOrder.offset]
        return Array(Set(distances.compactMap { $0?.atrPeriod })).sorted()
    }

    /// Why these rules cannot be used, or nil: a priced placement without an offset or with fewer
    /// than one valid bar, or a distance with a ``PriceDistance/validationProblem``.
    public var validationProblem: String? {
        for (name, placement) in [("entryOrder", entryOrder), ("exitOrder", exitOrder)] where placement.kind != .market {
            guard placement.offset != nil else { return "\(name): a \(placement.kind.rawValue) order needs an offset" }
            guard placement.validBars >= 1 else { return "\(name): validBars must be at least 1, is \(placement.validBars)" }
        }
        let distances = [("stopLoss", stopLoss), ("takeProfit", takeProfit), ("trailingStop", trailingStop),
                         ("entryOrder.offset", entryOrder.offset), ("exitOrder.offset", exitOrder.offset)]
        for case let (name, distance?) in distances {
            if let (key, message) = distance.validationProblem { return "\(name).\(key) \(message)" }
        }
        return nil
    }
}

extension PriceDistance: CustomStringConvertible {
    /// `5%`, `2.5` (price units) or `2×ATR(14)`.
    public var description: String {
        switch self {
        case .percent(let p): return "\(Self.number(p))%"
        case .amount(let d): return Self.number(d)
        case .atr(let multiple, let period): return "\(Self.number(multiple))×ATR(\(period))"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

extension OrderPlacement: CustomStringConvertible {
    /// `market`, or `limit 1% from the close, 3 bars`.
    public var description: String {
        guard kind != .market, let offset else { return "market" }
        return "\(kind.rawValue) \(offset) from the close, \(validBars) bar\(validBars == 1 ? "" : "s")"
    }
}
