import Analytics
import ColumnStore
import Engine

/// Everything a report shows about one backtest: what ran, on what, under which assumptions,
/// and what came out.
public struct ReportContent: Sendable {
    /// An indicator drawn with the prices (when in price units) or in a pane of its own.
    public struct Indicator: Sendable {
        /// As written: `sma(close, 10)`, `macd(close, 12, 26, 9).signal`.
        public var label: String
        /// One value per bar of ``ReportContent/bars``; NaN where undefined.
        public var values: Column<Double>

        public init(label: String, values: Column<Double>) {
            self.label = label
            self.values = values
        }
    }

    /// The strategy's name with its parameters: `sma-cross (fast=10, slow=20)`.
    public var strategy: String
    /// Further lines about the strategy: its rules, risk rules, order placement.
    public var strategyDetails: [String]
    /// Where the bars came from: `Fixtures/GOOG.csv`.
    public var data: String
    /// The bars of the price chart (the first instrument of a portfolio).
    public var bars: BarSeries
    /// What the backtest produced: statistics, trades, equity.
    public var result: BacktestResult
    /// The execution profile's name (`realistic`, `backtesting-py`).
    public var profile: String
    /// Every assumption of the run in words (`BrokerConfiguration.assumptions`).
    public var assumptions: [(name: String, value: String)]
    /// The strategy's indicators to draw with the prices or in panes (none is fine).
    public var indicators: [Indicator]
    /// Starting cash, for the buy-and-hold comparison.
    public var cash: Double

    public init(strategy: String, strategyDetails: [String] = [], data: String, bars: BarSeries, result: BacktestResult,
                profile: String, assumptions: [(name: String, value: String)], indicators: [Indicator] = [], cash: Double) {
        self.strategy = strategy
        self.strategyDetails = strategyDetails
        self.data = data
        self.bars = bars
        self.result = result
        self.profile = profile
        self.assumptions = assumptions
        self.indicators = indicators
        self.cash = cash
    }
}
