import ColumnStore
import Engine
import Execution
import Foundation
import Testing

/// Daily bars built from per-bar opens (close = open, range ±1 unless given), optional quotes.
///
/// - Parameters:
///   - volumes: per-bar volumes overriding `volume`.
///   - spacing: nanoseconds between bars (a day unless given), from day 1.
func handBars(opens: [Double], lows: [Int: Double] = [:], volume: Double = 1000, volumes: [Int: Double] = [:],
              spacing: Int64 = Timestamp.nanosecondsPerDay, bidAsk: [(Double, Double)]? = nil) throws -> BarSeries {
    let n = opens.count
    let low = opens.indices.map { lows[$0] ?? opens[$0] - 1 }
    return try BarSeries(symbol: "HAND", time: Column((0..<n).map { Timestamp.nanosecondsPerDay + Int64($0) * spacing }),
                         open: Column(opens), high: Column(opens.map { $0 + 1 }), low: Column(low), close: Column(opens),
                         volume: Column((0..<n).map { volumes[$0] ?? volume }),
                         bid: bidAsk.map { Column($0.map(\.0)) }, ask: bidAsk.map { Column($0.map(\.1)) })
}

/// Submits `request` at bar `entryBar` and closes everything at `exitBar`.
struct Scripted: Strategy {
    var request: OrderRequest
    var entryBar = 5
    var exitBar: Int? = 15
    mutating func prepare(_ setup: inout StrategySetup) throws {}
    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        if bar == entryBar { try broker.submit(request) }
        if bar == exitBar { try broker.closePosition() }
    }
}

func expectClose(_ a: Double?, _ b: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let a else { Issue.record("\(label): missing", sourceLocation: sourceLocation); return }
    #expect(abs(a - b) <= 1e-9 * Swift.max(1, abs(b)), "\(label): \(a) != \(b)", sourceLocation: sourceLocation)
}

@Suite("execution costs: spread forms, slippage, recorded per fill")
struct ExecutionCostTests {
    /// Opens 100 up to bar 10, 110 after.
    static let opens = (0..<30).map { $0 <= 10 ? 100.0 : 110.0 }

