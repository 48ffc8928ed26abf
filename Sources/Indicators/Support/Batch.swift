import ColumnStore

/// Batch drivers: run a streaming state machine over whole columns.
///
/// Like TA-Lib's Python wrapper, a batch starts at the first bar where every input is a number:
/// leading NaNs produce NaN and are not fed to the state machine. Later NaNs are fed and
/// propagate as the arithmetic dictates. Output has the input's length; warm-up bars are NaN.
///
/// Up to four input columns are read per bar and passed to the step as four scalars (unused ones
/// repeat the first input), so each kernel is one specialized, allocation-free loop; packing them
/// into a `SIMD4` first measured slower (lane inserts and extracts every bar).
@usableFromInline
enum Batch {
    @inlinable
    static func checkLengths(_ columns: [Column<Double>], _ indicator: String) throws(IndicatorError) -> Int {
        precondition(!columns.isEmpty && columns.count <= 4)
        let n = columns[0].count
        for c in columns where c.count != n {
            throw IndicatorError(indicator, .inputLengthMismatch(expected: n, found: c.count))
        }
        return n
    }

    /// One input, one output: the fastest path.
    ///
    /// The state is stepped as a local copy and written back at the end, so its fields live in
    /// registers for the whole loop instead of being stored and reloaded every bar (a running sum
    /// kept in memory adds store-forwarding latency to its dependency chain).
    ///
    /// The local copy is declared inside the innermost closure on purpose: a variable captured by
    /// a closure keeps a stack address, and the disassembly showed the running sum of SMA stored
    /// and reloaded every bar when it was.
    @inlinable @inline(__always)
    static func map<S>(_ x: Column<Double>, _ state: inout S, _ step: (inout S, Double) -> Double) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                var local = state
                var begin = 0
                while begin < input.count && input[begin].isNaN { out[begin] = .nan; begin += 1 }
                for i in begin..<input.count { out[i] = step(&local, input[i]) }
                state = local
            }
        }
    }

    /// One input, one output, in two phases: `step` (the streaming state machine) until
    /// `isSteady` holds, then `steady` for every remaining bar.
    ///
    /// `steady` must compute exactly what `step` computes once every stage has produced its first
    /// value, minus the bookkeeping: no warm-up branches and no counters. With those gone the
    /// stages' values stay in registers; through `step`, a chain of three EMAs had each value
    /// stored and reloaded every bar (store-forwarding latency inside each recurrence) and ran at
    /// twice the time. Counters left behind are harmless: each only decides when its stage is
    /// warm, and they are all past that point. The streaming-versus-batch property test holds
    /// every kernel to the same bits as `update`.
    @inlinable @inline(__always)
    static func map<S>(_ x: Column<Double>, _ state: inout S, steadyWhen isSteady: (S) -> Bool,
                       _ step: (inout S, Double) -> Double, steady: (inout S, Double) -> Double) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                var local = state
                var i = 0
                while i < input.count && input[i].isNaN { out[i] = .nan; i += 1 }
                while i < input.count && !isSteady(local) { out[i] = step(&local, input[i]); i += 1 }
                for j in i..<input.count { out[j] = steady(&local, input[j]) }
                state = local
            }
        }
    }

    /// One input, one output: `step` (the streaming state machine) until `isSteady` holds, then
    /// `rest` over all remaining bars at once, given the input and output from the first of them
    /// and their count (never called with none). The fused kernels hand `rest` to C.
    static func map<S>(_ x: Column<Double>, _ state: inout S, steadyWhen isSteady: (S) -> Bool,
                       _ step: (inout S, Double) -> Double,
                       rest: (inout S, UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                var i = 0
                while i < input.count && input[i].isNaN { out[i] = .nan; i += 1 }
                while i < input.count && !isSteady(state) { out[i] = step(&state, input[i]); i += 1 }
                guard i < input.count, let source = input.baseAddress, let target = out.baseAddress else { return }
                rest(&state, source + i, target + i, input.count - i)
            }
        }
    }

    /// Up to four inputs, one output.
    @inlinable @inline(__always)
    static func map<S>(_ inputs: [Column<Double>], _ state: inout S, indicator: String,
                       _ step: (inout S, Double, Double, Double, Double) -> Double) throws(IndicatorError) -> Column<Double> {
        try map(inputs, &state, indicator: indicator, steadyWhen: { _ in false }, step, steady: step)
    }

    /// Up to four inputs, one output, in two phases (see `map(_:_:steadyWhen:_:steady:)`).
    @inlinable @inline(__always)
    static func map<S>(_ inputs: [Column<Double>], _ state: inout S, indicator: String, steadyWhen isSteady: (S) -> Bool,
                       _ step: (inout S, Double, Double, Double, Double) -> Double,
                       steady: (inout S, Double, Double, Double, Double) -> Double) throws(IndicatorError) -> Column<Double> {
        let n = try checkLengths(inputs, indicator)
        return withInputs(inputs) { p0, p1, p2, p3 in
            Column(unsafeUninitializedCount: n) { out in
                var local = state
                var i = 0
                while i < n && SIMD4(p0[i], p1[i], p2[i], p3[i]).hasNaN { out[i] = .nan; i += 1 }
                while i < n && !isSteady(local) { out[i] = step(&local, p0[i], p1[i], p2[i], p3[i]); i += 1 }
                for j in i..<n { out[j] = steady(&local, p0[j], p1[j], p2[j], p3[j]) }
                state = local
            }
        }
    }

    /// Up to four inputs, `V.scalarCount` outputs (one column per lane).
    @inlinable @inline(__always)
    static func map<S, V: SIMD>(_ inputs: [Column<Double>], _ state: inout S, indicator: String,
                                _ step: (inout S, Double, Double, Double, Double) -> V) throws(IndicatorError) -> [Column<Double>]
    where V.Scalar == Double {
        try map(inputs, &state, indicator: indicator, steadyWhen: { _ in false }, step, steady: step)
    }

    /// Up to four inputs, `V.scalarCount` outputs, in two phases (see `map(_:_:steadyWhen:_:steady:)`).
    @inlinable @inline(__always)
    static func map<S, V: SIMD>(_ inputs: [Column<Double>], _ state: inout S, indicator: String, steadyWhen isSteady: (S) -> Bool,
                                _ step: (inout S, Double, Double, Double, Double) -> V,
                                steady: (inout S, Double, Double, Double, Double) -> V) throws(IndicatorError) -> [Column<Double>]
    where V.Scalar == Double {
        let n = try checkLengths(inputs, indicator)
        // Outputs are written once: NaN through the leading-NaN run, then the kernel's values.
        let outputs = (0..<V.scalarCount).map { _ in Column<Double>(unsafeUninitializedCount: n) { _ in } }
        let bases = outputs.map { column in column.withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress!) } }
        withExtendedLifetime(outputs) {
            withInputs(inputs) { p0, p1, p2, p3 in
                var begin = 0
                while begin < n && SIMD4(p0[begin], p1[begin], p2[begin], p3[begin]).hasNaN {
                    for j in 0..<V.scalarCount { bases[j][begin] = .nan }
                    begin += 1
                }
                bases.withUnsafeBufferPointer { bases in
                    var local = state
                    defer { state = local }
                    var i = begin
                    switch V.scalarCount {
                    case 2:
                        let o0 = bases[0], o1 = bases[1]
                        while i < n && !isSteady(local) {
                            let value = step(&local, p0[i], p1[i], p2[i], p3[i])
                            o0[i] = value[0]; o1[i] = value[1]; i += 1
                        }
                        for j in i..<n {
                            let value = steady(&local, p0[j], p1[j], p2[j], p3[j])
                            o0[j] = value[0]; o1[j] = value[1]
                        }
                    case 3:
                        let o0 = bases[0], o1 = bases[1], o2 = bases[2]
                        while i < n && !isSteady(local) {
                            let value = step(&local, p0[i], p1[i], p2[i], p3[i])
                            o0[i] = value[0]; o1[i] = value[1]; o2[i] = value[2]; i += 1
                        }
                        for j in i..<n {
                            let value = steady(&local, p0[j], p1[j], p2[j], p3[j])
                            o0[j] = value[0]; o1[j] = value[1]; o2[j] = value[2]
                        }
                    default:
                        while i < n && !isSteady(local) {
                            let value = step(&local, p0[i], p1[i], p2[i], p3[i])
                            for k in 0..<V.scalarCount { bases[k][i] = value[k] }
                            i += 1
                        }
                        for j in i..<n {
                            let value = steady(&local, p0[j], p1[j], p2[j], p3[j])
                            for k in 0..<V.scalarCount { bases[k][j] = value[k] }
                        }
                    }
                }
            }
        }
        return outputs
    }

    /// Calls `body` with four input pointers; missing inputs repeat the first column.
    @inlinable
    static func withInputs<R>(_ inputs: [Column<Double>],
                              _ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>) -> R) -> R {
        let c0 = inputs[0]
        let c1 = inputs.count > 1 ? inputs[1] : c0
        let c2 = inputs.count > 2 ? inputs[2] : c0
        let c3 = inputs.count > 3 ? inputs[3] : c0
        let dummy = UnsafePointer<Double>(bitPattern: 8)!
        return c0.withUnsafeBufferPointer { b0 in
            c1.withUnsafeBufferPointer { b1 in
                c2.withUnsafeBufferPointer { b2 in
                    c3.withUnsafeBufferPointer { b3 in
                        body(b0.baseAddress ?? dummy, b1.baseAddress ?? dummy, b2.baseAddress ?? dummy, b3.baseAddress ?? dummy)
                    }
                }
            }
        }
    }
}

