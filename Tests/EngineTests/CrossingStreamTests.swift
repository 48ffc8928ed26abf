import Analytics
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

    /// A stream over the benchmark's closes sums the market's half of beta's sums for the pass
    /// (`CurvePassFeed.marketStream`), one over other closes does not; either way the pass ends
    /// with the bits of a pass that summed everything itself.
    @Test("a stream over the closes sums the market's half for the pass")
    func streamSumsTheMarketsHalf() throws {
        guard CurvePassFeed.hasSecondProcessor else { return }   // no worker, nothing to hand over
        let count = CurvePassFeed.minimumBars + 5_000
        let bars = BarSeries.synthetic(count: count, seed: 8, symbol: "SYN")
        let other = BarSeries.synthetic(count: count, seed: 9, symbol: "OTHER")
        // Flat stretches and stretches that follow the close, as a trading curve has.
        let equity = (0..<count).map { i in (i / 3_000) % 2 == 0 ? 10_000 : 100 * bars.close[i] }
        var reference = EquityCurvePass(time: bars.time, close: bars.close)
        equity.withUnsafeBufferPointer { reference.add($0, upTo: count) }
        let expected = PerformanceStatistics(pass: reference, firstTradingBar: 0, trades: [])
        #expect(expected.beta.isFinite && expected.beta != 0)
        for (input, summedByStream) in [(bars.close, true), (other.close, false)] {
            let stream = CrossingStream(try SMA.CrossingsRun(input, fast: 10, slow: 20))
            var curve = equity
            let pass = curve.withUnsafeMutableBufferPointer { curve -> EquityCurvePass? in
                guard let feed = CurvePassFeed.start(curve: curve, time: bars.time, close: bars.close, streams: [stream],
                                                     records: RecordRooms(orders: [], fills: [], trades: [])) else { return nil }
                #expect((feed.marketStream != nil) == summedByStream)
                return feed.finish()
            }
            #expect(pass != nil, "a curve this long gets a worker")
            if let pass {
                #expect(PerformanceStatistics(pass: pass, firstTradingBar: 0, trades: []).isIdentical(to: expected),
                        "summed by the stream: \(summedByStream)")
            }
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
        try expectErrorsStopTheWorkers(backtest, failingBars: [25, 3_000, 1_500_000], times: 3) {
            CrossThenThrow(cross: try SMACross(fast: 10, slow: 20, direction: .longOnly), bar: $0)
        }
    }
}

/// `SMACross.longOnlySignals(for:)` returns signals whose crossings are still being computed: the
/// fast path reads them as its worker computes them; any other read gets the whole column.
@Suite struct StreamedSignalTests {
    static func batchSignals(_ bars: BarSeries) throws -> TradeSignals {
        let (above, below, _) = try SMA.crossings(bars.close, fast: 10, slow: 20)
        return try TradeSignals(entries: above, exits: below)
    }

    @Test("the fast path on streamed signals equals it on finished columns",
          arguments: [3_000, 50_000, CurvePassFeed.minimumBars + 777])
    func fastPathOnStreamedSignals(count: Int) throws {
        let bars = BarSeries.synthetic(count: count, seed: 12, symbol: "SYN")
        let strategy = try SMACross(fast: 10, slow: 20, direction: .longOnly)
        let fastPath = SignalBacktest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0.002))
        let finished = try Self.batchSignals(bars)
        let reference = try fastPath.run(finished, warmUpBars: 19)
        #expect(reference.trades.count > count / 200)
        for _ in 0..<3 {
            let (streamed, warmUp) = try strategy.longOnlySignals(for: bars)
            #expect(warmUp == 19 && streamed.stream != nil)
            expectIdentical(try fastPath.run(streamed, warmUpBars: warmUp), reference, "\(count) bars")
        }
        // With a holding limit the stream stays and the run takes the limit.
        var (limited, warmUp) = try strategy.longOnlySignals(for: bars)
        var limitedReference = finished
        limited.maxBarsHeld = 7
        limitedReference.maxBarsHeld = 7
        #expect(limited.stream != nil)
        expectIdentical(try fastPath.run(limited, warmUpBars: warmUp), try fastPath.run(limitedReference, warmUpBars: warmUp), "held 7")
    }

    /// Series shorter than a word, than the slow average, or empty: the stream gives the batch's
    /// (empty) crossings and warm-up, and the runs reject nothing they would not otherwise.
    @Test("short and empty series", arguments: [0, 1, 15, 20, 63, 64, 65])
    func shortSeries(count: Int) throws {
        let bars = BarSeries.synthetic(count: count, seed: 3, symbol: "SYN")
        let strategy = try SMACross(fast: 10, slow: 20, direction: .longOnly)
        let (streamed, warmUp) = try strategy.longOnlySignals(for: bars)
        let batch = try SMA.crossings(bars.close, fast: 10, slow: 20)
        #expect(streamed.count == count && streamed.longEntries == batch.above && streamed.longExits == batch.below)
        #expect(warmUp == Swift.max(batch.firstValue.fast ?? 0, batch.firstValue.slow ?? 0))
        guard count > 0 else {
            #expect(throws: BacktestError.self) { try Backtest(bars: bars).run(strategy) }
            return
        }
        var precomputed = strategy
        precomputed.streamsCrossings = false
        let backtest = Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000))
        expectIdentical(try backtest.run(strategy), try backtest.run(precomputed), "\(count) bars")
    }

    @Test("reading or replacing a streamed column gives the finished column")
    func readsAreFinished() throws {
        let bars = BarSeries.synthetic(count: 100_003, seed: 13, symbol: "SYN")
        let finished = try Self.batchSignals(bars)
        let (streamed, _) = try SMACross(fast: 10, slow: 20, direction: .longOnly).longOnlySignals(for: bars)
        #expect(streamed.count == 100_003)
        #expect(streamed.longEntries == finished.longEntries && streamed.longExits == finished.longExits)
        #expect(streamed == finished)
        var replaced = try SMACross(fast: 10, slow: 20, direction: .longOnly).longOnlySignals(for: bars).signals
        replaced.longExits = BitColumn(repeating: false, count: 100_003)
        #expect(replaced.stream == nil)
        #expect(replaced.longEntries == finished.longEntries && replaced.longExits.trueCount == 0)
        #expect(replaced != finished)
    }
}
