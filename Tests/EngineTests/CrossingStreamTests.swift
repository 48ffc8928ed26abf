#if canImport(Glibc)
import Glibc
#endif
import ColumnStore
import Dispatch
@testable import Engine
import Execution
import Indicators
import Synchronization
import Testing

/// One instrument's SMA crossings are computed while the bar loop reads them (`CrossingStream`):
/// on a long run by the backtest's worker thread, otherwise by the loop as it reads. Whoever
/// computes which stretch, the words are the batch's, and so is every result.
@Suite struct CrossingStreamTests {
    @Test("a streamed SMACross run equals one on precomputed crossings",
          arguments: [5_000, 40_000, CurvePassFeed.minimumBars + 12_345])
    func streamedRunsEqualPrecomputedRuns(count: Int) throws {
        let bars = BarSeries.synthetic(count: count, seed: 21, symbol: "SYN")
        let backtest = Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0.002))
        for direction in TradeDirection.allCases {
            let streamed = try SMACross(fast: 10, slow: 20, direction: direction)
            var precomputed = streamed
            precomputed.streamsCrossings = false
            let reference = try backtest.run(precomputed)
            #expect(reference.trades.count > count / 200, "\(direction): the run must trade")
            for _ in 0..<3 { expectIdentical(try backtest.run(streamed), reference, "\(direction), \(count) bars") }
        }
    }

    /// Readers racing a filler (and each other) read exactly the batch's words, through
    /// `firstSet` scans and single bits, paired with a finished view or with each other.
    @Test("concurrent readers and a filler see the batch's bits", arguments: [false, true])
    func concurrentReaders(withFiller: Bool) async throws {
        let count = 300_007
        let close = BarSeries.synthetic(count: count, seed: 4, symbol: "SYN").close
        let batch = try SMA.crossings(close, fast: 10, slow: 20)
        let expected = (0..<count).filter { batch.above[$0] || batch.below[$0] }
        let silent = BitColumn(repeating: false, count: count)
        for round in 0..<8 {
            let stream = CrossingStream(try SMA.CrossingsRun(close, fast: 10, slow: 20))
            let above = SignalView(unownedStream: stream, above: true), below = SignalView(unownedStream: stream, above: false)
            let finished = SignalView(unownedBits: silent)
            if withFiller { DispatchQueue.global().async { stream.fillToEnd { true } } }
            // Two readers: one scans both streamed views, one a streamed view with a finished one.
            async let scanned: [Int] = Task.detached {
                var found: [Int] = [], bar = 0
                while true {
                    let next = above.firstSet(from: bar, or: below)
                    guard next < count else { return found }
                    found.append(next)
                    bar = next + 1
                }
            }.value
            async let mixed: [Int] = Task.detached {
                var found: [Int] = [], bar = round * 1_000
                while true {
                    let next = finished.firstSet(from: bar, or: above)
                    guard next < count else { return found }
                    #expect(above[next])
                    found.append(next)
                    bar = next + 1
                }
            }.value
            let (both, aboveOnly) = await (scanned, mixed)
            #expect(both == expected, "round \(round)")
            #expect(aboveOnly == expected.filter { $0 >= round * 1_000 && batch.above[$0] }, "round \(round)")
            let columns = stream.columns
            #expect(columns.above == batch.above && columns.below == batch.below)
        }
    }
}

/// SMACross that throws at one bar.
private struct CrossThenThrow: Strategy {
    struct Failure: Error {}
    var cross: SMACross
    var bar: Int
    mutating func prepare(_ setup: inout StrategySetup) throws { try cross.prepare(&setup) }
    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        if bar == self.bar { throw Failure() }
        try cross.onBar(bar, broker: &broker)
    }
    mutating func nextDecision(from bar: Int, broker: Broker) -> Int {
        Swift.min(cross.nextDecision(from: bar, broker: broker), bar <= self.bar ? self.bar : .max)
    }
}

extension CrossingStreamTests {
    /// An error early in a long run, while the worker is still computing the crossings, stops it
    /// before the stream it fills can go (run repeatedly: a worker left behind never finishes).
    @Test func aStrategyErrorStopsTheWorkerWhileItComputesTheCrossings() throws {
        let bars = BarSeries.synthetic(count: 2_000_000, seed: 6, symbol: "SYN")
        let backtest = Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000))
        for failingBar in [25, 3_000, 1_500_000] {
            for _ in 0..<3 {
                do {
                    _ = try backtest.run(CrossThenThrow(cross: try SMACross(fast: 10, slow: 20, direction: .longOnly), bar: failingBar))
                    Issue.record("the error at bar \(failingBar) did not reach the caller")
                } catch {
                    #expect("\(error)".contains("strategy failed at bar \(failingBar)"), "\(error)")
                }
            }
        }
        var live = CurvePassFeed.liveWorkers.load(ordering: .relaxed)
        for _ in 0..<500 where live > 0 {
            usleep(10_000)
            live = CurvePassFeed.liveWorkers.load(ordering: .relaxed)
        }
        #expect(live == 0, "\(live) workers left running")
    }
}
