import Analytics
import ColumnStore
internal import CKernels
import Execution

/// The signal fast path: a backtest of precomputed entry and exit signals on one instrument that
/// skips the order book, for parameter sweeps.
///
/// It produces exactly what the event engine produces for ``RuleStrategy/init(signals:size:warmUpBars:)-(TradeSignals,_,_)``
/// with the same signals, size, warm-up and `BrokerConfiguration`: the same orders (identifiers,
/// statuses, rejection reasons), fills, trades and equity, bit for bit, hence the same statistics.
/// A test holds the two to that on random signals.
///
/// How it is fast: at most one trade is open and every order is a market order, so the state is
/// a handful of numbers. Between two signals that matter for the current state (an entry when
/// flat; an exit, or an entry the other way, while in a position) nothing can happen but marking,
/// so the loop finds the next such bar by scanning the signal words 64 bars at a time and marks
/// the bars in between in a flat loop. Cost per bar: about one multiply-add while in a position and
/// a store while flat; per signal, what one fill costs.
///
/// Semantics are the event engine's, including backtesting.py's: fills at the next open, all-in
/// sizing with its sub-ulp margin, commission on entry and exit, the spread and slippage,
/// rejection of orders the account cannot afford, the out-of-money stop, exclusive orders and
/// `finalizeTrades`.
public struct SignalBacktest: Sendable {
    /// The bars of each instrument, on one clock (same length and times); one for
    /// ``run(_:size:warmUpBars:)-(TradeSignals,_,_)`` and target positions.
    public var instruments: [BarSeries]
    /// The account and execution model.
    public var configuration: BrokerConfiguration

    /// The (first) instrument's bars.
    ///
    /// - Precondition: ``instruments`` is not empty (the runs throw ``BacktestError/noBars`` for
    ///   an empty list; this accessor has no bars to give).
    public var bars: BarSeries {
        get { instruments[0] }
        set { instruments[0] = newValue }
    }

    /// A fast-path backtest of `bars` under `configuration` (backtesting.py's defaults unless given).
    public init(bars: BarSeries, configuration: BrokerConfiguration = BrokerConfiguration()) {
        self.instruments = [bars]
        self.configuration = configuration
    }

    /// A fast-path backtest of several instruments on one clock sharing one account
    /// (``run(_:size:warmUpBars:)-([TradeSignals],_,_)``).
    public init(instruments: [BarSeries], configuration: BrokerConfiguration = BrokerConfiguration()) {
        self.instruments = instruments
        self.configuration = configuration
    }

    /// Runs `signals`: every entry of `size`, the first decision at bar `1 + warmUpBars`
    /// (signals before it are ignored, as the event engine never calls the strategy there).
    ///
    /// - Throws: ``BacktestError``: no bars, an invalid configuration, signals of another length
    ///   than the bars, a negative warm-up, or an entry size the broker would refuse.
    ///
    /// Complexity: O(n / 64 + bars in a position + signals acted on), plus the statistics' O(n).
    public func run(_ signals: TradeSignals, size: SizeType = .allIn, warmUpBars: Int = 0) throws(BacktestError) -> BacktestResult {
        let bars = try checkedInstrument(inputCount: signals.count, input: "signals",
                                         onSeveral: "one set of signals for \(instruments.count) instruments: give one per instrument",
                                         warmUpBars: warmUpBars)
        if let problem = signals.maxBarsHeldProblem { throw BacktestError.invalidSignals(problem) }
        if let problem = signals.orderRules.validationProblem { throw BacktestError.invalidSignals("order rules: \(problem)") }
        let start = 1 + warmUpBars
        let rules = configuration.rules(for: bars.symbol)
        // A risk size takes each entry's stop from the stop-loss rule when there is one.
        var sizeToCheck = size
        if case .risk(let fraction, _) = size, signals.orderRules.stopLoss != nil { sizeToCheck = .risk(fraction: fraction, stopPrice: 1) }
        if let error = sizeToCheck.validationError(bar: start - 1, lotSize: rules.lotSize) {
            throw BacktestError.invalidSignals("entry size: \(error.message)")
        }
        if let units = size.fixedUnits, rules.isBelowMinimum(units) {
            throw BacktestError.invalidSignals("entry size: \(units) is below the instrument's minimum quantity \(rules.minimumQuantity)")
        }
        guard signals.orderRules.isMarketOnly, configuration.participation == nil, configuration.latency == .none else {
            return try runOnBook(signals, size: size, warmUpBars: warmUpBars)
        }
        var run = SignalRun(bars: bars, configuration: configuration, size: size)
        return run.simulate(signals, start: start, warmUpBars: warmUpBars)
    }

