/// Every statistic of backtesting.py's stats table, computed the way backtesting.py 0.6.6
/// computes it (risk-free rate 0). NaN means undefined (for example a win rate without trades).
///
/// Definitions (`eq` is the equity curve, `r` the per-period returns of `eq` sampled at the last
/// bar of each calendar day — week, month or year for weekly, monthly or yearly bars —, `g` their
/// geometric mean and `D` the periods per year: 252, or 365 when more than 60 % of 2/7 of the bars
/// fall on weekends, 52, 12 or 1):
///
/// - returnPct: `(eq[last] − eq[0]) / eq[0]`; buyAndHoldReturnPct from the close of the first bar
///   the strategy could trade (`firstTradingBar`) to the last close.
/// - returnAnnPct: `(1 + g)^D − 1`; volatilityAnnPct: `sqrt((var(r) + (1 + g)²)^D − (1 + g)^(2D))`
///   with the sample variance; cagrPct: `(eq[last] / eq[0])^(1 / years) − 1`, years of 365.25 days.
/// - sharpeRatio: returnAnn / volatilityAnn; sortinoRatio: returnAnn / (sqrt(mean(min(r, 0)²))·√D);
///   calmarRatio: returnAnn / max drawdown.
/// - beta: `cov(log returns of eq, log returns of close) / var(log returns of close)`, per bar;
///   alphaPct: `return − beta · buy-and-hold return`.
/// - Drawdowns: `1 − eq / running max`; average over drawdown periods of each period's depth;
///   durations from the period's first to its last bar, rounded up to the data's resolution.
/// - exposureTimePct: share of bars inside a closed trade (entry and exit bars included).
/// - Trades: winRate = share with positive PnL; best, worst, expectancy (mean) of returns;
///   avgTradePct = geometric mean of returns; profitFactor = Σ positive returns / |Σ negative returns|;
///   sqn = √n · mean(PnL) / sd(PnL); kellyCriterion = W − (1 − W) / (mean win PnL / mean |loss PnL|).
///
/// Durations are in days (fractional for intraday data).
public struct PerformanceStatistics: Sendable, Hashable {
    /// Time of the first bar, UTC nanoseconds.
    public var start: Int64
    /// Time of the last bar, UTC nanoseconds.
    public var end: Int64
    /// `end − start` in days.
    public var durationDays: Double
    /// Share of bars inside a closed trade, entry and exit bars included, in percent.
    public var exposureTimePct: Double
    /// Equity at the last bar: cash plus open positions marked at the last close.
    public var equityFinal: Double
    /// The largest equity of the run.
    public var equityPeak: Double
    /// Commission paid by the closed trades, entry and exit.
    public var commissions: Double
    /// `(equityFinal − starting equity) / starting equity`, in percent.
    public var returnPct: Double
    /// Holding the instrument from the warm-up bar to the last close, in percent.
    public var buyAndHoldReturnPct: Double
    /// The geometric mean period return compounded over a year, in percent.
    public var returnAnnPct: Double
    /// The period returns' volatility scaled to a year (backtesting.py's formula), in percent.
    public var volatilityAnnPct: Double
    /// Compound annual growth over the run's calendar length (365.25-day years), in percent.
    public var cagrPct: Double
    /// `returnAnnPct / volatilityAnnPct` (risk-free rate 0); NaN for zero volatility.
    public var sharpeRatio: Double
    /// Annual return over the annualized downside deviation of the period returns.
    public var sortinoRatio: Double
    /// Annual return over the maximum drawdown; NaN without a drawdown.
    public var calmarRatio: Double
    /// `returnPct − beta · buyAndHoldReturnPct`, in percent.
    public var alphaPct: Double
    /// Covariance of equity and close log returns over the close's variance, per bar.
    public var beta: Double
    /// The deepest fall of equity below its running peak, negative, in percent.
    public var maxDrawdownPct: Double
    /// Mean depth of the drawdown periods, negative, in percent.
    public var avgDrawdownPct: Double
    /// Length of the longest drawdown period, in days.
    public var maxDrawdownDurationDays: Double
    /// Mean length of the drawdown periods, in days.
    public var avgDrawdownDurationDays: Double
    /// Closed trades (a trade still open at the end is not counted).
    public var tradeCount: Int
    /// Share of closed trades with a positive PnL, in percent.
    public var winRatePct: Double
    /// The best trade return, in percent.
    public var bestTradePct: Double
    /// The worst trade return, in percent.
    public var worstTradePct: Double
    /// Geometric mean of the trade returns, in percent.
    public var avgTradePct: Double
    /// The longest trade, entry to exit, in days.
    public var maxTradeDurationDays: Double
    /// Mean trade length, in days.
    public var avgTradeDurationDays: Double
    /// Sum of positive trade returns over the magnitude of the negative ones; NaN without a loss.
    public var profitFactor: Double
    /// Arithmetic mean of the trade returns, in percent.
    public var expectancyPct: Double
    /// System quality number: `√n · mean(PnL) / sd(PnL)`.
    public var sqn: Double
    /// `W − (1 − W) / (mean win / mean loss)`, `W` the win rate as a fraction.
    public var kellyCriterion: Double

