import ColumnStore
import Engine
import Execution
import Testing

/// Flat-range bars whose opens and closes are given, one per day.
private func bars(symbol: String = "T", opens: [Double], closes: [Double]) throws -> BarSeries {
    let time = (0..<opens.count).map { Int64($0 + 20_000) * Timestamp.nanosecondsPerDay }
    let high = zip(opens, closes).map { Swift.max($0, $1) + 1 }, low = zip(opens, closes).map { Swift.min($0, $1) - 1 }
    return try BarSeries(symbol: symbol, time: Column(time), open: Column(opens), high: Column(high), low: Column(low),
                         close: Column(closes), volume: Column(repeating: 1_000_000, count: opens.count))
}

private let nan = Double.nan

/// Random targets: on about `density` of the bars one of `choices`, NaN elsewhere.
private func randomTargets(count: Int, seed: UInt64, choices: [Double], density: Double) -> [Double] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func uniform() -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
    return (0..<count).map { _ in
        uniform() < density ? choices[Int(uniform() * Double(choices.count)) % choices.count] : nan
    }
}

@Suite("target positions")
struct TargetPositionTests {
    /// Worked by hand: buy to 10, sell down to 4 (closing 6 of the first trade), reverse to −5
    /// (closing the other 4 and opening a short), back to flat; every fill at the next open.
    @Test("unit targets: the orders, the trades they split into, the equity")
    func handWorked() throws {
        let opens: [Double] = [100, 101, 102, 103, 104, 105, 106, 107]
        let data = try bars(opens: opens, closes: opens.map { $0 + 0.5 })
        let targets = TargetPositions.units(Column([nan, 10, nan, 4, -5, nan, 0, nan]))
        let result = try Backtest(bars: data, configuration: .backtestingPy(cash: 10_000, commission: 0))
            .run(TargetPositionStrategy(targets))
        let trades = result.trades.map { [$0.size, Double($0.entryBar), Double($0.exitBar ?? -1), $0.entryPrice, $0.exitPrice ?? nan] }
        #expect(trades == [[6, 2, 4, 102, 104], [4, 2, 5, 102, 105], [-5, 5, 7, 105, 107]])
        #expect(result.trades.map { $0.pnl() } == [12, 12, -10])
        #expect(result.openTrades.isEmpty)
        let orders = result.orders.map { ($0.side, $0.size, $0.status) }
        #expect(orders.count == 4)
        #expect(orders.map(\.0) == [.buy, .sell, .sell, .buy])
        #expect(orders.map(\.1) == [.units(10), .units(6), .units(9), .units(5)])
        #expect(orders.allSatisfy { $0.2 == .filled })
        // Marked at each close: long 10 from 102 at bar 2 (close 102.5) is +5.
        #expect(result.equity[2] == 10_005)
        #expect(result.equity[7] == 10_014)
    }

    @Test("equity fractions: trunc(f · equity / close) units at the decision bar's close")
    func fractionSizing() throws {
        let opens: [Double] = [250, 250, 251, 252, 253, 254]
        let closes: [Double] = [250, 250.5, 251, 252, 253, 254]
        let data = try bars(opens: opens, closes: closes)
        let targets = TargetPositions.equityFractions(Column([nan, 0.5, nan, -0.25, nan, nan]))
        let result = try Backtest(bars: data, configuration: .backtestingPy(cash: 10_000, commission: 0))
            .run(TargetPositionStrategy(targets))
        // Bar 1: 0.5 · 10 000 / 250.5 = 19.96 → 19 units, filled at 251.
        // Bar 3: equity 10 000 + 19 · (252 − 251) = 10 019; −0.25 · 10 019 / 252 = −9.94 → −9 units,
        // so sell 19 + 9 = 28 at 253.
        #expect(result.orders.map(\.size) == [.units(19), .units(28)])
        #expect(result.trades.map(\.size) == [19])
        #expect(result.openTrades.map(\.size) == [-9])
        #expect(result.openTrades.map(\.entryPrice) == [253])
    }

