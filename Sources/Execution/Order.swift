/// Identifies an order within one broker; assigned in submission order, starting at 1.
public struct OrderID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: OrderID, b: OrderID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "order \(rawValue)" }
}

/// What a strategy asks the broker to do. The broker turns it into an ``Order``.
public struct OrderRequest: Sendable, Hashable {
    public var instrument: Int
    public var side: OrderSide
    public var size: SizeType
    public var type: OrderType
    /// Stop-loss price for the trade this order opens: a bracket leg submitted when it fills.
    public var stopLoss: Double?
    /// Take-profit price for the trade this order opens: a bracket leg submitted when it fills.
    public var takeProfit: Double?
    /// A free label carried to the trade this order opens.
    public var tag: Int?
    /// How long the order works.
    public var timeInForce: TimeInForce

    public init(instrument: Int = 0, side: OrderSide, size: SizeType = .allIn, type: OrderType = .market,
                stopLoss: Double? = nil, takeProfit: Double? = nil, tag: Int? = nil,
                timeInForce: TimeInForce = .goodTillCancelled) {
        self.timeInForce = timeInForce
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

    public let id: OrderID
    public var instrument: Int
    public var side: OrderSide
    public var size: SizeType
    /// The current type: a stop order whose stop has triggered becomes a market (or limit) order.
    public var type: OrderType
    public var stopLoss: Double?
    public var takeProfit: Double?
    public var tag: Int?
    public var role: Role
    public var parentTrade: TradeID?
    public var submittedBar: Int
    /// The first bar on which the order may fill: `submittedBar + 1`, later with latency.
    public var eligibleBar: Int
    public var timeInForce: TimeInForce
    public var status: OrderStatus
    /// The bar at which the order left the book (filled, cancelled, expired or rejected).
    public var closedBar: Int?
    /// The whole quantity in units (unsigned), fixed at the order's first fill (a relative size is
    /// resolved then); nil before.
    public var quantity: Double?
    /// Units filled so far (unsigned).
    public var filledQuantity: Double

    public init(id: OrderID, instrument: Int, side: OrderSide, size: SizeType, type: OrderType,
                stopLoss: Double? = nil, takeProfit: Double? = nil, tag: Int? = nil, role: Role,
                parentTrade: TradeID? = nil, submittedBar: Int, eligibleBar: Int? = nil,
                timeInForce: TimeInForce = .goodTillCancelled, status: OrderStatus = .accepted, closedBar: Int? = nil,
                quantity: Double? = nil, filledQuantity: Double = 0) {
        self.id = id
        self.eligibleBar = eligibleBar ?? submittedBar + 1
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.instrument = instrument
        self.side = side
        self.size = size
        self.type = type
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.tag = tag
        self.role = role
        self.parentTrade = parentTrade
        self.submittedBar = submittedBar
        self.status = status
        self.closedBar = closedBar
    }

    /// Bracket legs: cancelled with their trade, and never cancelled by an exclusive order.
    @inlinable public var isContingent: Bool { role == .stopLoss || role == .takeProfit }

    /// The signed quantity of a `units` order (negative for a sell); nil for relative sizes.
    @inlinable public var signedUnits: Double? {
        if case .units(let q) = size { return side.sign * q }
        return nil
    }
}
