import ColumnStore
@testable import Engine
import Execution
import Testing

/// `SMACross` with its decision bars asked after every bar, as for any strategy that does not
/// declare them fixed.
private struct AskedEveryTime: Strategy {
    var cross: SMACross
    mutating func prepare(_ setup: inout StrategySetup) throws { try cross.prepare(&setup) }
    mutating func onBar(_ bar: Int, broker: inout Broker) throws { try cross.onBar(bar, broker: &broker) }
    mutating func nextDecision(from bar: Int, broker: Broker) -> Int { cross.nextDecision(from: bar, broker: broker) }
}

/// A strategy whose decision bars are fixed (`decisionBarsAreFixed`) is asked for its next one
/// once per answer; the run must be the one asking after every processed bar gives.
@Suite struct FixedDecisionBarTests {
    @Test("fixed decision bars give the run of asking after every bar",
          arguments: [(3_000, 1), (CurvePassFeed.minimumBars + 99, 1), (4_000, 3)])
    func sameRun(count: Int, instruments: Int) throws {
        #expect(SMACross.decisionBarsAreFixed && !AskedEveryTime.decisionBarsAreFixed)
        let universe = (0..<instruments).map { BarSeries.synthetic(count: count, seed: 40 + UInt64($0), symbol: "S\($0)") }
        for direction in TradeDirection.allCases {
            for configuration in [BrokerConfiguration.backtestingPy(cash: 10_000 * Double(instruments), commission: 0.002),
                                  .backtestingPy(cash: 10_000 * Double(instruments), commission: 0.001, exclusiveOrders: true)] {
                var delayed = configuration
                delayed.latency = .bars(2)
                for setting in [configuration, delayed] {
                    let backtest = Backtest(instruments: universe, configuration: setting)
                    let cross = try SMACross(fast: 5, slow: 13, direction: direction)
                    let reference = try backtest.run(AskedEveryTime(cross: cross))
                    #expect(reference.trades.count > count / 200)
                    expectIdentical(try backtest.run(cross), reference, "\(direction), \(count) bars × \(instruments)")
                }
            }
        }
    }
}
