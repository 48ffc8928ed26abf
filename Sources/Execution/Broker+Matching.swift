import ColumnStore

/// The market side of the broker: matching working orders against a bar.
extension Broker {
    /// Makes `bar` current, fills every order that can fill on it, and returns the equity
    /// marked at its close.
    ///
    /// Orders are walked in book order (closes and stop-loss legs first, then take-profit legs and
    /// entries in submission order), which makes the stop the first leg to fill when one bar
    /// reaches both legs of a bracket: the pessimistic intrabar assumption. An order not yet
    /// eligible (latency) is skipped; a day or good-till-date order past its time expires; an
    /// immediate-or-cancel or fill-or-kill order is cancelled after its first eligible bar; with a
    /// participation cap, the orders of an instrument share `participation × volume` of the bar. When an entry fills
    /// and attaches a bracket at market, the book is walked again so the new legs can fill on the
    /// entry bar.
    ///
    /// Returns nil when equity at the close is zero or negative: every open trade has then been
    /// closed at the close, cash set to zero, and the backtest must stop (backtesting.py's
    /// out-of-money rule).
    ///
    /// Complexity: O(1) with no working orders and one instrument; otherwise O(orders × trades).
    @inlinable
    public mutating func processBar(_ bar: Int) -> Double? {
        currentBar = bar
        if market.count > 1, !activeInstruments.isEmpty { refreshMarks() }
        if !book.isEmpty { matchBar() }
        let equity = self.equity
        if equity <= 0 {
            liquidate()
            return nil
        }
        return equity
    }

    /// Closes the trades still open at the last bar's open (backtesting.py's `finalize_trades`):
    /// queues a close for each and processes the last bar once more, so orders the strategy
    /// submitted on the last bar also fill there (whole: the volume cap does not apply). Returns the equity at the last close, or nil
    /// when the account ran out of money.
    public mutating func finalizeOpenTrades() -> Double? {
        for t in openInOrder.reversed() { queueClose(of: t.trade, portion: 1, eligibleBar: bar) }
        // Everything fills whole at the last open: no volume cap, and the closes skip latency.
        finalizing = true
        defer { finalizing = false }
        return processBar(bar)
    }

    /// Matches the book against the current bar under the configured ``IntrabarPath``.
    @usableFromInline
    mutating func matchBar() {
        if configuration.intrabarPath == .pessimistic {
            matchWorkingOrders()
            followTrailsAfterBar()
        } else {
            matchAlongPath()
        }
    }

    /// The pessimistic reading of a trailing stop: after the bar has been matched, each trailing
    /// stop that was working follows the bar's favourable extreme (its high for a sell, its low
    /// for a buy). A leg whose trade filled inside the bar follows only the close, the one price
    /// known to come after its fill; a trade filled at the open saw the whole bar.
    mutating func followTrailsAfterBar() {
        for i in book.indices {
            let order = self[working: i]
            guard order.type.trailingOffset != nil, order.eligibleBar <= bar, let extreme = order.trailingExtreme else { continue }
            let prices = market[order.instrument]
            // A new leg's extreme is still its trade's fill price.
            let openedThisBar = order.role == .stopLoss && order.submittedBar == bar && extreme != prices.open[bar]
            let reached = openedThisBar ? prices.close[bar] : (order.side == .sell ? prices.high[bar] : prices.low[bar])
            self[working: i].trailingExtreme = order.side == .sell ? Swift.max(extreme, reached) : Swift.min(extreme, reached)
            showTrailOnTrade(self[working: i])
        }
    }

    /// Keeps a trailing stop-loss leg's current stop on its trade (``Trade/stopLoss``).
    mutating func showTrailOnTrade(_ leg: Order) {
        guard leg.role == .stopLoss, let parent = leg.parentTrade,
              let (k, t) = locate(parent) else { return }
        held[k][t].trade.stopLoss = leg.stopTrigger
    }

    /// - Parameter newBar: false for the walk again within a bar, which must not restore the volume cap.
    @usableFromInline
    mutating func matchWorkingOrders(newBar: Bool = true) {
        if newBar, let participation = configuration.participation { refillVolume(participation) }
        var walkAgain = false
        if book.count == 1 {
            // The common book: one order, nothing else to cancel or add before it is matched.
            walkAgain = matchWorking(workingID(0))
        } else {
            // Walk the orders working when the walk began: fills add bracket legs (matched on the
            // next walk) and remove orders. The snapshot reuses one buffer so a bar with orders
            // allocates nothing.
            var snapshot = matchingScratch
            matchingScratch = []
            snapshot.removeAll(keepingCapacity: true)
            for k in book.indices { snapshot.append(workingID(k)) }
            defer { matchingScratch = snapshot }
            for id in snapshot where matchWorking(id) { walkAgain = true }
        }
        if walkAgain { matchWorkingOrders(newBar: false) }
    }