    /// Runs `targets`: at each bar with a target from `1 + warmUpBars` on, a market order for the
    /// difference between the target and the position, filled at the next open
    /// (``TargetPositionStrategy`` states every rule).
    ///
    /// The run is the event engine's on ``TargetPositionStrategy``, whose next decision is the next
    /// target: the broker and the strategy work only at target bars and where an order is working,
    /// and every other bar is only marked. Sparse targets (NaN where nothing changes) run at the
    /// speed of marking; a target on every bar pays for a decision on every bar.
    ///
    /// - Throws: ``BacktestError``: no bars, an invalid configuration (exclusive orders or
    ///   hedging included), targets of another length than the bars, a negative warm-up, or a
    ///   target the account cannot take (not finite, not whole lots, a fraction beyond the leverage).
    ///
    /// Complexity: O(n / 64 + target bars × the broker's work per bar), plus the statistics' O(n).
    public func run(_ targets: TargetPositions, warmUpBars: Int = 0) throws(BacktestError) -> BacktestResult {
        let bars = try checkedInstrument(inputCount: targets.count, input: "targets",
                                         onSeveral: "one column of targets for \(instruments.count) instruments: use TargetPositionStrategy",
                                         warmUpBars: warmUpBars)
        if configuration.exclusiveOrders || configuration.hedging {
            throw BacktestError.invalidSignals("target positions need an account without \(configuration.exclusiveOrders ? "exclusive orders" : "hedging")")
        }
        let rules = configuration.rules(for: bars.symbol)
        if let problem = targets.firstProblem(lotSize: rules.lotSize, leverage: 1 / configuration.margin) {
            throw BacktestError.invalidSignals("bar \(problem.bar): \(problem.message)")
        }
        return try Backtest(bars: bars, configuration: configuration)
            .run(TargetPositionStrategy(targets, warmUpBars: warmUpBars))
    }

    /// The checks every single-instrument run starts with: bars there, one instrument (else
    /// `onSeveral`), a valid configuration, an input (`input`) of the bars' length and a warm-up
    /// that is not negative. Returns the instrument's bars.
    func checkedInstrument(inputCount: Int, input: String, onSeveral: String, warmUpBars: Int) throws(BacktestError) -> BarSeries {
        guard let bars = instruments.first, !bars.isEmpty else { throw BacktestError.noBars }
        guard instruments.count == 1 else { throw BacktestError.invalidSignals(onSeveral) }
        do { try configuration.validate(for: [bars]) } catch { throw BacktestError.configuration(error) }
        guard inputCount == bars.count else {
            throw BacktestError.invalidSignals("the \(input) have \(inputCount) bars, the data \(bars.count)")
        }
        guard warmUpBars >= 0 else { throw BacktestError.invalidSignals("warm-up must not be negative, is \(warmUpBars)") }
        return bars
    }

