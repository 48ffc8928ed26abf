import ColumnStore
@testable import Engine
import Execution
import Indicators
import Testing

/// A strategy that buys one unit at every bar and tells the backtest to expect `hint` orders.
private struct BuyEveryBar: Strategy {
    var hint: Int
    mutating func prepare(_ setup: inout StrategySetup) throws { setup.expectOrders(hint) }
    mutating func onBar(_ bar: Int, broker: inout Broker) throws { try broker.buy(.units(1)) }
}

@Suite("expected order count")
struct OrderHistoryHintTests {
    /// The hint only sizes the order history up front: too small (the history still grows by
    /// doubling), exact, too large (capped) or absent, every order is kept, in the same run.
    @Test("any hint keeps every order and changes nothing")
    func hintChangesNothing() throws {
        let bars = try randomBars(count: 12_000, seed: 5)
        let backtest = Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0.001))
        let reference = try backtest.run(BuyEveryBar(hint: 0))
        #expect(reference.orders.count == 11_999)
        #expect(Set(reference.orders.map(\.id)).count == reference.orders.count)
        for hint in [100, 11_999, 1 << 40] {
            let run = try backtest.run(BuyEveryBar(hint: hint))
            expectIdentical(run, reference, "hint \(hint)")
        }
    }

    /// One instrument's crossings are known in prepare only as far as computed (the rest is
    /// computed while the loop runs): a series within the first stretch gives the exact count, a
    /// longer one the count so far extrapolated; the hint adds a quarter and 64.
    @Test("SMACross expects one order per crossing, two when it reverses, and a margin",
          arguments: [(3_000, 8), (60_000, 9)])
    func smaCrossHint(bars count: Int, seed: UInt64) throws {
        let bars = try randomBars(count: count, seed: seed)
        let crossings = try SMA.crossings(bars.close, fast: 3, slow: 8)
        let exact = crossings.above.trueCount + crossings.below.trueCount
        for (direction, perCross) in [(TradeDirection.longOnly, 1), (.longShort, 2)] {
            var strategy = try SMACross(fast: 3, slow: 8, direction: direction)
            var setup = StrategySetup(instruments: [bars])
            try strategy.prepare(&setup)
            // The crossings of the first stretch, scaled to the whole series (exact within it).
            let words = (count + 63) / 64, counted = Swift.min(words, CrossingStream.stretchBars / 64)
            let early = (0..<counted).reduce(0) { $0 + crossings.above.words[$1].nonzeroBitCount + crossings.below.words[$1].nonzeroBitCount }
            let estimate = counted == words ? early : Int((Double(early) * Double(words) / Double(counted)).rounded(.up))
            if count <= CrossingStream.stretchBars { #expect(estimate == exact) }
            #expect(setup.expectedOrderCount == perCross * (estimate + estimate / 4 + 64), "\(direction), \(count) bars")
            let orders = try Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0)).run(strategy).orders.count
            #expect(orders <= setup.expectedOrderCount, "\(direction): \(orders) orders, hint \(setup.expectedOrderCount)")
        }
    }

    @Test("flagged bars of a signal table are counted eight at a time")
    func flaggedBarCount() {
        var state: UInt64 = 99
        for count in [0, 1, 7, 8, 9, 63, 64, 65, 1_001] {
            let flags = (0..<count).map { _ -> UInt8 in
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return state % 3 == 0 ? UInt8(state >> 8 & 0xF) : 0
            }
            let table = SignalTable(count: count) { SignalTable.Flags(rawValue: flags[$0]) }
            #expect(table.flaggedBarCount == flags.count { $0 != 0 }, "\(count) bars")
        }
    }
}
