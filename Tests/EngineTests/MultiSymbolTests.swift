import ColumnStore
import Engine
import Execution
import Indicators
import Testing

@Suite("several symbols on one clock")
struct MultiSymbolTests {
    /// SMACross over several instruments trades each on its own crosses, sized at 1/K of the
    /// margin then available, and one account holds them all.
    @Test func smaCrossTradesEachInstrumentOnItsOwnCrosses() throws {
        let instruments = try (0..<3).map { try randomBars(count: 800, seed: 100 + UInt64($0)) }
        let result = try Backtest(instruments: instruments, configuration: .backtestingPy(cash: 30_000, commission: 0.001))
            .run(SMACross(fast: 5, slow: 15, direction: .longOnly))
        for (k, bars) in instruments.enumerated() {
            let fast = try SMA.compute(bars.close, period: 5).array, slow = try SMA.compute(bars.close, period: 15).array
            func crossAbove(_ t: Int) -> Bool { t >= 1 && fast[t - 1] < slow[t - 1] && fast[t] > slow[t] }
            func crossBelow(_ t: Int) -> Bool { t >= 1 && fast[t - 1] > slow[t - 1] && fast[t] < slow[t] }
            let trades = result.trades.filter { $0.instrument == k }
            #expect(trades.count > 5, "instrument \(k) traded \(trades.count) times")
            for trade in trades {
                #expect(trade.size > 0)
                #expect(crossAbove(trade.entryBar - 1), "instrument \(k): entry at \(trade.entryBar) without a cross above the bar before")
                #expect(crossBelow(trade.exitBar! - 1), "instrument \(k): exit at \(trade.exitBar!) without a cross below the bar before")
                #expect(trade.entryPrice == bars.open[trade.entryBar] && trade.exitPrice == bars.open[trade.exitBar!])
            }
        }
        // One account: the final equity is the cash plus every open trade marked at its instrument's close.
        let last = instruments[0].count - 1
        let marked = result.openTrades.reduce(0.0) { $0 + $1.size * (instruments[$1.instrument].close[last] - $1.entryPrice) }
        #expect(abs(result.equity[last] - (result.finalCash + marked)) <= 1e-9 * result.equity[last])
        // Entries commit a third of the margin available, never the whole account (10 % slack for
        // the move from the previous close to the filling open).
        for trade in result.trades {
            let equity = max(result.equity[trade.entryBar - 1], result.equity[trade.entryBar])
            #expect(abs(trade.size) * trade.entryPrice <= equity / 3 * 1.1, "trade \(trade.id) is larger than a third")
        }
    }

    /// With several instruments SMACross reads its crossings by bar (one row of instrument bits per
    /// bar); the same rules written per instrument over the two averages must trade the same.
    @Test("SMACross's crossing rows trade as a per-instrument loop over the averages", arguments: [2, 3, 70])
    func crossingRowsEqualPerInstrumentLoop(count: Int) throws {
        let instruments = try (0..<count).map { try randomBars(count: 600, seed: 300 + UInt64($0)) }
        for direction in TradeDirection.allCases {
            for configuration in [BrokerConfiguration.backtestingPy(cash: 10_000 * Double(count), commission: 0.001),
                                  .realistic(cash: 10_000 * Double(count), commission: .relative(rate: 0.001))] {
                let backtest = Backtest(instruments: instruments, configuration: configuration)
                let rows = try backtest.run(SMACross(fast: 4, slow: 11, direction: direction))
                let loop = try backtest.run(PerInstrumentSMACross(fast: 4, slow: 11, direction: direction))
                expectIdentical(rows, loop, "\(count) instruments, \(direction)")
                #expect(rows.trades.count > 10 * count)
            }
        }
    }

    @Test func instrumentsOffTheClockAreRejected() throws {
        let a = try randomBars(count: 100, seed: 1), b = try randomBars(count: 99, seed: 2)
        #expect(throws: BacktestError.self) {
            try Backtest(instruments: [a, b]).run(SMACross(fast: 5, slow: 15, direction: .longOnly))
        }
    }
}