    /// Runs one set of signals per instrument, in the order of ``instruments``, on one account:
    /// the portfolio form of ``run(_:size:warmUpBars:)-(TradeSignals,_,_)``, with the same rules
    /// per instrument (``RuleStrategy``); an all-in `size` commits 1/K of the margin available per
    /// entry on K instruments. Direction, order rules and holding limit must be the same in every
    /// set. One instrument runs the single-instrument path.
    ///
    /// The run is the event engine's on ``RuleStrategy/init(signals:size:warmUpBars:)-([TradeSignals],_,_)``,
    /// which names its next decision: the broker and the rules work only at bars where some
    /// instrument has a signal that matters in its state, or an order is working.
    ///
    /// - Throws: ``BacktestError``: no bars, instruments off one clock, an invalid configuration,
    ///   a count of signal sets other than the instruments', signals of another length than the
    ///   bars, sets that differ in direction, order rules or holding limit, a negative warm-up,
    ///   or an entry size the broker would refuse.
    public func run(_ signals: [TradeSignals], size: SizeType = .allIn, warmUpBars: Int = 0) throws(BacktestError) -> BacktestResult {
        guard let first = instruments.first, !first.isEmpty else { throw BacktestError.noBars }
        guard signals.count == instruments.count else {
            throw BacktestError.invalidSignals("\(signals.count) sets of signals for \(instruments.count) instruments")
        }
        if instruments.count == 1 { return try run(signals[0], size: size, warmUpBars: warmUpBars) }
        do { try configuration.validate(for: instruments) } catch { throw BacktestError.configuration(error) }
        guard warmUpBars >= 0 else { throw BacktestError.invalidSignals("warm-up must not be negative, is \(warmUpBars)") }
        for (k, own) in signals.enumerated() {
            guard own.count == first.count else {
                throw BacktestError.invalidSignals("instrument \(k): the signals have \(own.count) bars, the data \(first.count)")
            }
            guard own.direction == signals[0].direction, own.orderRules == signals[0].orderRules,
                  own.maxBarsHeld == signals[0].maxBarsHeld else {
                throw BacktestError.invalidSignals("instrument \(k): direction, order rules and holding limit must be instrument 0's")
            }
            if let problem = own.maxBarsHeldProblem { throw BacktestError.invalidSignals(problem) }
            if let problem = own.orderRules.validationProblem { throw BacktestError.invalidSignals("order rules: \(problem)") }
            let rules = configuration.rules(for: instruments[k].symbol)
            // A risk size takes each entry's stop from the stop-loss rule when there is one.
            var sizeToCheck = size
            if case .risk(let fraction, _) = size, own.orderRules.stopLoss != nil { sizeToCheck = .risk(fraction: fraction, stopPrice: 1) }
            if let error = sizeToCheck.validationError(bar: warmUpBars, lotSize: rules.lotSize) {
                throw BacktestError.invalidSignals("entry size: \(error.message)")
            }
            if let units = size.fixedUnits, rules.isBelowMinimum(units) {
                throw BacktestError.invalidSignals("entry size: \(units) is below the minimum quantity \(rules.minimumQuantity) of instrument \(k)")
            }
        }
        return try Backtest(instruments: instruments, configuration: configuration)
            .run(RuleStrategy(signals: signals, size: size, warmUpBars: warmUpBars))
    }

    /// The fast path for signals with priced orders or brackets, or under a volume cap or latency:
    /// the event engine itself on ``RuleStrategy``, which names its next decision
    /// (``RuleStrategy/nextDecision(from:broker:)``), so the rules are read only at bars where they
    /// can act and the broker matches only bars on which a working order can act; every other bar
    /// is marked (`Broker.skipQuietBars(from:before:into:)`). What is skipped would have changed
    /// nothing (`QuietBarTests`, `SignalOrderRulesTests` against calling `onBar` at every bar).
    func runOnBook(_ signals: TradeSignals, size: SizeType, warmUpBars: Int) throws(BacktestError) -> BacktestResult {
        try Backtest(bars: bars, configuration: configuration)
            .run(RuleStrategy(signals: signals, size: size, warmUpBars: warmUpBars))
    }
}

/// One fast-path run: the account of an instrument that holds at most one trade.
struct SignalRun {
    let configuration: BrokerConfiguration
    /// The instrument's lot, minimum quantity and tick.
    let rules: InstrumentRules
    let bars: BarSeries
    let size: SizeType
    let leverage: Double
    /// The configuration's commission (`commissionFunction`).
    let commission: @Sendable (Double, Double) -> Double

    var cash: Double
    /// The open trade, if any; `position` is its signed size (0 when flat) and `basis` its
    /// size × entry price, the broker's net size and entry basis.
    var openTrade: Trade?
    var position = 0.0
    var basis = 0.0

    /// Orders decided at the last decision bar, due at the next bar (a close is always ahead of an
    /// entry): their indices in ``orderHistory``, which holds every order in submission order as
    /// the broker's does. A pending order is recorded where it will stay and a fill updates it in
    /// place (an order is a 216-byte record: built into the history once instead of copied in and out).
    var pendingClose: Int?
    var pendingEntry: Int?

    var closedTrades: [Trade] = []
    var orderHistory: [Order] = []
    var fills: [Fill] = []
    var nextOrderID = 1
    var nextTradeID = 1

