import ColumnStore
import Engine
import Execution
import Indicators
import Testing

/// A strategy with `nextDecision` hidden: the engine calls its `onBar` at every bar and processes
/// every bar, the loop as it was before strategies could name their next decision.
struct EveryBar<Inner: Strategy>: Strategy {
    var inner: Inner
    init(_ inner: Inner) { self.inner = inner }
    mutating func prepare(_ setup: inout StrategySetup) throws { try inner.prepare(&setup) }
    mutating func onBar(_ bar: Int, broker: inout Broker) throws { try inner.onBar(bar, broker: &broker) }
}

/// The event engine skips `onBar` before a strategy's next decision and only marks the bars on
/// which no order can act; that must change nothing.
@Suite("event engine: skipping quiet bars changes nothing")
struct QuietBarTests {
    static let configurations: [(String, BrokerConfiguration)] = [
        ("backtesting-py", .backtestingPy(cash: 10_000, commission: 0.002)),
        ("backtesting-py, exclusive orders", .backtestingPy(cash: 10_000, commission: 0.002, exclusiveOrders: true)),
        ("realistic (spread, slippage, volume cap)", .realistic(cash: 10_000, commission: .relative(rate: 0.001))),
        ("latency 2 bars, finalized", BrokerConfiguration(cash: 10_000, commission: .relative(rate: 0.001), finalizeTrades: true,
                                                           latency: .bars(2))),
    ]

    @Test("SMACross, both directions, one and three instruments")
    func smaCross() throws {
        var trades = 0
        for (name, configuration) in Self.configurations {
            for direction in TradeDirection.allCases {
                for count in [1, 3] {
                    let instruments = try (0..<count).map { try randomBars(count: 2_000, seed: 40 + UInt64($0)) }
                    let strategy = try SMACross(fast: 5, slow: 12, direction: direction)
                    let backtest = Backtest(instruments: instruments, configuration: configuration)
                    let skipping = try backtest.run(strategy), everyBar = try backtest.run(EveryBar(strategy))
                    expectIdentical(skipping, everyBar, "\(name), \(direction), \(count) instrument(s)")
                    trades += skipping.trades.count
                }
            }
        }
        #expect(trades > 500, "the runs must trade")
    }

    @Test("the next decision is the next crossing")
    func nextCrossing() throws {
        let bars = try randomBars(count: 700, seed: 3)
        var strategy = try SMACross(fast: 3, slow: 8, direction: .longOnly)
        var setup = StrategySetup(instruments: [bars])
        try strategy.prepare(&setup)
        let broker = try Broker(configuration: .backtestingPy(cash: 10_000, commission: 0), instruments: [bars])
        let fast = try SMA.compute(bars.close, period: 3), slow = try SMA.compute(bars.close, period: 8)
        let crossings = BitColumn.crossings(of: fast, and: slow)
        let crossingBars = (0..<700).filter { crossings.above[$0] || crossings.below[$0] }
        #expect(crossingBars.count > 20)
        for bar in [-3, 0, 1, 63, 64, 65, 127, 128, 300, 699, 700, 5_000] {
            let expected = crossingBars.first { $0 >= bar } ?? .max
            #expect(strategy.nextDecision(from: bar, broker: broker) == expected, "from \(bar)")
        }
    }

    @Test("a long run keeps every order through the history's growth")
    func longHistory() throws {
        let bars = try randomBars(count: 40_000, seed: 77)
        let result = try Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0))
            .run(SMACross(fast: 2, slow: 3, direction: .longShort))
        let ids = result.orders.map(\.id.rawValue)
        #expect(ids.count > 10_000, "past several doublings of the history")
        #expect(Set(ids).count == ids.count && ids.max() == ids.count, "every order once: \(ids.count) orders")
        let filled = result.orders.filter { $0.status == .filled }.count
        #expect(filled > 5_000)
    }
}
