import ColumnStore
import Engine
import Execution
import Indicators
import Testing

/// Random signals: each of the four flags set independently with probability `density` at each bar,
/// from a generator of its own (so the bars and the signals are independent).
func randomSignals(count: Int, seed: UInt64, density: Double, direction: TradeDirection) throws -> TradeSignals {
    var state = (seed &* 0xA24B_AED4_963E_E407) | 1
    func uniform() -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
    var columns = [[Bool]](repeating: [], count: 4)
    for _ in 0..<count { for k in 0..<4 { columns[k].append(uniform() < density) } }
    return try TradeSignals(longEntries: BitColumn(columns[0]), longExits: BitColumn(columns[1]),
                            shortEntries: BitColumn(columns[2]), shortExits: BitColumn(columns[3]), direction: direction)
}

/// Bit-level equality of two runs: orders, fills, trades, equity, cash, the stop bar and every statistic.
func expectIdentical(_ fast: BacktestResult, _ event: BacktestResult, _ label: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
    // Compared first and expected as booleans: a failure names what differs without printing every record.
    let sameOrders = fast.orders == event.orders, sameFills = fast.fills == event.fills
    let sameTrades = fast.trades == event.trades, sameOpen = fast.openTrades == event.openTrades
    let sameEquity = fast.equity.map(\.bitPattern) == event.equity.map(\.bitPattern)
    let sameCash = fast.finalCash.bitPattern == event.finalCash.bitPattern
    let sameBars = fast.outOfMoneyBar == event.outOfMoneyBar && fast.firstDecisionBar == event.firstDecisionBar
    #expect(sameOrders, "\(label): orders differ", sourceLocation: sourceLocation)
    #expect(sameFills, "\(label): fills differ", sourceLocation: sourceLocation)
    #expect(sameTrades, "\(label): trades differ", sourceLocation: sourceLocation)
    #expect(sameOpen, "\(label): open trades differ", sourceLocation: sourceLocation)
    #expect(sameEquity, "\(label): equity differs", sourceLocation: sourceLocation)
    #expect(sameCash, "\(label): cash differs", sourceLocation: sourceLocation)
    #expect(sameBars, "\(label): stop or first bar differs", sourceLocation: sourceLocation)
    // Statistics are a function of the above; NaN rows compare unequal to themselves, so compare bits.
    let sameStatistics = fast.statistics.isIdentical(to: event.statistics)
    #expect(sameStatistics, "\(label): statistics differ", sourceLocation: sourceLocation)
}

