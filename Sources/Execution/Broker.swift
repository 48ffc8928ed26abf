import ColumnStore
internal import CKernels

/// The simulated broker: an order book, an account and the matching rules, one instance per backtest.
///
/// The engine drives it one bar at a time with ``processBar(_:)`` (fill what can fill at this
/// bar, then mark the account at the close); between bars the strategy reads the account and
/// submits orders. An order submitted while bar `t` is current is first eligible on bar `t + 1`.
///
/// The account follows backtesting.py's margin model: opening a trade does not debit its
/// notional; cash changes by commissions and by realized profit, and equity is cash plus the
/// open trades marked at the close. Trades are FIFO-netted per instrument unless
/// ``BrokerConfiguration/hedging`` is set.
///
/// A `Broker` is a value: copying it copies the account (the market data is shared, read-only).
public struct Broker: Sendable {
    public let configuration: BrokerConfiguration
    @usableFromInline let market: ContiguousArray<InstrumentPrices>
    /// Owns the buffers `market` points into.
    let marketColumns: [InstrumentColumns]
    @usableFromInline let leverage: Double
    /// Each instrument's lot, minimum quantity and tick (``BrokerConfiguration/rules(for:)``).
    public let rules: ContiguousArray<InstrumentRules>

    /// Cash: starting cash minus commissions plus realized profit.
    public internal(set) var cash: Double
    /// The bar the broker is at; `-1` before the first ``processBar(_:)``.
    @inlinable public var bar: Int { currentBar }
    @usableFromInline var currentBar: Int = -1

    /// The working orders, in processing order (closes and stop-loss legs first): the indices of
    /// their records in ``orderHistory``. A record stays where it was written for the whole life of
    /// its order, so an order leaving the book costs an index, not a copy of its record.
    @usableFromInline var book: ContiguousArray<Int> = []
    /// Each instrument's open trades, oldest first (trade identifiers only grow, so the account's
    /// order is the identifiers' order: ``openInOrder``). Kept per instrument so that netting,
    /// marking and closing a position walk only that instrument's trades, and closing one moves
    /// only them: a portfolio's work per fill does not grow with its other instruments' trades.
    var held: ContiguousArray<ContiguousArray<OpenTrade>>
    /// The instrument of every trade identifier handed out, indexed by identifier (0 unused).
    var tradeInstrument: ContiguousArray<Int32> = [-1]
    /// Closed trades in the order they closed.
    public internal(set) var closedTrades: [Trade] = []
    /// Every order the broker has accepted, in submission order: order `id` is at index
    /// `id.rawValue − 1`. Its ``Order/status`` tells whether it is still working (accepted or
    /// partially filled) or has left the book (filled, cancelled, expired, rejected or replaced,
    /// with ``Order/closedBar``).
    public internal(set) var orderHistory: [Order] = []
    /// Every execution, in order.
    public internal(set) var fills: [Fill] = []

    /// Net size and Σ size·entry of the open trades per instrument, recomputed when trades change
    /// (summed in trade order, as backtesting.py does, so marking is bit-identical).
    @usableFromInline var netSize: ContiguousArray<Double>
    @usableFromInline var entryBasis: ContiguousArray<Double>
    /// The instruments with at least one open trade, ascending: the only ones marking can change.
    @usableFromInline var activeInstruments: ContiguousArray<Int> = []
    /// With several instruments, each one's `close·net − basis` and its margin
    /// `Σ |size|·close / leverage` (over its trades, oldest first) at the current bar, summed in a
    /// fixed tree: a fill changes one term and the account's equity and margin are read after
    /// every fill. Unused with one instrument, whose sums are its term.
    @usableFromInline var unrealizedSums: InstrumentSums
    var marginSums: InstrumentSums
    /// The bar whose closes `marginSums` holds: it is brought up to date only when a fill reads
    /// the margin (``updateMarginSums()``), while equity is marked on every bar.
    var marginSumsBar = -1

    /// Volume the orders of each instrument may still take on the current bar (with a participation cap).
    var volumeLeft: ContiguousArray<Double>
    /// Set while ``finalizeOpenTrades()`` fills the last bar: no volume cap then.
    var finalizing = false
    /// The shared clock: instrument 0's bar times.
    @inlinable var clock: UnsafePointer<Int64> { market[0].time }

    /// Reused by the matcher for its snapshot of the book.
    var matchingScratch: ContiguousArray<OrderID> = []
    /// Reused by ``skipQuietBars(from:before:into:)``: the indices of the trailing stops it follows.
    var quietTrails: ContiguousArray<Int> = []

    var nextOrderID = 1
    var nextTradeID = 1

