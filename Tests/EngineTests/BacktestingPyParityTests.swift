import Analytics
import ColumnStore
import Engine
import Execution
import Indicators
import Testing

/// A user-side strategy (defined outside the library) for the bracket scenario: long-only SMA
/// cross whose entries carry a stop-loss and a take-profit at fractions of the signal close.
struct SMACrossWithBracket: Strategy {
    var fast = 10, slow = 20
    var stopLoss = 0.05, takeProfit = 0.10
    var fastMA: SeriesView?
    var slowMA: SeriesView?
    var close: SeriesView?

    mutating func prepare(_ setup: inout StrategySetup) throws {
        fastMA = setup.indicator(try SMA.compute(setup.bars.close, period: fast))
        slowMA = setup.indicator(try SMA.compute(setup.bars.close, period: slow))
        close = setup.series(setup.bars.close)
    }

    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        guard let fastMA, let slowMA, let close else { return }
        if fastMA.crossesAbove(slowMA, at: bar) {
            if broker.positionSize() == 0 {
                try broker.buy(stopLoss: close[bar] * (1 - stopLoss), takeProfit: close[bar] * (1 + takeProfit))
            }
        } else if fastMA.crossesBelow(slowMA, at: bar), broker.positionSize() != 0 {
            try broker.closePosition()
        }
    }
}

/// Trades, statistics and equity against backtesting.py 0.6.6 on the same files
/// (scripts/generate_backtesting_goldens.py; versions in Fixtures/goldens/backtesting/manifest.json).
@Suite("backtesting.py parity")
struct BacktestingPyParityTests {
    static let scenarios = ["goog-sma-cross-long-short", "goog-sma-cross-long-short-finalized",
                            "goog-sma-cross-long-only", "goog-sma-cross-stop-take", "eurusd-sma-cross-long-short",
                            "goog-target-units", "goog-target-equity-fraction"]

    func run(_ golden: BacktestingPyGolden) throws -> (BacktestResult, BarSeries) {
        let bars = try CSVImporter.load(Fixtures.root + "/" + golden.data)
        let settings = golden.backtest
        let configuration = BrokerConfiguration.backtestingPy(
            cash: settings.cash, commission: settings.commission, spread: settings.spread,
            exclusiveOrders: settings.exclusive_orders, finalizeTrades: settings.finalize_trades)
        let backtest = Backtest(bars: bars, configuration: configuration)
        if golden.strategy == "TargetPositions" {
            return (try backtest.run(TargetPositionStrategy(try golden.targetPositions())), bars)
        }
        let fast = Int(golden.params["fast"]!), slow = Int(golden.params["slow"]!)
        switch golden.strategy {
        case "SmaCrossLongShort":
            return (try backtest.run(SMACross(fast: fast, slow: slow, direction: .longShort)), bars)
        case "SmaCrossLongOnly":
            return (try backtest.run(SMACross(fast: fast, slow: slow, direction: .longOnly)), bars)
        case "SmaCrossStopTake":
            let strategy = SMACrossWithBracket(fast: fast, slow: slow, stopLoss: golden.params["stop_loss"]!,
                                               takeProfit: golden.params["take_profit"]!)
            return (try backtest.run(strategy), bars)
        default:
            throw StrategyParameterError(parameter: "strategy", "unknown golden strategy \(golden.strategy)")
        }
    }

    @Test("trades equal backtesting.py's exactly", arguments: scenarios)
    func trades(scenario: String) throws {
        let golden = try BacktestingPyGolden.load(scenario)
        let (result, bars) = try run(golden)
        try #require(result.trades.count == golden.trades.count, "\(scenario): trade count")
        for (k, (actual, expected)) in zip(result.trades, golden.trades).enumerated() {
            #expect(actual.entryBar == expected.entryBar, "\(scenario) trade \(k): entry bar")
            #expect(actual.exitBar == expected.exitBar, "\(scenario) trade \(k): exit bar")
            #expect(Timestamp.iso8601(bars.time[actual.entryBar]).hasPrefix(expected.entryTime), "\(scenario) trade \(k): entry time")
            #expect(actual.size == expected.size, "\(scenario) trade \(k): size")
            #expect(actual.entryPrice == expected.entryPrice, "\(scenario) trade \(k): entry price")
            #expect(actual.exitPrice == expected.exitPrice, "\(scenario) trade \(k): exit price")
            #expect(actual.commission == expected.commission, "\(scenario) trade \(k): commission")
            #expect(actual.pnl() == expected.pnl, "\(scenario) trade \(k): PnL")
            #expect(actual.returnFraction().map { $0 * 100 } == expected.returnPct, "\(scenario) trade \(k): return")
        }
    }

    @Test("equity curve equals backtesting.py's exactly", arguments: scenarios)
    func equity(scenario: String) throws {
        let golden = try BacktestingPyGolden.load(scenario)
        let (result, _) = try run(golden)
        try #require(result.equity.count == golden.equity.count)
        let mismatches = zip(result.equity, golden.equity).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(mismatches.isEmpty, "\(scenario): \(mismatches.count) bars differ, first \(mismatches.first.map { "bar \($0.offset): \($0.element.0) vs \($0.element.1)" } ?? "")")
    }

    @Test("every statistic within 1e-9 relative of backtesting.py's", arguments: scenarios)
    func statistics(scenario: String) throws {
        let golden = try BacktestingPyGolden.load(scenario)
        let (result, bars) = try run(golden)
        let stats = result.statistics
        var checked = 0
        for (key, value) in stats.fields {
            let expected = try #require(golden.stats[key], "\(scenario): golden has no \(key)")
            switch expected {
            case .text(let iso):
                #expect(Timestamp.iso8601(key == "start" ? stats.start : stats.end).hasPrefix(iso), "\(scenario): \(key)")
                _ = bars
            case .null:
                // backtesting.py omits Commissions when there were none; everything else null is undefined.
                if key == "commissions" { #expect(value == 0, "\(scenario): commissions") }
                else { #expect(value.isNaN, "\(scenario): \(key) should be undefined, is \(value)") }
            case .number(let x):
                let tolerance = 1e-9 * Swift.max(Swift.abs(x), 1e-300)
                #expect(Swift.abs(value - x) <= tolerance, "\(scenario): \(key) is \(value), backtesting.py \(x)")
            }
            checked += 1
        }
        #expect(checked == 32)
    }

    @Test("the canonical run: 93 trades, Equity Final 56263.51934000004")
    func canonical() throws {
        let bars = try Fixtures.bars("GOOG")
        let result = try Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0.002, exclusiveOrders: true))
            .run(SMACross(fast: 10, slow: 20, direction: .longShort))
        #expect(result.statistics.tradeCount == 93)
        #expect(result.statistics.equityFinal == 56263.51934000004)
        #expect(result.openTrades.count == 1)
    }
}
