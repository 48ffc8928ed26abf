#if canImport(Glibc)
import Glibc
#endif
import Analytics
import ColumnStore
@testable import Engine
import Execution
import Synchronization
import Testing

/// On long runs the statistics' pass over the equity curve runs on a second thread behind the bar
/// loop (`CurvePassFeed`). The statistics must be those of the finished curve, bit for bit: the
/// pass run afterwards, on one thread, over the result's own equity.
@Suite struct StatisticsThreadTests {
    static func sequentialStatistics(_ result: BacktestResult, bars: BarSeries) -> PerformanceStatistics {
        let records = result.trades.map {
            TradeRecord(entryBar: $0.entryBar, exitBar: $0.exitBar ?? $0.entryBar, size: $0.size,
                        pnl: $0.pnl() ?? .nan, returnFraction: $0.returnFraction() ?? .nan, commission: $0.commission)
        }
        return PerformanceStatistics(equity: result.equity, time: bars.time, close: bars.close,
                                     firstTradingBar: result.firstDecisionBar - 1, trades: records)
    }

    @Test(arguments: ["long-only", "finalized", "out of money", "late first decision"])
    func statisticsOfALongRunAreThoseOfItsCurve(scenario: String) throws {
        // Long enough for the second thread, and not a multiple of its publication step.
        let count = CurvePassFeed.minimumBars + 54_321
        let bars = BarSeries.synthetic(count: count, seed: 5, symbol: "SYN")
        var configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002)
        var strategy = try SMACross(fast: 10, slow: 20, direction: .longOnly)
        switch scenario {
        case "finalized":
            configuration.finalizeTrades = true
            configuration.commission = .none
        case "out of money":
            configuration.margin = 0.02
        case "late first decision":
            strategy = try SMACross(fast: 500, slow: 70_000, direction: .longOnly)
        default:
            break
        }
        let backtest = Backtest(bars: bars, configuration: configuration)
        // Out of money: all in at 50x leverage from bar 100,000 on, held until a 2 % fall.
        let result = scenario == "out of money" ? try backtest.run(BuyAndHold(from: 100_000)) : try backtest.run(strategy)
        let expected = Self.sequentialStatistics(result, bars: bars)
        #expect(result.statistics.isIdentical(to: expected), "\(scenario): \(result.statistics) vs \(expected)")
        #expect(!result.equity.contains { $0.isNaN })
        if scenario != "out of money" {
            // The signal fast path feeds the pass from its own loop.
            let (signals, warmUp) = try strategy.longOnlySignals(for: bars)
            let fast = try SignalBacktest(bars: bars, configuration: configuration).run(signals, warmUpBars: warmUp)
            #expect(fast.statistics.isIdentical(to: Self.sequentialStatistics(fast, bars: bars)), "\(scenario), fast path")
            expectIdentical(fast, result, "\(scenario)")
        }
        // The scenario reaches what it is about.
        switch scenario {
        case "finalized": #expect(result.openTrades.isEmpty && result.trades.count > 1_000)
        case "out of money": #expect(result.outOfMoneyBar.map { $0 > 100_000 } == true, "stop at \(String(describing: result.outOfMoneyBar))")
        case "late first decision": #expect(result.firstDecisionBar > CurvePassFeed.publicationStep * 2)
        default: #expect(result.trades.count > 1_000)
        }
    }
}

/// Buys all in at `from` and holds.
struct BuyAndHold: Strategy {
    var from: Int
    mutating func prepare(_ setup: inout StrategySetup) throws {}
    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        if bar == from { try broker.buy() }
    }
    mutating func nextDecision(from bar: Int, broker: Broker) -> Int { bar <= from ? from : .max }
}

/// The equity curve is written bar by bar without being cleared first: every bar must be written,
/// the bars before the first decision with its equity (pandas' bfill) or, when there is no
/// decision, with the cash.
@Suite struct EquityCurveFillTests {
    @Test(arguments: [(300, 20), (300, 299), (300, 300), (300, 5_000), (200_000, 90_000)])
    func barsBeforeTheFirstDecisionTakeItsEquity(count: Int, slow: Int) throws {
        let bars = BarSeries.synthetic(count: count, seed: 9, symbol: "SYN")
        let configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002)
        let strategy = try SMACross(fast: 10, slow: slow, direction: .longOnly)
        let event = try Backtest(bars: bars, configuration: configuration).run(strategy)
        let (signals, warmUp) = try strategy.longOnlySignals(for: bars)
        let fast = try SignalBacktest(bars: bars, configuration: configuration).run(signals, warmUpBars: warmUp)
        for (name, result) in [("event", event), ("fast", fast)] {
            let start = result.firstDecisionBar
            let fill = start < count ? result.equity[start] : 10_000
            let prefix = result.equity[0..<Swift.min(start, count)]
            #expect(prefix.allSatisfy { $0 == fill }, "\(name), \(count) bars, slow \(slow): the bars before \(start)")
            #expect(result.equity.allSatisfy { $0.isFinite && $0 > 0 }, "\(name), \(count) bars, slow \(slow)")
        }
    }
}

/// A strategy that throws at one bar, after buying at another.
struct ThrowsAt: Strategy {
    struct Failure: Error {}
    var bar: Int
    mutating func prepare(_ setup: inout StrategySetup) throws {}
    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        if bar == 1_000 { try broker.buy() }
        if bar == self.bar { throw Failure() }
    }
    mutating func nextDecision(from bar: Int, broker: Broker) -> Int { [1_000, self.bar].filter { $0 >= bar }.min() ?? .max }
}

extension StatisticsThreadTests {
    /// A strategy error in the middle of a long run stops the statistics thread before the curve
    /// it reads is freed, and the error reaches the caller (run repeatedly: a worker left behind
    /// would hang or read freed memory).
    @Test func aStrategyErrorStopsTheStatisticsThread() throws {
        let bars = BarSeries.synthetic(count: CurvePassFeed.minimumBars + 70_000, seed: 3, symbol: "SYN")
        let backtest = Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000))
        try expectErrorsStopTheWorkers(backtest, failingBars: [100, 40_000, CurvePassFeed.minimumBars + 69_000], times: 5) {
            ThrowsAt(bar: $0)
        }
    }
}

/// Runs the strategy `strategy(bar)` failing at `bar`, `times` times for each of `failingBars`,
/// expecting the error to reach the caller each time; then expects every worker thread gone.
/// Workers of other tests' runs finish within a second; one left behind by an error never does.
func expectErrorsStopTheWorkers<S: Strategy>(_ backtest: Backtest, failingBars: [Int], times: Int,
                                             _ strategy: (Int) throws -> S) throws {
    for failingBar in failingBars {
        for _ in 0..<times {
            do {
                _ = try backtest.run(try strategy(failingBar))
                Issue.record("the error at bar \(failingBar) did not reach the caller")
            } catch {
                #expect("\(error)".contains("strategy failed at bar \(failingBar)"), "\(error)")
            }
        }
    }
    var live = CurvePassFeed.liveWorkers.load(ordering: .relaxed)
    for _ in 0..<500 where live > 0 {
        usleep(10_000)
        live = CurvePassFeed.liveWorkers.load(ordering: .relaxed)
    }
    #expect(live == 0, "\(live) workers left running")
}