extension Batch {
    /// `pair(k)` for `k = 0, 2, 4, …` while two values remain, then `single(k)` for an odd last
    /// one: a loop over a block written once for two lanes (SSE2, the baseline every x86-64 has).
    @inlinable @inline(__always)
    static func pairs(_ count: Int, _ pair: (Int) -> Void, single: (Int) -> Void) {
        var k = 0
        while k + 2 <= count { pair(k); k += 2 }
        if k < count { single(k) }
    }

    /// The two doubles at `p` (any alignment).
    @inlinable @inline(__always)
    static func pair(_ p: UnsafePointer<Double>) -> SIMD2<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD2<Double>.self)
    }

    /// TA-Lib's `TA_IS_ZERO` (|v| < 1e-14) lane by lane.
    @inlinable @inline(__always)
    static func isZero(_ v: SIMD2<Double>) -> SIMDMask<SIMD2<Int64>> {
        (v .> -0.00000000000001) .& (v .< 0.00000000000001)
    }

    /// `Swift.abs` lane by lane: the sign bits cleared (NaN and -0.0 included).
    @inlinable @inline(__always)
    static func magnitude(_ x: SIMD2<Double>) -> SIMD2<Double> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD2<UInt64>.self) & SIMD2(repeating: ~(1 << 63)), to: SIMD2<Double>.self)
    }

    /// `magnitude` for eight lanes.
    @inlinable @inline(__always)
    static func magnitude(_ x: SIMD8<Double>) -> SIMD8<Double> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt64>.self) & SIMD8(repeating: ~(1 << 63)), to: SIMD8<Double>.self)
    }

    /// Writes both lanes of `value` to `p` and `p + 1` (any alignment).
    @inlinable @inline(__always)
    static func store(_ value: SIMD2<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD2<Double>.self)
    }
}

