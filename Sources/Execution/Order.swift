/// Identifies an order within one broker; assigned in submission order, starting at 1.
public struct OrderID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: OrderID, b: OrderID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "order \(rawValue)" }
}

/// What a strategy asks the broker to do. The broker turns it into an ``Order``.
public struct OrderRequest: Sendable, Hashable {
    /// The instrument's index in the backtest's instruments (0 for a single one).
    public var instrument: Int
    /// Buy or sell.
    public var side: OrderSide
    /// How much: units, notional, a fraction of equity or a risk budget.
    public var size: SizeType
    /// Market, limit, stop, stop-limit or trailing stop.
    public var type: OrderType
    /// Stop-loss price for the trade this order opens: a bracket leg submitted when it fills.
    public var stopLoss: Double?
    /// Take-profit price for the trade this order opens: a bracket leg submitted when it fills.
    public var takeProfit: Double?
    /// Makes the stop-loss leg of the trade this order opens a trailing stop, starting from the
    /// trade's fill price; with ``stopLoss`` as well, the leg's stop is the tighter of the two.
    public var trailingStop: TrailingOffset?
    /// A free label carried to the trade this order opens.
    public var tag: Int?
    /// How long the order works.
    public var timeInForce: TimeInForce

    public init(instrument: Int = 0, side: OrderSide, size: SizeType = .allIn, type: OrderType = .market,
                stopLoss: Double? = nil, takeProfit: Double? = nil, trailingStop: TrailingOffset? = nil, tag: Int? = nil,
                timeInForce: TimeInForce = .goodTillCancelled) {
        self.timeInForce = timeInForce
        self.trailingStop = trailingStop
        self.instrument = instrument
        self.side = side
        self.size = size
        self.type = type
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.tag = tag
    }
}

/// An order known to the broker.
///
/// Orders that close a trade (an explicit close, or a stop-loss or take-profit leg of a bracket)
/// name it in ``parentTrade``; the legs of one bracket cancel each other (one fills, the trade
/// closes, the other is cancelled).
public struct Order: Sendable, Hashable {
    /// What an order is for.
    public enum Role: Sendable, Hashable {
        /// Opens, adds to or (netting) reduces a position.
        case entry
        /// Closes (part of) one trade at market.
        case close
        /// The stop-loss leg of a trade's bracket.
        case stopLoss
        /// The take-profit leg of a trade's bracket.
        case takeProfit
    }

    // Stored properties in an order chosen for the layout (Swift lays them out as declared): the
    // eight-byte ones first, then each 17-byte enum followed by what fits in its padding. Optional
    // fields are stored with a sentinel for "none" (not NaN, which would break `==`). Orders are
    // copied into the history on every fill and a long run keeps tens of thousands: 216 bytes a
    // record instead of 256.

    /// The broker's identifier, in submission order.
    public let id: OrderID
    /// The instrument's index in the backtest's instruments (0 for a single one).
    public var instrument: Int
    /// The bar at which the strategy submitted the order.
    public var submittedBar: Int
    /// The first bar on which the order may fill: `submittedBar + 1`, later with latency.
    public var eligibleBar: Int
    /// Units filled so far (unsigned).
    public var filledQuantity: Double
    @usableFromInline var stopLossStorage = 0.0
    @usableFromInline var takeProfitStorage = 0.0
    @usableFromInline var tagStorage = Int.min
    @usableFromInline var parentTradeStorage = 0
    @usableFromInline var closedBarStorage = Int.min
    @usableFromInline var quantityStorage = -1.0
    @usableFromInline var trailingExtremeStorage = 0.0
    @usableFromInline var stopBoundStorage = 0.0
    @usableFromInline var ocoGroupStorage = 0
    /// How much: units, notional, a fraction of equity or a risk budget.
    public var size: SizeType
    /// Buy or sell.
    public var side: OrderSide
    /// Entry, close, or a bracket leg.
    public var role: Role
    /// The current type: a stop order whose stop has triggered becomes a market (or limit) order.
    public var type: OrderType
    /// Where the order is in its life: working, (partially) filled, cancelled, expired or rejected with a reason.
    public var status: OrderStatus
    /// How long the order works (GTC, DAY, IOC, FOK, GTD).
    public var timeInForce: TimeInForce
    /// The trailing stop-loss leg this entry attaches to its trade.
    public var trailingStop: TrailingOffset?