    /// Matches the order `id` if it is still working and eligible (expiring or cancelling it as its
    /// time in force says); returns true when it opened a trade whose bracket must be matched on
    /// this bar too.
    private mutating func matchWorking(_ id: OrderID) -> Bool {
        // An earlier fill may have cancelled this order (the other leg of a bracket).
        guard let index = workingIndex(of: id) else { return false }
        let eligibleBar = self[working: index].eligibleBar, timeInForce = self[working: index].timeInForce
        // Finalizing fills what is working at the last open, latency or not.
        guard eligibleBar <= bar || finalizing else { return false }
        if hasExpired(timeInForce, eligibleBar: eligibleBar) {
            retire(id, as: .expired)
            return false
        }
        let walkAgain = match(at: index)
        // Immediate orders live one bar: what did not fill on it is cancelled.
        if timeInForce.isImmediate, workingIndex(of: id) != nil { retire(id, as: .cancelled) }
        return walkAgain
    }

    /// True when a day or good-till-date order can no longer work at the current bar.
    func hasExpired(_ order: Order) -> Bool { hasExpired(order.timeInForce, eligibleBar: order.eligibleBar) }

    /// True when an order working as `timeInForce` from `eligibleBar` can no longer work at the current bar.
    func hasExpired(_ timeInForce: TimeInForce, eligibleBar: Int) -> Bool {
        switch timeInForce {
        case .day:
            return eligibleBar < barCount
                && Timestamp.dayAndTimeOfDay(clock[bar]).day > Timestamp.dayAndTimeOfDay(clock[eligibleBar]).day
        case .goodTillDate(let date):
            return clock[bar] > date
        case .goodTillCancelled, .immediateOrCancel, .fillOrKill:
            return false
        }
    }

    /// Sets each instrument's volume left on this bar to its share of the bar's volume (nothing on
    /// a bar without volume; no cap while finalizing).
    mutating func refillVolume(_ participation: Double) {
        for k in market.indices {
            let volume = market[k].volume[bar]
            volumeLeft[k] = finalizing ? .infinity : (volume > 0 ? participation * volume : 0)
        }
    }

    /// Matches the working order at `index` against the current bar; returns true when it opened a
    /// trade whose bracket must be matched on this bar too.
    mutating func match(at index: Int) -> Bool {
        // The order is read and changed where its record is (a whole order is a 216-byte copy).
        let r = book[index]
        let prices = market[orderHistory[r].instrument]
        // The high and low are read only by the orders they can decide (a stop, a limit): for a
        // market order they would be two more loads that may miss the cache.
        let open = prices.open[bar]
        let isBuy = orderHistory[r].side == .buy
        let type = orderHistory[r].type

        // A trailing stop submitted before the first bar starts from that bar's open.
        let isTrailing = type.trailingOffset != nil
        if isTrailing, orderHistory[r].trailingExtreme == nil {
            orderHistory[r].trailingExtreme = open
        }
        // A triggered stop becomes a market (or limit) order and stays one. (The trailing trigger
        // is asked of the record only for a trailing stop: the call takes a copy of it.)
        let stopPrice = isTrailing ? orderHistory[r].stopTrigger : type.stopPrice
        if let stop = stopPrice {
            guard isBuy ? prices.high[bar] >= stop : prices.low[bar] <= stop else { return false }
            orderHistory[r].type = type.limitPrice.map { .limit($0) } ?? .market
        }

        let price: Double
        let limitPrice = type.limitPrice
        if let limit = limitPrice {
            let limitReached = isBuy ? prices.low[bar] <= limit : prices.high[bar] >= limit
            // A limit beyond the stop that triggered in this bar cannot be known to have been
            // touched after the trigger: it waits for a later bar.
            let limitBeforeStop = limitReached && (isBuy ? limit <= (stopPrice ?? -.infinity)
                                                        : limit >= (stopPrice ?? .infinity))
            guard limitReached, !limitBeforeStop else { return false }
            // The trigger happened at the stop, or at the open on a gap through it; the limit then
            // gives that price or, when the gap also passed the limit, the limit itself.
            // (backtesting.py takes min(stop, limit), which on a gap can lie outside the bar.)
            let trigger = stopPrice.map { isBuy ? Swift.max(open, $0) : Swift.min(open, $0) } ?? open
            price = isBuy ? Swift.min(trigger, limit) : Swift.max(trigger, limit)
        } else {
            price = stopPrice.map { isBuy ? Swift.max(open, $0) : Swift.min(open, $0) } ?? open
        }
        let isMarket = limitPrice == nil && stopPrice == nil

        // Fills at market (market orders, triggered stops) slip; limit fills do not.
        let slips = limitPrice == nil
        if let parent = orderHistory[r].parentTrade {
            fillClose(orderHistory[r], of: parent, at: price, slips: slips)
            return false
        }
        return fillEntry(record: r, position: index, at: price, slips: slips, isMarket: isMarket, stopPrice: stopPrice)
    }