    init(bars: BarSeries, configuration: BrokerConfiguration, size: SizeType) {
        self.bars = bars
        self.configuration = configuration
        self.rules = configuration.rules(for: bars.symbol)
        self.size = size
        self.leverage = 1 / configuration.margin
        self.cash = configuration.cash
        self.commission = configuration.commissionFunction
    }

    mutating func simulate(_ signals: TradeSignals, start: Int, warmUpBars: Int) -> BacktestResult {
        let n = bars.count
        // Every bar is written before it is read (as in the event engine's run).
        var equity = [Double](hugePagesUninitializedCount: n)
        var outOfMoneyAt: Int?
        var pass: EquityCurvePass?
        let longShort = signals.direction == .longShort
        // Each decision needs a set bit and makes one order long-only, two when it reverses (a
        // close and an entry), three with exclusive orders (which cancel and requeue the close):
        // reserving that once spares the records the copies of geometric growth. Fills and
        // trades, far fewer when orders are rejected, grow as they come. Tight, not generous:
        // memory a run frees beyond what the allocator keeps (glibc returns a large free top of
        // its heap) comes back fresh, page by page, on the next run.
        let signalBits: Int
        if let stream = signals.stream {
            signalBits = stream.expectedCrossingCount()   // still being computed: a hint
        } else {
            signalBits = signals.longEntries.trueCount + signals.longExits.trueCount
                + (longShort ? signals.shortEntries.trueCount + signals.shortExits.trueCount : 0)
        }
        let decisions = Swift.min(signalBits, n) + 2
        let ordersPerDecision = configuration.exclusiveOrders ? 3 : longShort ? 2 : 1
        orderHistory.reserveCapacityAdvisingHugePages(ordersPerDecision * decisions)
        withSignalViews(signals) { longEntry, longExit, shortEntry, shortExit in
            bars.open.withUnsafeBufferPointer { open in
            bars.close.withUnsafeBufferPointer { close in
            bars.volume.withUnsafeBufferPointer { volume in
            equity.withUnsafeMutableBufferPointer { equity in
                // The statistics' pass, on a second thread behind the loop on a long run.
                // It computes the streamed signals, which the loop reads as they are done, and
                // faults in the memory this loop is about to write (the curve, the records' room)
                // a little ahead of the writes.
                let feed = CurvePassFeed.start(curve: equity, time: bars.time, close: bars.close,
                                               streams: signals.stream.map { [$0] } ?? [],
                                               records: RecordRooms(orders: orderHistory, fills: fills, trades: closedTrades))
                // Invariant at the top of the loop: every bar before `t` is marked, and the
                // orders in `pendingClose`/`pendingEntry` were decided at bar `t − 1`.
                var t = start
                var nextPublication = feed == nil ? Int.max : CurvePassFeed.publicationStep
                // Every decision queues at least one order, due at the bar after it.
                var ordersDue = false
                run: while t < n {
                    if ordersDue { fillPending(at: t, open: open[t]) }
                    // The next bar whose signals can change the state; only marking happens before it.
                    // (A view paired with itself: one column's set bits.)
                    var decision: Int
                    if position == 0 {
                        decision = longEntry.firstSet(from: t, or: longShort ? shortEntry : longEntry)
                    } else if position > 0 {
                        decision = longExit.firstSet(from: t, or: longShort ? shortEntry : longExit)
                    } else {
                        decision = shortExit.firstSet(from: t, or: longEntry)
                    }
                    decision = Swift.min(decision, n)
                    // The holding limit is a decision of its own: the bar the open trade has been held long enough.
                    let timeExitBar = signals.maxBarsHeld.flatMap { limit in openTrade.map { $0.entryBar + limit - 1 } }
                    if let timeExitBar { decision = Swift.min(decision, Swift.max(t, timeExitBar)) }
                    // The orders decided there fill at the next open (sized with that bar's volume):
                    // start fetching those while the bars between are marked, or the reads miss the cache.
                    if decision + 1 < n {
                        colonnade_prefetch(open.baseAddress! + decision + 1)
                        colonnade_prefetch(volume.baseAddress! + decision + 1)
                    }
                    let lastMarked = Swift.min(decision, n - 1)
                    let outOfMoney = SignalRun.mark(from: t, through: lastMarked, cash: cash, position: position, basis: basis,
                                                    close: close, into: equity)
                    if t == start, outOfMoney != start {
                        // The bars before the first decision take its equity (pandas' bfill).
                        for j in 0..<start { equity[j] = equity[start] }
                    }
                    if let stop = outOfMoney {
                        liquidate(at: stop, price: close[stop])
                        outOfMoneyAt = stop
                        break run
                    }
                    if lastMarked + 1 >= nextPublication, let feed {
                        nextPublication = feed.publish(lastMarked + 1, records: RecordCounts(orders: orderHistory.count, fills: fills.count,
                                                                                           trades: closedTrades.count))
                    }
                    guard decision < n else { break run }
                    decide(at: decision, heldTooLong: timeExitBar.map { decision >= $0 } ?? false,
                           longEntry: longEntry[decision], longExit: longExit[decision],
                           shortEntry: longShort && shortEntry[decision], shortExit: longShort && shortExit[decision])
                    ordersDue = true
                    t = decision + 1
                }
                if let stop = outOfMoneyAt {
                    for j in stop..<n { equity[j] = 0 }
                } else if configuration.finalizeTrades, start < n {
                    equity[n - 1] = finalize(at: n - 1)
                }
                BacktestResult.backFill(equity, start: start, outOfMoneyAt: outOfMoneyAt, finalCash: cash)
                pass = feed?.finish()
            }
            }
            }
            }
        }
        // The orders still working (pending) are the history's last records, in book order.
        return BacktestResult(time: bars.time, benchmark: bars.close, equity: consume equity, pass: pass, warmUpBars: warmUpBars,
                              start: start, outOfMoneyAt: outOfMoneyAt,
                              closedTrades: closedTrades, openTrades: openTrade.map { [$0] } ?? [],
                              orders: orderHistory, fills: fills, finalCash: cash)
    }

