/// An order the broker cannot accept, thrown when the strategy submits it.
public struct OrderError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A size that is zero, negative, not finite, or a fraction outside (0, 1].
        case invalidSize
        /// A limit, stop, stop-loss or take-profit price that is not a positive finite number, or a
        /// trailing offset out of range.
        case invalidPrice
        /// Stop-loss, entry and take-profit are not in order (`SL < entry < TP` for a buy,
        /// `TP < entry < SL` for a sell).
        case bracketOutOfOrder
        /// The order, trade or instrument it names does not exist.
        case unknownReference
        /// A time in force that cannot work: a good-till-date already past.
        case invalidTimeInForce
        /// A one-cancels-other group of fewer than two orders.
        case invalidGroup
        /// A replacement that changes what the order cannot change (the size or time in force of
        /// a bracket leg, a leg's kind, anything of a close order).
        case invalidReplacement
    }

    /// What is wrong with the order.
    public var kind: Kind
    /// The bar at which the strategy submitted the order.
    public var bar: Int
    /// The problem in words, with the values involved.
    public var message: String

    public init(_ kind: Kind, bar: Int, _ message: String) {
        self.kind = kind
        self.bar = bar
        self.message = message
    }

    public var description: String { "bar \(bar): \(message)" }
}
