/// How much an order asks for.
///
/// Every form resolves to a quantity of units when the order fills, rounded down to the
/// instrument's lot size (whole units in the `backtestingPy` profile).
public enum SizeType: Sendable, Hashable {
    /// A fixed quantity of units (positive; the side gives the direction).
    case units(Double)
    /// As many units as `amount` of cash buys at the fill price, costs included.
    case notional(Double)
    /// A fraction in (0, 1] of the margin available at fill time, times leverage
    /// (backtesting.py's relative size). ``allIn`` is backtesting.py's default order size.
    case equityFraction(Double)
    /// Size so that a move from the fill price to `stopPrice` loses `fraction` of equity.
    case risk(fraction: Double, stopPrice: Double)

    /// backtesting.py's default size, `1 - 2.2e-16` of the available margin: "all in", with
    /// the sub-ulp margin that keeps `int(margin // price)` from rounding up.
    public static let allIn = SizeType.equityFraction(1 - Double.ulpOfOne)
}