    /// Instrument 0 adds and instrument 1 goes flat on the same bar; the account can afford the
    /// addition only once the other position's margin is free.
    @Test("reductions are ordered before additions, so their margin is there for them")
    func reductionsFirst() throws {
        let opens = [Double](repeating: 100, count: 6)
        let a = try bars(symbol: "A", opens: opens, closes: opens), b = try bars(symbol: "B", opens: opens, closes: opens)
        let targetsA = TargetPositions.units(Column([nan, nan, nan, 90, nan, nan]))
        let targetsB = TargetPositions.units(Column([nan, 90, nan, 0, nan, nan]))
        let result = try Backtest(instruments: [a, b], configuration: .backtestingPy(cash: 10_000, commission: 0))
            .run(TargetPositionStrategy(targets: [targetsA, targetsB]))
        let orders = result.orders.sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(orders.map(\.instrument) == [1, 1, 0], "B's close is submitted before A's addition")
        #expect(orders.allSatisfy { $0.status == .filled })
        #expect(result.openTrades.map(\.instrument) == [0])
        #expect(result.openTrades.map(\.size) == [90])
    }

    @Test("a new target replaces the order the last one still has working")
    func replacesWorking() throws {
        let opens: [Double] = (0..<10).map { 100 + Double($0) }
        let data = try bars(opens: opens, closes: opens)
        let targets = TargetPositions.units(Column([nan, 10, 3, nan, nan, nan, nan, nan, nan, nan]))
        let configuration = BrokerConfiguration(cash: 10_000, latency: .bars(2))
        let result = try Backtest(bars: data, configuration: configuration).run(TargetPositionStrategy(targets))
        let statuses = result.orders.sorted { $0.id.rawValue < $1.id.rawValue }.map(\.status)
        #expect(statuses == [.cancelled, .filled])
        #expect(result.openTrades.map(\.size) == [3])
        // Submitted at bar 2, eligible at 2 + 1 + 2.
        #expect(result.openTrades.map(\.entryBar) == [5])
    }

    @Test("NaN holds: no order between targets, and a target equal to the position orders nothing")
    func holds() throws {
        let opens: [Double] = (0..<8).map { 50 + Double($0) }
        let data = try bars(opens: opens, closes: opens)
        let targets = TargetPositions.units(Column([nan, 5, nan, 5, nan, 5, nan, nan]))
        let result = try Backtest(bars: data, configuration: .backtestingPy(cash: 10_000, commission: 0.001))
            .run(TargetPositionStrategy(targets))
        #expect(result.orders.count == 1)
        #expect(result.openTrades.map(\.size) == [5])
    }

    @Test("a change below the minimum quantity is not ordered, except to go flat")
    func minimumQuantity() throws {
        let opens: [Double] = (0..<8).map { 10 + Double($0) }
        let data = try bars(symbol: "MIN", opens: opens, closes: opens)
        let configuration = BrokerConfiguration(cash: 10_000, instrumentRules: ["MIN": InstrumentRules(lotSize: 1, minimumQuantity: 5)])
        let targets = TargetPositions.units(Column([nan, 20, 22, nan, 3, nan, 0, nan]))
        let result = try Backtest(bars: data, configuration: configuration).run(TargetPositionStrategy(targets))
        // 20; +2 is below the minimum (skipped); −17 to 3; then 3 → 0 is below the minimum but flat.
        #expect(result.orders.sorted { $0.id.rawValue < $1.id.rawValue }.map(\.size) == [.units(20), .units(17), .units(3)])
        #expect(result.openTrades.isEmpty)
    }

