#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ColumnStore
internal import CKernels

extension PerformanceStatistics {
    /// Computes every statistic from an equity curve, the bars' times and closes, and the closed trades.
    ///
    /// - Parameters:
    ///   - equity: equity at each bar's close (no NaN: fill the bars before trading started with
    ///     the starting cash, as backtesting.py back-fills them).
    ///   - time: bar times, UTC nanoseconds, increasing; same length as `equity`.
    ///   - close: closes, same length; used for buy-and-hold and beta.
    ///   - firstTradingBar: the first bar at which the strategy could hold a position (its indicators'
    ///     warm-up); buy-and-hold starts at its close.
    ///   - trades: closed trades in the order they closed. Trades still open are left out, as
    ///     backtesting.py leaves them out (their profit is in the equity curve).
    /// - Precondition: `equity`, `time` and `close` have the same non-zero length.
    /// - Complexity: O(n + trades).
    public init(equity: [Double], time: Column<Int64>, close: Column<Double>, firstTradingBar: Int,
                trades: [TradeRecord]) {
        precondition(!equity.isEmpty && equity.count == time.count && equity.count == close.count,
                     "equity, time and close must have the same non-zero length")
        var pass = EquityCurvePass(time: time, close: close)
        equity.withUnsafeBufferPointer { pass.add($0, upTo: $0.count) }
        self.init(pass: pass, firstTradingBar: firstTradingBar, trades: trades)
    }

    /// Computes every statistic from a pass that has seen the whole equity curve (see
    /// ``EquityCurvePass``), the bars' closes it was given, and the closed trades: the same
    /// numbers, bit for bit, as ``init(equity:time:close:firstTradingBar:trades:)`` over that curve.
    ///
    /// - Precondition: the pass has added every bar, and there is at least one.
    /// - Complexity: O(trades + calendar periods).
    public init(pass: EquityCurvePass, firstTradingBar: Int, trades: [TradeRecord]) {
        precondition(pass.count > 0 && pass.count == pass.time.count, "the pass must have added every bar")
        self = pass.time.withUnsafeBufferPointer { t in
            pass.close.withUnsafeBufferPointer { c in
                PerformanceStatistics.compute(pass: pass, time: t, close: c, firstTradingBar: firstTradingBar, trades: trades)
            }
        }
    }

