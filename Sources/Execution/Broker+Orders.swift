import ColumnStore

/// The strategy's side of the broker: submitting, closing and cancelling.
extension Broker {
    /// Accepts an order; it is first eligible to fill on the next bar (later with
    /// ``BrokerConfiguration/latency``) and works as its ``TimeInForce`` allows.
    ///
    /// With ``BrokerConfiguration/exclusiveOrders``, working entry and close orders are cancelled
    /// first and a close order is queued (ahead of everything) for every open trade, so the new
    /// order is sized from the equity left after those closes.
    ///
    /// - Throws: ``OrderError`` for a size or price that is not a positive finite number, a
    ///   relative size outside (0, 1], a trailing offset out of range, an unknown instrument, or a
    ///   bracket whose stop-loss, entry (limit, stop, or the current close adjusted for spread)
    ///   and take-profit are not in order, or a good-till-date already past. Nothing changes when
    ///   it throws.
    @inlinable @discardableResult
    public mutating func submit(_ request: OrderRequest) throws(OrderError) -> OrderID {
        try validate(request)
        if configuration.exclusiveOrders { makeRoomForExclusiveOrder() }
        return accept(request, group: nil)
    }

    /// Submits orders that cancel each other (one-cancels-other): the first fill of any of them,
    /// even a partial one, cancels the others, and so does the strategy cancelling any of them.
    /// An order that expires or is rejected leaves the others working. A typical use: a buy stop
    /// above a range and a sell stop below it, only one of which should trade.
    ///
    /// With ``BrokerConfiguration/exclusiveOrders`` the room is made once, before the group.
    ///
    /// - Returns: the orders' identifiers, in the order given.
    /// - Throws: ``OrderError`` with ``OrderError/Kind/invalidGroup`` for fewer than two orders, or
    ///   the first error ``submit(_:)`` would throw for any of them. Nothing changes when it throws.
    @discardableResult
    public mutating func submitOneCancelsOther(_ requests: [OrderRequest]) throws(OrderError) -> [OrderID] {
        guard requests.count >= 2 else {
            throw OrderError(.invalidGroup, bar: bar, "a one-cancels-other group needs at least two orders, has \(requests.count)")
        }
        for request in requests { try validate(request) }
        if configuration.exclusiveOrders { makeRoomForExclusiveOrder() }
        let group = nextOrderID
        return requests.map { accept($0, group: group) }
    }

    /// Checks a request against the broker's state without changing anything.
    ///
    /// Inlinable for the common request, a plain market order of a relative size on a known
    /// instrument, which has only its fraction to check (the test the full check makes of it):
    /// inlined into a strategy's call, the rest of the test folds away.
    @inlinable
    func validate(_ request: OrderRequest) throws(OrderError) {
        if request.instrument >= 0, request.instrument < market.count, case .market = request.type,
           case .goodTillCancelled = request.timeInForce, case .equityFraction(let f) = request.size,
           request.stopLoss == nil, request.takeProfit == nil, request.trailingStop == nil, f > 0, f <= 1 {
            return
        }
        try validateInFull(request)
    }