    /// A broker for one or more instruments whose bars share one clock (same length, same times).
    ///
    /// - Throws: ``ConfigurationError`` for a setting out of range (see
    ///   ``BrokerConfiguration/validate(for:)``), no instruments, or instruments of different lengths.
    public init(configuration: BrokerConfiguration, instruments: [BarSeries]) throws(ConfigurationError) {
        guard let first = instruments.first else {
            throw ConfigurationError(setting: "instruments", "must name at least one bar series")
        }
        guard instruments.allSatisfy({ $0.count == first.count }) else {
            throw ConfigurationError(setting: "instruments", "must all have the same number of bars")
        }
        try configuration.validate(for: instruments)
        self.configuration = configuration
        self.marketColumns = instruments.map(InstrumentColumns.init)
        self.market = ContiguousArray(marketColumns.map(InstrumentPrices.init))
        self.leverage = 1 / configuration.margin
        self.rules = ContiguousArray(instruments.map { configuration.rules(for: $0.symbol) })
        self.cash = configuration.cash
        self.netSize = ContiguousArray(repeating: 0, count: instruments.count)
        self.entryBasis = ContiguousArray(repeating: 0, count: instruments.count)
        self.volumeLeft = ContiguousArray(repeating: .infinity, count: instruments.count)
        self.held = ContiguousArray(repeating: [], count: instruments.count)
        self.unrealizedSums = InstrumentSums(count: instruments.count)
        self.marginSums = InstrumentSums(count: instruments.count)
    }

    /// Moves the records out of the broker, leaving them empty: every order in submission order
    /// (those still working with their working status), every fill, and the closed trades. For
    /// the engine once a run is over: moving instead of copying spares copying records of every order.
    public mutating func takeRecords() -> (orders: [Order], fills: [Fill], closedTrades: [Trade]) {
        var orders: [Order] = []
        swap(&orders, &orderHistory)
        book = []
        var taken: [Fill] = []
        swap(&taken, &fills)
        var trades: [Trade] = []
        swap(&trades, &closedTrades)
        return (orders, taken, trades)
    }

    /// Number of instruments.
    @inlinable public var instrumentCount: Int { market.count }
    /// Number of bars.
    public var barCount: Int { market[0].count }

    /// Open trades, oldest first.
    public var openTrades: [Trade] { openInOrder.map(\.trade) }

    /// Every open trade, oldest first. O(open trades) with one instrument, O(n log n) with several.
    var openInOrder: [OpenTrade] {
        if held.count == 1 { return Array(held[0]) }
        return held.flatMap { $0 }.sorted { $0.trade.id < $1.trade.id }
    }

    /// The entry bar of the oldest open trade in `instrument`, nil when flat. O(open trades).
    public func oldestOpenEntryBar(_ instrument: Int = 0) -> Int? {
        held[instrument].first?.trade.entryBar
    }

    /// Where the open trade `id` is kept: its instrument and its index among that instrument's
    /// open trades; nil when it is not open. O(the instrument's open trades).
    func locate(_ id: TradeID) -> (instrument: Int, index: Int)? {
        guard id.rawValue > 0, id.rawValue < tradeInstrument.count else { return nil }
        let instrument = Int(tradeInstrument[id.rawValue])
        return held[instrument].firstIndex { $0.trade.id == id }.map { (instrument, $0) }
    }

    /// The working orders, in processing order (closes and stop-loss legs first). A copy of their
    /// records: O(working orders).
    public var workingOrders: [Order] { book.map { orderHistory[$0] } }

    /// The order `id`, as it is now (working or not); nil for an identifier the broker has not
    /// given out. O(1).
    public func order(_ id: OrderID) -> Order? {
        let index = id.rawValue - 1
        return index >= 0 && index < orderHistory.count ? orderHistory[index] : nil
    }

    /// The working order at position `position` of the book: its record in ``orderHistory``,
    /// read or changed in place.
    subscript(working position: Int) -> Order {
        get { orderHistory[book[position]] }
        _modify { yield &orderHistory[book[position]] }
    }

    /// The identifier of the working order at position `position` of the book, read from the
    /// book alone.
    @inline(__always)
    func workingID(_ position: Int) -> OrderID { OrderID(rawValue: book[position] + 1) }

    /// The position of the working order `id` in the book, nil when it is not working. Reads only
    /// the book's indices (an order's record index is its identifier less one). O(working orders).
    @inline(__always)
    func workingIndex(of id: OrderID) -> Int? {
        let record = id.rawValue - 1
        var k = 0
        // Invariant: no position before k holds the record.
        while k < book.count {
            if book[k] == record { return k }
            k &+= 1
        }
        return nil
    }

    /// True while the order `id` is in the book (accepted or partly filled, not yet filled,
    /// cancelled, expired or rejected). O(working orders).
    public func isWorking(_ id: OrderID) -> Bool { workingIndex(of: id) != nil }