@Suite("signal fast path equals the event engine")
struct SignalFastPathTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var direction: TradeDirection
        var size: SizeType
        var configuration: BrokerConfiguration
        /// Give the bars bid and ask columns (for a quoted spread).
        var quotes = false
        var testDescription: String { name }
    }

    /// `bars` with a quote around each close: bid 1–3 cents below, ask 2 cents above.
    static func quoted(_ bars: BarSeries) throws -> BarSeries {
        let close = Array(bars.close)
        return try BarSeries(symbol: bars.symbol, time: bars.time, open: bars.open, high: bars.high, low: bars.low,
                             close: bars.close, volume: bars.volume,
                             bid: Column(close.indices.map { close[$0] - 0.01 * Double(1 + $0 % 3) }),
                             ask: Column(close.map { $0 + 0.02 }))
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "long-only all-in, backtesting.py commission", direction: .longOnly, size: .allIn,
                 configuration: .backtestingPy(cash: 10_000, commission: 0.002)),
        Scenario(name: "long-short all-in, exclusive orders, spread", direction: .longShort, size: .allIn,
                 configuration: .backtestingPy(cash: 10_000, commission: 0.001, spread: 0.0005, exclusiveOrders: true)),
        Scenario(name: "long-short half equity, finalized", direction: .longShort, size: .equityFraction(0.5),
                 configuration: .backtestingPy(cash: 10_000, commission: 0.002, finalizeTrades: true)),
        Scenario(name: "fixed units, some unaffordable", direction: .longShort, size: .units(70),
                 configuration: BrokerConfiguration(cash: 7_000, commission: .perUnit(0.01, minimum: 1))),
        Scenario(name: "notional with tiered commission", direction: .longOnly, size: .notional(4_000),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .tiered([
                     CommissionTier(threshold: 0, rate: 0.003), CommissionTier(threshold: 5_000, rate: 0.001)]))),
        Scenario(name: "risk sizing against a fixed stop", direction: .longOnly, size: .risk(fraction: 0.02, stopPrice: 60),
                 configuration: .backtestingPy(cash: 10_000, commission: 0.001)),
        Scenario(name: "fractional lots, fixed fee, finalized", direction: .longShort, size: .equityFraction(0.9),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.0005, fixed: 2),
                                                    finalizeTrades: true, lotSize: 0.01)),
        Scenario(name: "leverage 50: runs out of money", direction: .longShort, size: .allIn,
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), margin: 0.02)),
        Scenario(name: "hedging account", direction: .longShort, size: .allIn,
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.002), hedging: true)),
        Scenario(name: "half spread each side, fixed slippage, exclusive orders", direction: .longShort, size: .allIn,
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), spread: .relative(0.0004),
                                                    spreadCharging: .halfEachSide, slippage: .fixed(basisPoints: 2),
                                                    exclusiveOrders: true)),
        Scenario(name: "volume-share impact, absolute spread, finalized", direction: .longShort, size: .equityFraction(0.8),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.0005), spread: .absolute(0.02),
                                                    spreadCharging: .halfEachSide,
                                                    slippage: .volumeShare(coefficient: 0.02, exponent: 0.6),
                                                    finalizeTrades: true)),
        Scenario(name: "instrument rules (lot 0.05, minimum 25, tick 0.25), some unaffordable", direction: .longShort,
                 size: .equityFraction(0.25),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), spread: .relative(0.0004),
                                                    spreadCharging: .halfEachSide, slippage: .fixed(basisPoints: 3),
                                                    instrumentRules: ["RND": InstrumentRules(lotSize: 0.05, minimumQuantity: 25, tickSize: 0.25)])),
        Scenario(name: "quoted spread, fixed units, some unaffordable", direction: .longShort, size: .units(80),
                 configuration: BrokerConfiguration(cash: 8_000, commission: .perOrder(1), spread: .quoted,
                                                    slippage: .volumeShare(coefficient: 0.05)),
                 quotes: true),
    ]

    static let densities = [0.01, 0.08, 0.4]

    @Test("random signals: same orders, fills, trades, equity and statistics", arguments: scenarios)
    func randomSignalsMatch(scenario: Scenario) throws {
        var stops = 0, rejections = 0, trades = 0, slipped = 0
        for seed: UInt64 in 1...6 {
            let random = try randomBars(count: 700, seed: seed)
            let bars = scenario.quotes ? try Self.quoted(random) : random
            for (d, density) in Self.densities.enumerated() {
                var signals = try randomSignals(count: bars.count, seed: seed * 31 + UInt64(d), density: density,
                                                direction: scenario.direction)
                // Half the runs have a holding limit, from a trade closed on the bar after its entry to a loose one.
                signals.maxBarsHeld = [nil, 1, nil, 4, nil, 15][Int(seed) - 1]
                let warmUp = Int(seed % 3) * 7
                let fast = try SignalBacktest(bars: bars, configuration: scenario.configuration)
                    .run(signals, size: scenario.size, warmUpBars: warmUp)
                let event = try Backtest(bars: bars, configuration: scenario.configuration)
                    .run(RuleStrategy(signals: signals, size: scenario.size, warmUpBars: warmUp))
                expectIdentical(fast, event, "\(scenario.name), seed \(seed), density \(density)")
                if event.outOfMoneyBar != nil { stops += 1 }
                rejections += event.orders.filter { if case .rejected = $0.status { true } else { false } }.count
                trades += event.trades.count
                slipped += event.fills.filter { $0.slippageCost > 0 }.count
            }
        }
        // The corpus exercises what the scenario is about, so the equality above is not vacuous.
        #expect(trades > (scenario.name.contains("out of money") ? 30 : 100))
        if scenario.name.contains("out of money") { #expect(stops > 0) }
        if scenario.name.contains("unaffordable") { #expect(rejections > 0) }
        if scenario.configuration.slippage.maximumFraction > 0 { #expect(slipped > 100) }
    }

    @Test("fast path: truncating the future never changes a past fill or mark")
    func fastPathNoLookAhead() throws {
        for seed: UInt64 in 1...4 {
            let bars = try randomBars(count: 600, seed: seed)
            let signals = try randomSignals(count: 600, seed: seed, density: 0.08, direction: .longShort)
            let configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002)
            let full = try SignalBacktest(bars: bars, configuration: configuration).run(signals, warmUpBars: 5)
            for cut in [100, 333, 599] {
                let head = try TradeSignals(longEntries: signals.longEntries[0..<cut], longExits: signals.longExits[0..<cut],
                                            shortEntries: signals.shortEntries[0..<cut], shortExits: signals.shortExits[0..<cut])
                let truncated = try SignalBacktest(bars: bars[0..<cut], configuration: configuration).run(head, warmUpBars: 5)
                #expect(truncated.fills == full.fills.filter { $0.bar < cut }, "seed \(seed), cut \(cut)")
                #expect(truncated.equity == Array(full.equity[0..<cut]), "seed \(seed), cut \(cut)")
            }
        }
    }

    @Test("fast path: identical results on one thread and on many")
    func fastPathThreads() async throws {
        let bars = try randomBars(count: 5_000, seed: 77)
        let signals = try randomSignals(count: 5_000, seed: 77, density: 0.05, direction: .longShort)
        let backtest = SignalBacktest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0.001))
        let reference = try backtest.run(signals)
        let results = try await withThrowingTaskGroup(of: BacktestResult.self) { group in
            for _ in 0..<8 { group.addTask { try backtest.run(signals) } }
            var all: [BacktestResult] = []
            for try await r in group { all.append(r) }
            return all
        }
        for r in results { expectIdentical(r, reference, "concurrent run") }
    }

    @Test("signals on the last bar stay working, or fill there when trades are finalized")
    func lastBarSignals() throws {
        let bars = try randomBars(count: 40, seed: 3)
        var entries = [Bool](repeating: false, count: 40), exits = entries, shorts = entries
        entries[10] = true; shorts[39] = true; exits[25] = true; entries[30] = true
        let signals = try TradeSignals(longEntries: BitColumn(entries), longExits: BitColumn(exits),
                                       shortEntries: BitColumn(shorts), shortExits: BitColumn(repeating: false, count: 40))
        for finalize in [false, true] {
            let configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002, finalizeTrades: finalize)
            let fast = try SignalBacktest(bars: bars, configuration: configuration).run(signals)
            let event = try Backtest(bars: bars, configuration: configuration).run(RuleStrategy(signals: signals))
            expectIdentical(fast, event, "finalize \(finalize)")
            // The reversal decided at bar 39: working without finalize; with it, the long closes and the short opens at bar 39.
            if finalize {
                #expect(fast.trades.last?.exitBar == 39 && fast.openTrades.first?.entryBar == 39 && fast.openTrades.first!.size < 0)
            } else {
                #expect(fast.orders.suffix(2).allSatisfy { $0.status == .accepted })
                #expect(fast.openTrades.first?.entryBar == 31)
            }
        }
    }

    @Test("the benchmark workload: SMA(10)/SMA(20) long-only crossings through both paths")
    func smaCrossWorkload() throws {
        let goog = try Fixtures.bars("GOOG")
        for bars in [goog, BarSeries.synthetic(count: 20_000, seed: 42)] {
            let configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002)
            let strategy = try SMACross(fast: 10, slow: 20, direction: .longOnly)
            let (signals, warmUp) = try strategy.longOnlySignals(for: bars)
            #expect(warmUp == 19)
            let fast = try SignalBacktest(bars: bars, configuration: configuration).run(signals, warmUpBars: warmUp)
            let event = try Backtest(bars: bars, configuration: configuration).run(strategy)
            #expect(fast.orders == event.orders)
            #expect(fast.trades == event.trades)
            #expect(fast.fills == event.fills)
            #expect(fast.equity.map(\.bitPattern) == event.equity.map(\.bitPattern))
            #expect(String(describing: fast.statistics) == String(describing: event.statistics))
            #expect(fast.trades.count > 10)
        }
    }

    @Test("crossing columns mark exactly the bars SeriesView.crossesAbove/Below does")
    func crossingColumns() throws {
        // Cent prices with exact ties between the two series: ties on either bar are no cross.
        let a = Column<Double>([1, 2, 2, 3, 1, .nan, 4, 1, 2, 2, 1])
        let b = Column<Double>([2, 2, 1, 2, 2, 1, 1, 2, 1, 3, 1])
        let above = BitColumn(crossing: a, above: b), below = BitColumn(crossing: a, below: b)
        var setup = StrategySetup(instruments: [try randomBars(count: 11, seed: 1)])
        let va = setup.series(a), vb = setup.series(b)
        #expect(above.array == (0..<11).map { va.crossesAbove(vb, at: $0) })
        #expect(below.array == (0..<11).map { va.crossesBelow(vb, at: $0) })
        // Bar 1 and bar 10 end in a tie, bar 2 starts from one, bar 5 and 6 touch a NaN: no cross.
        #expect(above.trueIndices == [8] && below.trueIndices == [4, 7, 9])

        // Across word boundaries (the carry from bar 64w − 1), with frequent ties and a few NaN.
        for count in [63, 64, 65, 129, 300] {
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(count) | 1
            func small() -> Double {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return state % 17 == 0 ? .nan : Double(state % 3)
            }
            let x = Column<Double>((0..<count).map { _ in small() }), y = Column<Double>((0..<count).map { _ in small() })
            var s2 = StrategySetup(instruments: [try randomBars(count: count, seed: 1)])
            let vx = s2.series(x), vy = s2.series(y)
            let both = BitColumn.crossings(of: x, and: y)
            #expect(both.above.array == (0..<count).map { vx.crossesAbove(vy, at: $0) }, "count \(count)")
            #expect(both.below.array == (0..<count).map { vx.crossesBelow(vy, at: $0) }, "count \(count)")
            #expect(both.above.trueCount > 3 && both.below.trueCount > 3)
        }
    }

    /// The holding limit by hand: an entry signal on every bar and no exit signal, so each trade
    /// lives exactly `limit` bars and the next one opens on the bar the last one closes.
    @Test("holding limit: a trade filled at bar e closes at the open of e + limit", arguments: [1, 3, 10])
    func holdingLimit(limit: Int) throws {
        let bars = try randomBars(count: 60, seed: 9)
        var signals = try TradeSignals(entries: BitColumn(repeating: true, count: 60), exits: BitColumn(repeating: false, count: 60))
        signals.maxBarsHeld = limit
        let configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.001)
        let fast = try SignalBacktest(bars: bars, configuration: configuration).run(signals)
        let event = try Backtest(bars: bars, configuration: configuration).run(RuleStrategy(signals: signals))
        expectIdentical(fast, event, "limit \(limit)")
        #expect(fast.trades.count >= 50 / (limit + 1))
        for trade in fast.trades {
            #expect(trade.exitBar == trade.entryBar + limit, "limit \(limit): \(trade.entryBar) → \(String(describing: trade.exitBar))")
            #expect(trade.exitPrice == bars.open[trade.entryBar + limit])
        }
        // Back to back: each entry fills on the bar after the previous trade's exit decision, the
        // exit bar itself (the close and the new entry fill at the same open).
        for (before, after) in zip(fast.trades, fast.trades.dropFirst()) { #expect(after.entryBar == before.exitBar) }
    }

    @Test("bad signals and sizes are typed errors")
    func badInput() throws {
        let bars = try randomBars(count: 100, seed: 5)
        let backtest = SignalBacktest(bars: bars)
        let short = try TradeSignals(entries: BitColumn(repeating: false, count: 99), exits: BitColumn(repeating: false, count: 99))
        let fine = try TradeSignals(entries: BitColumn(repeating: true, count: 100), exits: BitColumn(repeating: false, count: 100))
        func message(_ body: () throws -> BacktestResult) -> String? {
            do { _ = try body(); return nil } catch { return "\(error)" }
        }
        #expect(message { try backtest.run(short) }?.contains("the signals have 99 bars, the data 100") == true)
        #expect(message { try backtest.run(fine, warmUpBars: -1) }?.contains("warm-up must not be negative") == true)
        #expect(message { try backtest.run(fine, size: .equityFraction(1.5)) }?.contains("equity fraction must be in (0, 1]") == true)
        #expect(message { try backtest.run(fine, size: .units(0)) }?.contains("size must be a positive finite number") == true)
        #expect(message { try SignalBacktest(bars: bars, configuration: BrokerConfiguration(cash: -1)).run(fine) }?
            .contains("cash must be a positive number") == true)
        #expect(message { try SignalBacktest(bars: bars[0..<0]).run(fine) } == "no bars to backtest")
        #expect(throws: BacktestError.self) {
            try TradeSignals(longEntries: BitColumn(repeating: false, count: 5), longExits: BitColumn(repeating: false, count: 5),
                             shortEntries: BitColumn(repeating: false, count: 4), shortExits: BitColumn(repeating: false, count: 5))
        }
        // The event-engine twin refuses signals of the wrong length while preparing.
        #expect(throws: BacktestError.self) { try Backtest(bars: bars).run(RuleStrategy(signals: short)) }
        // A holding limit below one bar, on both paths.
        var unheld = fine
        unheld.maxBarsHeld = 0
        #expect(message { try backtest.run(unheld) }?.contains("maxBarsHeld must be at least 1 bar, is 0") == true)
        #expect(message { try Backtest(bars: bars).run(RuleStrategy(signals: unheld)) }?.contains("maxBarsHeld must be at least 1 bar") == true)
        // A warm-up past the data: no decision, equity is the cash throughout.
        let idle = try backtest.run(fine, warmUpBars: 500)
        #expect(idle.trades.isEmpty && idle.orders.isEmpty && idle.equity.allSatisfy { $0 == 10_000 })
    }
}