    /// ``validate(_:)`` for any request.
    @usableFromInline
    func validateInFull(_ request: OrderRequest) throws(OrderError) {
        guard request.instrument >= 0, request.instrument < market.count else {
            throw OrderError(.unknownReference, bar: bar, "instrument \(request.instrument) does not exist (\(market.count) loaded)")
        }
        let instrumentRules = rules[request.instrument]
        try validateSize(request.size, instrumentRules)
        try validatePrice(request.type.limitPrice, "limit", instrumentRules)
        try validatePrice(request.type.stopPrice, "stop", instrumentRules)
        try validateTrail(request.type.trailingOffset)
        try validateTrail(request.trailingStop)
        try validatePrice(request.stopLoss, "stop-loss", instrumentRules)
        try validatePrice(request.takeProfit, "take-profit", instrumentRules)
        if request.stopLoss != nil || request.takeProfit != nil {
            let reference = request.type.limitPrice ?? request.type.stopPrice
                ?? (bar >= 0 ? configuration.spread.adjust(lastPrice(request.instrument), sign: request.side.sign,
                                                           share: configuration.spreadCharging.entryShare,
                                                           quotedWidth: quotedWidth(request.instrument, at: bar)) : nil)
            if let reference {
                let low = request.side == .buy ? request.stopLoss : request.takeProfit
                let high = request.side == .buy ? request.takeProfit : request.stopLoss
                guard (low ?? -.infinity) < reference, reference < (high ?? .infinity) else {
                    let order = request.side == .buy ? "stop-loss < entry < take-profit" : "take-profit < entry < stop-loss"
                    throw OrderError(.bracketOutOfOrder, bar: bar,
                                     "a \(request.side.rawValue) bracket needs \(order); stop-loss \(request.stopLoss.map { "\($0)" } ?? "none"), entry \(reference), take-profit \(request.takeProfit.map { "\($0)" } ?? "none")")
                }
            }
        }
        if case .goodTillDate(let date) = request.timeInForce, bar >= 0, date < clock[bar] {
            throw OrderError(.invalidTimeInForce, bar: bar,
                             "good-till-date \(Timestamp.iso8601(date)) is before the current bar (\(Timestamp.iso8601(clock[bar])))")
        }
    }

    /// Puts a validated request in the book.
    @usableFromInline
    mutating func accept(_ request: OrderRequest, group: Int?) -> OrderID {
        // A trailing stop starts from the last known price: the close of the bar it is submitted on.
        let extreme = request.type.trailingOffset != nil && bar >= 0 ? lastPrice(request.instrument) : nil
        let id = takeOrderID(), eligible = eligibleBar()
        // Built in place: a 216-byte record named first is copied into the history.
        enqueue(Order(id: id, instrument: request.instrument, side: request.side, size: request.size,
                                   type: request.type, stopLoss: request.stopLoss, takeProfit: request.takeProfit,
                                   tag: request.tag, role: .entry, parentTrade: nil, submittedBar: bar,
                                   eligibleBar: eligible, timeInForce: request.timeInForce, status: .accepted,
                                   trailingStop: request.trailingStop, trailingExtreme: extreme, ocoGroup: group))
        prefetchFill(instrument: request.instrument, bar: eligible)
        return id
    }

    /// Submits a buy order (see ``submit(_:)``).
    @inlinable @discardableResult
    public mutating func buy(_ size: SizeType = .allIn, type: OrderType = .market, stopLoss: Double? = nil,
                             takeProfit: Double? = nil, instrument: Int = 0, tag: Int? = nil) throws(OrderError) -> OrderID {
        try submit(OrderRequest(instrument: instrument, side: .buy, size: size, type: type,
                                stopLoss: stopLoss, takeProfit: takeProfit, tag: tag))
    }

    /// Submits a sell order (see ``submit(_:)``).
    @inlinable @discardableResult
    public mutating func sell(_ size: SizeType = .allIn, type: OrderType = .market, stopLoss: Double? = nil,
                              takeProfit: Double? = nil, instrument: Int = 0, tag: Int? = nil) throws(OrderError) -> OrderID {
        try submit(OrderRequest(instrument: instrument, side: .sell, size: size, type: type,
                                stopLoss: stopLoss, takeProfit: takeProfit, tag: tag))
    }

    /// Queues a market order closing `portion` of every open trade in `instrument` (at least one unit each).
    public mutating func closePosition(instrument: Int = 0, portion: Double = 1) throws(OrderError) {
        try validatePortion(portion)
        for t in held[instrument] { queueClose(of: t.trade, portion: portion) }
    }

