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
