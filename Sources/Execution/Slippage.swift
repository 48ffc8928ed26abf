#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A user-defined slippage model.
public protocol SlippageModel: Sendable {
    /// The fraction of the price a fill of `quantity` units (unsigned) at `price` moves against the
    /// trader, on a bar that traded `volume` units (NaN when the data has no volume). The broker
    /// clamps the result to `[0, maximumFraction]`; NaN counts as the maximum.
    func fraction(quantity: Double, price: Double, volume: Double) -> Double
    /// The largest fraction the model can return, below 1.
    var maximumFraction: Double { get }
}

/// How far a fill's price moves against the trader beyond the spread: the cost of taking liquidity.
///
/// Slippage applies to fills at market: market orders (entries and closes) and stop orders once
/// triggered, including stop-loss legs. Limit fills (limit entries, take-profit legs, stop-limit
/// orders) fill at their price or better and do not slip. The slipped price is
/// `price·(1 + sign·fraction)`, the spread is then applied on top of it, and each is recorded per
/// fill (``Fill/slippageCost``, ``Fill/spreadCost``).
public enum Slippage: Sendable {
    /// No slippage (backtesting.py).
    case none
    /// A fixed fraction of the price, in basis points (1 bp = 0.01 %), in [0, 10 000).
    case fixed(basisPoints: Double)
    /// Volume-share market impact, `coefficient · (quantity / volume)^exponent`, at most `maximum`:
    /// with `exponent` ½ the square-root law. A bar with no (or NaN) volume costs the maximum.
    case volumeShare(coefficient: Double, exponent: Double = 0.5, maximum: Double = 0.1)
    /// Any model the user defines.
    case custom(any SlippageModel)

    /// The fraction of the price a fill of `quantity` units (unsigned) at `price` slips, on a bar
    /// that traded `volume`. In `[0, maximumFraction]`.
    @inlinable
    public func fraction(quantity: Double, price: Double, volume: Double) -> Double {
        switch self {
        case .none:
            return 0
        case .fixed(let bps):
            return bps / 10_000
        case .volumeShare(let coefficient, let exponent, let maximum):
            guard volume > 0 else { return maximum }
            let impact = coefficient * pow(abs(quantity) / volume, exponent)
            return impact < maximum ? impact : maximum
        case .custom(let model):
            let maximum = model.maximumFraction
            let f = model.fraction(quantity: abs(quantity), price: price, volume: volume)
            guard !f.isNaN else { return maximum }
            return Swift.min(Swift.max(f, 0), maximum)
        }
    }

    /// The largest fraction this slippage can take.
    public var maximumFraction: Double {
        switch self {
        case .none: return 0
        case .fixed(let bps): return bps / 10_000
        case .volumeShare(_, _, let maximum): return maximum
        case .custom(let model): return model.maximumFraction
        }
    }

    /// True when the fraction depends on the quantity, so a relative size is resolved twice
    /// (see ``BrokerConfiguration``).
    @inlinable public var dependsOnQuantity: Bool {
        switch self {
        case .none, .fixed: return false
        case .volumeShare, .custom: return true
        }
    }

    /// Why these settings are out of range, or nil.
    func validationError() -> String? {
        switch self {
        case .none:
            return nil
        case .fixed(let bps):
            guard bps.isFinite, bps >= 0, bps < 10_000 else { return "fixed basis points must be in [0, 10000), is \(bps)" }
        case .volumeShare(let coefficient, let exponent, let maximum):
            guard coefficient.isFinite, coefficient >= 0 else { return "coefficient must be a non-negative number, is \(coefficient)" }
            guard exponent.isFinite, exponent > 0 else { return "exponent must be a positive number, is \(exponent)" }
            guard maximum.isFinite, maximum >= 0, maximum < 1 else { return "maximum must be in [0, 1), is \(maximum)" }
        case .custom(let model):
            let maximum = model.maximumFraction
            guard maximum.isFinite, maximum >= 0, maximum < 1 else { return "maximumFraction must be in [0, 1), is \(maximum)" }
        }
        return nil
    }
}
