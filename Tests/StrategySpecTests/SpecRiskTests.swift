import Foundation
import ColumnStore
import Engine
import Execution
import StrategySpec
import Testing

/// A backtesting.py run written by scripts/generate_backtesting_goldens.py: its trades and final equity.
struct ReferenceRun: Decodable {
    struct Trade: Decodable {
        var entryBar: Int
        var exitBar: Int
        var size: Double
        var entryPrice: Double
        var exitPrice: Double
        var pnl: Double
    }

    var trades: [Trade]
    var equity: [Double]

    static func load(_ scenario: String) throws -> ReferenceRun {
        let path = Fixtures.root + "/Fixtures/goldens/backtesting/\(scenario).json"
        return try JSONDecoder().decode(ReferenceRun.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

@Suite struct SpecRiskGoldenTests {
    /// The long-only sma-cross template with `change` applied, run as backtesting.py's defaults are.
    static func spec(_ change: (inout StrategySpec) -> Void) throws -> StrategySpec {
        var spec = try StrategySpec.template(named: "sma-cross", direction: .longOnly)
        spec.execution = ExecutionSettings(profile: .backtestingPy, cash: 10_000, commission: 0.002)
        change(&spec)
        return spec
    }

    static let scenarios: [(String, StrategySpec)] = [
        ("goog-sma-cross-stop-take", try! spec { $0.risk = .init(stopLoss: .percent(5), takeProfit: .percent(10)) }),
        ("goog-spec-atr-bracket-timed", try! spec {
            $0.risk = .init(stopLoss: .atr(multiple: 2, period: 14), takeProfit: .atr(multiple: 3, period: 14), maxBarsHeld: 10)
        }),
        ("goog-spec-trailing-stop", try! spec { $0.risk = .init(trailingStop: .percent(8)) }),
        ("goog-spec-limit-entry", try! spec {
            $0.entryOrder = .init(kind: .limit, offset: .percent(1), validBars: 3)
            $0.risk = .init(stopLoss: .percent(4))
        }),
        ("goog-spec-risk-sized", try! spec {
            $0.sizing = .riskPercent(1)
            $0.risk = .init(stopLoss: .percent(5))
        }),
    ]

    /// Each risk rule, priced entry and risk size gives backtesting.py's trades and equity.
    @Test(arguments: scenarios.map(\.0))
    func matchesBacktestingPy(scenario: String) throws {
        let spec = try #require(Self.scenarios.first { $0.0 == scenario }?.1)
        let reference = try ReferenceRun.load(scenario)
        let compiled = try spec.compiled()
        let result = try Backtest(bars: try Fixtures.bars("GOOG"), configuration: compiled.configuration).run(compiled.strategy)
        #expect(result.trades.count == reference.trades.count)
        for (ours, theirs) in zip(result.trades, reference.trades) {
            // Bars and sizes exactly; prices to 1e-12: an ATR-priced stop inherits the last-bit
            // difference between Colonnade's ATR and TA-Lib's (see IndicatorsTests' tolerances).
            func near(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-12 * abs(b) } ?? false }
            let same = ours.entryBar == theirs.entryBar && ours.exitBar == theirs.exitBar && abs(ours.size) == theirs.size
                && near(ours.entryPrice, theirs.entryPrice) && near(ours.exitPrice, theirs.exitPrice)
            let ourRow = "\(ours.entryBar)→\(ours.exitBar ?? -1) \(ours.size) @ \(ours.entryPrice)→\(ours.exitPrice ?? .nan)"
            let theirRow = "\(theirs.entryBar)→\(theirs.exitBar) \(theirs.size) @ \(theirs.entryPrice)→\(theirs.exitPrice)"
            #expect(same, "\(scenario): ours \(ourRow), backtesting.py \(theirRow)")
            if !same { break }
            #expect(abs((ours.pnl() ?? .nan) - theirs.pnl) <= 1e-9 * Swift.max(1, abs(theirs.pnl)))
        }
        let final = try #require(reference.equity.last)
        #expect(abs(result.statistics.equityFinal - final) <= 1e-9 * final, "\(scenario): \(result.statistics.equityFinal) vs \(final)")
    }

    /// Every scenario runs on the fast path with the event engine's orders, fills, trades and
    /// equity bit for bit, long-only and long-short, under each intrabar path and under the
    /// realistic profile with a bar of latency.
    @Test(arguments: IntrabarPath.allCases.map(\.rawValue) + ["realistic"])
    func riskRulesRunOnTheFastPath(setting: String) throws {
        let goog = try Fixtures.bars("GOOG")
        for (scenario, template) in Self.scenarios {
            for direction in [TradeDirection.longOnly, .longShort] {
                var spec = template
                if direction == .longShort { spec.short = try StrategySpec.template(named: "sma-cross", direction: .longShort).short }
                if setting == "realistic" { spec.execution = ExecutionSettings(profile: .realistic, commission: 0.001, latencyBars: 1) }
                let compiled = try spec.compiled()
                var configuration = compiled.configuration
                if let path = IntrabarPath(rawValue: setting) { configuration.intrabarPath = path }
                let event = try runOnBothPaths(compiled, on: goog, "\(scenario) \(direction) \(setting)", configuration: configuration)
                #expect(event.trades.count > 20, "\(scenario) \(direction) \(setting)")
            }
        }
    }

    /// A holding limit alone runs on the fast path, with the event engine's orders, trades and
    /// equity bit for bit, long-only and long-short.
    @Test(arguments: [1, 5, 20])
    func holdingLimitRunsOnTheFastPath(limit: Int) throws {
        let goog = try Fixtures.bars("GOOG")
        for direction in [TradeDirection.longOnly, .longShort] {
            var spec = try StrategySpec.template(named: "sma-cross", direction: direction)
            spec.execution = ExecutionSettings(profile: .backtestingPy, cash: 10_000, commission: 0.002)
            spec.risk = .init(maxBarsHeld: limit)
            let compiled = try spec.compiled()
            let event = try Backtest(bars: goog, configuration: compiled.configuration).run(compiled.strategy)
            let (signals, warmUp) = try compiled.signals(for: goog)
            #expect(signals.maxBarsHeld == limit)
            let fast = try SignalBacktest(bars: goog, configuration: compiled.configuration).run(signals, size: spec.sizing.sizeType(), warmUpBars: warmUp)
            #expect(fast.orders == event.orders, "limit \(limit), \(direction)")
            #expect(fast.trades == event.trades, "limit \(limit), \(direction)")
            #expect(fast.equity.map(\.bitPattern) == event.equity.map(\.bitPattern), "limit \(limit), \(direction)")
            // The limit is what closes most trades when it is short.
            if limit == 1 { #expect(event.trades.allSatisfy { $0.exitBar == $0.entryBar + 1 }) }
            #expect(event.trades.count > 40)
        }
    }

    /// Risk rules and order placement survive spec → JSON → spec.
    @Test func roundTrip() throws {
        var spec = try Self.spec {
            $0.risk = .init(stopLoss: .atr(multiple: 2.5, period: 10), takeProfit: .amount(12), trailingStop: .percent(7.5), maxBarsHeld: 20)
            $0.entryOrder = .init(kind: .stop, offset: .amount(0.5), validBars: 2)
            $0.exitOrder = .init(kind: .limit, offset: .percent(1))
            $0.sizing = .riskPercent(0.5)
        }
        let again = try StrategySpec(json: spec.json)
        #expect(again == spec)
        #expect(spec.json.contains(#""maxBarsHeld": 20"#))
        spec.risk = .init()
        spec.sizing = .allIn
        spec.entryOrder = .market
        spec.exitOrder = .market
        #expect(!spec.json.contains("risk") && !spec.json.contains("orders"))
    }
}

@Suite struct SpecRiskBehaviourTests {
    /// Closes 100, 101, 102, …: each bar opens at the previous close and ranges one above and below.
    static let rising = bars(closes: (0..<40).map { 100 + Double($0) })

    /// The event engine's result, after checking the fast path gives the same.
    static func run(_ spec: StrategySpec, on series: BarSeries = rising,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BacktestResult {
        try runOnBothPaths(try spec.compiled(), on: series, spec.name, sourceLocation: sourceLocation)
    }

    static func spec(entry: String = "close > 104", exit: String? = nil) -> StrategySpec {
        StrategySpec(name: "t", long: .init(entry: entry, exit: exit), sizing: .units(10),
                     execution: ExecutionSettings(profile: .backtestingPy, cash: 100_000, commission: 0))
    }

    @Test("a trade held maxBarsHeld bars closes at the next open; a rule still true re-enters at once")
    func maxBarsHeld() throws {
        var spec = Self.spec()
        spec.risk.maxBarsHeld = 3
        let trades = try Self.run(spec).trades
        // Decided at bar 5 (close 105), filled at bar 6; held bars 6, 7, 8; out at bar 9's open,
        // where the entry decided again at bar 8 fills.
        #expect(trades.prefix(2).map(\.entryBar) == [6, 9])
        #expect(trades.prefix(2).map(\.exitBar) == [9, 12])
        #expect(trades.first?.exitPrice == 108)
    }

    @Test("a priced exit is a limit above the close that decided, working validBars bars")
    func pricedExit() throws {
        var spec = Self.spec(exit: "close > 110")
        spec.exitOrder = .init(kind: .limit, offset: .amount(2), validBars: 2)
        let trades = try Self.run(spec).trades
        // The exit rule holds at bar 11 (close 111): a sell limit at 113, reached inside bar 12
        // (open 111, high 113).
        #expect(trades.first?.exitBar == 12)
        #expect(trades.first?.exitPrice == 113)

        // A limit never reached expires; the exit rule, still true, places a new one each time.
        spec.exitOrder = .init(kind: .limit, offset: .amount(50), validBars: 2)
        let result = try Self.run(spec)
        #expect(result.trades.isEmpty && result.openTrades.count == 1)
        let exits = result.orders.filter { $0.role == .close }
        #expect(exits.count >= 10 && exits.allSatisfy { $0.status == .cancelled || $0.status == .accepted })
    }

    @Test("an entry limit that is not reached is cancelled after validBars and the rule may place another")
    func entryExpiry() throws {
        var spec = Self.spec(entry: "close > 104 and close < 108")
        spec.entryOrder = .init(kind: .limit, offset: .percent(10), validBars: 2)
        let result = try Self.run(spec)
        #expect(result.trades.isEmpty && result.openTrades.isEmpty)
        // The rule holds at bars 5, 6, 7: an order at 5 works bars 6 and 7, is cancelled at 7,
        // where the rule places the next.
        let entries = result.orders.filter { $0.role == .entry }
        #expect(entries.map(\.submittedBar) == [5, 7])
        #expect(entries.allSatisfy { $0.status == .cancelled })
    }

    @Test("an entry whose stop-loss cannot be priced is not placed")
    func unplaceableBracket() throws {
        var spec = Self.spec()
        spec.risk.stopLoss = .amount(500)
        let result = try Self.run(spec)
        #expect(result.trades.isEmpty && result.openTrades.isEmpty && result.orders.isEmpty)
    }
}

@Suite struct SpecRiskErrorTests {
    static func error(_ members: String) -> SpecError? {
        let json = #"{"version": 1, "name": "t", "long": {"entry": "close > open"}, "# + members + "}"
        do {
            _ = try StrategySpec(json: json)
            return nil
        } catch {
            return error
        }
    }

    @Test func distancesAndRules() {
        let cases: [(String, String)] = [
            (#""risk": {"stopLoss": {"percent": 0}}"#, "$.risk.stopLoss.percent: must be in (0, 100), is 0.0"),
            (#""risk": {"stopLoss": {"percent": 100}}"#, "$.risk.stopLoss.percent: must be in (0, 100), is 100.0"),
            (#""risk": {"takeProfit": {"amount": -1}}"#, "$.risk.takeProfit.amount: must be a positive price distance, is -1.0"),
            (#""risk": {"trailingStop": {"atr": 0}}"#, "$.risk.trailingStop.atr: must be a positive multiple, is 0.0"),
            (#""risk": {"stopLoss": {"percent": 2, "amount": 1}}"#, #"$.risk.stopLoss: gives both "percent" and "amount"; give one"#),
            (#""risk": {"stopLoss": {}}"#, #"$.risk.stopLoss: needs one of "percent", "amount" or "atr""#),
            (#""risk": {"stopLoss": {"percent": 2, "period": 5}}"#, #"$.risk.stopLoss.period: only an "atr" distance has a period"#),
            (#""risk": {"stopLoss": {"atr": 2, "period": 1.5}}"#, "$.risk.stopLoss.period: must be a whole number, is 1.5"),
            (#""risk": {"maxBarsHeld": 0}"#, "$.risk.maxBarsHeld: must be 1 or more bars, is 0"),
            (#""risk": {"stopLos": {"percent": 2}}"#, #"$.risk.stopLos: unknown key (did you mean "stopLoss"?)"#),
            (#""risk": {"stopLoss": 5}"#, "$.risk.stopLoss: expected an object, found a number"),
            (#""sizing": {"type": "riskPercent", "value": 1}"#, #"$.sizing: riskPercent sizes from the stop-loss: give "risk": {"stopLoss": ...}"#),
            (#""sizing": {"type": "riskPercent", "value": 150}, "risk": {"stopLoss": {"percent": 2}}"#, "$.sizing.value: must be in (0, 100], is 150.0"),
            (#""orders": {"entry": {"type": "limit"}}"#, "$.orders.entry.offset: a limit order needs an offset from the close"),
            (#""orders": {"exit": {"type": "market", "offset": {"percent": 1}}}"#, "$.orders.exit.offset: a market order has no offset"),
            (#""orders": {"entry": {"type": "stop", "offset": {"amount": 1}, "validBars": 0}}"#, "$.orders.entry.validBars: must be 1 or more bars, is 0"),
            (#""orders": {"entry": {"type": "trailing"}}"#, #"$.orders.entry.type: "trailing" is not an order type; use market, limit or stop"#),
            (#""orders": {"entry": {"offset": {"amount": 1}}}"#, "$.orders.entry.type: is required"),
        ]
        for (members, message) in cases {
            #expect(Self.error(members)?.description == message, "\(members)")
        }
    }

    @Test func atrPeriodIsCheckedByTheIndicator() throws {
        let error = try #require(Self.error(#""risk": {"stopLoss": {"atr": 2, "period": 0}}"#))
        #expect(error.path == "$.risk.stopLoss.period")
        #expect(error.description.contains("period"))
    }
}
