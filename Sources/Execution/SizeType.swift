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

extension SizeType {
    /// Why the broker refuses this size, or nil when it accepts it: a quantity or notional that is
    /// not a positive finite number, a quantity that is not a whole number of lots, a fraction
    /// outside (0, 1], or a risk stop price that is not a positive finite number.
    ///
    /// - Parameters:
    ///   - bar: the bar to name in the error (the bar at which the order is submitted).
    ///   - lotSize: the instrument's lot; a unit size must be a whole number of lots.
    public func validationError(bar: Int, lotSize: Double) -> OrderError? {
        switch self {
        case .units(let q):
            guard q.isFinite, q > 0 else { return OrderError(.invalidSize, bar: bar, "size must be a positive finite number, is \(q)") }
            let lots = q / lotSize
            guard abs(lots - lots.rounded()) <= 1e-9 * Swift.max(1, lots) else {
                return OrderError(.invalidSize, bar: bar, "size \(q) is not a whole number of lots (lot size \(lotSize))")
            }
        case .notional(let q):
            guard q.isFinite, q > 0 else { return OrderError(.invalidSize, bar: bar, "notional must be a positive finite number, is \(q)") }
        case .equityFraction(let f):
            guard f > 0, f <= 1 else { return OrderError(.invalidSize, bar: bar, "equity fraction must be in (0, 1], is \(f)") }
        case .risk(let f, let stop):
            guard f > 0, f <= 1 else { return OrderError(.invalidSize, bar: bar, "risk fraction must be in (0, 1], is \(f)") }
            guard stop.isFinite, stop > 0 else {
                return OrderError(.invalidPrice, bar: bar, "risk stop price must be a positive finite number, is \(stop)")
            }
        }
        return nil
    }
}

extension SizeType {
    /// What an order of this size amounts to when it fills: its signed quantity, and the cost per
    /// unit (spread-adjusted price plus commission) the margin check multiplies it by.
    ///
    /// backtesting.py's arithmetic, shared by the broker and the signal fast path so both resolve
    /// sizes to the same bits: commission per unit is computed from the order's own size (the
    /// fraction itself for a relative size), relative sizes are floored with Python's float
    /// floor division to whole lots. A size that resolves below one lot gives 0 units.
    ///
    /// - Parameters:
    ///   - sign: +1 for a buy, −1 for a sell.
    ///   - price: the fill price before the spread.
    ///   - adjustedPrice: the fill price after the spread.
    ///   - commission: the account's commission model, priced per unit of this order.
    ///   - lot: the instrument's lot size; relative sizes floor to whole lots.
    ///   - leverage: the account's leverage (1 / margin ratio).
    ///   - marginAvailable: evaluated only for ``equityFraction(_:)``.
    ///   - equity: evaluated only for ``risk(fraction:stopPrice:)``.
    public func resolve(sign: Double, price: Double, adjustedPrice: Double, commission: Commission, lotSize lot: Double,
                        leverage: Double, marginAvailable: @autoclosure () -> Double,
                        equity: @autoclosure () -> Double) -> (units: Double, costPerUnit: Double) {
        resolve(sign: sign, price: price, adjustedPrice: adjustedPrice, commission: { commission.amount(quantity: $0, price: $1) },
                lotSize: lot, leverage: leverage, marginAvailable: marginAvailable(), equity: equity())
    }

    /// ``resolve(sign:price:adjustedPrice:commission:lotSize:leverage:marginAvailable:equity:)``
    /// with the commission as a function of quantity and price.
    func resolve(sign: Double, price: Double, adjustedPrice: Double, commission: (_ quantity: Double, _ price: Double) -> Double,
                 lotSize lot: Double, leverage: Double, marginAvailable: @autoclosure () -> Double,
                 equity: @autoclosure () -> Double) -> (units: Double, costPerUnit: Double) {
        switch self {
        case .units(let q):
            let units = sign * q
            return (units, adjustedPrice + commission(units, price) / q)
        case .equityFraction(let fraction):
            let costPerUnit = adjustedPrice + commission(sign * fraction, price) / fraction
            return (sign * pythonFloorDivision(marginAvailable() * leverage * fraction, costPerUnit * lot) * lot, costPerUnit)
        case .notional(let amount):
            let costPerUnit = adjustedPrice + commission(sign, price)
            return (sign * pythonFloorDivision(amount, costPerUnit * lot) * lot, costPerUnit)
        case .risk(let fraction, let stop):
            let costPerUnit = adjustedPrice + commission(sign, price)
            let riskPerUnit = abs(adjustedPrice - stop)
            return (riskPerUnit > 0 ? sign * pythonFloorDivision(equity() * fraction, riskPerUnit * lot) * lot : 0, costPerUnit)
        }
    }
}
