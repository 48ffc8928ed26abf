/// How far a trailing stop follows the most favourable price seen since it started to work.
///
/// A sell trailing stop (it protects a long position) sits `offset` below the highest price seen;
/// a buy trailing stop (it protects a short) sits `offset` above the lowest. The stop only ever
/// tightens: it follows the favourable extreme and ignores moves against the position.
public enum TrailingOffset: Sendable, Hashable, CustomStringConvertible {
    /// A distance in price units, > 0.
    case amount(Double)
    /// A distance in percent of the extreme, in (0, 100): `percent(5)` trails 5 % behind.
    case percent(Double)

    /// The stop price for an order on `side` whose favourable extreme is `extreme`:
    /// `extreme − amount` or `extreme·(1 − p/100)` for a sell, `+` for a buy.
    @inlinable
    public func stopPrice(side: OrderSide, extreme: Double) -> Double {
        switch self {
        case .amount(let distance):
            return side == .sell ? extreme - distance : extreme + distance
        case .percent(let p):
            return side == .sell ? extreme * (1 - p / 100) : extreme * (1 + p / 100)
        }
    }

    /// Nil when the offset can work, else what is wrong with it.
    public var validationProblem: String? {
        switch self {
        case .amount(let distance):
            return distance.isFinite && distance > 0 ? nil : "trailing amount must be a positive finite number, is \(distance)"
        case .percent(let p):
            return p.isFinite && p > 0 && p < 100 ? nil : "trailing percent must be in (0, 100), is \(p)"
        }
    }

    public var description: String {
        switch self {
        case .amount(let distance): return "\(distance) behind the extreme"
        case .percent(let p): return "\(p)% behind the extreme"
        }
    }
}