    /// The units of `wanted` (unsigned) the volume cap lets `instrument` fill on this bar, in whole lots.
    func fillableUnits(_ wanted: Double, instrument: Int) -> Double {
        guard configuration.participation != nil else { return wanted }
        let left = volumeLeft[instrument]
        guard left < wanted else { return wanted }
        let lot = rules[instrument].lotSize
        return (left / lot).rounded(.down) * lot
    }

    /// Records `units` (unsigned) filled by the working order `id`: it leaves the book as filled
    /// when nothing is left of it (or `done`), else it is partially filled and keeps working.
    mutating func recordFill(of id: OrderID, units: Double, instrument: Int, done: Bool) {
        if configuration.participation != nil { volumeLeft[instrument] -= units }
        guard var index = workingIndex(of: id) else { return }
        self[working: index].filledQuantity += units
        let order = self[working: index]
        // One-cancels-other: the first fill of a group's order cancels the rest of the group,
        // which moves this order in the book.
        if let group = order.ocoGroup, order.filledQuantity == units {
            cancelGroup(group, except: id)
            guard let moved = workingIndex(of: id) else { return }
            index = moved
        }
        // Lots add up inexactly in binary (0.1 + 0.2): less than half a lot left is nothing left.
        if done || (order.quantity ?? 0) - order.filledQuantity < rules[instrument].lotSize / 2 {
            retire(id, as: .filled)
        } else {
            self[working: index].status = .partiallyFilled
        }
    }

    /// A close order or a bracket leg: reduce or close its trade.
    ///
    /// A close order asks for its units less what it has filled; a bracket leg always for its
    /// trade's whole size (the broker resizes legs as the trade shrinks). Under a volume cap the
    /// part that does not fit keeps working.
    mutating func fillClose(_ order: Order, of parent: TradeID, at raw: Double, slips: Bool) {
        guard let (k, t) = locate(parent), case .units(let units) = order.size else {
            // The trade has closed already: a close order leaves the book with nothing to do.
            retire(order.id, as: .filled)
            return
        }
        let tradeSize = held[k][t].trade.size
        let wanted = Swift.min(abs(tradeSize), order.isContingent ? units : units - order.filledQuantity)
        if order.quantity == nil, let index = workingIndex(of: order.id) {
            self[working: index].quantity = order.isContingent ? wanted : units
        }
        let fillable = fillableUnits(wanted, instrument: order.instrument)
        guard fillable > 0 else { return }
        let quantity = (tradeSize > 0 ? -1.0 : 1.0) * fillable
        var fraction = 0.0
        if slips {
            // Locals in the volume's closure: one reading `self` has the configuration copied first.
            let volume = market[order.instrument].volume, at = bar
            fraction = configuration.slippageFraction(quantity: quantity, price: raw, volume: volume[at])
        }
        let price = configuration.fillPrice(raw: raw, sign: order.side.sign, slippage: fraction,
                                            quotedWidth: quotedWidth(order.instrument, at: bar),
                                            tickSize: rules[order.instrument].tickSize)
        reduceTrade(instrument: k, at: t, by: quantity, at: price, order: order.id)
        // Done when the trade is gone (a bracket leg has then been resized to nothing) or the
        // order has what it asked for.
        let tradeClosed = locate(parent) == nil
        recordFill(of: order.id, units: fillable, instrument: order.instrument, done: tradeClosed || fillable == wanted)
    }

