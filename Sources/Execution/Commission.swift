/// A user-defined commission schedule.
public protocol CommissionModel: Sendable {
    /// The commission for trading `quantity` (signed: negative for a sale) at `price`.
    /// Negative values are rebates.
    func commission(quantity: Double, price: Double) -> Double
}

/// What the broker charges per fill. Charged on entry and again on exit.
public enum Commission: Sendable {
    /// No commission.
    case none
    /// `fixed + |quantity| · price · rate` — backtesting.py's `commission=rate` or `(fixed, rate)`.
    case relative(rate: Double, fixed: Double = 0)
    /// `max(minimum, |quantity| · perUnit)`: per share or contract with a floor per fill.
    case perUnit(Double, minimum: Double = 0)
    /// A flat amount per fill.
    case perOrder(Double)
    /// A rate that depends on the fill's notional value: the rate of the last tier whose
    /// `threshold` is at most `|quantity| · price` (tiers sorted by threshold; below the first,
    /// the first tier's rate).
    case tiered([CommissionTier])
    /// Any schedule the user defines.
    case custom(any CommissionModel)

    /// The commission for a fill of `quantity` units at `price`.
    ///
    /// The relative form evaluates `fixed + |q|·p·rate` left to right, as backtesting.py does,
    /// so parity runs agree to the last bit.
    @inlinable
    public func amount(quantity: Double, price: Double) -> Double {
        switch self {
        case .none:
            return 0
        case .relative(let rate, let fixed):
            return fixed + abs(quantity) * price * rate
        case .perUnit(let perUnit, let minimum):
            return Swift.max(minimum, abs(quantity) * perUnit)
        case .perOrder(let amount):
            return amount
        case .tiered(let tiers):
            let notional = abs(quantity) * price
            var rate = tiers.first?.rate ?? 0
            for tier in tiers where tier.threshold <= notional { rate = tier.rate }
            return notional * rate
        case .custom(let model):
            return model.commission(quantity: quantity, price: price)
        }
    }
}

/// One step of a ``Commission/tiered(_:)`` schedule.
public struct CommissionTier: Sendable, Hashable {
    /// Notional value from which this rate applies.
    public var threshold: Double
    /// Fraction of notional charged.
    public var rate: Double
    public init(threshold: Double, rate: Double) {
        self.threshold = threshold
        self.rate = rate
    }
}
