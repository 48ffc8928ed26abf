/// The net holding of one instrument: the sum of its open trades.
public struct Position: Sendable, Hashable {
    /// The instrument's index in the backtest's instruments.
    public var instrument: Int
    /// Signed net quantity; zero when flat.
    public var size: Double
    /// Quantity-weighted average entry price of the open trades; nil when flat.
    public var averagePrice: Double?
    /// Profit of the open trades marked at the current bar's close, before exit commission.
    public var unrealizedPnL: Double
    /// Number of open trades behind this position.
    public var tradeCount: Int

    /// Whether nothing is held.
    @inlinable public var isFlat: Bool { size == 0 }
    /// Whether the net holding is long.
    @inlinable public var isLong: Bool { size > 0 }
    /// Whether the net holding is short.
    @inlinable public var isShort: Bool { size < 0 }
}
