import ColumnStore

/// Whole-column kernels for the plan's steps.
///
/// Conditions are columns of 1 (true), 0 (false) and NaN (unknown: a value they depend on is NaN,
/// as during an indicator's warm-up). Logic is Kleene's: `false and unknown` is false, `true or
/// unknown` is true, `not unknown` is unknown. A rule fires only where its condition is 1, so a
/// rule never fires on a bar whose inputs are still warming up, whether it is written `rsi < 30`
/// or `not (rsi >= 30)`.
enum ExpressionKernels {
    static func apply(_ op: PlanStep.Arithmetic, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        }
    }

    /// 1 or 0, NaN when either side is NaN.
    @inline(__always)
    static func compare(_ op: PlanStep.Comparison, _ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return .nan }
        let holds: Bool
        switch op {
        case .less: holds = a < b
        case .lessEqual: holds = a <= b
        case .greater: holds = a > b
        case .greaterEqual: holds = a >= b
        case .equal: holds = a == b
        case .notEqual: holds = a != b
        }
        return holds ? 1 : 0
    }

    @inline(__always)
    static func and(_ a: Double, _ b: Double) -> Double {
        if a == 0 || b == 0 { return 0 }
        return a.isNaN || b.isNaN ? .nan : 1
    }

    @inline(__always)
    static func or(_ a: Double, _ b: Double) -> Double {
        if a == 1 || b == 1 { return 1 }
        return a.isNaN || b.isNaN ? .nan : 0
    }

    /// `f` applied bar by bar to one column.
    @inline(__always)
    static func map(_ x: Column<Double>, _ f: (Double) -> Double) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                for i in 0..<input.count { out[i] = f(input[i]) }
            }
        }
    }

    /// `f` applied bar by bar to two operands; a constant operand is never materialized.
    @inline(__always)
    static func map(_ a: Operand, _ b: Operand, _ column: (ColumnRef) -> Column<Double>, count n: Int,
                    _ f: (Double, Double) -> Double) -> Column<Double> {
        switch (a, b) {
        case (.column(let x), .column(let y)):
            return column(x).withUnsafeBufferPointer { xs in
                column(y).withUnsafeBufferPointer { ys in
                    Column(unsafeUninitializedCount: n) { out in for i in 0..<n { out[i] = f(xs[i], ys[i]) } }
                }
            }
        case (.column(let x), .constant(let k)):
            return map(column(x)) { f($0, k) }
        case (.constant(let k), .column(let y)):
            return map(column(y)) { f(k, $0) }
        case (.constant(let k), .constant(let j)):
            return Column(repeating: f(k, j), count: n)
        }
    }

    /// Strict crossings, as backtesting.py's `crossover`: above at t when a < b at t − 1 and
    /// a > b at t. Unknown at bar 0 and where any of the four values is NaN.
    static func crossings(_ a: Column<Double>, _ b: Column<Double>, above: Bool) -> Column<Double> {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                Column(unsafeUninitializedCount: a.count) { out in
                    guard a.count > 0 else { return }
                    out[0] = .nan
                    for t in 1..<a.count {
                        let p0 = a[t - 1], q0 = b[t - 1], p1 = a[t], q1 = b[t]
                        if p0.isNaN || q0.isNaN || p1.isNaN || q1.isNaN { out[t] = .nan; continue }
                        out[t] = (above ? p0 < q0 && p1 > q1 : p0 > q0 && p1 < q1) ? 1 : 0
                    }
                }
            }
        }
    }

    /// `x[t − bars]`, NaN for the first `bars` bars.
    static func lag(_ x: Column<Double>, bars: Int) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                let n = input.count
                let head = Swift.min(bars, n)
                for i in 0..<head { out[i] = .nan }
                for i in head..<n { out[i] = input[i - bars] }
            }
        }
    }

    /// 1 where x rose (fell, for `rising: false`) strictly on each of the last `bars` bars:
    /// x[t] > x[t−1] > ... > x[t−bars]. Unknown until bar `bars` and where any of those values is NaN.
    ///
    /// Complexity: O(n) whatever `bars` is: a run length of consecutive moves and the index of
    /// the last NaN are carried along.
    static func monotone(_ x: Column<Double>, bars: Int, rising: Bool) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                var run = 0
                var lastNaN = -1
                for t in 0..<input.count {
                    let value = input[t]
                    if value.isNaN { lastNaN = t }
                    // Invariant: run counts the consecutive moves in the wanted direction ending at t.
                    if t > 0 && (rising ? value > input[t - 1] : value < input[t - 1]) { run += 1 } else { run = 0 }
                    // Known when x[t − bars ... t] are all numbers.
                    out[t] = t - bars > lastNaN && t >= bars ? (run >= bars ? 1 : 0) : .nan
                }
            }
        }
    }

    /// Bars since the condition was last true (0 on a bar where it is true); NaN before it first is.
    static func barsSince(_ condition: Column<Double>) -> Column<Double> {
        condition.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                var last = -1
                for t in 0..<input.count {
                    if input[t] == 1 { last = t }
                    out[t] = last < 0 ? .nan : Double(t - last)
                }
            }
        }
    }
}