    /// backtesting.py's row names for ``fields``' keys (`"returnPct"` → `"Return [%]"`).
    public static let labels: [String: String] = [
        "start": "Start", "end": "End", "durationDays": "Duration [days]", "exposureTimePct": "Exposure Time [%]",
        "equityFinal": "Equity Final", "equityPeak": "Equity Peak", "commissions": "Commissions",
        "returnPct": "Return [%]", "buyAndHoldReturnPct": "Buy & Hold Return [%]", "returnAnnPct": "Return (Ann.) [%]",
        "volatilityAnnPct": "Volatility (Ann.) [%]", "cagrPct": "CAGR [%]", "sharpeRatio": "Sharpe Ratio",
        "sortinoRatio": "Sortino Ratio", "calmarRatio": "Calmar Ratio", "alphaPct": "Alpha [%]", "beta": "Beta",
        "maxDrawdownPct": "Max. Drawdown [%]", "avgDrawdownPct": "Avg. Drawdown [%]",
        "maxDrawdownDurationDays": "Max. Drawdown Duration [days]", "avgDrawdownDurationDays": "Avg. Drawdown Duration [days]",
        "tradeCount": "# Trades", "winRatePct": "Win Rate [%]", "bestTradePct": "Best Trade [%]",
        "worstTradePct": "Worst Trade [%]", "avgTradePct": "Avg. Trade [%]", "maxTradeDurationDays": "Max. Trade Duration [days]",
        "avgTradeDurationDays": "Avg. Trade Duration [days]", "profitFactor": "Profit Factor",
        "expectancyPct": "Expectancy [%]", "sqn": "SQN", "kellyCriterion": "Kelly Criterion",
    ]

    /// Every statistic by its JSON key, in table order (start and end as nanoseconds).
    public var fields: [(key: String, value: Double)] {
        [("start", Double(start)), ("end", Double(end)), ("durationDays", durationDays),
         ("exposureTimePct", exposureTimePct), ("equityFinal", equityFinal), ("equityPeak", equityPeak),
         ("commissions", commissions), ("returnPct", returnPct), ("buyAndHoldReturnPct", buyAndHoldReturnPct),
         ("returnAnnPct", returnAnnPct), ("volatilityAnnPct", volatilityAnnPct), ("cagrPct", cagrPct),
         ("sharpeRatio", sharpeRatio), ("sortinoRatio", sortinoRatio), ("calmarRatio", calmarRatio),
         ("alphaPct", alphaPct), ("beta", beta), ("maxDrawdownPct", maxDrawdownPct),
         ("avgDrawdownPct", avgDrawdownPct), ("maxDrawdownDurationDays", maxDrawdownDurationDays),
         ("avgDrawdownDurationDays", avgDrawdownDurationDays), ("tradeCount", Double(tradeCount)),
         ("winRatePct", winRatePct), ("bestTradePct", bestTradePct), ("worstTradePct", worstTradePct),
         ("avgTradePct", avgTradePct), ("maxTradeDurationDays", maxTradeDurationDays),
         ("avgTradeDurationDays", avgTradeDurationDays), ("profitFactor", profitFactor),
         ("expectancyPct", expectancyPct), ("sqn", sqn), ("kellyCriterion", kellyCriterion)]
    }
}

extension PerformanceStatistics {
    /// True when every statistic has the same bits as in `other`: the check that a run is
    /// reproducible (same inputs, any thread count), where `==` fails on any undefined (NaN)
    /// statistic and takes `0.0` and `-0.0` for equal.
    public func isIdentical(to other: PerformanceStatistics) -> Bool {
        let mine = Mirror(reflecting: self).children.map(\.value), theirs = Mirror(reflecting: other).children.map(\.value)
        guard mine.count == theirs.count else { return false }
        for (a, b) in zip(mine, theirs) {
            switch (a, b) {
            case let (x as Double, y as Double): if x.bitPattern != y.bitPattern { return false }
            case let (x as Int, y as Int): if x != y { return false }
            case let (x as Int64, y as Int64): if x != y { return false }
            default: return false
            }
        }
        return true
    }
}