    /// An entry order, whose record `r` is at `position` in the book. Returns true when it opened
    /// a trade with a bracket that must be matched again on this bar.
    mutating func fillEntry(record r: Int, position: Int, at raw: Double, slips: Bool, isMarket: Bool, stopPrice: Double?) -> Bool {
        assert(book[position] == r, "record \(r) is not at book position \(position)")
        updateMarginSums()
        // The fields read from the order's record, not a copy of the whole record.
        let id = orderHistory[r].id, instrument = orderHistory[r].instrument, side = orderHistory[r].side
        let quantity = orderHistory[r].quantity
        // `at`, not `bar`, in the arguments below: an argument closure reading `self` would have
        // the whole configuration copied first (it is address-only) in case the closure changes it.
        let volume = market[instrument].volume, at = bar, width = quotedWidth(instrument, at: at)
        let instrumentRules = rules[instrument], lot = instrumentRules.lotSize
        // The first fill fixes the order's quantity; after it, what is left is a size in units.
        let size = quantity.map { SizeType.units((($0 - orderHistory[r].filledQuantity) / lot).rounded() * lot) } ?? orderHistory[r].size
        // The account before this fill. Read here, not inside the sizing's closures: a closure
        // reading `self` copies the whole broker (every array in it retained and released).
        let equityBefore = equity, marginBefore = marginAvailable
        // Resolve the size to signed units and price the fill (backtesting.py's arithmetic plus
        // slippage, shared with the fast path).
        var (units, costPerUnit, price) = configuration.resolveEntry(
            size: size, sign: side.sign, raw: raw, slips: slips, volume: volume[at], quotedWidth: width,
            rules: instrumentRules, leverage: leverage, marginAvailable: { marginBefore }, equity: { equityBefore })
        // Until the netting below closes trades (and cancels their legs), the order is where the
        // caller found it in the book.
        if units == 0 {
            retire(at: position, as: .rejected(.sizeBelowOneLot(equity: equityBefore, marginAvailable: marginBefore)))
            return false
        }
        // A relative size below the venue's minimum (a `units` size was checked at submission).
        if quantity == nil, instrumentRules.isBelowMinimum(abs(units)) {
            retire(at: position, as: .rejected(.belowMinimumQuantity(quantity: abs(units), minimum: instrumentRules.minimumQuantity)))
            return false
        }
        // The order is working: its record is the book's.
        if quantity == nil { orderHistory[r].quantity = abs(units) }
        // The volume cap: fill what fits, priced for that quantity; the rest keeps working.
        let fillable = fillableUnits(abs(units), instrument: instrument)
        if fillable < abs(units) {
            if orderHistory[r].timeInForce == .fillOrKill {
                retire(at: position, as: .cancelled)
                return false
            }
            guard fillable > 0 else { return false }
            (units, costPerUnit, price) = configuration.resolveEntry(
                size: .units(fillable), sign: side.sign, raw: raw, slips: slips, volume: volume[at], quotedWidth: width,
                rules: instrumentRules, leverage: leverage, marginAvailable: { marginBefore }, equity: { equityBefore })
        }

        // Netting: close or reduce opposite trades first, oldest first, at the exiting price
        // (slipped; with the spread whole on entry, their entry already paid it).
        var remaining = units
        if !configuration.hedging {
            // Oldest first; closing a trade removes it, so `t` then already names the next one.
            let k = instrument
            var t = 0
            while t < held[k].count, remaining != 0 {
                let trade = held[k][t].trade
                guard (trade.size > 0) != (units > 0) else {
                    t += 1
                    continue
                }
                if abs(remaining) >= abs(trade.size) {
                    closeTrade(instrument: k, at: t, at: price, order: id)
                    remaining += trade.size
                } else {
                    reduceTrade(instrument: k, at: t, by: remaining, at: price, order: id)
                    remaining = 0
                }
            }
        }

        let required = abs(remaining) * costPerUnit
        let available = marginAvailable
        if required > available * leverage {
            retire(id, as: .rejected(.insufficientMargin(required: required, marginAvailable: available)))
            return false
        }

        var matchAgain = false
        if remaining != 0 {
            let order = orderHistory[r]
            openTrade(order, size: remaining, price: price)
            if order.stopLoss != nil || order.takeProfit != nil || order.trailingStop != nil {
                if isMarket {
                    matchAgain = true
                } else if stopPrice != nil, order.type.limitPrice == nil, order.trailingStop == nil, let tp = order.takeProfit,
                          case let (high, low) = (market[order.instrument].high[bar], market[order.instrument].low[bar]),
                          order.side == .buy ? (tp <= high && (order.stopLoss ?? -.infinity) < low)
                                             : (tp >= low && (order.stopLoss ?? .infinity) > high) {
                    // A stop entry whose take-profit was also reached while the stop-loss was not:
                    // both lie in the same direction, so the order of events is known.
                    matchAgain = true
                }
            }
        }
        recordFill(of: id, units: abs(units), instrument: instrument, done: false)
        return matchAgain
    }

