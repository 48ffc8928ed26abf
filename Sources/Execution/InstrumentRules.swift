/// What the venue of one instrument accepts: quantities in lots of a size, a minimum order
/// quantity, and prices on a tick grid.
///
/// ``BrokerConfiguration/defaultInstrumentRules`` holds for every instrument; entries of
/// ``BrokerConfiguration/instrumentRules`` override it by symbol (a stock in whole shares next to
/// a coin in 0.0001 lots, a future with a 0.25 tick).
public struct InstrumentRules: Sendable, Hashable {
    /// Quantities are whole multiples of this: order sizes, fills, resolved relative sizes (rounded
    /// down). 1 is whole units.
    public var lotSize: Double
    /// The smallest quantity an order may ask for, in units: a `units` size below it is refused at
    /// submission, a relative size that resolves below it is rejected at its fill. Closes are
    /// exempt (a trade smaller than the minimum can always be closed), and so are the parts of an
    /// order a volume cap splits.
    public var minimumQuantity: Double
    /// Prices are whole multiples of this, when set: limit, stop, stop-loss and take-profit prices
    /// off the grid are refused at submission, and every fill price, after slippage and spread, is
    /// rounded to the grid against the trader (a buy up, a sell down; the rounding counts as spread).
    /// Nil: any price.
    public var tickSize: Double?

    public init(lotSize: Double = 1, minimumQuantity: Double? = nil, tickSize: Double? = nil) {
        self.lotSize = lotSize
        self.minimumQuantity = minimumQuantity ?? lotSize
        self.tickSize = tickSize
    }

    /// Nil when the rules can work, else what is wrong with them.
    public var validationProblem: String? {
        guard lotSize.isFinite, lotSize > 0 else { return "lot size must be a positive number, is \(lotSize)" }
        guard minimumQuantity.isFinite, minimumQuantity > 0 else {
            return "minimum quantity must be a positive number, is \(minimumQuantity)"
        }
        if let tickSize, !(tickSize.isFinite && tickSize > 0) { return "tick size must be a positive number, is \(tickSize)" }
        return nil
    }

    /// True when `units` (unsigned) is below ``minimumQuantity`` by more than rounding (lots add
    /// up inexactly in binary).
    @inlinable
    public func isBelowMinimum(_ units: Double) -> Bool { units < minimumQuantity * (1 - 1e-12) }

    /// True when `price` lies on the tick grid (to 1e-9 of a tick), or there is no grid.
    public func isOnTick(_ price: Double) -> Bool {
        guard let tickSize else { return true }
        let ticks = price / tickSize
        return abs(ticks - ticks.rounded()) <= 1e-9 * Swift.max(1, abs(ticks))
    }

    /// `price` on the tick grid, rounded up (`up`) or down, a price already on it (to 1e-9 of a
    /// tick) unchanged in value; `price` itself without a grid.
    @inlinable
    public func roundToTick(_ price: Double, up: Bool) -> Double {
        guard let tickSize else { return price }
        let ticks = price / tickSize
        let nearest = ticks.rounded()
        let whole = abs(ticks - nearest) <= 1e-9 * Swift.max(1, abs(ticks)) ? nearest : (up ? ticks.rounded(.up) : ticks.rounded(.down))
        // Dividing by a whole number of ticks per unit is exact where multiplying by 0.01 is not.
        let perUnit = (1 / tickSize).rounded()
        return abs(perUnit * tickSize - 1) <= 1e-12 ? whole / perUnit : whole * tickSize
    }
}