    /// Submits an order closing every open trade in `instrument` at a price: a limit (sell at or
    /// above it for a long) or a stop (sell once the price falls to it for a long), working as
    /// `timeInForce` allows. Unlike an opposite entry, it never opens a trade the other way, and
    /// it leaves nothing to do once its trade is gone (closed by a bracket leg, say). Like every
    /// close it is matched before entries on its bar, and ``BrokerConfiguration/exclusiveOrders``
    /// does not apply to it.
    ///
    /// - Returns: the identifiers of the close orders, one per open trade, oldest trade first
    ///   (none when flat).
    /// - Throws: ``OrderError`` for a type that is market or trailing (use ``closePosition(instrument:portion:)``),
    ///   a price that is not a positive finite number, or a good-till-date already past.
    @discardableResult
    public mutating func closePosition(instrument: Int = 0, type: OrderType,
                                       timeInForce: TimeInForce = .goodTillCancelled) throws(OrderError) -> [OrderID] {
        guard instrument >= 0, instrument < market.count else {
            throw OrderError(.unknownReference, bar: bar, "instrument \(instrument) does not exist (\(market.count) loaded)")
        }
        guard type.limitPrice != nil || type.stopPrice != nil else {
            throw OrderError(.invalidPrice, bar: bar, "a priced close needs a limit, stop or stop-limit price")
        }
        try validatePrice(type.limitPrice, "limit", rules[instrument])
        try validatePrice(type.stopPrice, "stop", rules[instrument])
        if case .goodTillDate(let date) = timeInForce, bar >= 0, date < clock[bar] {
            throw OrderError(.invalidTimeInForce, bar: bar,
                             "good-till-date \(Timestamp.iso8601(date)) is before the current bar (\(Timestamp.iso8601(clock[bar])))")
        }
        var ids: [OrderID] = []
        for t in held[instrument] {
            ids.append(queueClose(of: t.trade, portion: 1, type: type, timeInForce: timeInForce))
        }
        return ids
    }

    /// Cancels every working entry order of `instrument` (what is left of a partly filled one
    /// too), leaving closes and bracket legs alone: what a strategy does when it decides to exit
    /// while its entry is still being filled. O(working orders).
    public mutating func cancelEntries(instrument: Int = 0) {
        var index = 0
        while index < book.count {
            let order = self[working: index]
            if order.role == .entry, order.instrument == instrument {
                // Cancelling moves the rest of the order's one-cancels-other group out of the book.
                if let group = order.ocoGroup { cancelGroup(group, except: order.id) }
                cancelOrder(at: workingIndex(of: order.id)!)
                index = 0
            } else {
                index += 1
            }
        }
    }

    /// True while an entry order of `instrument` is working. O(working orders).
    public func hasWorkingEntry(instrument: Int = 0) -> Bool {
        book.contains { orderHistory[$0].role == .entry && orderHistory[$0].instrument == instrument }
    }

    /// Queues a market order closing `portion` of one open trade (at least one unit).
    public mutating func closeTrade(_ id: TradeID, portion: Double = 1) throws(OrderError) {
        try validatePortion(portion)
        guard let t = locate(id).map({ held[$0.instrument][$0.index] }) else {
            throw OrderError(.unknownReference, bar: bar, "\(id) is not open")
        }
        queueClose(of: t.trade, portion: portion)
    }

    /// Cancels a working order (and the rest of its one-cancels-other group). Cancelling a bracket
    /// leg leaves the trade without it. A cancel takes effect at once, latency or not.
    public mutating func cancel(_ id: OrderID) throws(OrderError) {
        guard let index = workingIndex(of: id) else {
            throw OrderError(.unknownReference, bar: bar, "\(id) is not working")
        }
        let group = self[working: index].ocoGroup
        cancelOrder(at: index)
        if let group { cancelGroup(group, except: id) }
    }