    mutating func openTrade(_ order: Order, size: Double, price: FillPrice) {
        // The legs are working from the fill on: a market entry's legs can fill on its bar.
        let entryPrice = price.entering
        let id = TradeID(rawValue: nextTradeID)
        nextTradeID += 1
        let trade = Trade(id: id, instrument: order.instrument, size: size, entryBar: bar, entryPrice: entryPrice,
                          exitBar: nil, exitPrice: nil, commission: 0, stopLoss: nil, takeProfit: nil, tag: order.tag)
        let k = order.instrument
        held[k].append(OpenTrade(trade: trade))
        tradeInstrument.append(Int32(k))
        refreshPosition(k)
        let commission = configuration.commissionAmount(quantity: size, price: entryPrice)
        cash -= commission
        let costs = price.costs(quantity: size, booked: entryPrice)
        fills.appendGrowingIntoHugePages(Fill(order: order.id, trade: id, instrument: order.instrument, bar: bar, quantity: size,
                          price: entryPrice, commission: commission, spreadCost: costs.spread, slippageCost: costs.slippage))
        let t = held[k].count - 1
        let legSide: OrderSide = size > 0 ? .sell : .buy
        if let tp = order.takeProfit {
            let leg = Order(id: takeOrderID(), instrument: order.instrument, side: legSide, size: .units(abs(size)),
                            type: .limit(tp), stopLoss: nil, takeProfit: nil, tag: order.tag, role: .takeProfit,
                            parentTrade: id, submittedBar: bar, eligibleBar: bar, status: .accepted)
            enqueue(leg)
            held[k][t].takeProfitOrder = leg.id
            held[k][t].trade.takeProfit = tp
        }
        if order.stopLoss != nil || order.trailingStop != nil {
            // A trailing leg starts from the fill's market price, before costs.
            let type = order.trailingStop.map(OrderType.trailingStop) ?? .stop(order.stopLoss!)
            let leg = Order(id: takeOrderID(), instrument: order.instrument, side: legSide, size: .units(abs(size)),
                            type: type, stopLoss: nil, takeProfit: nil, tag: order.tag, role: .stopLoss,
                            parentTrade: id, submittedBar: bar, eligibleBar: bar, status: .accepted,
                            trailingExtreme: order.trailingStop == nil ? nil : price.raw,
                            stopBound: order.trailingStop == nil ? nil : order.stopLoss)
            enqueue(leg, at: 0)
            held[k][t].stopLossOrder = leg.id
            held[k][t].trade.stopLoss = leg.stopTrigger
        }
    }

    /// Reduces `instrument`'s open trade at `index` by `quantity` (opposite sign to its size): the
    /// closed part becomes its own trade (a copy with a new identifier), the remainder keeps the original.
    mutating func reduceTrade(instrument k: Int, at index: Int, by quantity: Double, at price: FillPrice, order: OrderID?) {
        let left = held[k][index].trade.size + quantity
        if left == 0 {
            closeTrade(instrument: k, at: index, at: price, order: order)
            return
        }
        held[k][index].trade.size = left
        for legID in [held[k][index].stopLossOrder, held[k][index].takeProfitOrder] {
            if let legID, let o = workingIndex(of: legID) { self[working: o].size = .units(abs(left)) }
        }
        var part = held[k][index].trade
        part = Trade(id: TradeID(rawValue: nextTradeID), instrument: part.instrument, size: -quantity,
                     entryBar: part.entryBar, entryPrice: part.entryPrice, exitBar: nil, exitPrice: nil,
                     commission: 0, stopLoss: nil, takeProfit: nil, tag: part.tag)
        nextTradeID += 1
        held[k].append(OpenTrade(trade: part))
        tradeInstrument.append(Int32(k))
        closeTrade(instrument: k, at: held[k].count - 1, at: price, order: order)
    }