    /// Hints the CPU to fetch what filling an order at `bar` reads (every instrument's open, high,
    /// low and volume there). The bar loop streams only the closes, so a fill bar's other prices
    /// are read once, long after their neighbours, and miss the cache; an engine that knows the
    /// next bar an order may be placed can ask for the bar after it early. A hint: no effect on
    /// any value; a bar out of range is ignored.
    public func prefetchFillPrices(at bar: Int) {
        guard bar >= 0, bar < barCount else { return }
        // Through a buffer: iterating the array itself retains and releases it, and indexing
        // it checks bounds, on every call.
        market.withUnsafeBufferPointer { market in
            for prices in market {
                colonnade_prefetch(prices.open + bar)
                colonnade_prefetch(prices.high + bar)
                colonnade_prefetch(prices.low + bar)
                colonnade_prefetch(prices.volume + bar)
            }
        }
    }

    /// With several instruments, starts fetching the prices `order` is first matched against (its
    /// instrument's open, high, low and volume at its first eligible bar). A portfolio's orders
    /// each read their own instrument's columns, last touched many bars before; fetched only when
    /// matched, the matcher waits for them one order after another, where fetched at submission
    /// they arrive together. A hint: no effect on any value.
    func prefetchFill(of order: Order) { prefetchFill(instrument: order.instrument, bar: order.eligibleBar) }

    /// ``prefetchFill(of:)`` for an order of `instrument` first matched at `bar`.
    func prefetchFill(instrument: Int, bar: Int) {
        guard market.count > 1, bar >= 0, bar < barCount else { return }
        let prices = market[instrument]
        colonnade_prefetch(prices.open + bar)
        colonnade_prefetch(prices.high + bar)
        colonnade_prefetch(prices.low + bar)
        colonnade_prefetch(prices.volume + bar)
    }

    /// The close of `instrument` at the current bar (the price the account is marked at).
    @inlinable public func lastPrice(_ instrument: Int = 0) -> Double { market[instrument].close[bar] }

    /// The quoted `ask − bid` of `instrument` at `bar`, NaN when the bars carry no quotes.
    @inlinable func quotedWidth(_ instrument: Int, at bar: Int) -> Double {
        let prices = market[instrument]
        guard let bid = prices.bid, let ask = prices.ask else { return .nan }
        return ask[bar] - bid[bar]
    }

    /// Profit of the open trades at the current close, before exit commissions:
    /// `Σ_k close_k·net_k − Σ size·entry`. With one instrument, its term; with several, the terms
    /// summed in a fixed binary tree over the instruments (kept current as fills change them), so
    /// the value depends on the positions alone. O(1).
    @inlinable public var unrealizedPnL: Double {
        if market.count > 1 { return unrealizedSums.total }
        var total = 0.0
        for k in activeInstruments {
            total += market[k].close[bar] * netSize[k] - entryBasis[k]
        }
        return total
    }

    /// Cash plus the open trades marked at the current close.
    @inlinable public var equity: Double { cash + unrealizedPnL }

    /// Equity minus the margin the open trades tie up (`|size|·close / leverage`, summed over
    /// the trades oldest first, as backtesting.py does; with several instruments, per instrument
    /// and then over the instruments as ``unrealizedPnL`` is), floored at zero.
    /// O(open trades) with one instrument; with several, O(1) once a fill has read it on the
    /// current bar, O(open trades + instruments) before.
    public var marginAvailable: Double {
        var used = 0.0
        if market.count > 1 {
            if marginSumsBar == bar {
                used = marginSums.total
            } else {
                var current = marginSums
                markMargins(&current)
                used = current.total
            }
        } else {
            for t in held[0] { used += abs(t.trade.size) * lastPrice(0) / leverage }
        }
        return Swift.max(0, equity - used)
    }

    /// The net position in `instrument`.
    public func position(_ instrument: Int = 0) -> Position {
        var size = 0.0, value = 0.0, count = 0
        for t in held[instrument] {
            size += t.trade.size
            value += t.trade.size * t.trade.entryPrice
            count += 1
        }
        let pnl = count == 0 ? 0 : lastPrice(instrument) * netSize[instrument] - entryBasis[instrument]
        return Position(instrument: instrument, size: size, averagePrice: size == 0 ? nil : value / size,
                        unrealizedPnL: pnl, tradeCount: count)
    }

    /// The signed net quantity held in `instrument` (0 when flat). O(1).
    @inlinable public func positionSize(_ instrument: Int = 0) -> Double { netSize[instrument] }