    /// Cancel-and-replace: retires the working order `id` as ``OrderStatus/replaced(by:)`` and puts
    /// a copy with the given changes in the book under a new identifier, which works from the next
    /// bar (later with latency) as a new order does; the old order stops working at once. Returns
    /// the new identifier.
    ///
    /// - An entry may change its type (and so its prices), its size and its time in force; it keeps
    ///   its side, bracket, tag and one-cancels-other group. A partly filled entry is replaced by an
    ///   order for what is left of it unless `size` is given.
    /// - A bracket leg may change its price only: a stop-loss leg to another `.stop` or
    ///   `.trailingStop` (a trailing leg starts from the current close), a take-profit leg to
    ///   another `.limit`. Its trade then shows the new price.
    /// - A close order cannot be replaced; cancel it instead.
    ///
    /// - Throws: ``OrderError`` (``OrderError/Kind/unknownReference`` when `id` is not working,
    ///   ``OrderError/Kind/invalidReplacement`` for a change the order cannot take, or what
    ///   ``submit(_:)`` throws for the new values). Nothing changes when it throws.
    @discardableResult
    public mutating func replace(_ id: OrderID, type: OrderType? = nil, size: SizeType? = nil,
                                 timeInForce: TimeInForce? = nil) throws(OrderError) -> OrderID {
        guard let index = workingIndex(of: id) else {
            throw OrderError(.unknownReference, bar: bar, "\(id) is not working")
        }
        let old = self[working: index]
        switch old.role {
        case .close:
            throw OrderError(.invalidReplacement, bar: bar, "\(id) closes a trade at market; cancel it instead of replacing it")
        case .stopLoss, .takeProfit:
            return try replaceLeg(at: index, type: type, size: size, timeInForce: timeInForce)
        case .entry:
            break
        }
        let left = old.quantity.map { SizeType.units($0 - old.filledQuantity) }
        let request = OrderRequest(instrument: old.instrument, side: old.side, size: size ?? left ?? old.size,
                                   type: type ?? old.type, stopLoss: old.stopLoss, takeProfit: old.takeProfit,
                                   trailingStop: old.trailingStop, tag: old.tag, timeInForce: timeInForce ?? old.timeInForce)
        try validate(request)
        let newID = accept(request, group: old.ocoGroup)
        retire(id, as: .replaced(by: newID))
        return newID
    }

    /// Replaces a bracket leg's price (see ``replace(_:type:size:timeInForce:)``).
    private mutating func replaceLeg(at index: Int, type: OrderType?, size: SizeType?,
                                     timeInForce: TimeInForce?) throws(OrderError) -> OrderID {
        let old = self[working: index]
        guard size == nil, timeInForce == nil else {
            throw OrderError(.invalidReplacement, bar: bar, "\(old.id) is a bracket leg: it always closes its whole trade and works until the trade closes; only its price can change")
        }
        guard let type else { return old.id }
        let fits: Bool
        switch (old.role, type) {
        case (.stopLoss, .stop), (.stopLoss, .trailingStop), (.takeProfit, .limit): fits = true
        default: fits = false
        }
        guard fits else {
            let allowed = old.role == .stopLoss ? ".stop or .trailingStop" : ".limit"
            throw OrderError(.invalidReplacement, bar: bar, "\(old.id) is a \(old.role == .stopLoss ? "stop-loss" : "take-profit") leg; it can become \(allowed), not \(type)")
        }
        try validatePrice(type.limitPrice, "limit", rules[old.instrument])
        try validatePrice(type.stopPrice, "stop", rules[old.instrument])
        try validateTrail(type.trailingOffset)
        let leg = Order(id: takeOrderID(), instrument: old.instrument, side: old.side, size: old.size, type: type,
                    tag: old.tag, role: old.role, parentTrade: old.parentTrade, submittedBar: bar, eligibleBar: eligibleBar(),
                    status: .accepted, trailingExtreme: type.trailingOffset != nil ? lastPrice(old.instrument) : nil)
        // In the old leg's place, so the book order (stop-loss legs first) holds.
        enqueue(leg, at: index)
        retire(old.id, as: .replaced(by: leg.id))
        if let parent = old.parentTrade, let (k, t) = locate(parent) {
            if old.role == .stopLoss {
                held[k][t].stopLossOrder = leg.id
                held[k][t].trade.stopLoss = leg.stopTrigger
            } else {
                held[k][t].takeProfitOrder = leg.id
                held[k][t].trade.takeProfit = type.limitPrice
            }
        }
        return leg.id
    }