    /// Marks bars `first...last` at their close; returns the first bar whose equity is zero or
    /// negative (the out-of-money stop), leaving it and later bars unwritten.
    ///
    /// Static, not a method: called on a `self` captured `inout` by a closure, a non-mutating
    /// method gets a copy of the whole run (its arrays retained and released) on every call.
    static func mark(from first: Int, through last: Int, cash: Double, position: Double, basis: Double,
                     close: UnsafeBufferPointer<Double>, into equity: UnsafeMutableBufferPointer<Double>) -> Int? {
        guard first <= last else { return nil }
        if position == 0 {
            // Flat: equity is the cash (the broker's `cash + 0.0`).
            guard cash > 0 else { return first }
            for k in first...last { equity[k] = cash }
            return nil
        }
        // The broker's `cash + (close·net − basis)`, in its order of operations.
        for k in first...last {
            let value = cash + (close[k] * position - basis)
            guard value > 0 else { return k }
            equity[k] = value
        }
        return nil
    }

    /// RuleStrategy's decision at `bar`, given the state after the bar's fills; the short flags
    /// are already cleared for long-only signals. `heldTooLong`: the open trade reached the
    /// holding limit.
    mutating func decide(at bar: Int, heldTooLong: Bool, longEntry: Bool, longExit: Bool, shortEntry: Bool, shortExit: Bool) {
        var flat = position == 0
        if position > 0, heldTooLong || longExit || shortEntry {
            queueClose(at: bar)
            flat = true
        } else if position < 0, heldTooLong || shortExit || longEntry {
            queueClose(at: bar)
            flat = true
        }
        guard flat else { return }
        if longEntry {
            queueEntry(.buy, at: bar)
        } else if shortEntry {
            queueEntry(.sell, at: bar)
        }
    }

    mutating func takeOrderID() -> OrderID {
        defer { nextOrderID += 1 }
        return OrderID(rawValue: nextOrderID)
    }

    mutating func queueClose(at bar: Int) {
        guard let trade = openTrade else { return }
        orderHistory.append(closeOrder(for: trade, at: bar, eligibleBar: bar + 1))
        pendingClose = orderHistory.count - 1
    }

    /// A market order closing all of `trade`, as `Broker.closePosition` queues it.
    mutating func closeOrder(for trade: Trade, at bar: Int, eligibleBar: Int) -> Order {
        Order(id: takeOrderID(), instrument: 0, side: trade.size > 0 ? .sell : .buy, size: .units(abs(trade.size)),
              type: .market, stopLoss: nil, takeProfit: nil, tag: trade.tag, role: .close, parentTrade: trade.id,
              submittedBar: bar, eligibleBar: eligibleBar, status: .accepted)
    }

