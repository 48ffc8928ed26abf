import ColumnStore
import Engine
import Execution
import Testing

/// The fast path with order rules (priced entries and exits, brackets, trailing stops, risk
/// sizing) and with a volume cap or latency, against the event engine on random signals.
@Suite("signal fast path with order rules equals the event engine")
struct SignalOrderRulesTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var direction: TradeDirection = .longShort
        var size: SizeType = .allIn
        var rules: OrderRules
        var configuration: BrokerConfiguration = .backtestingPy(cash: 10_000, commission: 0.002)
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "percent bracket, pessimistic path", rules: OrderRules(stopLoss: .percent(2), takeProfit: .percent(3))),
        Scenario(name: "amount bracket, open-high-low-close path, spread and slippage",
                 rules: OrderRules(stopLoss: .amount(1.5), takeProfit: .amount(2.5)),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), spread: .relative(0.0004),
                                                    slippage: .fixed(basisPoints: 2), intrabarPath: .openHighLowClose)),
        Scenario(name: "ATR bracket, nearer-extreme path", direction: .longOnly,
                 rules: OrderRules(stopLoss: .atr(multiple: 1.5, period: 14), takeProfit: .atr(multiple: 2, period: 10)),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.002), intrabarPath: .nearerExtremeFirst)),
        Scenario(name: "percent trail with a stop-loss, pessimistic path",
                 rules: OrderRules(stopLoss: .percent(5), trailingStop: .percent(3))),
        Scenario(name: "ATR trail, open-high-low-close path", rules: OrderRules(trailingStop: .atr(multiple: 1.2, period: 10)),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), intrabarPath: .openHighLowClose)),
        Scenario(name: "amount trail, nearer-extreme path, finalized", direction: .longOnly, rules: OrderRules(trailingStop: .amount(2)),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), finalizeTrades: true,
                                                    intrabarPath: .nearerExtremeFirst)),
        Scenario(name: "limit entries, stop exits",
                 rules: OrderRules(entryOrder: OrderPlacement(kind: .limit, offset: .percent(0.5), validBars: 3),
                                   exitOrder: OrderPlacement(kind: .stop, offset: .percent(1), validBars: 2))),
        Scenario(name: "stop entries with a take-profit, limit exits, exclusive orders",
                 rules: OrderRules(entryOrder: OrderPlacement(kind: .stop, offset: .amount(0.3), validBars: 2),
                                   exitOrder: OrderPlacement(kind: .limit, offset: .atr(multiple: 0.5, period: 5), validBars: 4),
                                   takeProfit: .percent(4)),
                 configuration: .backtestingPy(cash: 10_000, commission: 0.001, spread: 0.0005, exclusiveOrders: true)),
        Scenario(name: "risk sizing from the stop-loss", size: .risk(fraction: 0.01, stopPrice: .nan),
                 rules: OrderRules(stopLoss: .percent(3), takeProfit: .percent(6))),
        Scenario(name: "volume cap and latency with a bracket", size: .equityFraction(0.9),
                 rules: OrderRules(stopLoss: .percent(2), takeProfit: .percent(4)),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), participation: 0.04,
                                                    latency: .bars(1))),
        Scenario(name: "volume cap, market orders only", size: .equityFraction(0.9), rules: OrderRules(),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), slippage: .volumeShare(coefficient: 0.05),
                                                    participation: 0.05)),
        Scenario(name: "latency in time, limit entries with a trail", rules: OrderRules(
                    entryOrder: OrderPlacement(kind: .limit, offset: .percent(0.3), validBars: 4), trailingStop: .percent(4)),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001),
                                                    latency: .nanoseconds(2 * Timestamp.nanosecondsPerDay))),
        Scenario(name: "leverage 50 with a trail: runs out of money", rules: OrderRules(trailingStop: .percent(3)),
                 configuration: BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), margin: 0.02)),
    ]

    @Test("random signals: same orders, fills, trades, equity and statistics", arguments: scenarios)
    func randomSignalsMatch(scenario: Scenario) throws {
        var trades = 0, legFills = 0, pricedFills = 0, partial = 0, stops = 0
        for seed: UInt64 in 1...5 {
            let bars = try randomBars(count: 600, seed: seed + 100)
            for (d, density) in [0.02, 0.1, 0.4].enumerated() {
                var signals = try randomSignals(count: bars.count, seed: seed * 17 + UInt64(d), density: density,
                                                direction: scenario.direction)
                signals.orderRules = scenario.rules
                signals.maxBarsHeld = [nil, 3, nil, 12, nil][Int(seed) - 1]
                let warmUp = Int(seed % 2) * 5
                let fast = try SignalBacktest(bars: bars, configuration: scenario.configuration)
                    .run(signals, size: scenario.size, warmUpBars: warmUp)
                let event = try Backtest(bars: bars, configuration: scenario.configuration)
                    .run(RuleStrategy(signals: signals, size: scenario.size, warmUpBars: warmUp))
                expectIdentical(fast, event, "\(scenario.name), seed \(seed), density \(density)")
                // The event engine skips onBar before the rules' next decision: the same as calling it at every bar.
                let everyBar = try Backtest(bars: bars, configuration: scenario.configuration)
                    .run(EveryBar(RuleStrategy(signals: signals, size: scenario.size, warmUpBars: warmUp)))
                expectIdentical(everyBar, event, "\(scenario.name), seed \(seed), density \(density), onBar at every bar")
                trades += event.trades.count
                let orders = Dictionary(event.orders.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for fill in event.fills {
                    guard let id = fill.order, let order = orders[id] else { continue }
                    if order.role == .stopLoss || order.role == .takeProfit { legFills += 1 }
                    if order.role != .stopLoss, order.role != .takeProfit, order.type != .market { pricedFills += 1 }
                }
                partial += event.orders.filter { ($0.quantity ?? 0) > $0.filledQuantity && $0.filledQuantity > 0 }.count
                    + event.fills.count - Set(event.fills.map(\.order)).count
                if event.outOfMoneyBar != nil { stops += 1 }
            }
        }
        // The corpus reaches what the scenario is about, so the equality above is not vacuous.
        // A run out of money stops early, so it trades less.
        let short = scenario.name.contains("out of money")
        #expect(trades > (short ? 30 : 100), "\(trades) trades")
        let rules = scenario.rules
        if rules.stopLoss != nil || rules.takeProfit != nil || rules.trailingStop != nil {
            #expect(legFills > (short ? 10 : 50), "\(legFills) leg fills")
        }
        if rules.entryOrder.kind != .market || rules.exitOrder.kind != .market { #expect(pricedFills > 50, "\(pricedFills) priced fills") }
        if scenario.configuration.participation != nil { #expect(partial > 10, "\(partial) split orders") }
        if scenario.name.contains("out of money") { #expect(stops > 0) }
    }

    @Test("bad order rules are typed errors on both paths")
    func badRules() throws {
        let bars = try randomBars(count: 100, seed: 3)
        var signals = try TradeSignals(entries: BitColumn(count: 100) { $0 % 10 == 0 }, exits: BitColumn(repeating: false, count: 100))
        let cases: [(OrderRules, String)] = [
            (OrderRules(stopLoss: .percent(100)), "stopLoss.percent must be in (0, 100), is 100"),
            (OrderRules(takeProfit: .amount(-1)), "takeProfit.amount must be a positive price distance, is -1"),
            (OrderRules(trailingStop: .atr(multiple: 2, period: 0)), "trailingStop.period"),
            (OrderRules(entryOrder: OrderPlacement(kind: .limit)), "entryOrder: a limit order needs an offset"),
            (OrderRules(exitOrder: OrderPlacement(kind: .stop, offset: .percent(1), validBars: 0)), "exitOrder: validBars must be at least 1, is 0"),
        ]
        for (rules, message) in cases {
            signals.orderRules = rules
            do {
                _ = try SignalBacktest(bars: bars).run(signals)
                Issue.record("the fast path accepted \(rules)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
            do {
                _ = try Backtest(bars: bars).run(RuleStrategy(signals: signals))
                Issue.record("the event engine accepted \(rules)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
        // A risk size needs a stop: from the stop-loss rule or its own.
        signals.orderRules = OrderRules()
        #expect(throws: BacktestError.self) { try SignalBacktest(bars: bars).run(signals, size: .risk(fraction: 0.01, stopPrice: .nan)) }
        signals.orderRules = OrderRules(stopLoss: .percent(2))
        let sized = try SignalBacktest(bars: bars).run(signals, size: .risk(fraction: 0.01, stopPrice: .nan))
        #expect(!sized.trades.isEmpty)
    }
}
