@testable import Analytics
import CKernels
import ColumnStore
import Testing

/// The statistics' pass fed bar range by bar range (as the engine feeds it while the curve is
/// written) against the same pass over the whole curve at once.
@Suite struct EquityCurvePassTests {
    /// Minute bars over a few weeks (weekends included), an equity curve with flat stretches,
    /// drawdowns and new highs, and closes moving around 100.
    static func curve(count: Int, seed: UInt64) -> (time: Column<Int64>, close: Column<Double>, equity: [Double]) {
        var g = StatisticsKernelTests.Generator(state: seed | 1)
        var e = 10_000.0, c = 100.0
        var time: [Int64] = [], close: [Double] = [], equity: [Double] = []
        for i in 0..<count {
            c *= 1 + (g.uniform() - 0.5) * 0.004
            if (i / 700) % 2 == 0 { e *= 1 + (g.uniform() - 0.5) * 0.003 }
            time.append(1_700_000_000_000_000_000 + Int64(i) * 60_000_000_000)
            close.append((c * 100).rounded() / 100)
            equity.append(e)
        }
        return (Column(time), Column(close), equity)
    }

    static let trades = [
        TradeRecord(entryBar: 5, exitBar: 90, size: 3, pnl: 12.5, returnFraction: 0.01, commission: 1.2),
        TradeRecord(entryBar: 200, exitBar: 260, size: -2, pnl: -4, returnFraction: -0.004, commission: 0.8),
    ]

    @Test(arguments: [1, 2, 3, 5, 4_099, 50_000])
    func rangesGiveTheStatisticsOfTheWholeCurve(count: Int) {
        let (time, close, equity) = Self.curve(count: count, seed: UInt64(count))
        let whole = PerformanceStatistics(equity: equity, time: time, close: close, firstTradingBar: 3, trades: Self.trades)
        for step in [1, 3, 4, 1_000, 32_768] {
            var pass = EquityCurvePass(time: time, close: close)
            equity.withUnsafeBufferPointer { curve in
                var end = 0
                while end < count {
                    end = min(count, end + step)
                    pass.add(curve, upTo: end)
                }
            }
            let fed = PerformanceStatistics(pass: pass, firstTradingBar: 3, trades: Self.trades)
            #expect(fed.isIdentical(to: whole), "count \(count), ranges of \(step)")
        }
        if count > 1_000 {
            #expect(whole.beta.isFinite && whole.beta != 0, "the curve must give a beta to compare")
        }
    }

    /// A curve made of stretches of every kind the quiet-run scan decides on: flat at the peak,
    /// flat below it, new highs, new lows, a move back inside the drawdown, a NaN bar, a run at
    /// zero (out of money, with a −0 in it); bar times a minute, an hour or a day apart at random,
    /// so stretches cross days and weekends anywhere.
    static func regimeCurve(count: Int, seed: UInt64) -> (time: Column<Int64>, close: Column<Double>, equity: [Double]) {
        var g = StatisticsKernelTests.Generator(state: seed | 1)
        var time: [Int64] = [], close: [Double] = [], equity: [Double] = []
        var t: Int64 = 1_700_000_000_000_000_000, c = 100.0, e = 10_000.0, peak = e
        while equity.count < count {
            let kind = Int(g.uniform() * 8), length = 1 + Int(g.uniform() * 300)
            for _ in 0..<length where equity.count < count {
                switch kind {
                case 0: e = peak                                     // flat at the peak
                case 1: break                                        // flat where it is
                case 2: e *= 1 + g.uniform() * 0.002                 // rising
                case 3: e *= 1 - g.uniform() * 0.002                 // falling
                case 4: e *= 1 + (g.uniform() - 0.5) * 0.001         // moving inside a drawdown
                case 5: e = g.uniform() < 0.5 ? .nan : e             // NaN bars
                case 6: e = equity.count % 3 == 0 ? -0.0 : 0         // out of money
                default: e = (e * 100).rounded() / 100               // cent-rounded, often repeated
                }
                if e == 0, kind != 6 { e = 10_000 }
                if e > peak { peak = e }
                let step = g.uniform()
                t += step < 0.8 ? 60_000_000_000 : step < 0.95 ? 3_600_000_000_000 : 86_400_000_000_000
                c *= 1 + (g.uniform() - 0.5) * 0.004
                time.append(t)
                close.append((c * 100).rounded() / 100)
                equity.append(e)
            }
        }
        return (Column(time), Column(close), equity)
    }