    mutating func queueEntry(_ side: OrderSide, at bar: Int) {
        if configuration.exclusiveOrders, let close = pendingClose {
            // The broker's exclusive preamble cancels the close just queued (it leaves the book
            // where it was recorded) and queues a new one.
            orderHistory[close].status = .cancelled
            orderHistory[close].closedBar = bar
            pendingClose = nil
            queueClose(at: bar)
        }
        orderHistory.append(Order(id: takeOrderID(), instrument: 0, side: side, size: size, type: .market,
                                  stopLoss: nil, takeProfit: nil, tag: nil, role: .entry, parentTrade: nil,
                                  submittedBar: bar, status: .accepted))
        pendingEntry = orderHistory.count - 1
    }

    /// The broker's matching of the pending market orders at `bar`'s open: the close, then the entry.
    mutating func fillPending(at bar: Int, open price: Double) {
        if let close = pendingClose.take() {
            if let trade = openTrade, trade.id == orderHistory[close].parentTrade {
                orderHistory[close].quantity = abs(trade.size)
                orderHistory[close].filledQuantity = abs(trade.size)
                closeOpenTrade(at: bar, raw: price, order: orderHistory[close].id)
            }
            orderHistory[close].status = .filled
            orderHistory[close].closedBar = bar
        }
        if let entry = pendingEntry.take() {
            let outcome = fillEntry(id: orderHistory[entry].id, size: orderHistory[entry].size,
                                    side: orderHistory[entry].side, at: bar, price: price)
            orderHistory[entry].status = outcome.status
            if let quantity = outcome.quantity { orderHistory[entry].quantity = quantity }
            orderHistory[entry].filledQuantity = outcome.filled
            orderHistory[entry].closedBar = bar
        }
    }

    /// `Broker.fillEntry` for a market entry `id` of `size` on a flat account: the order's status
    /// after it, its quantity once resolved, and the units filled.
    mutating func fillEntry(id: OrderID, size: SizeType, side: OrderSide, at bar: Int,
                            price raw: Double) -> (status: OrderStatus, quantity: Double?, filled: Double) {
        // Flat: equity is the cash and no margin is in use.
        let equity = cash + 0.0
        let marginAvailable = Swift.max(0, equity - 0.0)
        // The volume through a local: a closure reading `self` has the configuration copied first.
        let volume = bars.volume
        let (units, costPerUnit, price) = configuration.resolveEntry(
            size: size, sign: side.sign, raw: raw, slips: true, volume: volume[volume.startIndex + bar],
            quotedWidth: quotedWidth(at: bar), rules: rules, leverage: leverage,
            marginAvailable: { marginAvailable }, equity: { equity })
        if units == 0 {
            return (.rejected(.sizeBelowOneLot(equity: equity, marginAvailable: marginAvailable)), nil, 0)
        }
        if size.fixedUnits == nil, rules.isBelowMinimum(abs(units)) {
            return (.rejected(.belowMinimumQuantity(quantity: abs(units), minimum: rules.minimumQuantity)), nil, 0)
        }
        let required = abs(units) * costPerUnit
        if required > marginAvailable * leverage {
            return (.rejected(.insufficientMargin(required: required, marginAvailable: marginAvailable)), abs(units), 0)
        }
        let entryPrice = price.entering
        let trade = Trade(id: TradeID(rawValue: nextTradeID), instrument: 0, size: units, entryBar: bar,
                          entryPrice: entryPrice, exitBar: nil, exitPrice: nil, commission: 0,
                          stopLoss: nil, takeProfit: nil, tag: nil)
        nextTradeID += 1
        openTrade = trade
        position = 0.0 + units
        basis = 0.0 + units * entryPrice
        let entryCommission = configuration.commissionAmount(quantity: units, price: entryPrice)
        cash -= entryCommission
        let costs = price.costs(quantity: units, booked: entryPrice)
        fills.append(Fill(order: id, trade: trade.id, instrument: 0, bar: bar, quantity: units, price: entryPrice,
                          commission: entryCommission, spreadCost: costs.spread, slippageCost: costs.slippage))
        return (.filled, abs(units), abs(units))
    }