    @Test("fixed slippage and half the spread on each fill, by hand")
    func halfSpreadFixedSlippage() throws {
        let bars = try handBars(opens: Self.opens)
        let configuration = BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), spread: .relative(0.002),
                                                spreadCharging: .halfEachSide, slippage: .fixed(basisPoints: 10))
        let result = try Backtest(bars: bars, configuration: configuration)
            .run(Scripted(request: OrderRequest(side: .buy, size: .units(10))))
        let trade = try #require(result.trades.first)
        // Entry at bar 6: 100 slipped 10 bps up, then half of 20 bps.
        let entry = 100 * 1.001 * 1.001
        // Exit at bar 16: 110 slipped 10 bps down, then half of 20 bps down.
        let exit = 110 * 0.999 * 0.999
        expectClose(trade.entryPrice, entry, "entry price")
        expectClose(trade.exitPrice, exit, "exit price")
        let commission = 10 * entry * 0.001 + 10 * exit * 0.001
        expectClose(trade.commission, commission, "commission")
        expectClose(trade.pnl(), 10 * (exit - entry) - commission, "pnl")
        expectClose(result.equity.last, 10_000 + 10 * (exit - entry) - commission, "final equity")
        try #require(result.fills.count == 2)
        let (buy, sell) = (result.fills[0], result.fills[1])
        expectClose(buy.slippageCost, 10 * 0.1, "entry slippage")
        expectClose(buy.spreadCost, 10 * (entry - 100.1), "entry spread")
        expectClose(sell.slippageCost, 10 * 0.11, "exit slippage")
        expectClose(sell.spreadCost, 10 * (109.89 - exit), "exit spread")
        #expect(buy.bar == 6 && sell.bar == 16)
    }

    @Test("an absolute spread, whole on entry, on a short")
    func absoluteSpreadShort() throws {
        let bars = try handBars(opens: Self.opens)
        let configuration = BrokerConfiguration(cash: 10_000, spread: .absolute(0.05))
        let result = try Backtest(bars: bars, configuration: configuration)
            .run(Scripted(request: OrderRequest(side: .sell, size: .units(5))))
        let trade = try #require(result.trades.first)
        expectClose(trade.entryPrice, 99.95, "entry price")
        expectClose(trade.exitPrice, 110, "exit price (unadjusted: the entry paid the whole width)")
        expectClose(result.fills[0].spreadCost, 0.25, "spread cost")
        #expect(result.fills[1].spreadCost == 0 && result.fills[0].slippageCost == 0)
        expectClose(trade.pnl(), -5 * (110 - 99.95), "pnl")
    }

    @Test("a quoted spread from bid and ask columns, half on each fill")
    func quotedSpread() throws {
        let quotes = Self.opens.map { ($0 - 0.03, $0 + 0.05) }
        let bars = try handBars(opens: Self.opens, bidAsk: quotes)
        let configuration = BrokerConfiguration(cash: 10_000, spread: .quoted, spreadCharging: .halfEachSide)
        let result = try Backtest(bars: bars, configuration: configuration)
            .run(Scripted(request: OrderRequest(side: .buy, size: .units(10))))
        let trade = try #require(result.trades.first)
        expectClose(trade.entryPrice, 100.04, "entry: half of the 0.08 width above the open")
        expectClose(trade.exitPrice, 109.96, "exit: half of the width below the open")
        expectClose(result.fills[0].spreadCost + result.fills[1].spreadCost, 10 * 0.08, "one whole width per round trip")
    }

    @Test("limit fills do not slip; a stop-loss leg does")
    func limitAndStop() throws {
        // Bar 6 dips to 99 (the limit at 99.5 fills); bar 12 falls to 94 (the stop at 95 triggers).
        let bars = try handBars(opens: Self.opens, lows: [6: 99, 12: 94])
        let configuration = BrokerConfiguration(cash: 10_000, slippage: .fixed(basisPoints: 10))
        let request = OrderRequest(side: .buy, size: .units(10), type: .limit(99.5), stopLoss: 95)
        let result = try Backtest(bars: bars, configuration: configuration).run(Scripted(request: request, exitBar: nil))
        let trade = try #require(result.trades.first)
        #expect(trade.entryPrice == 99.5 && result.fills[0].slippageCost == 0)
        #expect(trade.exitBar == 12)
        // Bar 12 opens at 110: the stop fills at min(open, 95) = 95, slipped 10 bps down.
        expectClose(trade.exitPrice, 95 * 0.999, "stop exit")
        expectClose(result.fills[1].slippageCost, 10 * 0.095, "stop slippage")
    }

    @Test("volume-share impact shrinks an all-in order to what it can afford")
    func volumeShareAllIn() throws {
        let bars = try handBars(opens: Self.opens, volume: 1000)
        let configuration = BrokerConfiguration(cash: 10_000, slippage: .volumeShare(coefficient: 0.1, exponent: 0.5, maximum: 0.05))
        let result = try Backtest(bars: bars, configuration: configuration)
            .run(Scripted(request: OrderRequest(side: .buy, size: .allIn), exitBar: nil))
        // Without impact 99 units; their impact, 0.1·√(99/1000) of the price, leaves room for 96,
        // which then pay their own impact.
        #expect(floor(10_000 / (100 * (1 + 0.1 * sqrt(99.0 / 1000)))) == 96)
        let trade = try #require(result.openTrades.first)
        #expect(trade.size == 96)
        let impact = 0.1 * sqrt(96.0 / 1000)
        expectClose(trade.entryPrice, 100 * (1 + impact), "entry price")
        expectClose(result.fills[0].slippageCost, 96 * 100 * impact, "slippage cost")
        #expect(96 * trade.entryPrice <= 10_000)
    }

    @Test("volume-share impact: fixed units, and the maximum on a bar without volume")
    func volumeShareUnits() throws {
        for (volume, expected) in [(1000.0, 0.2 * pow(40.0 / 1000, 0.7)), (0.0, 0.03), (Double.nan, 0.03)] {
            let bars = try handBars(opens: Self.opens, volume: volume)
            let configuration = BrokerConfiguration(cash: 10_000, slippage: .volumeShare(coefficient: 0.2, exponent: 0.7, maximum: 0.03))
            let result = try Backtest(bars: bars, configuration: configuration)
                .run(Scripted(request: OrderRequest(side: .sell, size: .units(40)), exitBar: nil))
            let trade = try #require(result.openTrades.first)
            expectClose(trade.entryPrice, 100 * (1 - expected), "volume \(volume)")
        }
    }

    @Test("a round trip in a flat market loses exactly the recorded frictions", arguments: [
        BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001, fixed: 1), spread: 0.0005),
        BrokerConfiguration(cash: 10_000, commission: .perUnit(0.01, minimum: 1), spread: .relative(0.001),
                            spreadCharging: .halfEachSide, slippage: .fixed(basisPoints: 3)),
        BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.0005), spread: .absolute(0.02),
                            spreadCharging: .halfEachSide, slippage: .volumeShare(coefficient: 0.05)),
    ])
    func flatRoundTrip(configuration: BrokerConfiguration) throws {
        let bars = try handBars(opens: [Double](repeating: 100, count: 40))
        for size in [SizeType.units(10), .equityFraction(0.5)] {
            for side in [OrderSide.buy, .sell] {
                let result = try Backtest(bars: bars, configuration: configuration)
                    .run(Scripted(request: OrderRequest(side: side, size: size)))
                try #require(result.trades.count == 1 && result.fills.count == 2)
                let frictions = result.fills.reduce(0) { $0 + $1.commission + $1.spreadCost + $1.slippageCost }
                #expect(frictions > 0)
                expectClose(result.equity.last, 10_000 - frictions, "\(side) \(size)")
            }
        }
    }

    @Test("every fill's price before costs lies inside its bar, with every cost on", arguments: ExecutionPropertyTests.seeds)
    func rawInsideBar(seed: UInt64) throws {
        let bars = try randomBars(count: 600, seed: seed)
        let configuration = BrokerConfiguration(cash: 100_000, commission: .relative(rate: 0.001), spread: .relative(0.002),
                                                spreadCharging: .halfEachSide, slippage: .volumeShare(coefficient: 0.05))
        let result = try Backtest(bars: bars, configuration: configuration).run(RandomOrders(seed: seed))
        #expect(result.fills.count > 50)
        var slipped = 0
        for fill in result.fills where fill.order != nil {
            let side = fill.quantity > 0 ? 1.0 : -1.0
            let raw = fill.price - side * (fill.spreadCost + fill.slippageCost) / abs(fill.quantity)
            #expect(bars.low[fill.bar] - 1e-9 <= raw && raw <= bars.high[fill.bar] + 1e-9,
                    "fill at bar \(fill.bar): raw \(raw) outside [\(bars.low[fill.bar]), \(bars.high[fill.bar])]")
            #expect(fill.spreadCost > 0)
            if fill.slippageCost > 0 { slipped += 1 }
        }
        #expect(slipped > 20)
    }

    @Test("cost settings out of range name the setting and what is wrong")
    func badSettings() throws {
        let bars = try handBars(opens: Self.opens)
        let quoted = try handBars(opens: Self.opens, bidAsk: Self.opens.indices.map { $0 == 7 ? (100.1, 100.0) : (99.9, 100.1) })
        let cases: [(BrokerConfiguration, BarSeries, String, String)] = [
            (BrokerConfiguration(slippage: .fixed(basisPoints: -1)), bars, "slippage", "basis points"),
            (BrokerConfiguration(slippage: .fixed(basisPoints: 10_000)), bars, "slippage", "basis points"),
            (BrokerConfiguration(slippage: .volumeShare(coefficient: .nan)), bars, "slippage", "coefficient"),
            (BrokerConfiguration(slippage: .volumeShare(coefficient: 0.1, exponent: 0)), bars, "slippage", "exponent"),
            (BrokerConfiguration(slippage: .volumeShare(coefficient: 0.1, maximum: 1)), bars, "slippage", "maximum"),
            (BrokerConfiguration(spread: .absolute(-0.01)), bars, "spread", "non-negative"),
            (BrokerConfiguration(spread: .absolute(99)), bars, "spread", "at or below zero"),
            (BrokerConfiguration(spread: .quoted), bars, "spread", "bid and ask"),
            (BrokerConfiguration(spread: .quoted), quoted, "spread", "bar 7"),
        ]
        for (configuration, data, setting, phrase) in cases {
            do {
                _ = try Broker(configuration: configuration, instruments: [data])
                Issue.record("accepted: \(configuration.slippage) \(configuration.spread)")
            } catch {
                #expect(error.setting == setting)
                #expect(error.message.contains(phrase), "\(error)")
            }
            // The fast path checks the same settings before it runs.
            let signals = try TradeSignals(entries: BitColumn(count: data.count) { $0 == 3 }, exits: BitColumn(count: data.count) { _ in false })
            #expect(throws: BacktestError.self) { try SignalBacktest(bars: data, configuration: configuration).run(signals) }
        }
    }
}
