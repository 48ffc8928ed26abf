/// Identifies a trade within one broker; assigned as trades open, starting at 1. A trade split
/// by a partial close keeps its identifier on the open remainder; the closed part gets a new one.
public struct TradeID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: TradeID, b: TradeID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "trade \(rawValue)" }
}

/// One position lot from entry to exit: the unit of trade statistics.
///
/// `entryPrice` includes the spread paid on entry; `exitPrice` is the raw fill price (the
/// spread is charged once, on the entering side, as backtesting.py does). Commission is charged
/// on entry and again on exit; ``commission`` is their sum once the trade has closed.
public struct Trade: Sendable, Hashable {
    /// The broker's identifier, in opening order.
    public let id: TradeID
    /// The instrument's index in the backtest's instruments.
    public var instrument: Int
    /// Signed quantity: positive long, negative short.
    public var size: Double
    /// The bar of the entry fill.
    public var entryBar: Int
    /// The entry fill price, spread and slippage included.
    public var entryPrice: Double
    /// The bar of the exit fill; nil while open.
    public var exitBar: Int?
    /// The exit fill price; nil while open.
    public var exitPrice: Double?
    /// Entry plus exit commission; zero while the trade is open.
    public var commission: Double
    /// The working stop-loss price, if the trade has one (it moves with a trailing stop).
    public var stopLoss: Double?
    /// The working take-profit price, if the trade has one.
    public var takeProfit: Double?
    /// The label of the order that opened it.
    public var tag: Int?

    public init(id: TradeID, instrument: Int, size: Double, entryBar: Int, entryPrice: Double,
                exitBar: Int? = nil, exitPrice: Double? = nil, commission: Double = 0,
                stopLoss: Double? = nil, takeProfit: Double? = nil, tag: Int? = nil) {
        self.id = id
        self.instrument = instrument
        self.size = size
        self.entryBar = entryBar
        self.entryPrice = entryPrice
        self.exitBar = exitBar
        self.exitPrice = exitPrice
        self.commission = commission
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.tag = tag
    }

    /// Closes the trade at `price` on `bar` and returns what the account gains: realized profit
    /// minus the exit commission. ``commission`` becomes the exit commission plus the entry
    /// commission recomputed on the closed size (a trade reduced before closing paid entry
    /// commission on its full size; the part closing now accounts for its own share).
    ///
    /// The one place this arithmetic lives: the broker and the signal fast path both close through
    /// it, so their cash agrees to the bit.
    public mutating func close(at bar: Int, price: Double, commission model: Commission) -> (cashChange: Double, exitCommission: Double) {
        close(at: bar, price: price, commission: { model.amount(quantity: $0, price: $1) })
    }

    /// ``close(at:price:commission:)`` with the commission as a function of quantity and price
    /// (for the fill path: see ``BrokerConfiguration/commissionAmount(quantity:price:)``).
    public mutating func close(at bar: Int, price: Double,
                               commission amount: (_ quantity: Double, _ price: Double) -> Double) -> (cashChange: Double, exitCommission: Double) {
        exitBar = bar
        exitPrice = price
        let exitCommission = amount(size, price)
        commission = exitCommission + amount(size, entryPrice)
        return (size * (price - entryPrice) - exitCommission, exitCommission)
    }

    /// Whether the trade is long.
    @inlinable public var isLong: Bool { size > 0 }
    /// Whether the trade has not exited yet.
    @inlinable public var isOpen: Bool { exitBar == nil }

    /// Profit in cash after commissions, `size·(exit − entry) − commission`, marked at
    /// `price` while open (nil price for an open trade returns nil).
    @inlinable public func pnl(markedAt price: Double? = nil) -> Double? {
        guard let exit = exitPrice ?? price else { return nil }
        return size * (exit - entryPrice) - commission
    }

    /// Return as a fraction of the entry value after commissions:
    /// `sign(size)·(exit/entry − 1) − commission/(|size|·entry)` (backtesting.py's `ReturnPct`).
    @inlinable public func returnFraction(markedAt price: Double? = nil) -> Double? {
        guard let exit = exitPrice ?? price else { return nil }
        let gross = (size < 0 ? -1.0 : 1.0) * (exit / entryPrice - 1)
        return gross - commission / (abs(size) * entryPrice)
    }
}