    @Test("bad targets and accounts are refused with what and where")
    func errors() throws {
        let data = try bars(opens: [10, 11, 12, 13], closes: [10, 11, 12, 13])
        let plain = Backtest(bars: data, configuration: .backtestingPy(cash: 1_000, commission: 0))
        func failure(_ targets: [TargetPositions], _ backtest: Backtest = plain) -> TargetPositionError? {
            do {
                _ = try backtest.run(TargetPositionStrategy(targets: targets))
                return nil
            } catch {
                guard case .strategy(nil, let inner) = error else { return nil }
                return inner as? TargetPositionError
            }
        }
        let infinite = failure([.units(Column([nan, .infinity, nan, nan]))])
        #expect(infinite?.bar == 1)
        let fractionalUnits = failure([.units(Column([nan, nan, 2.5, nan]))])
        #expect(fractionalUnits?.bar == 2)
        #expect(fractionalUnits?.description.contains("whole number of lots") == true)
        let beyondLeverage = failure([.equityFractions(Column([nan, 50, nan, nan]))])
        #expect(beyondLeverage?.description.contains("leverage") == true)
        let shortColumn = failure([.units(Column([nan, 1]))])
        #expect(shortColumn?.instrument == 0)
        let twoColumns = failure([.units(Column([nan, 1, nan, nan])), .units(Column([nan, 1, nan, nan]))])
        #expect(twoColumns?.description.contains("2 target columns for 1 instruments") == true)
        let exclusive = failure([.units(Column([nan, 1, nan, nan]))],
                                Backtest(bars: data, configuration: .backtestingPy(cash: 1_000, commission: 0, exclusiveOrders: true)))
        #expect(exclusive?.description.contains("exclusive") == true)
        let hedging = failure([.units(Column([nan, 1, nan, nan]))], Backtest(bars: data, configuration: BrokerConfiguration(hedging: true)))
        #expect(hedging?.description.contains("hedging") == true)
        // With leverage 4 (margin 0.25) a fraction of 3 is allowed.
        #expect(failure([.equityFractions(Column([nan, 3, nan, nan]))], Backtest(bars: data, configuration: BrokerConfiguration(margin: 0.25))) == nil)

        // The fast path refuses the same before running.
        let fast = SignalBacktest(bars: data, configuration: .backtestingPy(cash: 1_000, commission: 0))
        for targets in [TargetPositions.units(Column([nan, nan, 2.5, nan])), .units(Column([1, 2])),
                        .equityFractions(Column([nan, -1.5, nan, nan]))] {
            var message: String?
            do { _ = try fast.run(targets) } catch {
                if case .invalidSignals(let text) = error { message = text }
            }
            #expect(message != nil, "\(targets.values.array) should be refused")
        }
        var negativeWarmUp = false
        do { _ = try fast.run(.units(Column([nan, 1, nan, nan])), warmUpBars: -1) } catch { negativeWarmUp = true }
        #expect(negativeWarmUp)
    }

    static let configurations: [(String, BrokerConfiguration)] = [
        ("backtesting-py", .backtestingPy(cash: 10_000, commission: 0.002)),
        ("realistic (spread, slippage, volume cap)", .realistic(cash: 10_000, commission: .relative(rate: 0.001))),
        ("latency 2 bars, finalized, margin 0.5", BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), margin: 0.5,
                                                                     finalizeTrades: true, latency: .bars(2))),
    ]

    /// The fast path skips every bar without a target; calling the strategy at every bar must give
    /// the same run, for sparse and dense targets, units and fractions, one and three instruments.
    @Test("the fast path equals the event engine called at every bar")
    func fastPathEqualsEngine() throws {
        var trades = 0
        for (name, configuration) in Self.configurations {
            for (measure, choices) in [(TargetPositions.Measure.units, [-30.0, -10, 0, 5, 20, 40]),
                                       (.equityFraction, [-0.8, -0.3, 0, 0.2, 0.5, 0.9])] {
                for density in [0.03, 0.3, 1.0] {
                    let seed = UInt64(density * 100) + (measure == .units ? 0 : 7)
                    let data = try randomBars(count: 1_500, seed: seed)
                    let targets = TargetPositions(Column(randomTargets(count: 1_500, seed: seed, choices: choices, density: density)),
                                                  measure: measure)
                    let label = "\(name), \(measure), density \(density)"
                    let fast = try SignalBacktest(bars: data, configuration: configuration).run(targets, warmUpBars: 3)
                    let everyBar = try Backtest(bars: data, configuration: configuration)
                        .run(EveryBar(TargetPositionStrategy(targets, warmUpBars: 3)))
                    expectIdentical(fast, everyBar, label)
                    trades += fast.trades.count

                    let instruments = try (0..<3).map { try randomBars(count: 800, seed: seed + 100 + UInt64($0)) }
                    let columns = (0..<3).map {
                        TargetPositions(Column(randomTargets(count: 800, seed: seed + 200 + UInt64($0), choices: choices.map { measure == .units ? ($0 / 3).rounded() : $0 / 3 },
                                                             density: density)), measure: measure)
                    }
                    let portfolio = Backtest(instruments: instruments, configuration: configuration)
                    expectIdentical(try portfolio.run(TargetPositionStrategy(targets: columns)),
                                    try portfolio.run(EveryBar(TargetPositionStrategy(targets: columns))), "\(label), 3 instruments")
                }
            }
        }
        #expect(trades > 1_000, "the runs must trade")
    }
}