    static func compute(pass: EquityCurvePass, time: UnsafeBufferPointer<Int64>, close c: UnsafeBufferPointer<Double>,
                        firstTradingBar: Int, trades: [TradeRecord]) -> PerformanceStatistics {
        let n = pass.count
        let calendar = pass.calendar
        let day = Double(Timestamp.nanosecondsPerDay)
        func days(_ ns: Int64) -> Double { Double(ns) / day }

        let exposure = Double(coveredBarCount(trades, barCount: n)) / Double(n) * 100

        let duration = time[n - 1] - time[0]
        let firstEquity = pass.firstEquity, finalEquity = pass.lastEquity
        let returnPct = (finalEquity - firstEquity) / firstEquity * 100
        let ftb = Swift.min(Swift.max(0, firstTradingBar), n - 1)
        let buyAndHold = (c[n - 1] - c[ftb]) / c[ftb] * 100

        let periodDays = calendar.periodDays
        var sampler = pass.sampler, tracker = pass.tracker
        let (r, weekendBars) = sampler.finish()
        let drawdown = tracker.finish(time: time)

        // Annualization.
        let haveWeekends = Double(weekendBars) / Double(n) > 2.0 / 7.0 * 0.6
        let annualPeriods: Double = periodDays == 7 ? 52 : periodDays == 31 ? 12 : periodDays == 365 ? 1
            : (haveWeekends ? 365 : 252)
        let g = geometricMean(r)
        let annualReturn = pow(1 + g, annualPeriods) - 1
        let variance = sampleVariance(r)
        let growth: Double = 1 + g
        let spread: Double = pow(variance + growth * growth, annualPeriods) - pow(growth, 2 * annualPeriods)
        let volatility = spread.squareRoot() * 100
        let years = (Double(duration / Timestamp.nanosecondsPerDay)
                     + Double((duration % Timestamp.nanosecondsPerDay) / Timestamp.nanosecondsPerSecond) / 86400) / 365.25
        let cagr = years != 0 ? (pow(finalEquity / firstEquity, 1 / years) - 1) * 100 : .nan
        let sharpe = volatility == 0 ? .nan : annualReturn * 100 / volatility
        var downside = 0.0
        for x in r { let m = Swift.min(x, 0); downside += m * m }
        let sortino = annualReturn / ((downside / Double(r.count)).squareRoot() * annualPeriods.squareRoot())

        // Drawdowns. numpy's max propagates NaN and nan_to_num turns it into 0: any NaN means no
        // drawdown figure.
        let maxDrawdown = drawdown.deepest.isNaN ? 0 : -drawdown.deepest
        let calmar = -maxDrawdown == 0 ? .nan : annualReturn / -maxDrawdown
        let periods = Double(tracker.periodCount)
        let avgDrawdown = tracker.periodCount == 0 ? .nan : -(tracker.depthSum / periods) * 100
        let maxDDDuration = tracker.periodCount == 0 ? .nan : days(calendar.ceil(tracker.longestDuration))
        let avgDDDuration = tracker.periodCount == 0 ? .nan : days(calendar.ceil(Int64(tracker.durationSum / periods)))

        let beta = pass.beta
        let alpha = returnPct - beta * buyAndHold

        // Trades.
        let count = trades.count
        let pnl = trades.map(\.pnl), returns = trades.map(\.returnFraction)
        let winRate = count == 0 ? .nan : Double(pnl.count { $0 > 0 }) / Double(count)
        let tradeDurations = trades.map { time[Swift.min($0.exitBar, n - 1)] - time[Swift.min($0.entryBar, n - 1)] }
        var positive = 0.0, negative = 0.0
        for x in returns { if x > 0 { positive += x } else if x < 0 { negative += x } }
        let pnlSD = sampleVariance(pnl).squareRoot()
        let wins = pnl.filter { $0 > 0 }, losses = pnl.filter { $0 < 0 }
        var commissions = 0.0
        for t in trades { commissions += t.commission }

        return PerformanceStatistics(
            start: time[0], end: time[n - 1], durationDays: days(duration),
            exposureTimePct: exposure, equityFinal: finalEquity, equityPeak: pass.equityPeak,
            commissions: commissions, returnPct: returnPct, buyAndHoldReturnPct: buyAndHold,
            returnAnnPct: annualReturn * 100, volatilityAnnPct: volatility, cagrPct: cagr,
            sharpeRatio: sharpe, sortinoRatio: sortino, calmarRatio: calmar, alphaPct: alpha, beta: beta,
            maxDrawdownPct: maxDrawdown * 100, avgDrawdownPct: avgDrawdown,
            maxDrawdownDurationDays: maxDDDuration, avgDrawdownDurationDays: avgDDDuration,
            tradeCount: count, winRatePct: winRate * 100,
            bestTradePct: (returns.max() ?? .nan) * 100, worstTradePct: (returns.min() ?? .nan) * 100,
            avgTradePct: count == 0 ? .nan : geometricMean(returns) * 100,
            maxTradeDurationDays: tradeDurations.max().map { days(calendar.ceil($0)) } ?? .nan,
            avgTradeDurationDays: tradeDurations.isEmpty ? .nan : days(calendar.ceil(meanDuration(tradeDurations))),
            profitFactor: negative == 0 ? .nan : positive / abs(negative),
            expectancyPct: count == 0 ? .nan : mean(returns) * 100,
            sqn: pnlSD == 0 || pnlSD.isNaN ? .nan : Double(count).squareRoot() * mean(pnl) / pnlSD,
            kellyCriterion: winRate - (1 - winRate) / ((wins.isEmpty ? .nan : mean(wins)) / -(losses.isEmpty ? .nan : mean(losses))))
    }
}

/// Bars inside at least one closed trade, entry and exit bars included: the size of the union of
/// the trades' bar intervals. O(trades · log trades).
func coveredBarCount(_ trades: [TradeRecord], barCount n: Int) -> Int {
    var intervals = trades.compactMap { t -> (Int, Int)? in
        let lower = Swift.max(0, t.entryBar), upper = Swift.min(n - 1, t.exitBar)
        return lower <= upper ? (lower, upper) : nil
    }
    intervals.sort { $0 < $1 }
    var covered = 0, reach = -1 // every bar up to `reach` is counted
    for (lower, upper) in intervals where upper > reach {
        covered += upper - Swift.max(lower, reach + 1) + 1
        reach = upper
    }
    return covered
}

// MARK: - Reductions (NaN for an empty input, as pandas gives)

func mean(_ x: [Double]) -> Double {
    guard !x.isEmpty else { return .nan }
    var s = 0.0
    for v in x { s += v }
    return s / Double(x.count)
}

/// Two-pass sample variance (ddof 1); NaN for fewer than two values.
func sampleVariance(_ x: [Double]) -> Double {
    guard x.count > 1 else { return .nan }
    let m = mean(x)
    var s = 0.0
    for v in x { s += (v - m) * (v - m) }
    return s / Double(x.count - 1)
}

/// `exp(mean(log(1 + r))) − 1`, or 0 when any `1 + r ≤ 0` (backtesting.py's `geometric_mean`).
func geometricMean(_ r: [Double]) -> Double {
    var s = 0.0
    for x in r {
        let v = (x.isNaN ? 0 : x) + 1
        if v <= 0 { return 0 }
        s += log(v)
    }
    return exp(s / (r.isEmpty ? .nan : Double(r.count))) - 1
}

/// Mean of durations in nanoseconds, truncated to a whole nanosecond as pandas' Timedelta does.
func meanDuration(_ d: [Int64]) -> Int64 {
    var s = 0.0
    for v in d { s += Double(v) }
    return Int64(s / Double(d.count))
}