@Suite("portfolios: rule strategies, alignment, the benchmark")
struct PortfolioTests {
    @Test("a rule strategy trades every instrument on its own signals, each entry 1/K of the margin")
    func ruleStrategyPerInstrument() throws {
        let instruments = try (0..<2).map { try randomBars(count: 900, seed: 300 + UInt64($0)) }
        let strategy = try RuleStrategy.rsiReversal(period: 10, lower: 35, upper: 65, direction: .longOnly)
        let both = try Backtest(instruments: instruments, configuration: .backtestingPy(cash: 50_000)).run(strategy)
        for k in 0..<2 {
            // Alone, on half the cash, the same rules enter on the same bars while the account allows.
            let alone = try Backtest(bars: instruments[k], configuration: .backtestingPy(cash: 25_000)).run(strategy)
            let entries = Set(both.trades.filter { $0.instrument == k }.map(\.entryBar))
            #expect(entries.count > 3, "instrument \(k)")
            #expect(entries.isSubset(of: Set(alone.trades.map(\.entryBar) + alone.openTrades.map(\.entryBar))), "instrument \(k)")
        }
        let signals = try TradeSignals(entries: BitColumn(repeating: false, count: 900), exits: BitColumn(repeating: false, count: 900))
        #expect(throws: BacktestError.self) {
            try Backtest(instruments: instruments, configuration: .backtestingPy()).run(RuleStrategy(signals: signals))
        }
    }

    @Test("the benchmark of several instruments is their equal-weight buy-and-hold")
    func equalWeightBenchmark() throws {
        let a = try ohlcBars([quiet(100), quiet(104), quiet(110)])
        let b = try BarSeries(symbol: "B", time: a.time, open: Column([50, 45, 40]), high: Column([51, 46, 41]),
                              low: Column([49, 44, 39]), close: Column([50, 45, 40]), volume: a.volume)
        struct Idle: Strategy {
            mutating func prepare(_ setup: inout StrategySetup) throws {}
            mutating func onBar(_ bar: Int, broker: inout Broker) throws {}
        }
        let result = try Backtest(instruments: [a, b], configuration: BrokerConfiguration()).run(Idle())
        // (+10 % − 20 %) / 2.
        expectClose(result.statistics.buyAndHoldReturnPct, -5, "buy & hold")
        let single = try Backtest(bars: a, configuration: BrokerConfiguration()).run(Idle())
        expectClose(single.statistics.buyAndHoldReturnPct, 10, "one instrument")
    }
}

/// SMACross's rules written out per instrument over the two averages (what its crossing rows replace).
struct PerInstrumentSMACross: Strategy {
    var fast: Int, slow: Int, direction: TradeDirection
    var averages: [(fast: SeriesView, slow: SeriesView)] = []
    var size: SizeType = .allIn

    mutating func prepare(_ setup: inout StrategySetup) throws {
        for bars in setup.instruments {
            averages.append((setup.indicator(try SMA.compute(bars.close, period: fast)),
                             setup.indicator(try SMA.compute(bars.close, period: slow))))
        }
        size = .equityFraction(1 / Double(setup.instruments.count))
    }

    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        for (k, averages) in averages.enumerated() {
            let position = broker.positionSize(k)
            if averages.fast.crossesAbove(averages.slow, at: bar) {
                switch direction {
                case .longShort:
                    broker.cancelEntries(instrument: k)
                    if position < 0 { try broker.closePosition(instrument: k) }
                    try broker.buy(size, instrument: k)
                case .longOnly:
                    if position == 0, !broker.hasWorkingEntry(instrument: k) { try broker.buy(size, instrument: k) }
                }
            } else if averages.fast.crossesBelow(averages.slow, at: bar) {
                broker.cancelEntries(instrument: k)
                switch direction {
                case .longShort:
                    if position > 0 { try broker.closePosition(instrument: k) }
                    try broker.sell(size, instrument: k)
                case .longOnly:
                    if position != 0 { try broker.closePosition(instrument: k) }
                }
            }
        }
    }
}