    /// Recomputes the net size and basis of `instrument` from its open trades (in trade order,
    /// so the sums are backtesting.py's), keeps ``activeInstruments`` in step and, with several
    /// instruments, its terms of the account's sums. O(its trades + log instruments).
    mutating func refreshPosition(_ instrument: Int) {
        var size = 0.0, basis = 0.0, hasTrades = false
        for t in held[instrument] {
            size += t.trade.size
            basis += t.trade.size * t.trade.entryPrice
            hasTrades = true
        }
        netSize[instrument] = size
        entryBasis[instrument] = basis
        if market.count > 1 {
            let price = bar >= 0 ? market[instrument].close[bar] : 0
            unrealizedSums.set(instrument, hasTrades ? price * size - basis : 0)
            if marginSumsBar == bar {
                marginSums.set(instrument, instrumentMargin(instrument, price: price))
            } else {
                // Stale until the next update, which recomputes the instruments with trades.
                marginSums.setLeaf(instrument, hasTrades ? instrumentMargin(instrument, price: price) : 0)
            }
        }
        // Sorted, so marking sums the instruments in ascending order whatever order they opened in.
        let slot = activeInstruments.firstIndex { $0 >= instrument } ?? activeInstruments.endIndex
        let listed = slot < activeInstruments.endIndex && activeInstruments[slot] == instrument
        if hasTrades, !listed { activeInstruments.insert(instrument, at: slot) }
        if !hasTrades, listed { activeInstruments.remove(at: slot) }
    }
}

extension Broker {
    /// The margin `instrument`'s open trades tie up at `price`: `Σ |size|·price / leverage`,
    /// oldest trade first. O(its trades).
    func instrumentMargin(_ instrument: Int, price: Double) -> Double {
        var used = 0.0
        for t in held[instrument] { used += abs(t.trade.size) * price / leverage }
        return used
    }

    /// With several instruments, re-marks the open positions at the current bar's closes (each
    /// instrument with open trades, then the tree once), and starts fetching the closes a few bars
    /// on: each instrument's closes are a stream of their own, more than the hardware follows.
    /// O(instruments).
    @usableFromInline
    mutating func refreshMarks() {
        let ahead = bar + 8 < barCount ? bar + 8 : bar
        for k in activeInstruments {
            let close = market[k].close
            colonnade_prefetch(close + ahead)
            unrealizedSums.setLeaf(k, close[bar] * netSize[k] - entryBasis[k])
        }
        unrealizedSums.rebuild()
    }

    /// With several instruments, brings the margin sums to the current bar's closes, once per
    /// bar that has a fill reading them. O(open trades + instruments).
    mutating func updateMarginSums() {
        guard market.count > 1, marginSumsBar != bar else { return }
        markMargins(&marginSums)
        marginSumsBar = bar
    }

    /// Sets every instrument-with-trades' margin term in `sums` at the current closes and
    /// rebuilds it; the others' terms are zero already.
    func markMargins(_ sums: inout InstrumentSums) {
        for k in activeInstruments { sums.setLeaf(k, instrumentMargin(k, price: market[k].close[bar])) }
        sums.rebuild()
    }
}

/// An open trade and its bracket legs.
@usableFromInline
struct OpenTrade: Sendable {
    @usableFromInline var trade: Trade
    var stopLossOrder: OrderID?
    var takeProfitOrder: OrderID?
}

/// Read-only prices of one instrument: bare pointers, so reading them in the bar loop costs no
/// reference counting. The broker's `marketColumns` keep the buffers alive.
@usableFromInline
struct InstrumentPrices: @unchecked Sendable {
    @usableFromInline let open: UnsafePointer<Double>
    @usableFromInline let high: UnsafePointer<Double>
    @usableFromInline let low: UnsafePointer<Double>
    @usableFromInline let close: UnsafePointer<Double>
    @usableFromInline let volume: UnsafePointer<Double>
    @usableFromInline let time: UnsafePointer<Int64>
    /// Present when the bars carry quotes.
    @usableFromInline let bid: UnsafePointer<Double>?
    @usableFromInline let ask: UnsafePointer<Double>?
    @usableFromInline let count: Int

    init(_ columns: InstrumentColumns) {
        // A buffer pointer starts at the slice's first bar, so bar i is element i whatever slice
        // the series came from. Buffers never move, so the addresses stay valid while the
        // columns live.
        open = columns.open.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        high = columns.high.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        low = columns.low.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        close = columns.close.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        volume = columns.volume.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        time = columns.time.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        bid = columns.bid?.withUnsafeBufferPointer { $0.baseAddress }
        ask = columns.ask?.withUnsafeBufferPointer { $0.baseAddress }
        count = columns.open.count
    }
}

/// The price columns of one instrument, held for their storage.
struct InstrumentColumns: Sendable {
    let open, high, low, close, volume: Column<Double>
    let bid, ask: Column<Double>?
    let time: Column<Int64>
    init(_ bars: BarSeries) {
        time = bars.time
        (open, high, low, close, volume) = (bars.open, bars.high, bars.low, bars.close, bars.volume)
        (bid, ask) = (bars.bid, bars.ask)
    }
}
