/// Matching under a path policy (``IntrabarPath/openHighLowClose``,
/// ``IntrabarPath/nearerExtremeFirst``): every order's first moment on the bar's assumed path
/// is found, and orders fill in the order of those moments.
extension Broker {
    /// What happens to one order on the current bar's path, and when.
    enum PathEvent {
        /// It fills at `at.price` (raw); fills at market slip, limit fills do not.
        case fill(at: BarPath.Cursor, slips: Bool)
        /// A stop-limit's stop triggers and its limit is not reached afterwards in this bar: it
        /// becomes a limit order at `limit` and waits.
        case trigger(at: BarPath.Cursor, limit: Double)

        var time: Double {
            switch self {
            case .fill(let at, _), .trigger(let at, _): return at.time
            }
        }
    }

    /// Matches the book along the bar's path, earliest event first (book order among equal
    /// moments, so a stop-loss leg still goes before a take-profit leg reached at the same price).
    /// Each order has one event per bar: what a volume cap leaves of it waits for the next bar.
    /// Legs an entry attaches start to work from the moment of its fill, so they can fill later on
    /// the same bar; trailing stops follow the path up to their hit or the bar's end.
    ///
    /// Complexity: O(events × orders) per bar.
    mutating func matchAlongPath() {
        if let participation = configuration.participation { refillVolume(participation) }
        var paths = ContiguousArray<BarPath?>(repeating: nil, count: market.count)
        // Orders that have had their event this bar; legs opened this bar with their first moment.
        var handled: [OrderID] = []
        var starts: [(OrderID, BarPath.Cursor)] = []

        var index = 0
        while index < book.count {
            let order = self[working: index]
            if (order.eligibleBar <= bar || finalizing) && hasExpired(order) {
                retire(order.id, as: .expired)
            } else {
                index += 1
            }
        }

        while true {
            var next: (index: Int, event: PathEvent)?
            for i in book.indices {
                let order = self[working: i]
                guard order.eligibleBar <= bar || finalizing, !handled.contains(order.id) else { continue }
                let path = paths[order.instrument] ?? makePath(order.instrument, into: &paths)
                let start = starts.first { $0.0 == order.id }?.1 ?? .start(path)
                guard let event = pathEvent(order, path: path, from: start) else { continue }
                if next == nil || event.time < next!.event.time { next = (i, event) }
            }
            guard let (i, event) = next else { break }
            var order = self[working: i]
            handled.append(order.id)
            switch event {
            case .trigger(_, let limit):
                self[working: i].type = .limit(limit)
            case .fill(let at, let slips):
                // A triggered stop becomes a market (a stop-limit a limit) order and stays one.
                if order.type.stopPrice != nil || order.type.trailingOffset != nil {
                    order.type = order.type.limitPrice.map { .limit($0) } ?? .market
                    self[working: i] = order
                }
                let firstNewID = nextOrderID
                if let parent = order.parentTrade {
                    fillClose(order, of: parent, at: at.price, slips: slips)
                } else {
                    _ = fillEntry(record: book[i], position: i, at: at.price, slips: slips, isMarket: false, stopPrice: nil)
                }
                // Legs the fill attached work from its moment on.
                for record in book where orderHistory[record].id.rawValue >= firstNewID { starts.append((orderHistory[record].id, at)) }
            }
        }

        // Over a copy of the book: retiring takes orders out of it.
        for record in book where orderHistory[record].timeInForce.isImmediate && orderHistory[record].eligibleBar <= bar {
            retire(orderHistory[record].id, as: .cancelled)
        }
        // Trailing stops not hit follow the path from their start to the bar's end.
        for i in book.indices {
            let order = self[working: i]
            guard order.type.trailingOffset != nil, order.eligibleBar <= bar || finalizing,
                  let path = paths[order.instrument] else { continue }
            let start = starts.first { $0.0 == order.id }?.1 ?? .start(path)
            let extreme = order.trailingExtreme ?? start.price
            self[working: i].trailingExtreme = path.followTrail(side: order.side, extreme: extreme,
                                                                trigger: { order.trailingTrigger(extreme: $0)! }, from: start).extreme
            showTrailOnTrade(self[working: i])
        }
    }

    private func makePath(_ instrument: Int, into paths: inout ContiguousArray<BarPath?>) -> BarPath {
        let prices = market[instrument]
        let path = BarPath(open: prices.open[bar], high: prices.high[bar], low: prices.low[bar], close: prices.close[bar],
                           policy: configuration.intrabarPath)
        paths[instrument] = path
        return path
    }

    /// The first thing that happens to `order` on `path` from `start`, or nil when nothing does.
    func pathEvent(_ order: Order, path: BarPath, from start: BarPath.Cursor) -> PathEvent? {
        let isBuy = order.side == .buy
        switch order.type {
        case .market:
            return .fill(at: start, slips: true)
        case .limit(let limit):
            return path.firstReach(limit, rising: !isBuy, from: start).map { .fill(at: $0, slips: false) }
        case .stop(let stop):
            return path.firstReach(stop, rising: isBuy, from: start).map { .fill(at: $0, slips: true) }
        case .stopLimit(let stop, let limit):
            guard let triggered = path.firstReach(stop, rising: isBuy, from: start) else { return nil }
            guard let reached = path.firstReach(limit, rising: !isBuy, from: triggered) else {
                return .trigger(at: triggered, limit: limit)
            }
            return .fill(at: reached, slips: false)
        case .trailingStop:
            let extreme = order.trailingExtreme ?? start.price
            let hit = path.followTrail(side: order.side, extreme: extreme, trigger: { order.trailingTrigger(extreme: $0)! },
                                       from: start).hit
            return hit.map { .fill(at: $0, slips: true) }
        }
    }
}
