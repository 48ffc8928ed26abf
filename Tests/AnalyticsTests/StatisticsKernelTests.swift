@testable import Analytics
import ColumnStore
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The one-pass kernels of the statistics against straightforward implementations of their
/// definitions (backtesting.py's, written the way its numpy code reads).
@Suite struct StatisticsKernelTests {
    struct Generator {
        var state: UInt64
        mutating func uniform() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) * 0x1p-53
        }
    }

    /// An equity curve with flat stretches (no position), new highs, drawdowns and exact repeats of the peak.
    static func equityCurve(count: Int, seed: UInt64) -> [Double] {
        var g = Generator(state: seed | 1)
        var e = 10_000.0, curve: [Double] = []
        for _ in 0..<count {
            let u = g.uniform()
            if u < 0.3 { } else if u < 0.35, let peak = curve.max() { e = peak } else { e *= 1 + (g.uniform() - 0.5) * 0.04 }
            curve.append(e)
        }
        return curve
    }

    @Test(arguments: [1, 2, 3, 50, 1_000])
    func drawdownPeriodsMatchTheSeriesDefinition(count: Int) {
        for seed in UInt64(1)...20 {
            let equity = Self.equityCurve(count: count, seed: seed)
            // Reference: dd = 1 − e / cummax(e); anchors where dd == 0 plus the last bar; a period
            // between anchors more than one bar apart, its depth the max of dd inside it.
            var peak = -Double.infinity
            let dd = equity.map { e -> Double in peak = max(peak, e); return 1 - e / peak }
            var anchors = dd.indices.filter { dd[$0] == 0 }
            if anchors.last != dd.count - 1 { anchors.append(dd.count - 1) }
            var expected: [(Int, Int, Double)] = []
            for k in anchors.indices.dropFirst() where anchors[k] > anchors[k - 1] + 1 {
                expected.append((anchors[k - 1], anchors[k], dd[anchors[k - 1]...anchors[k]].max()!))
            }
            var tracker = DrawdownTracker()
            for (i, e) in equity.enumerated() { tracker.add(e, at: i) }
            let (periods, deepest) = tracker.finish()
            #expect(periods.count == expected.count, "seed \(seed)")
            for (p, q) in zip(periods, expected) {
                #expect(p.start == q.0 && p.end == q.1 && p.depth == q.2, "seed \(seed): \(p) vs \(q)")
            }
            #expect(deepest == dd.max()!, "seed \(seed)")
            let series = Drawdown(equity: equity)
            #expect(series.fraction == dd)
            #expect(series.periods.count == expected.count)
        }
    }

    @Test func drawdownWithNaNHasNoFigure() {
        var tracker = DrawdownTracker()
        for (i, e) in [100.0, 90, .nan, 95, 101].enumerated() { tracker.add(e, at: i) }
        #expect(tracker.finish().deepest.isNaN)
    }

    @Test func coveredBarsAreTheUnionOfTradeIntervals() {
        var g = Generator(state: 99)
        for round in 0..<200 {
            let n = 1 + Int(g.uniform() * 60)
            let trades = (0..<Int(g.uniform() * 8)).map { _ -> TradeRecord in
                let a = Int(g.uniform() * Double(n + 4)) - 2, b = a + Int(g.uniform() * 12) - 2
                return TradeRecord(entryBar: a, exitBar: b, size: 1, pnl: 0, returnFraction: 0, commission: 0)
            }
            var covered = [Bool](repeating: false, count: n)
            for t in trades { for i in 0..<n where t.entryBar <= i && i <= t.exitBar { covered[i] = true } }
            #expect(coveredBarCount(trades, barCount: n) == covered.count { $0 }, "round \(round)")
        }
    }

    /// Period sampling against bucketing every bar: the last non-NaN value of each calendar period.
    @Test(arguments: [SamplingFrequency.day, .week, .monthEnd, .yearEnd])
    func periodReturnsSampleTheLastValueOfEachPeriod(frequency: SamplingFrequency) {
        var g = Generator(state: 7)
        var time: [Int64] = [], equity: [Double] = []
        var t: Int64 = -400 * Timestamp.nanosecondsPerDay // starts before 1970: floor division matters
        for _ in 0..<5_000 {
            t += Int64(1 + g.uniform() * 3 * Double(Timestamp.nanosecondsPerDay))
            time.append(t)
            equity.append(g.uniform() < 0.05 ? .nan : 100 + g.uniform())
        }
        var samples: [Double] = [], buckets: [Int64] = []
        for (i, ti) in time.enumerated() {
            let b = frequency.bucket(day: Timestamp.dayAndTimeOfDay(ti).day)
            if buckets.last != b { buckets.append(b); samples.append(.nan) }
            if !equity[i].isNaN { samples[samples.count - 1] = equity[i] }
        }
        let kept = samples.filter { !$0.isNaN }
        let expected = zip(kept.dropFirst(), kept).map { $0 / $1 - 1 }
        var sampler = PeriodSampler(frequency: frequency)
        for i in time.indices { sampler.add(equity[i], at: time[i]) }
        let (returns, weekendBars) = sampler.finish()
        #expect(returns == expected)
        #expect(weekendBars == time.count { Timestamp.weekday($0) >= 5 })
    }

    /// Beta through the statistics' pass over `equity` against `close` (one-minute bars), the whole
    /// curve in one call or in the calls `splits` marks (each the bar a call stops before).
    static func beta(_ equity: [Double], _ close: [Double], build: Int32 = 0, splits: [Int] = []) -> Double {
        let time = Column((0..<equity.count).map { Int64($0) * 60_000_000_000 })
        var pass = EquityCurvePass(time: time, close: Column(close), build: build)
        equity.withUnsafeBufferPointer { curve in
            for end in splits + [curve.count] { pass.add(curve, upTo: end) }
        }
        return pass.beta
    }

    /// Beta as the kernels define it, written out in Swift: ``logReturn(_:over:)`` per bar, the
    /// market's shifted by its first return, the equity's not shifted and left out on flat bars
    /// (equal to the bar before, positive and finite), bar `i` summed in lane `(i − 1) mod 4`,
    /// lanes added as `(l0 + l1) + (l2 + l3)`.
    static func definitionBeta(_ equity: [Double], _ close: [Double]) -> Double {
        let count = equity.count
        let shiftB = logReturn(close[1], over: close[0])
        var sumA = [Double](repeating: 0, count: 4), sumB = sumA, sumAB = sumA, sumBB = sumA
        for i in 1..<count {
            let b = logReturn(close[i], over: close[i - 1]) - shiftB
            let lane = (i - 1) % 4
            sumB[lane] += b; sumBB[lane] += b * b
            let flat = equity[i] == equity[i - 1] && equity[i] > 0 && equity[i].isFinite
            if !flat {
                let a = logReturn(equity[i], over: equity[i - 1])
                sumA[lane] += a; sumAB[lane] += a * b
            }
        }
        func total(_ l: [Double]) -> Double { (l[0] + l[1]) + (l[2] + l[3]) }
        let m = Double(count - 1)
        return ((total(sumAB) - total(sumA) * total(sumB) / m) / (m - 1))
            / ((total(sumBB) - total(sumB) * total(sumB) / m) / (m - 1))
    }

    /// The beta kernels (C, AVX where available) against their definition written out in Swift
    /// (``definitionBeta(_:_:)``). Bit for bit, in every build, on
    /// data with flat stretches, large moves (the library fallback, inside and outside a vector
    /// block), a zero, and lengths around the block of four.
    @Test func betaKernelMatchesItsDefinitionBitForBit() {
        var g = Generator(state: 11)
        for count in [3, 4, 5, 6, 7, 8, 9, 10, 1_000, 20_001] {
            var equity: [Double] = [], close: [Double] = []
            var e = 10_000.0, c = 100.0
            for i in 0..<count {
                // Flat stretches: half the bars, and bars 100 to 199 (whole vector blocks).
                if g.uniform() < 0.5, !(100..<200).contains(i) { e *= 1 + (g.uniform() - 0.5) * 0.01 }
                c *= 1 + (g.uniform() - 0.5) * (i % 97 == 0 ? 0.4 : 0.02)
                // One curve with a zero (every sum NaN from there); the others give a number.
                equity.append(i == count / 2 && count == 1_000 ? 0 : e)
                close.append((c * 100).rounded() / 100)
            }
            let expected = Self.definitionBeta(equity, close)
            // Ranges that start and stop in every lane, and single bars.
            let splits = count > 12 ? [1, 2, 3, 7, 12, count / 2, count / 2 + 1, count - 5] : []
            for build: Int32 in [0, 1] {
                for cut in [[], splits] {
                    let beta = Self.beta(equity, close, build: build, splits: cut)
                    #expect(beta.bitPattern == expected.bitPattern || (beta.isNaN && expected.isNaN),
                            "count \(count), build \(build), splits \(cut): \(beta) vs \(expected)")
                    let mustBeNumber = count != 1_000
                    #expect(!mustBeNumber || beta.isFinite, "count \(count): beta \(beta)")
                }
            }
        }
    }

    /// Long flat stretches of the equity curve (the kernel's flat loop) broken, at every bar
    /// offset within its two-block step, by each thing that must send it back to the general
    /// loop: an equity move, a step to a new flat level, a close move outside the series' range,
    /// and flat levels the flat test refuses (zero, negative, infinite, NaN). Bit for bit against
    /// the definition, in every build, whole and split.
    @Test func betaKernelFlatStretchesMatchTheDefinitionBitForBit() {
        var g = Generator(state: 4242)
        for breaker in 0..<7 {
            for offset in 0..<16 {
                var equity: [Double] = [], close: [Double] = []
                var e = 10_000.0, c = 100.0
                for i in 0..<400 {
                    c *= 1 + (g.uniform() - 0.5) * 0.004
                    var bar = e, price = (c * 100).rounded() / 100
                    // One stretch breaks at bar 150 + offset; the curve moves on bars 0 to 9 so
                    // that its shift and its sums are not zero.
                    if i < 10 { e *= 1 + (g.uniform() - 0.5) * 0.01; bar = e }
                    if i == 150 + offset {
                        switch breaker {
                        case 0: bar = e * 1.001                     // one bar off the level
                        case 1: e *= 1.002; bar = e                 // a new flat level from here
                        case 2: price = (price * 1.3 * 100).rounded() / 100   // a large move
                        case 3: e = 0; bar = 0                      // out of money, flat at zero
                        case 4: e = -50; bar = -50                  // below zero, flat
                        case 5: e = .infinity; bar = e
                        default: bar = .nan
                        }
                    }
                    if i == 300, breaker >= 3 { e = 9_000; bar = e }   // back to a valid level
                    equity.append(bar)
                    close.append(price)
                }
                let expected = Self.definitionBeta(equity, close)
                for build: Int32 in [0, 1] {
                    for cut in [[], [149 + offset, 151 + offset], [3, 5, 7]] {
                        let beta = Self.beta(equity, close, build: build, splits: cut)
                        #expect(beta.bitPattern == expected.bitPattern || (beta.isNaN && expected.isNaN),
                                "breaker \(breaker), offset \(offset), build \(build), splits \(cut): \(beta) vs \(expected)")
                    }
                }
                if breaker < 3 { #expect(expected.isFinite && expected != 0, "breaker \(breaker): the curve must give a beta") }
            }
        }
    }

    /// The kernel's beta against the textbook two-pass formula over `log(b / a)` arrays: the
    /// series, the shift and the lanes change the last digits only.
    @Test func betaAgreesWithTheTwoPassFormula() {
        var g = Generator(state: 29)
        let count = 50_000
        var equity: [Double] = [], close: [Double] = []
        var e = 10_000.0, c = 100.0
        for i in 0..<count {
            let move = 1 + (g.uniform() - 0.5) * 0.004
            c *= move
            // Invested half of the time: then the equity follows the close, with noise of its own.
            if (i / 500) % 2 == 0 { e *= move * (1 + (g.uniform() - 0.5) * 0.001) }
            equity.append(e)
            close.append(c)
        }
        let a = (1..<count).map { log(equity[$0] / equity[$0 - 1]) }, b = (1..<count).map { log(close[$0] / close[$0 - 1]) }
        let meanA = a.reduce(0, +) / Double(a.count), meanB = b.reduce(0, +) / Double(b.count)
        var cov = 0.0, variance = 0.0
        for k in a.indices { cov += (a[k] - meanA) * (b[k] - meanB); variance += (b[k] - meanB) * (b[k] - meanB) }
        let expected = cov / variance
        let beta = Self.beta(equity, close)
        #expect(abs(beta - expected) <= 1e-11 * abs(expected), "\(beta) vs \(expected)")
        #expect(abs(expected) > 0.3, "the data must give a beta to compare")
    }

    #if arch(x86_64) && canImport(Glibc)
    /// Against `log1p` in 80-bit arithmetic (exact difference, one rounding of the quotient).
    @Test func logReturnIsWithinADozenUlpsOfTheExactValue() {
        var g = Generator(state: 12345)
        for _ in 0..<200_000 {
            let a = 100 * (1 + (g.uniform() - 0.5) * 0.2)
            let b = a * (1 + (g.uniform() - 0.5) * 0.3) // also crosses the ±6 % switch to log(b / a)
            let exact = Double(log1pl((Float80(b) - Float80(a)) / Float80(a)))
            let error = abs(logReturn(b, over: a) - exact) / exact.ulp
            #expect(error <= 16, "log(\(b) / \(a)): \(error) ulps")
            if error > 16 { return }
        }
    }
    #endif

    @Test func logReturnEdgeCasesAreTheLibrarys() {
        #expect(logReturn(5, over: 5) == 0)
        #expect(logReturn(0, over: 5) == -.infinity)
        #expect(logReturn(5, over: 0) == .infinity)
        #expect(logReturn(0, over: 0).isNaN)
        #expect(logReturn(.nan, over: 5).isNaN)
        #expect(logReturn(200, over: 100) == log(2.0))
    }
}
