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
    public var start: Int64
    public var end: Int64
    public var durationDays: Double
    public var exposureTimePct: Double
    public var equityFinal: Double
    public var equityPeak: Double
    public var commissions: Double
    public var returnPct: Double
    public var buyAndHoldReturnPct: Double
    public var returnAnnPct: Double
    public var volatilityAnnPct: Double
    public var cagrPct: Double
    public var sharpeRatio: Double
    public var sortinoRatio: Double
    public var calmarRatio: Double
    public var alphaPct: Double
    public var beta: Double
    public var maxDrawdownPct: Double
    public var avgDrawdownPct: Double
    public var maxDrawdownDurationDays: Double
    public var avgDrawdownDurationDays: Double
    public var tradeCount: Int
    public var winRatePct: Double
    public var bestTradePct: Double
    public var worstTradePct: Double
    public var avgTradePct: Double
    public var maxTradeDurationDays: Double
    public var avgTradeDurationDays: Double
    public var profitFactor: Double
    public var expectancyPct: Double
    public var sqn: Double
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
