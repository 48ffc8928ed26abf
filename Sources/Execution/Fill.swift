/// One execution: a quantity of one instrument changing hands at one price on one bar.
///
/// Costs are recorded each in their own field, so reports can attribute them.
public struct Fill: Sendable, Hashable {
    /// The order that filled; nil for the broker's own liquidation when the account is out of money.
    public var order: OrderID?
    /// The trade this fill opened, added to or closed.
    public var trade: TradeID
    /// The instrument's index in the backtest's instruments.
    public var instrument: Int
    /// The bar on which it filled.
    public var bar: Int
    /// Signed: positive bought, negative sold.
    public var quantity: Double
    /// The price the quantity traded at, slippage and spread included.
    public var price: Double
    /// The commission charged for this fill.
    public var commission: Double
    /// What the spread cost on this fill, in cash: `|quantity| · |price − slipped price|`.
    public var spreadCost: Double
    /// What slippage cost on this fill, in cash: `|quantity| · |slipped price − raw price|`, the raw
    /// price being the open, limit or stop price the order filled at before costs.
    public var slippageCost: Double

    public init(order: OrderID?, trade: TradeID, instrument: Int, bar: Int, quantity: Double, price: Double,
                commission: Double, spreadCost: Double, slippageCost: Double = 0) {
        self.order = order
        self.trade = trade
        self.instrument = instrument
        self.bar = bar
        self.quantity = quantity
        self.price = price
        self.commission = commission
        self.spreadCost = spreadCost
        self.slippageCost = slippageCost
    }
}
