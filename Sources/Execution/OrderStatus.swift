/// Where an order is in its life.
public enum OrderStatus: Sendable, Hashable {
    /// Accepted and working; it has not filled.
    case accepted
    /// Part of it has filled (against the volume cap) and the rest is working.
    case partiallyFilled
    /// Completely filled.
    case filled
    /// Cancelled by the strategy, by an exclusive order, because its trade closed (a bracket leg),
    /// or by its time in force (the rest of an immediate-or-cancel order; a fill-or-kill order
    /// that could not fill whole). ``Order/filledQuantity`` says how much had filled.
    case cancelled
    /// Replaced (cancel-and-replace, ``Broker/replace(_:type:size:timeInForce:)``) by the order named.
    case replaced(by: OrderID)
    /// Its time in force ran out (day, good-till-date) before it filled completely.
    case expired
    /// Refused by the broker at a fill: nothing more fills (``Order/filledQuantity`` says whether
    /// part of it had filled on earlier bars).
    case rejected(RejectionReason)

    /// True while the order is in the book.
    @inlinable public var isWorking: Bool { self == .accepted || self == .partiallyFilled }
}

/// Why the broker refused an order at fill time.
public enum RejectionReason: Sendable, Hashable, CustomStringConvertible {
    /// The relative size resolved to less than one lot.
    case sizeBelowOneLot(equity: Double, marginAvailable: Double)
    /// The order's cost exceeds the margin available times leverage.
    case insufficientMargin(required: Double, marginAvailable: Double)
    /// The relative size resolved below the instrument's ``InstrumentRules/minimumQuantity``.
    case belowMinimumQuantity(quantity: Double, minimum: Double)

    public var description: String {
        switch self {
        case .sizeBelowOneLot(let equity, let margin):
            return "relative size resolves to less than one lot (equity \(equity), margin available \(margin))"
        case .insufficientMargin(let required, let margin):
            return "insufficient margin: the order needs \(required), margin available is \(margin)"
        case .belowMinimumQuantity(let quantity, let minimum):
            return "relative size resolves to \(quantity) units, below the instrument's minimum of \(minimum)"
        }
    }
}
