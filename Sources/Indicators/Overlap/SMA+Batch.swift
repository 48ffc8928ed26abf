import ColumnStore
internal import CKernels

/// TA-Lib's simple-average arithmetic over an input array, resumable block by block: the running
/// total gains the new value, the average is that total over the period, then the total loses
/// the value leaving the window. The same operations in the same order as ``SMA``'s state
/// machine, so the same bits, reading the leaving value from the input instead of a ring buffer.
struct SMARun {
    let period: Int
    let divisor: Double
    /// TA-Lib's running total after the last bar visited.
    var total = 0.0

    init(period: Int) {
        self.period = period
        self.divisor = Double(period)
    }

    /// The averages (or, with `totals`, the running totals: TA-Lib's SUM) of a whole column,
    /// from its first number on (leading NaNs are skipped, as by every batch).
    static func column(_ x: Column<Double>, period: Int, totals: Bool) -> Column<Double> {
        var run = SMARun(period: period)
        return x.withUnsafeBufferPointer { input in
            Column<Double>(unsafeUninitializedCount: input.count) { out in
                guard let x = input.baseAddress, let out = out.baseAddress else { return }
                let begin = Batch.firstNumber(x, x, x, count: input.count)
                for i in 0..<begin { out[i] = .nan }
                if totals {
                    run.fillTotals(x + begin, bars: 0, input.count - begin, into: out + begin)
                } else {
                    run.fill(x + begin, bars: 0, input.count - begin, into: out + begin)
                }
            }
        }
    }

    /// Writes the averages of bars `lo..<hi` to `out[0..<hi − lo]` (NaN in the warm-up).
    /// Blocks must be visited in order from bar 0.
    mutating func fill(_ x: UnsafePointer<Double>, bars lo: Int, _ hi: Int, into out: UnsafeMutablePointer<Double>) {
        let divisor = self.divisor
        advance(x, bars: lo, hi, into: out) { $0 / divisor }
    }

    /// Writes the *totals* the averages of bars `lo..<hi` divide (`average = total / divisor`) to
    /// `out[0..<hi − lo]`; NaN in the warm-up, where there is no average.
    mutating func fillTotals(_ x: UnsafePointer<Double>, bars lo: Int, _ hi: Int, into out: UnsafeMutablePointer<Double>) {
        advance(x, bars: lo, hi, into: out) { $0 }
    }

    /// The running total through bars `lo..<hi`, writing `output(total)` for each bar past the
    /// warm-up (NaN before): TA-Lib's order, add the new value, read, subtract the leaving one.
    @inline(__always)
    private mutating func advance(_ x: UnsafePointer<Double>, bars lo: Int, _ hi: Int, into out: UnsafeMutablePointer<Double>,
                                  _ output: (Double) -> Double) {
        var i = lo, t = total
        while i < hi, i < period - 1 {
            t += x[i]
            out[i - lo] = .nan
            i += 1
        }
        // Invariant: t = TA-Lib's total of the window ending at bar i − 1, less its first value.
        while i < hi {
            t += x[i]
            out[i - lo] = output(t)
            t -= x[i - period + 1]
            i += 1
        }
        total = t
    }

    /// ``fillTotals(_:bars:_:into:)`` of two runs at once, for bars past both warm-ups: the two
    /// running totals are independent chains, so one loop carries both in the time of one.
    static func fillTotals(_ a: inout SMARun, _ b: inout SMARun, _ x: UnsafePointer<Double>, bars lo: Int, _ hi: Int,
                           into outA: UnsafeMutablePointer<Double>, _ outB: UnsafeMutablePointer<Double>) {
        precondition(lo >= a.period - 1 && lo >= b.period - 1, "the paired loop starts after both warm-ups")
        var ta = a.total, tb = b.total
        let leaveA = a.period - 1, leaveB = b.period - 1
        for i in lo..<hi {
            let value = x[i]
            ta += value
            tb += value
            outA[i - lo] = ta
            outB[i - lo] = tb
            ta -= x[i - leaveA]
            tb -= x[i - leaveB]
        }
        a.total = ta
        b.total = tb
    }
}

