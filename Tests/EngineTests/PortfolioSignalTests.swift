import ColumnStore
import Engine
import Execution
import Testing

/// The signal fast path on several instruments sharing one account.
@Suite("signal fast path on several instruments")
struct PortfolioSignalTests {
    static let configurations: [(String, BrokerConfiguration)] = [
        ("backtesting-py", .backtestingPy(cash: 30_000, commission: 0.002)),
        ("realistic (spread, slippage, volume cap)", .realistic(cash: 30_000, commission: .relative(rate: 0.001))),
        ("latency 2 bars, finalized", BrokerConfiguration(cash: 30_000, commission: .relative(rate: 0.001), finalizeTrades: true,
                                                           latency: .bars(2))),
    ]

    /// It skips every bar where no instrument's signal matters; the rules called at every bar
    /// must give the same run.
    @Test("equals the event engine called at every bar")
    func equalsEveryBar() throws {
        var trades = 0
        for (name, configuration) in Self.configurations {
            for direction in TradeDirection.allCases {
                for density in [0.02, 0.2] {
                    let seed = UInt64(density * 100) + (direction == .longOnly ? 0 : 50)
                    let instruments = try (0..<3).map { try randomBars(count: 1_200, seed: seed + UInt64($0)) }
                    var sets = try (0..<3).map { try randomSignals(count: 1_200, seed: seed + 10 + UInt64($0), density: density, direction: direction) }
                    if density > 0.1 { for k in sets.indices { sets[k].maxBarsHeld = 15 } }
                    let fast = try SignalBacktest(instruments: instruments, configuration: configuration).run(sets, warmUpBars: 5)
                    let everyBar = try Backtest(instruments: instruments, configuration: configuration)
                        .run(EveryBar(RuleStrategy(signals: sets, warmUpBars: 5)))
                    expectIdentical(fast, everyBar, "\(name), \(direction), density \(density)")
                    #expect(Set(fast.trades.map(\.instrument)).count == 3)
                    trades += fast.trades.count
                }
            }
        }
        #expect(trades > 500)
    }

    /// SMACross long-only on several instruments is the long-only signals of its crossings: the
    /// portfolio fast path on those signals gives its orders, fills, trades and equity.
    @Test("SMACross on 70 instruments equals its crossing signals on the fast path")
    func smaCrossAsSignals() throws {
        let instruments = try (0..<70).map { try randomBars(count: 900, seed: 500 + UInt64($0)) }
        let strategy = try SMACross(fast: 5, slow: 13, direction: .longOnly)
        let configuration = BrokerConfiguration.backtestingPy(cash: 700_000, commission: 0.002)
        let event = try Backtest(instruments: instruments, configuration: configuration).run(strategy)
        let signals = try instruments.map { try strategy.longOnlySignals(for: $0) }
        let fast = try SignalBacktest(instruments: instruments, configuration: configuration)
            .run(signals.map(\.signals), warmUpBars: signals[0].warmUpBars)
        expectIdentical(fast, event, "70 instruments")
        #expect(event.trades.count > 70 * 10)
    }

    @Test("one instrument in a list runs the single-instrument path")
    func oneInstrument() throws {
        let bars = try randomBars(count: 800, seed: 9)
        let signals = try randomSignals(count: 800, seed: 19, density: 0.05, direction: .longShort)
        let configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002)
        expectIdentical(try SignalBacktest(instruments: [bars], configuration: configuration).run([signals]),
                        try SignalBacktest(bars: bars, configuration: configuration).run(signals), "one instrument")
    }

    @Test("signals that do not fit the instruments are refused")
    func errors() throws {
        let instruments = try (0..<2).map { try randomBars(count: 300, seed: 70 + UInt64($0)) }
        let a = try randomSignals(count: 300, seed: 1, density: 0.05, direction: .longOnly)
        let b = try randomSignals(count: 300, seed: 2, density: 0.05, direction: .longShort)
        let short = try randomSignals(count: 200, seed: 3, density: 0.05, direction: .longOnly)
        let portfolio = SignalBacktest(instruments: instruments, configuration: .backtestingPy(cash: 10_000, commission: 0))
        func message(_ run: () throws -> BacktestResult) -> String? {
            do { _ = try run(); return nil } catch {
                if case .invalidSignals(let text) = error as? BacktestError { return text }
                return "\(error)"
            }
        }
        #expect(message { try portfolio.run([a]) }?.contains("1 sets of signals for 2 instruments") == true)
        #expect(message { try portfolio.run([a, b]) }?.contains("instrument 1: direction") == true)
        #expect(message { try portfolio.run([a, short]) }?.contains("instrument 1: the signals have 200 bars") == true)
        #expect(message { try portfolio.run(a) }?.contains("one set of signals for 2 instruments") == true)
        #expect(message { try portfolio.run([a, a], warmUpBars: -1) }?.contains("warm-up") == true)
        #expect(message { try portfolio.run([a, a], size: .units(0)) }?.contains("entry size") == true)
        // The event engine's twin refuses a count that does not fit too.
        var refused = false
        do { _ = try Backtest(instruments: instruments).run(RuleStrategy(signals: [a, a, a])) } catch { refused = true }
        #expect(refused)
    }
}
