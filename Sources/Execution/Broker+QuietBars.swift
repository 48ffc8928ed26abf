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
    /// is what is recorded here. A market order is never quiet; an order waiting out its latency
    /// is not matched, so it does not keep a bar from being quiet.
    ///
    /// Complexity: O(working orders) per bar.
    public mutating func skipQuietBars(from first: Int, before end: Int, into equity: UnsafeMutableBufferPointer<Double>) -> Int {
        let last = Swift.min(end, barCount, equity.count)
        var b = Swift.max(first, 0)
        while b < last {
            guard isQuiet(at: b) else { return b }
            currentBar = b
            let value = self.equity
            guard value > 0 else { return b }
            followTrailsOnQuietBar(b)
            equity[b] = value
            b += 1
        }
        return b
    }

    /// True when no working order can act on bar `b` (see ``skipQuietBars(from:before:into:)``).
    func isQuiet(at b: Int) -> Bool {
        for order in workingOrders where order.eligibleBar <= b {
            guard order.timeInForce == .goodTillCancelled else { return false }
            let prices = market[order.instrument]
            let high = prices.high[b], low = prices.low[b]
            let isBuy = order.side == .buy
            switch order.type {
            case .market:
                return false
            case .limit(let limit):
                if isBuy ? low <= limit : high >= limit { return false }
            case .stop(let stop), .stopLimit(let stop, _):
                if isBuy ? high >= stop : low <= stop { return false }
            case .trailingStop:
                // The trigger only moves toward the price as the extreme follows it, so the
                // trigger after the bar's favourable extreme is the nearest it can get.
                guard let extreme = order.trailingExtreme,
                      let trigger = order.trailingTrigger(extreme: isBuy ? Swift.min(extreme, low) : Swift.max(extreme, high))
                else { return false }
                if isBuy ? high >= trigger : low <= trigger { return false }
            }
        }
        return true
    }

    /// Each trailing stop working on quiet bar `b` follows the bar's high (low for a buy).
    mutating func followTrailsOnQuietBar(_ b: Int) {
        for i in workingOrders.indices {
            let order = workingOrders[i]
            guard order.type.trailingOffset != nil, order.eligibleBar <= b, let extreme = order.trailingExtreme else { continue }
            let prices = market[order.instrument]
            workingOrders[i].trailingExtreme = order.side == .sell ? Swift.max(extreme, prices.high[b]) : Swift.min(extreme, prices.low[b])
            showTrailOnTrade(workingOrders[i])
        }
    }
}
