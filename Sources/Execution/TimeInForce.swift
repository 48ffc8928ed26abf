/// How long an order keeps working.
///
/// Every rule counts from the order's first eligible bar: the bar after submission, later with
/// ``BrokerConfiguration/latency``.
public enum TimeInForce: Sendable, Hashable {
    /// Good till cancelled: works until it fills or is cancelled (the default; backtesting.py's only kind).
    case goodTillCancelled
    /// Works through the UTC calendar day of its first eligible bar and expires before the first
    /// bar of a later day. On daily or coarser bars: one bar.
    case day
    /// Immediate or cancel: what fills on the first eligible bar fills; the rest is cancelled.
    case immediateOrCancel
    /// Fill or kill: fills completely on the first eligible bar or is cancelled with nothing filled.
    case fillOrKill
    /// Good till date: works on bars whose time is at most this instant (UTC nanoseconds), then expires.
    case goodTillDate(Int64)

    /// True for the kinds that live one bar (IOC, FOK).
    @inlinable public var isImmediate: Bool { self == .immediateOrCancel || self == .fillOrKill }
}

/// The delay between submitting an order and its first chance to fill.
public enum Latency: Sendable, Hashable {
    /// `n` bars more than the one-bar minimum: an order submitted at bar `t` is first eligible at `t + 1 + n`.
    case bars(Int)
    /// A delay in nanoseconds: first eligible at the first bar after `t` whose time is at least
    /// `time[t] + delay`.
    case nanoseconds(Int64)

    /// No delay beyond the next bar (backtesting.py).
    public static let none = Latency.bars(0)
}
