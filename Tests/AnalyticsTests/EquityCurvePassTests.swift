@testable import Analytics
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