extension SMA {
    /// Where the simple average of `input` over `fast` bars crosses the one over `slow` bars:
    /// `above` at bar `t` when the fast average is strictly below the slow one at `t − 1` and
    /// strictly above it at `t`, `below` the reverse (backtesting.py's `crossover`), and the
    /// first bar at which each average has a value (nil when it never has one).
    ///
    /// The same bits as computing both columns with ``compute(_:period:)`` and comparing them
    /// (tested), without writing them: the two running totals go through one loop in blocks that
    /// stay in the L1 cache, and the division and comparison of a block run as vector operations
    /// (a C kernel). For a strategy that needs only the crossings of two averages, this is one
    /// pass over the input and no column of averages.
    ///
    /// - Throws: ``IndicatorError`` for a period outside TA-Lib's range (1...100000).
    /// - Complexity: O(n) time, O(n / 64) memory for the result.
    public static func crossings(_ input: Column<Double>, fast: Int, slow: Int)
        throws(IndicatorError) -> (above: BitColumn, below: BitColumn, firstValue: (fast: Int?, slow: Int?)) {
        try crossings(input, fast: fast, slow: slow, build: 0)
    }

    /// ``crossings(_:fast:slow:)`` with the comparison build chosen (0 the best the CPU has, 1
    /// the portable C loop), for the tests that hold every build to the same bits.
    static func crossings(_ input: Column<Double>, fast: Int, slow: Int, build: Int32)
        throws(IndicatorError) -> (above: BitColumn, below: BitColumn, firstValue: (fast: Int?, slow: Int?)) {
        _ = try SMA(period: fast)
        _ = try SMA(period: slow)
        let n = input.count, wordCount = (n + 63) / 64
        var firstFast: Int?, firstSlow: Int?
        var lessThan = Column<UInt64>(repeating: 0, count: wordCount)
        let greaterThan = Column<UInt64>(unsafeUninitializedCount: wordCount) { gt in
            lessThan.withUnsafeMutableBufferPointer { lt in
                input.withUnsafeBufferPointer { x in
                    guard let x = x.baseAddress, let lt = lt.baseAddress, let gt = gt.baseAddress else { return }
                    // A multiple of 64 bars, so each block fills whole mask words.
                    let block = 1024
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * block) { scratch in
                        let fastTotals = scratch.baseAddress!, slowTotals = fastTotals + block
                        var fastRun = SMARun(period: fast), slowRun = SMARun(period: slow)
                        // The runs count bars from the first number (leading NaNs are skipped, as
                        // by `compute`); blocks stay aligned to bar 0 for the mask words.
                        let begin = Batch.firstNumber(x, x, x, count: n)
                        let start = x + begin
                        let steady = begin + Swift.max(fast, slow) - 1
                        var lo = 0
                        while lo < n {
                            let hi = Swift.min(n, lo + block)
                            let first = Swift.min(hi, Swift.max(lo, begin))
                            for i in lo..<first { fastTotals[i - lo] = .nan; slowTotals[i - lo] = .nan }
                            if lo >= steady {
                                SMARun.fillTotals(&fastRun, &slowRun, start, bars: lo - begin, hi - begin, into: fastTotals, slowTotals)
                            } else if first < hi {
                                fastRun.fillTotals(start, bars: first - begin, hi - begin, into: fastTotals + (first - lo))
                                slowRun.fillTotals(start, bars: first - begin, hi - begin, into: slowTotals + (first - lo))
                            }
                            // The first values are a total over its divisor that is not NaN; a total
                            // is NaN exactly where its average is.
                            if firstFast == nil, let k = (0..<(hi - lo)).first(where: { !fastTotals[$0].isNaN }) { firstFast = lo + k }
                            if firstSlow == nil, let k = (0..<(hi - lo)).first(where: { !slowTotals[$0].isNaN }) { firstSlow = lo + k }
                            colonnade_compare_quotient_masks(fastTotals, fastRun.divisor, slowTotals, slowRun.divisor,
                                                             hi - lo, lt + lo / 64, gt + lo / 64, build)
                            lo = hi
                        }
                    }
                }
            }
        }
        let (above, below) = BitColumn.crossings(fromLessThan: lessThan, greaterThan: greaterThan, count: n)
        return (above, below, (firstFast, firstSlow))
    }
}
