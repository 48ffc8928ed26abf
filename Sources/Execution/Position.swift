/// The net holding of one instrument: the sum of its open trades.
public struct Position: Sendable, Hashable {
    public var instrument: Int
    /// Signed net quantity; zero when flat.
    public var size: Double
    /// Quantity-weighted average entry price of the open trades; nil when flat.
    public var averagePrice: Double?
    /// Profit of the open trades marked at the current bar's close, before exit commission.
    public var unrealizedPnL: Double
    /// Number of open trades behind this position.
    public var tradeCount: Int

    @inlinable public var isFlat: Bool { size == 0 }
    @inlinable public var isLong: Bool { size > 0 }
    @inlinable public var isShort: Bool { size < 0 }
}
