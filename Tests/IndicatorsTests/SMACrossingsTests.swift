import CKernels
import ColumnStore
@testable import Indicators
import Testing

/// `SMA.crossings` computes two averages as running totals in blocks and compares their quotients
/// in a C kernel; it must give exactly the crossings of the two columns `SMA.compute` returns,
/// compared bar by bar with backtesting.py's strict test.
@Suite("SMA crossings in one pass")
struct SMACrossingsTests {
    /// Cent prices (exact ties between averages happen) with an optional NaN, which a running
    /// total carries to every later bar, as TA-Lib's does.
    static func prices(count: Int, seed: UInt64, nanAt: Int? = nil, leadingNaNs: Int = 0) -> Column<Double> {
        var state = (seed &* 0x9E37_79B9_7F4A_7C15) | 1
        var price = 100.0
        return Column((0..<count).map { i in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            price = Swift.max(1, price + Double(Int(state % 7) - 3) * 0.01)
            return i == nanAt || i < leadingNaNs ? .nan : price
        })
    }

    /// The crossings by definition, from the two columns.
    static func expected(_ x: Column<Double>, fast: Int, slow: Int) throws -> (above: [Bool], below: [Bool], first: (Int?, Int?)) {
        let f = try SMA.compute(x, period: fast).array, s = try SMA.compute(x, period: slow).array
        let above = f.indices.map { t in t >= 1 && f[t - 1] < s[t - 1] && f[t] > s[t] }
        let below = f.indices.map { t in t >= 1 && f[t - 1] > s[t - 1] && f[t] < s[t] }
        return (above, below, (f.firstIndex { !$0.isNaN }, s.firstIndex { !$0.isNaN }))
    }

    @Test("equal to comparing the two columns, every build",
          arguments: [(0, 10, 20), (1, 10, 20), (5, 10, 20), (19, 10, 20), (20, 10, 20), (64, 2, 3), (1023, 10, 20),
                      (1024, 10, 20), (1025, 10, 20), (2100, 1, 2), (2100, 7, 7), (2100, 30, 5), (3000, 10, 1500)])
    func matchesTheColumns(count: Int, fast: Int, slow: Int) throws {
        for nanAt in [nil, count / 2] {
            let x = Self.prices(count: count, seed: UInt64(count + fast * 7 + slow), nanAt: nanAt)
            let reference = try Self.expected(x, fast: fast, slow: slow)
            for build: Int32 in [0, 1] {
                let result = try SMA.crossings(x, fast: fast, slow: slow, build: build)
                let context = "\(count) bars, \(fast)/\(slow), NaN at \(String(describing: nanAt)), build \(build)"
                #expect(result.above.array == reference.above, "\(context)")
                #expect(result.below.array == reference.below, "\(context)")
                #expect(result.firstValue.fast == reference.first.0 && result.firstValue.slow == reference.first.1, "\(context)")
            }
            if count >= 2000, fast != slow, slow < 100, nanAt == nil {
                #expect(reference.above.count { $0 } > 5 && reference.below.count { $0 } > 5, "the data must cross")
            }
        }
    }

    /// A symbol that starts trading late: the averages start at its first price, as `compute`'s
    /// do, whether the NaNs end inside the first block, at its end or blocks later.
    @Test("leading NaNs are skipped, as by the columns", arguments: [1, 9, 63, 64, 1000, 1023, 1024, 1030, 2500])
    func leadingNaNs(count: Int) throws {
        for (fast, slow) in [(10, 20), (1, 2), (30, 5)] {
            let x = Self.prices(count: 3000, seed: UInt64(count), leadingNaNs: count)
            let reference = try Self.expected(x, fast: fast, slow: slow)
            #expect(reference.first.0 == count + fast - 1)
            for build: Int32 in [0, 1] {
                let result = try SMA.crossings(x, fast: fast, slow: slow, build: build)
                let context = "\(count) leading NaNs, \(fast)/\(slow), build \(build)"
                #expect(result.above.array == reference.above, "\(context)")
                #expect(result.below.array == reference.below, "\(context)")
                #expect(result.firstValue.fast == reference.first.0 && result.firstValue.slow == reference.first.1, "\(context)")
            }
        }
    }

    @Test("out-of-range periods are typed errors")
    func badPeriods() {
        let x = Self.prices(count: 50, seed: 1)
        #expect(throws: IndicatorError.self) { try SMA.crossings(x, fast: 0, slow: 20) }
        #expect(throws: IndicatorError.self) { try SMA.crossings(x, fast: 10, slow: 100_001) }
    }

