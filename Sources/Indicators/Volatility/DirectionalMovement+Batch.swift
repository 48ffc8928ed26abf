import ColumnStore

/// The batch faces of the directional movement family (PLUS_DI, MINUS_DI, DX, ADX, ADXR).
///
/// Each runs its state machine through the warm-up, then the rest in blocks of ``block`` bars:
/// a serial pass carries the three Wilder recurrences (`step`'s arithmetic, reading the previous
/// bar from the inputs) and writes them to L1-resident scratch, and a two-lane pass does the
/// divisions. Called per bar, the machine put two to five divisions on every iteration's path
/// and kept its sums in memory. ADX and ADXR add a third, serial pass for their own recurrence.
/// The streaming-versus-batch tests hold every kernel to `update`'s bits.
extension DirectionalMovement {
    @usableFromInline static let block = Batch.blockSize

    /// Whether `step` is past its warm-up: the next bar takes the smoothing branch.
    @inlinable var isSteady: Bool { count >= period && period > 1 }

    /// Steps bars `start..<end` (`isSteady` must hold) and writes, for bar `start + k`, the
    /// smoothed `(+DM, -DM, TR)` after it to `rows[3k], rows[3k + 1], rows[3k + 2]`.
    @inlinable @inline(__always)
    mutating func smooth(_ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
                         bars start: Int, _ end: Int, into rows: UnsafeMutablePointer<Double>) {
        var (plus, minus, range) = (plusDM, minusDM, trueRange)
        let decay = self.decay
        // Invariant: the three sums are `step`'s after bar j − 1.
        for j in start..<end {
            let diffP = h[j] - h[j - 1]
            let diffM = l[j - 1] - l[j]
            let tr = Indicators.trueRange(high: h[j], low: l[j], previousClose: c[j - 1])
            plus = plus * decay + masked(diffP, keep: diffP > 0 && diffP > diffM)
            minus = minus * decay + masked(diffM, keep: diffM > 0 && diffP < diffM)
            range = range * decay + tr
            let row = rows + 3 &* (j &- start)
            row[0] = plus; row[1] = minus; row[2] = range
        }
        (plusDM, minusDM, trueRange) = (plus, minus, range)
        count += end - start
        (previousHigh, previousLow, previousClose) = (h[end - 1], l[end - 1], c[end - 1])
    }

    /// `(+DI, -DI)` of two rows at once, and where each is undefined (zero true range).
    @inlinable @inline(__always)
    static func indices(_ rows: UnsafePointer<Double>) -> (plus: SIMD2<Double>, minus: SIMD2<Double>, zeroRange: SIMDMask<SIMD2<Int64>>) {
        let plus = SIMD2(rows[0], rows[3]), minus = SIMD2(rows[1], rows[4]), range = SIMD2(rows[2], rows[5])
        return (100.0 * (plus / range), 100.0 * (minus / range), Batch.isZero(range))
    }

    /// +DI (or -DI when `minus`) of bars `start..<end` into `out`: the smoothed sums a block at
    /// a time, then the index two bars at a time (0 where the true range is zero, as `step`).
    @inlinable @inline(__always)
    mutating func directionalIndex(_ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
                                   bars start: Int, _ end: Int, into out: UnsafeMutablePointer<Double>, minus: Bool) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * Self.block) { scratch in
            let rows = scratch.baseAddress!
            Batch.blocks(start, end) { lo, hi in
                smooth(h, l, c, bars: lo, hi, into: rows)
                Batch.pairs(hi - lo) { k in
                    let (plus, minusIndex, zeroRange) = Self.indices(rows + 3 &* k)
                    Batch.store((minus ? minusIndex : plus).replacing(with: 0, where: zeroRange), out + lo + k)
                } single: { k in
                    let row = rows + 3 &* k
                    let value = Self.indices(plusDM: row[0], minusDM: row[1], trueRange: row[2])
                    out[lo + k] = (minus ? value?.minus : value?.plus) ?? 0.0
                }
            }
        }
    }

    /// DX of two rows at once (``dx``'s arithmetic), and where it is undefined.
    @inlinable @inline(__always)
    static func dx(_ rows: UnsafePointer<Double>) -> (value: SIMD2<Double>, undefined: SIMDMask<SIMD2<Int64>>) {
        let (plus, minus, zeroRange) = indices(rows)
        let total = minus + plus
        let difference = minus - plus
        let absolute = SIMD2(Swift.abs(difference[0]), Swift.abs(difference[1]))
        return (100.0 * (absolute / total), zeroRange .| Batch.isZero(total))
    }

    /// Runs the blocks of bars `start..<end` for a kernel built on DX: per block, the smoothed
    /// sums, then DX two bars at a time into `values` and `undefined` (1 where DX is undefined),
    /// then `body(lo, hi, values, undefined)`.
    @inlinable @inline(__always)
    mutating func dxBlocks(_ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
                           bars start: Int, _ end: Int,
                           _ body: (Int, Int, UnsafePointer<Double>, UnsafePointer<Double>) -> Void) {
        let block = Self.block
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * block) { scratch in
            let rows = scratch.baseAddress!, values = rows + 3 * block, undefined = values + block
            Batch.blocks(start, end) { lo, hi in
                smooth(h, l, c, bars: lo, hi, into: rows)
                Batch.pairs(hi - lo) { k in
                    let (value, isUndefined) = Self.dx(rows + 3 &* k)
                    Batch.store(value, values + k)
                    Batch.store(SIMD2<Double>().replacing(with: 1, where: isUndefined), undefined + k)
                } single: { k in
                    let row = rows + 3 &* k
                    let value = Self.dx(plusDM: row[0], minusDM: row[1], trueRange: row[2])
                    values[k] = value ?? 0
                    undefined[k] = value == nil ? 1 : 0
                }
                body(lo, hi, values, undefined)
            }
        }
    }
}
