import Execution

/// How a strategy's orders are filled and charged: a profile and the settings a user changes most.
///
/// The `realistic` profile (the default) charges a spread and volume-share slippage and caps
/// each fill at a share of the bar's volume; `backtesting-py` reproduces backtesting.py 0.6.6
/// (docs/execution.md). Unset values take the profile's defaults.
public struct ExecutionSettings: Sendable, Equatable {
    public enum Profile: String, Sendable, CaseIterable {
        case realistic
        case backtestingPy = "backtesting-py"
    }

    public var profile: Profile
    /// Starting cash.
    public var cash: Double
    /// Commission as a fraction of traded value, on entry and on exit.
    public var commission: Double
    /// Bid-ask spread as a fraction of the price.
    public var spread: Double?
    /// Fixed slippage in basis points (realistic profile).
    public var slippageBasisPoints: Double?
    /// Largest share of a bar's volume one order may take; 0 for no cap (realistic profile).
    public var participation: Double?
    /// Extra bars between an order and its first chance to fill (realistic profile).
    public var latencyBars: Int?
    /// Each new order first closes the open trade (backtesting.py's `exclusive_orders`).
    public var exclusiveOrders: Bool
    /// Close the trade still open after the last bar, so it counts in the statistics.
    public var finalizeTrades: Bool

    public init(profile: Profile = .realistic, cash: Double = 10_000, commission: Double = 0, spread: Double? = nil,
                slippageBasisPoints: Double? = nil, participation: Double? = nil, latencyBars: Int? = nil,
                exclusiveOrders: Bool = false, finalizeTrades: Bool = false) {
        self.profile = profile
        self.cash = cash
        self.commission = commission
        self.spread = spread
        self.slippageBasisPoints = slippageBasisPoints
        self.participation = participation
        self.latencyBars = latencyBars
        self.exclusiveOrders = exclusiveOrders
        self.finalizeTrades = finalizeTrades
    }

    /// The settings that make no sense under `profile`, by their JSON names: backtesting.py has no
    /// slippage, volume cap or latency.
    public var settingsOutsideProfile: [String] {
        guard profile == .backtestingPy else { return [] }
        return [(slippageBasisPoints != nil, "slippageBps"), (participation != nil, "participation"), (latencyBars != nil, "latencyBars")]
            .filter(\.0).map(\.1)
    }

    /// The broker configuration these settings describe. Out-of-range values are caught by
    /// `BrokerConfiguration.validate()`.
    public var configuration: BrokerConfiguration {
        switch profile {
        case .backtestingPy:
            return .backtestingPy(cash: cash, commission: commission, spread: spread ?? 0,
                                  exclusiveOrders: exclusiveOrders, finalizeTrades: finalizeTrades)
        case .realistic:
            let defaults = BrokerConfiguration.realistic()
            return .realistic(cash: cash, commission: commission == 0 ? .none : .relative(rate: commission),
                              spread: spread.map { .relative($0) } ?? defaults.spread,
                              slippage: slippageBasisPoints.map { .fixed(basisPoints: $0) } ?? defaults.slippage,
                              participation: participation.map { $0 == 0 ? nil : $0 } ?? defaults.participation,
                              latency: latencyBars.map { .bars($0) } ?? defaults.latency,
                              exclusiveOrders: exclusiveOrders, finalizeTrades: finalizeTrades)
        }
    }
}
