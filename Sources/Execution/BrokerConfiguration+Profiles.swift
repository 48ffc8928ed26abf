extension BrokerConfiguration {
    /// The `realistic` profile, Colonnade's default outside parity runs: market orders fill at the
    /// next open plus half the spread and slippage against the trader, on every fill; an order
    /// takes at most `participation` of a bar's volume, the rest working on later bars.
    ///
    /// Defaults: a spread of 2 bps of the price (half paid on each fill), square-root volume-share
    /// impact `0.1·√(q/V)` capped at 5 % of the price, a 10 % participation cap, no latency, whole
    /// units, netting, the pessimistic intrabar reading. Each can be set; pass `participation: nil`
    /// for no cap.
    public static func realistic(cash: Double = 10_000, commission: Commission = .none, spread: Spread = .relative(0.0002),
                                 slippage: Slippage = .volumeShare(coefficient: 0.1, exponent: 0.5, maximum: 0.05),
                                 participation: Double? = 0.1, latency: Latency = .none,
                                 intrabarPath: IntrabarPath = .pessimistic,
                                 exclusiveOrders: Bool = false, finalizeTrades: Bool = false) -> Self {
        BrokerConfiguration(cash: cash, commission: commission, spread: spread, spreadCharging: .halfEachSide,
                            slippage: slippage, exclusiveOrders: exclusiveOrders, finalizeTrades: finalizeTrades,
                            participation: participation, latency: latency, intrabarPath: intrabarPath)
    }

    /// Every assumption of these settings in words, in a fixed order, for the header of a report.
    public var assumptions: [(name: String, value: String)] {
        var rows: [(String, String)] = []
        switch latency {
        case .bars(0): rows.append(("fills", "market orders at the next bar's open; limits and stops at their price or the gap open"))
        case .bars(let n): rows.append(("fills", "from \(n + 1) bars after the order (latency \(n) bars); market orders at the open"))
        case .nanoseconds(let d): rows.append(("fills", "from the first bar \(Double(d) / 1e9) s after the order's bar (latency); market orders at the open"))
        }
        rows.append(("intrabar", intrabarPath.description))
        rows.append(("commission", commission.description))
        rows.append(("spread", spread.isZero ? "none" : "\(spread), \(spreadCharging == .halfEachSide ? "half on each fill" : "whole on the entering fill")"))
        rows.append(("slippage", slippage.description))
        rows.append(("volume cap", participation.map { "\(Self.percent($0)) of each bar's volume; the rest keeps working" } ?? "none"))
        rows.append(("sizes", lotSize == 1 ? "whole units" : "multiples of \(lotSize) units"))
        rows.append(("account", "cash \(cash), margin \(margin) (leverage \(1 / margin)), \(hedging ? "hedging" : "netting")"
                     + (exclusiveOrders ? ", exclusive orders" : "")
                     + (finalizeTrades ? ", open trades closed at the last open" : ", the trade still open at the end out of the trade statistics")))
        return rows
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 100 * 1e6).rounded() / 1e6
        return value == value.rounded() ? "\(Int(value)) %" : "\(value) %"
    }
}

extension Commission: CustomStringConvertible {
    public var description: String {
        switch self {
        case .none: return "none"
        case .relative(let rate, let fixed):
            return (fixed != 0 ? "\(fixed) + " : "") + "\(BrokerConfiguration.percent(rate)) of traded value per fill"
        case .perUnit(let rate, let minimum): return "\(rate) per unit, at least \(minimum) per fill"
        case .perOrder(let amount): return "\(amount) per fill"
        case .tiered(let tiers):
            return "tiered by notional: " + tiers.map { "\(BrokerConfiguration.percent($0.rate)) from \($0.threshold)" }.joined(separator: ", ")
        case .custom(let model): return "custom (\(type(of: model)))"
        }
    }
}

extension Spread: CustomStringConvertible {
    public var description: String {
        switch self {
        case .relative(let s): return "\((s * 10_000 * 1e6).rounded() / 1e6) bps of the price"
        case .absolute(let width): return "\(width) in price units"
        case .quoted: return "the bars' ask − bid"
        }
    }
}

extension Slippage: CustomStringConvertible {
    public var description: String {
        switch self {
        case .none: return "none"
        case .fixed(let bps): return "\(bps) bps on fills at market"
        case .volumeShare(let k, let a, let maximum):
            return "\(k)·(quantity/volume)^\(a) of the price on fills at market, at most \(BrokerConfiguration.percent(maximum))"
        case .custom(let model): return "custom (\(type(of: model)))"
        }
    }
}
