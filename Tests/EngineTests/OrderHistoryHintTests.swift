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

/// A strategy that places an order at every bar, buying one unit and closing it by turns, and
/// tells the backtest to expect `hint` orders.
private struct TradeEveryBar: Strategy {
    var hint: Int
    mutating func prepare(_ setup: inout StrategySetup) throws { setup.expectOrders(hint) }
    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        if bar % 2 == 0 { try broker.buy(.units(1)) } else { try broker.closePosition() }
    }
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

    /// On a long run the statistics' worker faults in the records' reserved room a little ahead
    /// of the loop's writes: a history that outgrows its reservation moves while the worker
    /// works on the old room, which must change nothing (faulting in writes no value). The fills
    /// and trades outgrow their smaller rooms in both runs, doubling into huge pages.
    @Test("records outgrowing their room on a long run change nothing")
    func outgrowingTheRoomWhileTheWorkerFaultsAhead() throws {
        let bars = BarSeries.synthetic(count: CurvePassFeed.minimumBars + 3_000, seed: 11, symbol: "SYN")
        let backtest = Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0.001))
        let exact = try backtest.run(TradeEveryBar(hint: bars.count))
        let outgrown = try backtest.run(TradeEveryBar(hint: 100))
        #expect(exact.orders.count > bars.count * 3 / 4 && exact.trades.count > bars.count / 4, "\(exact.orders.count) orders, \(exact.trades.count) trades, \(exact.fills.count) fills")
        expectIdentical(outgrown, exact, "hint 100")
        #expect(outgrown.statistics.isIdentical(to: StatisticsThreadTests.sequentialStatistics(outgrown, bars: bars)))
    }

    /// The worker faults in whole pages of a region, from its first page boundary, up to a
    /// distance past the last written element, and never past the region.
    @Test("fault targets are whole pages ahead of the writes, inside the region")
    func faultTargets() {
        let page = Int(WriteAheadRegion.pageSize)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * page, alignment: page)
        defer { memory.deallocate() }
        let base = UInt(bitPattern: memory.baseAddress)
        // 100 bytes in: the first whole page starts one page in; 30 elements of 216 bytes were there already.
        let region = WriteAheadRegion(UnsafeRawBufferPointer(rebasing: memory[100...]), stride: 216, firstElement: 30)
        #expect(region.start == base + UInt(page) && region.end == base + UInt(64 * page))
        #expect(region.faultTarget(written: 30, ahead: 0) == region.start)
        #expect(region.faultTarget(written: 0, ahead: 1) == region.start + UInt(page), "fewer than at the start counts as none")
        #expect(region.faultTarget(written: 31, ahead: 0) == region.start + UInt(page))
        #expect(region.faultTarget(written: 30 + 18, ahead: 0) == region.start + UInt(page), "18 × 216 bytes fit a page")
        #expect(region.faultTarget(written: 30 + 19, ahead: 0) == region.start + UInt(2 * page), "19 do not")
        #expect(region.faultTarget(written: 30 + 18, ahead: 2 * page) == region.start + UInt(3 * page))
        #expect(region.faultTarget(written: 30 + 2_000, ahead: page) == region.end, "never past the region")
        // Less than a page from the first boundary to the end, or no memory: nothing to fault in.
        let sliver = WriteAheadRegion(UnsafeRawBufferPointer(rebasing: memory[100..<page]), stride: 8)
        #expect(sliver.faultTarget(written: 10, ahead: page) <= sliver.start)
        let none = WriteAheadRegion(UnsafeRawBufferPointer(start: nil, count: 0), stride: 8)
        #expect(none.start == 0 && none.faultTarget(written: 5, ahead: page) == 0)
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