    /// The run a stretch at a time: any split of the bars gives the words of one batch, each word
    /// final from the call that reaches it on, and the first values final once both warm-ups are in.
    @Test("the resumable run gives the batch's bits for any split",
          arguments: [(5000, 10, 20, 0), (5000, 30, 5, 0), (4097, 2, 3, 0), (3000, 10, 20, 1500), (3000, 10, 20, 2990), (40, 10, 20, 0)])
    func resumableRun(count: Int, fast: Int, slow: Int, leadingNaNs: Int) throws {
        for nanAt in [nil, count * 2 / 3] {
            let x = Self.prices(count: count, seed: UInt64(count + fast), nanAt: nanAt, leadingNaNs: leadingNaNs)
            let batch = try SMA.crossings(x, fast: fast, slow: slow)
            let wordCount = (count + 63) / 64
            var state: UInt64 = 0x5EED
            for split in 0..<6 {
                var run = try SMA.CrossingsRun(x, fast: fast, slow: slow)
                var above = [UInt64](repeating: 0xDEAD, count: wordCount), below = above
                var snapshots: [(words: Int, above: [UInt64], below: [UInt64])] = []
                while run.finishedBars < count {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    // Stretches of a few bars to several blocks, and repeats of a bar already done.
                    let bar = split == 0 ? count : run.finishedBars + Int(state >> 33) % (split * 700 + 1)
                    above.withUnsafeMutableBufferPointer { a in below.withUnsafeMutableBufferPointer { b in
                        run.advance(through: bar, above: a.baseAddress!, below: b.baseAddress!)
                    } }
                    #expect(run.finishedBars == count || run.finishedBars % 1024 == 0)
                    snapshots.append((run.finishedWords, Array(above.prefix(run.finishedWords)), Array(below.prefix(run.finishedWords))))
                    if run.knowsFirstValues {
                        #expect(run.firstValue.fast == batch.firstValue.fast && run.firstValue.slow == batch.firstValue.slow)
                    }
                }
                let context = "\(count) bars \(fast)/\(slow), NaN at \(String(describing: nanAt)), split \(split)"
                #expect(above == Array(batch.above.words) && below == Array(batch.below.words), "\(context)")
                for snapshot in snapshots {
                    #expect(snapshot.above == Array(above.prefix(snapshot.words)) && snapshot.below == Array(below.prefix(snapshot.words)),
                            "\(context): a word changed after it was final")
                }
            }
        }
    }
    /// The log-return sums a run makes beside its running totals (for a backtest's beta) are the
    /// market kernel's over the whole input, bit for bit: asked for before the first bar or after
    /// some blocks, in any split, in every build, with large moves (the library's log) inside and
    /// outside the fused loop, warm-ups, leading NaNs; and the crossings do not change.
    @Test("log-return sums beside the totals are the kernel's bits",
          arguments: [(5000, 10, 20, 0), (4097, 2, 3, 0), (3000, 30, 5, 1500), (2100, 10, 20, 0), (40, 10, 20, 0), (1025, 1, 2, 0)])
    func logReturnSums(count: Int, fast: Int, slow: Int, leadingNaNs: Int) throws {
        var values = Self.prices(count: count, seed: UInt64(count * 3 + slow), leadingNaNs: leadingNaNs).array
        for i in stride(from: leadingNaNs + 37, to: count, by: 211) { values[i] = (values[i - 1] * 1.2 * 100).rounded() / 100 }
        let x = Column(values)
        let batch = try SMA.crossings(x, fast: fast, slow: slow)
        let shift = 0.000_37
        var expected = [Double](repeating: 0, count: 8)
        values.withUnsafeBufferPointer { v in
            expected.withUnsafeMutableBufferPointer { colonnade_market_return_lanes(v.baseAddress!, 1, count, shift, $0.baseAddress!, 1) }
        }
        #expect(expected.allSatisfy { !$0.isNaN } || leadingNaNs > 0)
        let wordCount = (count + 63) / 64
        for build: Int32 in [0, 1] {
            for (askAt, step) in [(0, count), (0, 700), (1, 1024), (2, 300), (3, 5000)] {
                var run = try SMA.CrossingsRun(x, fast: fast, slow: slow, build: build)
                var above = [UInt64](repeating: 0, count: wordCount), below = above
                var calls = 0
                while run.finishedBars < count {
                    if calls == askAt { run.sumLogReturns(shift: shift) }
                    above.withUnsafeMutableBufferPointer { a in below.withUnsafeMutableBufferPointer { b in
                        run.advance(through: run.finishedBars + step, above: a.baseAddress!, below: b.baseAddress!)
                    } }
                    calls += 1
                }
                if run.logReturnLanes == nil { run.sumLogReturns(shift: shift) }
                let context = "\(count) bars \(fast)/\(slow), build \(build), asked after \(askAt) calls, steps of \(step)"
                #expect(run.logReturnLanes!.map(\.bitPattern) == expected.map(\.bitPattern), "\(context)")
                #expect(above == Array(batch.above.words) && below == Array(batch.below.words), "\(context)")
            }
        }
    }
}