    /// `Broker.fillClose` of a market close of the whole open trade at `raw`.
    mutating func closeOpenTrade(at bar: Int, raw: Double, order: OrderID) {
        guard let trade = openTrade else { return }
        let volume = bars.volume
        let fraction = configuration.slippageFraction(quantity: -trade.size, price: raw, volume: volume[volume.startIndex + bar])
        let price = configuration.fillPrice(raw: raw, sign: trade.size > 0 ? -1 : 1, slippage: fraction,
                                            quotedWidth: quotedWidth(at: bar), tickSize: rules.tickSize)
        closeOpenTrade(at: bar, price: price, order: order)
    }

    /// `Broker.closeTrade`: exit commission, realized profit into cash.
    mutating func closeOpenTrade(at bar: Int, price: FillPrice, order: OrderID?) {
        guard var trade = openTrade else { return }
        openTrade = nil
        position = 0
        basis = 0
        let (cashChange, exitCommission) = trade.close(at: bar, price: price.exiting, commission: commission)
        cash += cashChange
        closedTrades.append(trade)
        let costs = price.costs(quantity: trade.size, booked: price.exiting)
        fills.append(Fill(order: order, trade: trade.id, instrument: 0, bar: bar, quantity: -trade.size, price: price.exiting,
                          commission: exitCommission, spreadCost: costs.spread, slippageCost: costs.slippage))
    }

    /// Out of money: the open trade closes at the close, without costs, and the cash is zeroed.
    mutating func liquidate(at bar: Int, price: Double) {
        closeOpenTrade(at: bar, price: .unadjusted(price), order: nil)
        cash = 0
    }


    /// The quoted `ask − bid` at `bar`, NaN without quotes (the broker's `quotedWidth`).
    func quotedWidth(at bar: Int) -> Double {
        guard let bid = bars.bid, let ask = bars.ask else { return .nan }
        return ask[ask.startIndex + bar] - bid[bid.startIndex + bar]
    }

    /// `Broker.finalizeOpenTrades` at the last bar: a close for the open trade ahead of the pending
    /// orders, all filled at the last open; returns the equity at the last close (0 when out of money).
    mutating func finalize(at bar: Int) -> Double {
        let open = bars.open[bars.open.startIndex + bar]
        if let trade = openTrade {
            // The broker queues the finalizing close ahead of the strategy's pending orders, so it
            // fills first; its record, the newest order, goes after theirs.
            let strategyPending = (pendingClose, pendingEntry)
            orderHistory.append(closeOrder(for: trade, at: bar, eligibleBar: bar))
            (pendingClose, pendingEntry) = (orderHistory.count - 1, nil)
            fillPending(at: bar, open: open)
            (pendingClose, pendingEntry) = strategyPending
        }
        // A strategy close now finds its trade gone and leaves the book filled without a fill;
        // a strategy entry fills at the last open.
        fillPending(at: bar, open: open)
        let close = bars.close[bars.close.startIndex + bar]
        let value = position == 0 ? cash + 0.0 : cash + (close * position - basis)
        guard value > 0 else {
            liquidate(at: bar, price: close)
            return 0
        }
        return value
    }
}

// MARK: - Signal words

/// Calls `body` with views of the four signal columns: long entries, long exits, short entries,
/// short exits. Streamed long signals are read as they are computed (see `CrossingStream`).
private func withSignalViews<R>(_ signals: TradeSignals, _ body: (SignalView, SignalView, SignalView, SignalView) -> R) -> R {
    let shortEntries = signals.shortEntries, shortExits = signals.shortExits
    // The views do not own their columns: these locals (and the signals' stream) do.
    return withExtendedLifetime((shortEntries, shortExits)) {
        let shorts = (SignalView(unownedBits: shortEntries), SignalView(unownedBits: shortExits))
        if let stream = signals.stream {
            return withExtendedLifetime(stream) {
                body(SignalView(unownedStream: stream, above: true), SignalView(unownedStream: stream, above: false), shorts.0, shorts.1)
            }
        }
        let longEntries = signals.longEntries, longExits = signals.longExits
        return withExtendedLifetime((longEntries, longExits)) {
            body(SignalView(unownedBits: longEntries), SignalView(unownedBits: longExits), shorts.0, shorts.1)
        }
    }
}
