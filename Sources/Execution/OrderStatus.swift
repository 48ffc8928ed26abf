/// Where an order is in its life.
public enum OrderStatus: Sendable, Hashable {
    /// Accepted and working; it has not filled.
    case accepted
    /// Completely filled.
    case filled
    /// Cancelled by the strategy, by an exclusive order, or because its trade closed (a bracket leg).
    case cancelled
    /// Refused by the broker; nothing was filled.
    case rejected(RejectionReason)
}

/// Why the broker refused an order at fill time.
public enum RejectionReason: Sendable, Hashable, CustomStringConvertible {
    /// The relative size resolved to less than one lot.
    case sizeBelowOneLot(equity: Double, marginAvailable: Double)
    /// The order's cost exceeds the margin available times leverage.
    case insufficientMargin(required: Double, marginAvailable: Double)

    public var description: String {
        switch self {
        case .sizeBelowOneLot(let equity, let margin):
            return "relative size resolves to less than one lot (equity \(equity), margin available \(margin))"
        case .insufficientMargin(let required, let margin):
            return "insufficient margin: the order needs \(required), margin available is \(margin)"
        }
    }
}
