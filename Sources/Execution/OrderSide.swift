/// The direction of an order: buying adds to (or covers) a position, selling reduces it or goes short.
public enum OrderSide: String, Sendable, Hashable, Codable, CaseIterable {
    case buy
    case sell

    /// +1 for a buy, -1 for a sell: the sign an order of this side gives a signed quantity.
    @inlinable public var sign: Double { self == .buy ? 1 : -1 }

    /// The side that closes a position opened by this side.
    @inlinable public var opposite: OrderSide { self == .buy ? .sell : .buy }
}