    /// Closes the trade at `index` at `price.exiting`: exit commission, realized profit into cash,
    /// bracket legs and priced closes cancelled.
    mutating func closeTrade(instrument: Int, at index: Int, at price: FillPrice, order: OrderID?) {
        let entry = held[instrument].remove(at: index)
        refreshPosition(instrument)
        if let leg = entry.stopLossOrder, leg != order { retire(leg, as: .cancelled) }
        if let leg = entry.takeProfitOrder, leg != order { retire(leg, as: .cancelled) }
        // A priced close of this trade (``closePosition(instrument:type:timeInForce:)``) has
        // nothing left to do; market closes leave as filled when matched, as backtesting.py's do.
        var o = 0
        while o < book.count {
            let other = self[working: o]
            if other.role == .close, other.parentTrade == entry.trade.id, other.id != order, other.type != .market {
                cancelOrder(at: o)
            } else {
                o += 1
            }
        }
        var trade = entry.trade
        // With none or a relative commission the closure holds the two numbers; one reading
        // `configuration` through `self` has the whole configuration copied first.
        let (cashChange, exitCommission) = if let terms = configuration.commissionTerms {
            trade.close(at: bar, price: price.exiting, commission: terms.amount)
        } else {
            trade.close(at: bar, price: price.exiting, commission: { configuration.commissionAmount(quantity: $0, price: $1) })
        }
        cash += cashChange
        closedTrades.appendGrowingIntoHugePages(trade)
        let costs = price.costs(quantity: trade.size, booked: price.exiting)
        fills.appendGrowingIntoHugePages(Fill(order: order, trade: trade.id, instrument: trade.instrument, bar: bar, quantity: -trade.size,
                          price: price.exiting, commission: exitCommission, spreadCost: costs.spread, slippageCost: costs.slippage))
    }

    /// Out of money: close every open trade at the current close and zero the cash.
    @usableFromInline
    mutating func liquidate() {
        // backtesting.py walks its trade list while removing from it, so it closes every other
        // trade; the rest stay open (and out of the statistics). The profile keeps that.
        for (position, t) in openInOrder.enumerated() where position % 2 == 0 {
            guard let (k, index) = locate(t.trade.id) else { continue }
            closeTrade(instrument: k, at: index, at: .unadjusted(lastPrice(k)), order: nil)
        }
        cash = 0
    }
}

/// Python's float floor division `a // b` (CPython `float_floor_div`), bit for bit: the floor
/// of the exact quotient for quotients below 2^52 in magnitude.
///
/// The rounded quotient `a / b` is within half an ulp of the exact one, so when it lies more
/// than an ulp from an integer on either side (almost always), its floor is the exact
/// quotient's floor, one division instead of CPython's remainder and division. Otherwise (a
/// quotient on or next to an integer, zero, huge, infinite or NaN) CPython's own steps decide
/// (`pythonFloorDivisionInSteps`); tests hold the two to the same bits and both to
/// Python's on awkward pairs.
@inlinable
public func pythonFloorDivision(_ a: Double, _ b: Double) -> Double {
    let quotient = a / b
    // False for NaN and infinities; |quotient| < 2^52 keeps floor + 1 exact and the quotient
    // within Int64. The floor through a truncating conversion: x86-64's baseline has no
    // rounding instruction, and `rounded(.down)` is a call into the C library.
    if abs(quotient) < 0x1p52 {
        let truncated = Double(Int64(quotient))
        let floor = truncated > quotient ? truncated - 1 : truncated
        if quotient.nextDown > floor, quotient.nextUp < floor + 1 { return floor }
    }
    return pythonFloorDivisionInSteps(a, b)
}

/// CPython's `float_floor_div` step by step: the quotient is `(a − fmod(a, b)) / b`, adjusted
/// toward minus infinity and snapped to the nearest integer when rounding left it within one
/// half of it. (``pythonFloorDivision(_:_:)`` takes a shortcut away from integers.)
@inlinable
func pythonFloorDivisionInSteps(_ a: Double, _ b: Double) -> Double {
    var mod = a.truncatingRemainder(dividingBy: b)
    var div = (a - mod) / b
    if mod != 0 {
        if (b < 0) != (mod < 0) {
            mod += b
            div -= 1
        }
    }
    guard div != 0 else { return (a / b).sign == .minus ? -0.0 : 0.0 }
    var floored = div.rounded(.down)
    if div - floored > 0.5 { floored += 1 }
    return floored
}
