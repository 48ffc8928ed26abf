/// What the broker assumes about the prices inside a bar, of which only the open, high, low and
/// close are known. It decides which of several orders a bar reaches fills first (the stop-loss
/// or the take-profit of a bracket), whether a stop-limit's limit is reached after its stop, whether
/// the legs of an entry can fill on the entry bar, and how far a trailing stop has moved before it
/// is hit. One setting, used by every order type alike.
public enum IntrabarPath: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// No path is assumed. Where the order of events inside a bar decides the outcome, the broker
    /// takes the reading that is worse for the trader or that waits: backtesting.py's rules and the
    /// default.
    /// - A bracket's stop-loss is examined before its take-profit.
    /// - The legs of a limit or stop entry wait for the next bar, except a stop entry's
    ///   take-profit reached while its stop-loss was not (both lie beyond the entry in the same
    ///   direction, so the order is known); a market entry's legs can fill on its bar.
    /// - A stop-limit whose limit lies beyond its stop waits for a later bar; one triggered with
    ///   its limit reachable fills at `min(stop, limit)` for a buy (`max` for a sell).
    /// - A trailing stop is tested against its stop from before the bar and follows the bar's
    ///   extreme only after it (a leg opened during the bar follows the close): it never profits
    ///   from a favourable move that may have come after the adverse one.
    case pessimistic
    /// The bar goes open → high → low → close, on straight lines.
    case openHighLowClose
    /// The bar goes from the open to the nearer of its high and low first, then to the other,
    /// then to the close (to the high first when they are equally near).
    case nearerExtremeFirst

    public var description: String {
        switch self {
        case .pessimistic: return "pessimistic (stop-loss before take-profit; undecidable orders wait)"
        case .openHighLowClose: return "open, high, low, close"
        case .nearerExtremeFirst: return "open, nearer extreme, farther extreme, close"
        }
    }
}

/// The assumed path of prices through one bar under a path policy: open → first extreme →
/// second extreme → close, straight between them. A moment on it is a time τ in [0, 3]; leg k
/// runs from τ = k to τ = k + 1.
///
/// Times only order events; prices are never interpolated from them: an order fills at its own
/// price (the limit or stop) or, when that is already passed at the moment it starts to work,
/// at the price of that moment (the open on a gap).
struct BarPath: Sendable {
    /// open, first extreme, second extreme, close.
    let points: (Double, Double, Double, Double)

    init(open: Double, high: Double, low: Double, close: Double, policy: IntrabarPath) {
        let highFirst: Bool
        switch policy {
        case .openHighLowClose, .pessimistic: highFirst = true
        case .nearerExtremeFirst: highFirst = high - open <= open - low
        }
        points = highFirst ? (open, high, low, close) : (open, low, high, close)
    }

    func point(_ k: Int) -> Double {
        switch k {
        case 0: return points.0
        case 1: return points.1
        case 2: return points.2
        default: return points.3
        }
    }

    /// A moment on the path with the price there.
    struct Cursor: Sendable, Equatable {
        var time: Double
        var price: Double
        static func start(_ path: BarPath) -> Cursor { Cursor(time: 0, price: path.points.0) }
    }

    /// The first moment at or after `from` at which the price is at or above `level` (`rising`)
    /// or at or below it, with the price to fill at: `from.price` when it is there already, else
    /// `level`. Nil when the rest of the bar never gets there.
    func firstReach(_ level: Double, rising: Bool, from: Cursor) -> Cursor? {
        if rising ? from.price >= level : from.price <= level { return from }
        var a = from.price, start = from.time
        var k = Swift.min(Int(from.time), 3)
        while k < 3 {
            let b = point(k + 1), end = Double(k + 1)
            if rising ? b >= level : b <= level {
                // a is on the far side of `level` and b reaches it, so b != a.
                let share = (level - a) / (b - a)
                return Cursor(time: start + (end - start) * share, price: level)
            }
            (a, start, k) = (b, end, k + 1)
        }
        return nil
    }

    /// Follows a trailing stop from `from` to the end of the bar. Returns where it is hit (with the
    /// price to fill at: the stop, or `from.price` when that is past it already) or nil, and the
    /// favourable extreme reached before the hit or by the end of the bar.
    ///
    /// A sell stop sits below the highest price seen and can only be hit while the price falls
    /// (rising, the price pulls the stop up behind it); a buy stop mirrors it.
    func followTrail(side: OrderSide, extreme start: Double, trigger: (Double) -> Double,
                     from: Cursor) -> (hit: Cursor?, extreme: Double) {
        let isSell = side == .sell
        var extreme = isSell ? Swift.max(start, from.price) : Swift.min(start, from.price)
        if isSell ? from.price <= trigger(extreme) : from.price >= trigger(extreme) { return (from, extreme) }
        var a = from.price, t0 = from.time
        var k = Swift.min(Int(from.time), 3)
        while k < 3 {
            let b = point(k + 1), end = Double(k + 1)
            let favourable = isSell ? b > a : b < a
            if favourable {
                extreme = isSell ? Swift.max(extreme, b) : Swift.min(extreme, b)
            } else {
                let stop = trigger(extreme)
                if isSell ? b <= stop : b >= stop {
                    let share = (stop - a) / (b - a)
                    return (Cursor(time: t0 + (end - t0) * share, price: stop), extreme)
                }
            }
            (a, t0, k) = (b, end, k + 1)
        }
        return (nil, extreme)
    }
}