    /// The stop-loss price of the bracket leg this entry attaches to its trade (a positive price;
    /// nil when there is none).
    @inlinable public var stopLoss: Double? {
        get { stopLossStorage == 0 ? nil : stopLossStorage }
        set { stopLossStorage = newValue ?? 0 }
    }
    /// The take-profit price of the bracket leg this entry attaches to its trade (a positive
    /// price; nil when there is none).
    @inlinable public var takeProfit: Double? {
        get { takeProfitStorage == 0 ? nil : takeProfitStorage }
        set { takeProfitStorage = newValue ?? 0 }
    }
    /// The strategy's free label, carried to the trade (`Int.min` is taken to mean none).
    @inlinable public var tag: Int? {
        get { tagStorage == .min ? nil : tagStorage }
        set { tagStorage = newValue ?? .min }
    }
    /// The trade a close order or bracket leg closes; nil for an entry.
    @inlinable public var parentTrade: TradeID? {
        get { parentTradeStorage == 0 ? nil : TradeID(rawValue: parentTradeStorage) }
        set { parentTradeStorage = newValue?.rawValue ?? 0 }
    }

    /// The bar at which the order left the book (filled, cancelled, expired or rejected).
    @inlinable public var closedBar: Int? {
        get { closedBarStorage == .min ? nil : closedBarStorage }
        set { closedBarStorage = newValue ?? .min }
    }
    /// The whole quantity in units (unsigned), fixed at the order's first fill (a relative size is
    /// resolved then); nil before.
    @inlinable public var quantity: Double? {
        get { quantityStorage < 0 ? nil : quantityStorage }
        set { quantityStorage = newValue ?? -1 }
    }
    /// A trailing stop's most favourable price so far (highest for a sell, lowest for a buy);
    /// nil until it begins to work.
    @inlinable public var trailingExtreme: Double? {
        get { trailingExtremeStorage == 0 ? nil : trailingExtremeStorage }
        set { trailingExtremeStorage = newValue ?? 0 }
    }
    /// A fixed stop a trailing stop never loosens beyond (a bracket's stop-loss given with a trail).
    @inlinable public var stopBound: Double? {
        get { stopBoundStorage == 0 ? nil : stopBoundStorage }
        set { stopBoundStorage = newValue ?? 0 }
    }
    /// Orders sharing a group cancel each other: the first fill of one (or the strategy cancelling
    /// one) cancels the others. Nil for an order outside any group.
    @inlinable public var ocoGroup: Int? {
        get { ocoGroupStorage == 0 ? nil : ocoGroupStorage }
        set { ocoGroupStorage = newValue ?? 0 }
    }

    public init(id: OrderID, instrument: Int, side: OrderSide, size: SizeType, type: OrderType,
                stopLoss: Double? = nil, takeProfit: Double? = nil, tag: Int? = nil, role: Role,
                parentTrade: TradeID? = nil, submittedBar: Int, eligibleBar: Int? = nil,
                timeInForce: TimeInForce = .goodTillCancelled, status: OrderStatus = .accepted, closedBar: Int? = nil,
                quantity: Double? = nil, filledQuantity: Double = 0, trailingStop: TrailingOffset? = nil,
                trailingExtreme: Double? = nil, stopBound: Double? = nil, ocoGroup: Int? = nil) {
        self.id = id
        self.trailingStop = trailingStop
        self.eligibleBar = eligibleBar ?? submittedBar + 1
        self.timeInForce = timeInForce
        self.filledQuantity = filledQuantity
        self.instrument = instrument
        self.side = side
        self.size = size
        self.type = type
        self.role = role
        self.submittedBar = submittedBar
        self.status = status
        // Computed over sentinel storage: set once every stored property has its value.
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.tag = tag
        self.parentTrade = parentTrade
        self.closedBar = closedBar
        self.quantity = quantity
        self.trailingExtreme = trailingExtreme
        self.stopBound = stopBound
        self.ocoGroup = ocoGroup
    }

    /// Bracket legs: cancelled with their trade, and never cancelled by an exclusive order.
    @inlinable public var isContingent: Bool { role == .stopLoss || role == .takeProfit }

    /// The price at which a stop or trailing stop triggers now: the fixed stop, or the trail from
    /// ``trailingExtreme`` (held at ``stopBound`` or tighter). Nil for orders without a stop and
    /// for a trailing stop that has not begun to work.
    @inlinable public var stopTrigger: Double? {
        if let stop = type.stopPrice { return stop }
        return trailingExtreme.flatMap(trailingTrigger(extreme:))
    }

    /// A trailing stop's trigger were its favourable extreme `extreme`: the trail, held at
    /// ``stopBound`` or tighter. Nil for an order that is not a trailing stop.
    @inlinable public func trailingTrigger(extreme: Double) -> Double? {
        guard let offset = type.trailingOffset else { return nil }
        let trail = offset.stopPrice(side: side, extreme: extreme)
        guard let bound = stopBound else { return trail }
        return side == .sell ? Swift.max(bound, trail) : Swift.min(bound, trail)
    }

    /// The signed quantity of a `units` order (negative for a sell); nil for relative sizes.
    @inlinable public var signedUnits: Double? {
        if case .units(let q) = size { return side.sign * q }
        return nil
    }
}