    // MARK: - Internals

    func validateSize(_ size: SizeType, _ rules: InstrumentRules) throws(OrderError) {
        if let error = size.validationError(bar: bar, lotSize: rules.lotSize) { throw error }
        if let units = size.fixedUnits, rules.isBelowMinimum(units) {
            throw OrderError(.invalidSize, bar: bar, "size \(units) is below the instrument's minimum quantity \(rules.minimumQuantity)")
        }
    }

    func validatePrice(_ price: Double?, _ name: String, _ rules: InstrumentRules) throws(OrderError) {
        guard let price else { return }
        guard price.isFinite, price > 0 else {
            throw OrderError(.invalidPrice, bar: bar, "\(name) price must be a positive finite number, is \(price)")
        }
        guard rules.isOnTick(price) else {
            throw OrderError(.invalidPrice, bar: bar, "\(name) price \(price) is not a multiple of the tick size \(rules.tickSize ?? 0)")
        }
    }

    func validateTrail(_ offset: TrailingOffset?) throws(OrderError) {
        if let problem = offset?.validationProblem { throw OrderError(.invalidPrice, bar: bar, problem) }
    }

    func validatePortion(_ portion: Double) throws(OrderError) {
        guard portion > 0, portion <= 1 else {
            throw OrderError(.invalidSize, bar: bar, "portion to close must be in (0, 1], is \(portion)")
        }
    }

