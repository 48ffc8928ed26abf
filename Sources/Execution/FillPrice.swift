/// The prices of one fill, from the bar's price to what each side of a trade books.
///
/// `raw` is where the order fills before costs (an open, a limit or a stop price, always inside the
/// bar's range); slippage moves it against the trader to `slipped`; the spread is added on top,
/// the entering share for a trade the fill opens (`entering`), the exiting share for one it
/// closes (`exiting`). In the backtesting.py profile `raw == slipped == exiting`.
public struct FillPrice: Sendable, Hashable {
    public var raw: Double
    public var slipped: Double
    /// The entry price of a trade this fill opens.
    public var entering: Double
    /// The exit price of a trade this fill closes.
    public var exiting: Double

    public init(raw: Double, slipped: Double, entering: Double, exiting: Double) {
        self.raw = raw
        self.slipped = slipped
        self.entering = entering
        self.exiting = exiting
    }

    /// A price with no costs on it: the broker's own liquidation at the close when the account
    /// is out of money.
    public static func unadjusted(_ price: Double) -> FillPrice {
        FillPrice(raw: price, slipped: price, entering: price, exiting: price)
    }

    /// Slippage and spread in cash for `quantity` units booked at `booked` (`entering` or `exiting`).
    @inlinable
    public func costs(quantity: Double, booked: Double) -> (spread: Double, slippage: Double) {
        (abs(quantity) * abs(booked - slipped), abs(quantity) * abs(slipped - raw))
    }
}

extension BrokerConfiguration {
    /// ``Slippage/fraction(quantity:price:volume:)`` of ``slippage``, 0 without a call when there is none.
    /// `volume` is read only when there is slippage: a fill bar's volume is otherwise a load
    /// that misses the cache for nothing.
    @inlinable public func slippageFraction(quantity: Double, price: Double, volume: @autoclosure () -> Double) -> Double {
        hasNoSlippage ? 0 : slippage.fraction(quantity: quantity, price: price, volume: volume())
    }

    /// The prices of a fill of `sign` (+1 buy, −1 sell) at `raw`, slipped by `fraction` of the
    /// price, with `quotedWidth` the bar's `ask − bid` (used by ``Spread/quoted`` only). With a
    /// `tickSize`, the entering and exiting prices are rounded to it against the trader.
    @inlinable
    public func fillPrice(raw: Double, sign: Double, slippage fraction: Double, quotedWidth: Double,
                          tickSize: Double? = nil) -> FillPrice {
        let slipped = fraction == 0 ? raw : raw * (1 + sign * fraction)
        var entering = spread.adjust(slipped, sign: sign, share: spreadCharging.entryShare, quotedWidth: quotedWidth)
        var exiting = spreadCharging == .wholeOnEntry
            ? slipped : spread.adjust(slipped, sign: sign, share: spreadCharging.exitShare, quotedWidth: quotedWidth)
        if tickSize != nil {
            let grid = InstrumentRules(tickSize: tickSize)
            entering = grid.roundToTick(entering, up: sign > 0)
            exiting = grid.roundToTick(exiting, up: sign > 0)
        }
        return FillPrice(raw: raw, slipped: slipped, entering: entering, exiting: exiting)
    }

    /// An entry's quantity and prices at its fill: the size resolved to signed units (see
    /// ``SizeType/resolve(sign:price:adjustedPrice:commission:lotSize:leverage:marginAvailable:equity:)``),
    /// the cost per unit the margin check uses, and the fill's prices.
    ///
    /// When slippage depends on the quantity (volume-share impact), a relative size is resolved
    /// at the price without impact, the impact of that quantity is priced in, and the size is
    /// resolved once more at that price. The second quantity is no larger than the first, so
    /// its own impact is no larger, and (for impact that grows with quantity) it stays affordable:
    /// an all-in order shrinks by its impact instead of being rejected. The fill is priced at the
    /// impact of the quantity that trades.
    ///
    /// - Parameters:
    ///   - size: the order's size as submitted.
    ///   - sign: +1 for a buy, −1 for a sell.
    ///   - raw: the fill price before spread and slippage (the open, or the order's price).
    ///   - slips: false for a limit fill, which does not slip.
    ///   - volume: the fill bar's volume (NaN when unknown), read only when there is slippage.
    ///   - quotedWidth: the bar's quoted bid–ask width when the spread comes from quotes (else unused).
    ///   - rules: the instrument's lot size and tick size.
    ///   - leverage: the account's leverage (1 / margin ratio).
    ///   - marginAvailable: the margin free for a relative size, evaluated only when needed.
    ///   - equity: the account's equity for a risk size, evaluated only when needed.
    /// - Returns: signed units (0 when the size resolves below one lot), the cost per unit, and the
    ///   fill's prices.
    public func resolveEntry(size: SizeType, sign: Double, raw: Double, slips: Bool, volume: @autoclosure () -> Double,
                             quotedWidth: Double,
                             rules: InstrumentRules, leverage: Double, marginAvailable: () -> Double,
                             equity: () -> Double) -> (units: Double, costPerUnit: Double, price: FillPrice) {
        let tick = rules.tickSize
        func fillPrice(raw: Double, sign: Double, slippage: Double, quotedWidth: Double) -> FillPrice {
            self.fillPrice(raw: raw, sign: sign, slippage: slippage, quotedWidth: quotedWidth, tickSize: tick)
        }
        func resolve(at price: FillPrice) -> (units: Double, costPerUnit: Double) {
            size.resolve(sign: sign, price: price.slipped, adjustedPrice: price.entering,
                         commission: { commissionAmount(quantity: $0, price: $1) },
                         lotSize: rules.lotSize, leverage: leverage, marginAvailable: marginAvailable(), equity: equity())
        }
        // Without slippage (the backtesting.py profile) the fill is priced as a limit fill is.
        guard slips, !hasNoSlippage else {
            let price = fillPrice(raw: raw, sign: sign, slippage: 0, quotedWidth: quotedWidth)
            let (units, cost) = resolve(at: price)
            return (units, cost, price)
        }
        // Read only here, with slippage: without it the fill bar's volume is a cache miss for nothing.
        let barVolume = volume()
        var fraction = slippage.fraction(quantity: size.fixedUnits ?? 0, price: raw, volume: barVolume)
        var price = fillPrice(raw: raw, sign: sign, slippage: fraction, quotedWidth: quotedWidth)
        var (units, cost) = resolve(at: price)
        if slippage.dependsOnQuantity, size.fixedUnits == nil, units != 0 {
            let impact = slippage.fraction(quantity: units, price: raw, volume: barVolume)
            if impact != fraction {
                (units, cost) = resolve(at: fillPrice(raw: raw, sign: sign, slippage: impact, quotedWidth: quotedWidth))
                fraction = slippage.fraction(quantity: units, price: raw, volume: barVolume)
                price = fillPrice(raw: raw, sign: sign, slippage: fraction, quotedWidth: quotedWidth)
                if units != 0 { cost = resolve(at: price).costPerUnit }
            }
        }
        return (units, cost, price)
    }
}

extension SizeType {
    /// The quantity of a ``units(_:)`` size; nil for relative sizes.
    @inlinable public var fixedUnits: Double? {
        if case .units(let q) = self { return q }
        return nil
    }
}