    /// The vector scan for quiet runs (either kernel build) leaves the pass exactly where adding
    /// every bar one at a time does, however the curve is split into ranges.
    @Test(arguments: [1, 7, 100, 5_000, 60_000])
    func quietRunsAddWhatTheBarsOneAtATimeAdd(seed: UInt64) {
        let (time, close, equity) = Self.regimeCurve(count: 20_000, seed: seed)
        func pass(build: Int32, skipping: Bool, step: Int) -> EquityCurvePass {
            var pass = EquityCurvePass(time: time, close: close, build: build, skipsQuietBars: skipping)
            equity.withUnsafeBufferPointer { curve in
                var end = 0
                while end < curve.count {
                    end = min(curve.count, end + step)
                    pass.add(curve, upTo: end)
                }
            }
            return pass
        }
        let reference = pass(build: 1, skipping: false, step: equity.count)
        let expected = PerformanceStatistics(pass: reference, firstTradingBar: 3, trades: Self.trades)
        var quietBars = 0
        for build: Int32 in [0, 1] {
            for step in [1, 5, 4_096, equity.count] {
                let fed = pass(build: build, skipping: true, step: step)
                let statistics = PerformanceStatistics(pass: fed, firstTradingBar: 3, trades: Self.trades)
                #expect(statistics.isIdentical(to: expected), "build \(build), ranges of \(step)")
                #expect(fed.equityPeak.bitPattern == reference.equityPeak.bitPattern)
                #expect(fed.tracker.periodCount == reference.tracker.periodCount)
                #expect(fed.tracker.depthSum.bitPattern == reference.tracker.depthSum.bitPattern)
                #expect(fed.tracker.durationSum.bitPattern == reference.tracker.durationSum.bitPattern)
                #expect(fed.sampler.returns.map(\.bitPattern) == reference.sampler.returns.map(\.bitPattern))
                #expect(fed.sampler.weekendBars == reference.sampler.weekendBars)
                #expect(fed.marketLanes.map(\.bitPattern) == reference.marketLanes.map(\.bitPattern))
                #expect(fed.equityLanes.map(\.bitPattern) == reference.equityLanes.map(\.bitPattern))
            }
        }
        // The curve must exercise the scan: count the bars a quiet run covers from each bar.
        time.withUnsafeBufferPointer { t in
            equity.withUnsafeBufferPointer { e in
                var i = 0
                while i < e.count {
                    let run = colonnade_quiet_bars(e.baseAddress!, t.baseAddress!, i, e.count, 9_000, 20_000,
                                                   t[i] - 1, t[i] + 86_400_000_000_000, 0)
                    quietBars += run
                    i += max(run, 1)
                }
            }
        }
        #expect(quietBars > 1_000, "the curve has long quiet stretches")
    }

    /// The scan's count is the bars before the first outside either range, in every build and
    /// from any starting bar; NaN equity and the ranges' ends are outside.
    @Test func quietBarsCountTheUnbrokenRun() {
        var g = StatisticsKernelTests.Generator(state: 99)
        let count = 203
        var equity = (0..<count).map { _ in 5 + (g.uniform() * 10).rounded() }
        equity[150] = .nan
        let time = (0..<count).map { Int64($0) * 10 }
        for build: Int32 in [0, 1] {
            for first in [0, 1, 3, 8, 9, 100, 149, 150, 202, 203] {
                for (low, high, dayStart, dayEnd) in [(5.0, 16.0, Int64(0), Int64(2_030)), (7, 13, 0, 2_030), (5, 16, 0, 1_000),
                                                      (5, 16, 500, 2_030), (5, 5.0.nextUp, 0, 2_030)] {
                    var expected = 0
                    while first + expected < count {
                        let e = equity[first + expected], t = time[first + expected]
                        guard e >= low, e < high, t >= dayStart, t < dayEnd else { break }
                        expected += 1
                    }
                    let found = colonnade_quiet_bars(equity, time, first, count, low, high, dayStart, dayEnd, build)
                    #expect(found == expected, "build \(build) from \(first) in \(low)..<\(high), \(dayStart)..<\(dayEnd)")
                }
            }
        }
    }

    @Test func identicalComparesBitsNotValues() {
        let (time, close, equity) = Self.curve(count: 100, seed: 7)
        let a = PerformanceStatistics(equity: equity, time: time, close: close, firstTradingBar: 0, trades: [])
        #expect(a.winRatePct.isNaN, "no trades: an undefined statistic")
        #expect(a != a && a.isIdentical(to: a))
        var b = a
        b.beta = b.beta.nextUp
        #expect(!a.isIdentical(to: b))
        b = a
        b.tradeCount += 1
        #expect(!a.isIdentical(to: b))
    }
}