    /// The first bar an order submitted now may fill on: the next bar, later with latency.
    /// O(log bars) for a latency in time.
    func eligibleBar() -> Int {
        switch configuration.latency {
        case .bars(let n):
            return bar + 1 + n
        case .nanoseconds(let delay):
            guard bar >= 0 else { return 0 }
            let due = clock[bar] &+ delay
            // The first bar after this one whose time is at least `due` (times increase).
            var low = bar + 1, high = barCount
            while low < high {
                let mid = (low + high) / 2
                if clock[mid] < due { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    mutating func takeOrderID() -> OrderID {
        defer { nextOrderID += 1 }
        return OrderID(rawValue: nextOrderID)
    }

    /// Queues a close of `portion` of `trade` (at market unless `type` says otherwise) at the
    /// front of the book: `max(1 lot, round(|size|·portion))`, as backtesting.py's `Trade.close`;
    /// the whole trade exactly when `portion` is 1 (rounding to lots could otherwise leave dust of
    /// a fractional lot).
    @discardableResult
    mutating func queueClose(of trade: Trade, portion: Double, eligibleBar eligible: Int? = nil,
                             type: OrderType = .market, timeInForce: TimeInForce = .goodTillCancelled) -> OrderID {
        let lot = rules[trade.instrument].lotSize
        let units = portion == 1 ? abs(trade.size)
            : Swift.max(1, (abs(trade.size) * portion / lot).rounded(.toNearestOrEven)) * lot
        let order = Order(id: takeOrderID(), instrument: trade.instrument, side: trade.size > 0 ? .sell : .buy,
                          size: .units(units), type: type, stopLoss: nil, takeProfit: nil, tag: trade.tag,
                          role: .close, parentTrade: trade.id, submittedBar: bar,
                          eligibleBar: eligible ?? eligibleBar(), timeInForce: timeInForce, status: .accepted)
        enqueue(order, at: 0)
        prefetchFill(of: order)
        return order.id
    }

    /// backtesting.py's exclusive-order preamble. Its cancel loop removes from the list it walks,
    /// so an order right after a cancelled one survives; the profile keeps that behaviour
    /// (it matters only when two orders are submitted on one bar).
    @usableFromInline
    mutating func makeRoomForExclusiveOrder() {
        var index = 0
        while index < book.count {
            if !self[working: index].isContingent { cancelOrder(at: index) }
            index += 1
        }
        for t in openInOrder { queueClose(of: t.trade, portion: 1) }
    }

    mutating func cancelOrder(at index: Int) {
        let record = retire(at: index, as: .cancelled)
        let id = orderHistory[record].id
        if let parent = orderHistory[record].parentTrade, let (k, t) = locate(parent) {
            if held[k][t].stopLossOrder == id { held[k][t].stopLossOrder = nil; held[k][t].trade.stopLoss = nil }
            if held[k][t].takeProfitOrder == id { held[k][t].takeProfitOrder = nil; held[k][t].trade.takeProfit = nil }
        }
    }

    /// Cancels the working orders of one-cancels-other `group` other than `id`.
    mutating func cancelGroup(_ group: Int, except id: OrderID) {
        var index = 0
        while index < book.count {
            if self[working: index].ocoGroup == group, self[working: index].id != id {
                cancelOrder(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Reserves room for `count` order records in ``orderHistory``, an eighth as many ``fills``
    /// and a sixteenth as many ``closedTrades``, advised as huge pages, for an engine whose
    /// strategy said how many orders to expect. The fills and trades grow from there, doubling
    /// into huge pages.
    ///
    /// Every order is recorded, but how many fill is not known (in a run whose entries are
    /// mostly rejected for want of cash, a sixth). Room never written takes no memory, but it is
    /// not free: when a run's lists are released, glibc gives the top of its heap back to the
    /// kernel once it exceeds twice the largest block freed so far, written pages included, and
    /// the next run waits for the kernel to zero each page again. Measured on the million-bar
    /// benchmark: with room for as many fills as orders (and half as many trades), every run
    /// started on fresh memory, about 1.5 ms of a 12 ms run; with these rooms the heap keeps
    /// the released blocks and each run after the first reuses their pages.
    public mutating func reserveRecords(orders count: Int) {
        if count > orderHistory.capacity { orderHistory.reserveCapacityAdvisingHugePages(count) }
        if count / 8 > fills.capacity { fills.reserveCapacityAdvisingHugePages(count / 8) }
        if count / 16 > closedTrades.capacity { closedTrades.reserveCapacityAdvisingHugePages(count / 16) }
    }

    /// Records a new order (whose identifier is the next one, ``takeOrderID()``) at the end of
    /// ``orderHistory`` and puts it in the book at `position` (the end by default). The history
    /// grows by doubling into memory advised as huge pages before anything is written there
    /// (``MemoryAdvice``): a million-bar run can leave tens of thousands of 216-byte records, and
    /// every fresh 4 KiB page of a growing array is a fault.
    @inline(__always)
    mutating func enqueue(_ order: consuming Order, at position: Int? = nil) {
        // The history is indexed by identifier: records are written in identifier order.
        assert(order.id.rawValue == orderHistory.count + 1, "order records out of identifier order")
        orderHistory.appendGrowingIntoHugePages(order)
        if let position { book.insert(orderHistory.count - 1, at: position) } else { book.append(orderHistory.count - 1) }
    }

    /// Removes position `index` from the book and returns the record index it held. The last
    /// position (a lone order's) is taken without the general removal's shifting code.
    @inline(__always)
    mutating func takeFromBook(at index: Int) -> Int {
        index == book.count - 1 ? book.removeLast() : book.remove(at: index)
    }

    /// Takes the working order `id` out of the book as `status` at the current bar; its record
    /// stays where it is. Nothing happens when it is not working.
    mutating func retire(_ id: OrderID, as status: OrderStatus) {
        guard let index = workingIndex(of: id) else { return }
        retire(at: index, as: status)
    }

    /// Takes position `index` out of the book as `status` at the current bar and returns the
    /// index of its record, which stays where it is.
    @discardableResult
    mutating func retire(at index: Int, as status: OrderStatus) -> Int {
        let record = takeFromBook(at: index)
        orderHistory[record].status = status
        orderHistory[record].closedBar = bar
        return record
    }
}