extension SIMD4 where Scalar == Double {
    @inlinable
    var hasNaN: Bool { x.isNaN || y.isNaN || z.isNaN || w.isNaN }
}

/// `x` when `keep`, else +0.0, from the comparison's bit rather than a select: LLVM turns a select
/// on a coin-toss condition back into a branch that mispredicts half the time.
@inlinable @inline(__always)
func masked(_ x: Double, keep: Bool) -> Double {
    Double(bitPattern: x.bitPattern & UInt64(bitPattern: -Int64(keep ? 1 : 0)))
}

/// `x` when `condition`, else `y`, from the comparison's bit rather than a select (see `masked`).
@inlinable @inline(__always)
func chosen(_ x: Double, or y: Double, if condition: Bool) -> Double {
    let mask = UInt64(bitPattern: -Int64(condition ? 1 : 0))
    return Double(bitPattern: (x.bitPattern & mask) | (y.bitPattern & ~mask))
}

extension Batch {
    /// Bars per block for kernels that run a serial pass and a vector pass over L1-resident
    /// scratch: 512 doubles are 4 KiB a row of scratch.
    @usableFromInline static let blockSize = 512

    /// Three inputs (high, low, close), one output: `step` from the first bar where every input
    /// is a number until `isSteady`, then `rest(&state, h, l, c, j, n, out)` for bars `j..<n`.
    @inlinable @inline(__always)
    static func mapHLC<S>(_ high: Column<Double>, _ low: Column<Double>, _ close: Column<Double>, _ state: inout S,
                          indicator: String, isSteady: (S) -> Bool,
                          _ step: (inout S, Double, Double, Double) -> Double,
                          rest: (inout S, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, Int, Int,
                                 UnsafeMutablePointer<Double>) -> Void) throws(IndicatorError) -> Column<Double> {
        let n = try checkLengths([high, low, close], indicator)
        return withInputs([high, low, close]) { h, l, c, _ in
            Column(unsafeUninitializedCount: n) { out in
                var local = state
                defer { state = local }
                var j = firstNumber(h, l, c, count: n)
                for i in 0..<j { out[i] = .nan }
                while j < n && !isSteady(local) { out[j] = step(&local, h[j], l[j], c[j]); j += 1 }
                guard j < n, let base = out.baseAddress else { return }
                rest(&local, h, l, c, j, n, base)
            }
        }
    }

    /// Blocks of at most ``blockSize`` bars over `start..<end`: `body(lo, hi)`.
    @inlinable @inline(__always)
    static func blocks(_ start: Int, _ end: Int, _ body: (Int, Int) -> Void) {
        var lo = start
        while lo < end {
            let hi = Swift.min(end, lo + blockSize)
            body(lo, hi)
            lo = hi
        }
    }
}
