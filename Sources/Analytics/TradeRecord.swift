/// What the statistics need to know about one closed trade.
public struct TradeRecord: Sendable, Hashable {
    /// The bar of the entry fill.
    public var entryBar: Int
    /// The bar of the exit fill.
    public var exitBar: Int
    /// Signed size (positive long).
    public var size: Double
    /// Profit in cash after commissions.
    public var pnl: Double
    /// Return as a fraction of the entry value after commissions.
    public var returnFraction: Double
    /// Entry plus exit commission.
    public var commission: Double

    public init(entryBar: Int, exitBar: Int, size: Double, pnl: Double, returnFraction: Double, commission: Double) {
        self.entryBar = entryBar
        self.exitBar = exitBar
        self.size = size
        self.pnl = pnl
        self.returnFraction = returnFraction
        self.commission = commission
    }
}
