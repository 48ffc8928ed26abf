/// How an order's fill price is determined.
///
/// Prices are absolute. Fill rules (evaluated on each bar from the one after submission):
/// - `market`: the bar's open.
/// - `limit(p)`: a buy fills when the bar's low reaches `p`, at `min(open, p)`; a sell when the
///   high reaches `p`, at `max(open, p)`. A gap through the limit fills at the (better) open.
/// - `stop(p)`: a buy triggers when the high reaches `p` and fills at `max(open, p)`; a sell when the
///   low reaches `p`, at `min(open, p)`. A gap through the stop fills at the (worse) open.
/// - `stopLimit(stop:limit:)`: once the stop triggers, the order becomes a limit order at `limit`;
///   if the limit is also reached in the triggering bar it fills at `min(stop, limit)` for a buy
///   (`max` for a sell) unless the limit lies beyond the stop, in which case it waits for a later
///   bar (the limit cannot be known to have been touched after the stop).
/// - `trailingStop(offset)`: a stop whose price follows the most favourable price since the order
///   began to work (see ``TrailingOffset``): a sell `offset` below the highest price, a buy above
///   the lowest. It starts from the close of the bar it was submitted on (a bracket leg from its
///   trade's fill price) and, once triggered, fills as a stop at its current price.
///
/// Which of several prices a bar reaches first, and so which order fills first, is decided by
/// ``BrokerConfiguration/intrabarPath`` (see ``IntrabarPath``); the table above is the
/// ``IntrabarPath/pessimistic`` reading.
public enum OrderType: Sendable, Hashable {
    case market
    case limit(Double)
    case stop(Double)
    case stopLimit(stop: Double, limit: Double)
    case trailingStop(TrailingOffset)

    /// The limit price, if the order has one.
    @inlinable public var limitPrice: Double? {
        switch self {
        case .limit(let p), .stopLimit(_, let p): return p
        case .market, .stop, .trailingStop: return nil
        }
    }

    /// The fixed stop (trigger) price, if the order has one (a trailing stop's moves: see
    /// ``Order/stopTrigger``).
    @inlinable public var stopPrice: Double? {
        switch self {
        case .stop(let p), .stopLimit(let p, _): return p
        case .market, .limit, .trailingStop: return nil
        }
    }

    /// The trailing offset of a trailing stop.
    @inlinable public var trailingOffset: TrailingOffset? {
        if case .trailingStop(let offset) = self { return offset }
        return nil
    }
}
