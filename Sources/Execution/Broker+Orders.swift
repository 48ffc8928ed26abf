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
    ///   relative size outside (0, 1], an unknown instrument, or a bracket whose stop-loss,
    ///   entry (limit, stop, or the current close adjusted for spread) and take-profit are not
    ///   in order, or a good-till-date already past. Nothing changes when it throws.
    @discardableResult
    public mutating func submit(_ request: OrderRequest) throws(OrderError) -> OrderID {
        guard request.instrument >= 0, request.instrument < market.count else {
            throw OrderError(.unknownReference, bar: bar, "instrument \(request.instrument) does not exist (\(market.count) loaded)")
        }
        try validateSize(request.size)
        try validatePrice(request.type.limitPrice, "limit")
        try validatePrice(request.type.stopPrice, "stop")
        try validatePrice(request.stopLoss, "stop-loss")
        try validatePrice(request.takeProfit, "take-profit")
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
        if configuration.exclusiveOrders { makeRoomForExclusiveOrder() }
        let order = Order(id: takeOrderID(), instrument: request.instrument, side: request.side, size: request.size,
                          type: request.type, stopLoss: request.stopLoss, takeProfit: request.takeProfit,
                          tag: request.tag, role: .entry, parentTrade: nil, submittedBar: bar,
                          eligibleBar: eligibleBar(), timeInForce: request.timeInForce, status: .accepted)
        workingOrders.append(order)
        return order.id
    }

    /// Submits a buy order (see ``submit(_:)``).
    @discardableResult
    public mutating func buy(_ size: SizeType = .allIn, type: OrderType = .market, stopLoss: Double? = nil,
                             takeProfit: Double? = nil, instrument: Int = 0, tag: Int? = nil) throws(OrderError) -> OrderID {
        try submit(OrderRequest(instrument: instrument, side: .buy, size: size, type: type,
                                stopLoss: stopLoss, takeProfit: takeProfit, tag: tag))
    }

    /// Submits a sell order (see ``submit(_:)``).
    @discardableResult
    public mutating func sell(_ size: SizeType = .allIn, type: OrderType = .market, stopLoss: Double? = nil,
                              takeProfit: Double? = nil, instrument: Int = 0, tag: Int? = nil) throws(OrderError) -> OrderID {
        try submit(OrderRequest(instrument: instrument, side: .sell, size: size, type: type,
                                stopLoss: stopLoss, takeProfit: takeProfit, tag: tag))
    }

    /// Queues a market order closing `portion` of every open trade in `instrument` (at least one unit each).
    public mutating func closePosition(instrument: Int = 0, portion: Double = 1) throws(OrderError) {
        try validatePortion(portion)
        for t in open where t.trade.instrument == instrument { queueClose(of: t.trade, portion: portion) }
    }

    /// Queues a market order closing `portion` of one open trade (at least one unit).
    public mutating func closeTrade(_ id: TradeID, portion: Double = 1) throws(OrderError) {
        try validatePortion(portion)
        guard let t = open.first(where: { $0.trade.id == id }) else {
            throw OrderError(.unknownReference, bar: bar, "\(id) is not open")
        }
        queueClose(of: t.trade, portion: portion)
    }

    /// Cancels a working order. Cancelling a bracket leg leaves the trade without it.
    public mutating func cancel(_ id: OrderID) throws(OrderError) {
        guard let index = workingOrders.firstIndex(where: { $0.id == id }) else {
            throw OrderError(.unknownReference, bar: bar, "\(id) is not working")
        }
        cancelOrder(at: index)
    }

    // MARK: - Internals

    func validateSize(_ size: SizeType) throws(OrderError) {
        if let error = size.validationError(bar: bar, lotSize: configuration.lotSize) { throw error }
    }

    func validatePrice(_ price: Double?, _ name: String) throws(OrderError) {
        if let price, !(price.isFinite && price > 0) {
            throw OrderError(.invalidPrice, bar: bar, "\(name) price must be a positive finite number, is \(price)")
        }
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

    /// Queues a market close of `portion` of `trade` at the front of the book:
    /// `max(1 lot, round(|size|·portion))`, as backtesting.py's `Trade.close`; the whole trade
    /// exactly when `portion` is 1 (rounding to lots could otherwise leave dust of a fractional lot).
    mutating func queueClose(of trade: Trade, portion: Double, eligibleBar eligible: Int? = nil) {
        let lot = configuration.lotSize
        let units = portion == 1 ? abs(trade.size)
            : Swift.max(1, (abs(trade.size) * portion / lot).rounded(.toNearestOrEven)) * lot
        let order = Order(id: takeOrderID(), instrument: trade.instrument, side: trade.size > 0 ? .sell : .buy,
                          size: .units(units), type: .market, stopLoss: nil, takeProfit: nil, tag: trade.tag,
                          role: .close, parentTrade: trade.id, submittedBar: bar,
                          eligibleBar: eligible ?? eligibleBar(), status: .accepted)
        workingOrders.insert(order, at: 0)
    }

    /// backtesting.py's exclusive-order preamble. Its cancel loop removes from the list it walks,
    /// so an order right after a cancelled one survives; the profile keeps that behaviour
    /// (it matters only when two orders are submitted on one bar).
    mutating func makeRoomForExclusiveOrder() {
        var index = 0
        while index < workingOrders.count {
            if !workingOrders[index].isContingent { cancelOrder(at: index) }
            index += 1
        }
        for t in open { queueClose(of: t.trade, portion: 1) }
    }

    mutating func cancelOrder(at index: Int) {
        var order = workingOrders.remove(at: index)
        order.status = .cancelled
        order.closedBar = bar
        if let parent = order.parentTrade, let t = open.firstIndex(where: { $0.trade.id == parent }) {
            if open[t].stopLossOrder == order.id { open[t].stopLossOrder = nil; open[t].trade.stopLoss = nil }
            if open[t].takeProfitOrder == order.id { open[t].takeProfitOrder = nil; open[t].trade.takeProfit = nil }
        }
        orderHistory.append(order)
    }

    mutating func retire(_ id: OrderID, as status: OrderStatus) {
        guard let index = workingOrders.firstIndex(where: { $0.id == id }) else { return }
        var order = workingOrders.remove(at: index)
        order.status = status
        order.closedBar = bar
        orderHistory.append(order)
    }
}
