/// Skipping bars on which nothing can happen: the signal fast path's use of the broker.
extension Broker {
    /// Marks the bars from `first` up to (not including) `end` on which no working order can
    /// fill, trigger or expire, exactly as ``processBar(_:)`` would, and returns the first bar that
    /// must go through `processBar` instead: one on which an order may act, one whose equity is
    /// zero or negative (the out-of-money stop, which `processBar` carries out), or `end` (at most
    /// the bar count).
    ///
    /// A bar is quiet when every working order that is eligible on it is good-till-cancelled and
    /// priced out of the bar's range: a limit or stop the bar does not reach, a trailing stop the
    /// bar does not reach even after its extreme follows the bar's high (low for a buy). That test
    /// holds for every ``IntrabarPath`` alike (it is the most favourable reading of the trail), and
    /// on a quiet bar each policy leaves a trailing stop's extreme at the bar's high (low), which
    /// is what is recorded here. A market order is never quiet; the bar at which an order waiting
    /// out its latency becomes eligible is left to `processBar`. With more than one instrument
    /// nothing is skipped.
    ///
    /// Complexity: O(working orders) once, then O(1 + trailing stops) per bar skipped.
    public mutating func skipQuietBars(from first: Int, before end: Int, into equity: inout [Double]) -> Int {
        equity.withUnsafeMutableBufferPointer { skipQuietBars(from: first, before: end, into: $0) }
    }

    /// ``skipQuietBars(from:before:into:)`` writing into a buffer (bar `b` at index `b`): for an
    /// engine that keeps the curve where another thread reads the bars it has finished.
    @inlinable
    public mutating func skipQuietBars(from first: Int, before end: Int, into equity: UnsafeMutableBufferPointer<Double>) -> Int {
        // The usual book on the bar after a decision: one market order, eligible, which fills on
        // this bar. Answered here, in the caller, without the call to the scan.
        if first >= 0, book.count == 1, case .market = orderHistory[book[0]].type, orderHistory[book[0]].eligibleBar <= first {
            return first
        }
        return skipQuietBarsInFull(from: first, before: end, into: equity)
    }

    @usableFromInline
    mutating func skipQuietBarsInFull(from first: Int, before end: Int, into equity: UnsafeMutableBufferPointer<Double>) -> Int {
        var last = Swift.min(end, barCount, equity.count)
        let b0 = Swift.max(first, 0)
        guard b0 < last, market.count == 1 else { return b0 }
        if book.isEmpty {
            // Nothing can fill: only the marks change, and no price but the close is read.
            let marked = markOnly(from: b0, to: last, close: market[0].close, cash: cash,
                                  position: activeInstruments.isEmpty ? nil : (netSize[0], entryBasis[0]), into: equity)
            if marked > b0 { currentBar = marked - 1 }
            return marked
        }
        // An eligible market order (the usual book on the bar after a decision) fills on this
        // bar: answered before the scratch for trailing stops is set up.
        for i in book.indices where self[working: i].eligibleBar <= b0 {
            if case .market = self[working: i].type { return b0 }
        }
        // The prices that would wake the book: a high at or above `ceiling` reaches a buy stop or
        // a sell limit, a low at or below `floor` a sell stop or a buy limit.
        var ceiling = Double.infinity, floor = -Double.infinity
        var trails = quietTrails
        quietTrails = []
        trails.removeAll(keepingCapacity: true)
        defer { quietTrails = trails }
        for i in book.indices {
            let eligibleBar = self[working: i].eligibleBar
            if eligibleBar > b0 {
                last = Swift.min(last, eligibleBar)
                continue
            }
            guard self[working: i].timeInForce == .goodTillCancelled else { return b0 }
            let isBuy = self[working: i].side == .buy
            switch self[working: i].type {
            case .market:
                return b0
            case .limit(let limit):
                if isBuy { floor = Swift.max(floor, limit) } else { ceiling = Swift.min(ceiling, limit) }
            case .stop(let stop), .stopLimit(let stop, _):
                if isBuy { ceiling = Swift.min(ceiling, stop) } else { floor = Swift.max(floor, stop) }
            case .trailingStop:
                guard self[working: i].trailingExtreme != nil else { return b0 }
                trails.append(i)
            }
        }
        let prices = market[0]
        // Cash and positions cannot change on a quiet bar: mark with `equity`'s arithmetic.
        let cash = self.cash, active = activeInstruments, net = netSize, basis = entryBasis
        if ceiling == .infinity, floor == -.infinity, trails.isEmpty {
            // Every working order waits out its latency: until then only the marks change.
            let marked = markOnly(from: b0, to: last, close: prices.close, cash: cash,
                                  position: active.isEmpty ? nil : (net[0], basis[0]), into: equity)
            if marked > b0 { currentBar = marked - 1 }
            return marked
        }
        var b = b0
        // No closure here: one capturing `self` would copy the whole broker.
        // Invariant: bars before b are marked and every trailing extreme has followed them.
        while b < last {
            let high = prices.high[b], low = prices.low[b]
            guard high < ceiling, low > floor else { return b }
            for i in trails {
                // The trigger only moves toward the price as the extreme follows it, so the
                // trigger after the bar's favourable extreme is the nearest it can get.
                let isBuy = self[working: i].side == .buy, extreme = self[working: i].trailingExtreme!
                let trigger = self[working: i].trailingTrigger(extreme: isBuy ? Swift.min(extreme, low) : Swift.max(extreme, high))!
                if isBuy ? high >= trigger : low <= trigger { return b }
            }
            var unrealized = 0.0
            for k in active { unrealized += market[k].close[b] * net[k] - basis[k] }
            let value = cash + unrealized
            guard value > 0 else { return b }
            currentBar = b
            for i in trails {
                let extreme = self[working: i].trailingExtreme!
                self[working: i].trailingExtreme = self[working: i].side == .sell ? Swift.max(extreme, high) : Swift.min(extreme, low)
                showTrailOnTrade(self[working: i])
            }
            equity[b] = value
            b += 1
        }
        return b
    }

    /// Writes the equity of bars `first..<end` for one instrument with no working order: cash plus
    /// `close·net − basis` when a position is open (the arithmetic of ``equity``), and returns the
    /// first bar not written: `end`, or the first bar whose equity is zero or negative.
    private func markOnly(from first: Int, to end: Int, close: UnsafePointer<Double>, cash: Double,
                          position: (net: Double, basis: Double)?, into out: UnsafeMutableBufferPointer<Double>) -> Int {
        guard let (net, basis) = position else {
            // Flat: the equity is the cash on every bar.
            guard cash > 0 else { return first }
            for b in first..<end { out[b] = cash }
            return end
        }
        for b in first..<end {
            var unrealized = 0.0
            unrealized += close[b] * net - basis
            let value = cash + unrealized
            guard value > 0 else { return b }
            out[b] = value
        }
        return end
    }
}
