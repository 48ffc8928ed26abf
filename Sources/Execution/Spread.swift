/// The bid-ask spread a fill pays: how wide it is, in the units the user has.
///
/// Bar prices are taken as mid prices; a buy pays above them, a sell receives below them. How much
/// of the width each fill pays is ``SpreadCharging``'s choice: the whole width on the entering fill
/// (backtesting.py), or half on every fill.
public enum Spread: Sendable, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// A fraction of the price: a buy fills at `price·(1 + k·spread)`, a sell at `price·(1 − k·spread)`,
    /// `k` being 1 or ½ (backtesting.py's `spread`).
    case relative(Double)
    /// A width in price units: a buy fills at `price + k·width`, a sell at `price − k·width`.
    case absolute(Double)
    /// The width `ask − bid` of the fill bar, from the bars' bid and ask columns (every bar needs both).
    case quoted

    /// No spread.
    public static let none = Spread.relative(0)

    /// A relative spread: `spread: 0.0002` reads as 2 basis points of the price.
    public init(floatLiteral value: Double) { self = .relative(value) }
    public init(integerLiteral value: Int) { self = .relative(Double(value)) }

    /// The entering-side adjustment of `price` for a fill of `sign` (+1 buy, −1 sell) that pays
    /// `share` (1 or ½) of the width; `quotedWidth` is the fill bar's `ask − bid` for ``quoted``.
    ///
    /// The relative form keeps backtesting.py's expression, `price·(1 + sign·spread)` (with
    /// share 1, `spread·1` is exact), so parity runs agree to the bit.
    @inlinable
    public func adjust(_ price: Double, sign: Double, share: Double, quotedWidth: Double) -> Double {
        switch self {
        case .relative(let spread): return price * (1 + sign * (spread * share))
        case .absolute(let width): return price + sign * (width * share)
        case .quoted: return price + sign * (quotedWidth * share)
        }
    }

    /// True when the spread is zero whatever the bar.
    @inlinable public var isZero: Bool {
        switch self {
        case .relative(let s), .absolute(let s): return s == 0
        case .quoted: return false
        }
    }
}

/// Which fills pay the spread.
public enum SpreadCharging: String, Sendable, Hashable, CaseIterable {
    /// The whole width on the fill that opens a trade, nothing on the one that closes it
    /// (backtesting.py: a trade's entry price carries the spread, its exit price is the bar's).
    case wholeOnEntry = "whole-on-entry"
    /// Half the width on every fill, entry and exit: each side crosses from the mid to the bid or ask.
    case halfEachSide = "half-each-side"

    /// The share of the width the entering fill pays.
    @inlinable public var entryShare: Double { self == .wholeOnEntry ? 1 : 0.5 }
    /// The share of the width the exiting fill pays.
    @inlinable public var exitShare: Double { self == .wholeOnEntry ? 0 : 0.5 }
}
