import ColumnStore

extension Batch {
    /// The highest of `a` and the lowest of `b` (or any two ``ExtremeOrder``s) over every window of
    /// `period` values in `range`, handed to `body(i, extremeOfA, extremeOfB)` for each window's
    /// last index `i`, in order, from `range.lowerBound + period - 1` on.
    ///
    /// The batch form of ``RollingExtreme``: the same van Herk/Gil-Werman blocks, aligned to
    /// `range.lowerBound` as the streaming state aligns them to its first value, and the same
    /// comparisons with the same operands in the same order (a block's prefix is its first value,
    /// then `extreme(x, prefix)`; a suffix starts at the block's last value, then
    /// `extreme(best, x)`; a window is `extreme(prefix, suffix)`, or the prefix alone at a block's
    /// last position), so the values are the streaming ones to the bit, NaNs included. What the
    /// batch saves: the input is already in memory, so no ring copy of each block, and the block
    /// structure lives in loop bounds instead of per-bar branches and counters. Streamed through
    /// ``RollingExtreme``, a composite such as MIDPOINT stayed a call per bar with its state in
    /// memory (three times TA-Lib's time).
    ///
    /// - Complexity: O(count) with about three comparisons per value and track; O(period) scratch.
    @inlinable @inline(__always)
    static func rollingExtremes<A: ExtremeOrder, B: ExtremeOrder>(
        _ a: UnsafePointer<Double>, _ orderA: A.Type, _ b: UnsafePointer<Double>, _ orderB: B.Type,
        range: Range<Int>, period n: Int, _ body: (Int, Double, Double) -> Void
    ) {
        let end = range.upperBound
        guard n >= 1, range.count >= n else { return }
        if n == 1 {
            for i in range { body(i, a[i], b[i]) }
            return
        }
        // Suffix extremes by block position: the previous block's (read) and this block's
        // (written), swapped after every full block. See the one-track form for the overlap.
        let suffixes = UnsafeMutablePointer<Double>.allocate(capacity: 4 &* n)
        defer { suffixes.deallocate() }
        var previousA = suffixes, previousB = suffixes + n, nextA = suffixes + 2 &* n, nextB = suffixes + 3 &* n

        // Block 0: its only complete window ends at its last position.
        var start = range.lowerBound
        var prefixA = a[start], prefixB = b[start]
        for i in (start + 1)..<(start + n) { prefixA = A.extreme(a[i], prefixA); prefixB = B.extreme(b[i], prefixB) }
        body(start + n - 1, prefixA, prefixB)
        var bestA = a[start &+ n &- 1], bestB = b[start &+ n &- 1]
        previousA[n &- 1] = bestA; previousB[n &- 1] = bestB
        var q = n &- 2
        while q >= 1 {
            bestA = A.extreme(bestA, a[start &+ q]); bestB = B.extreme(bestB, b[start &+ q])
            previousA[q] = bestA; previousB[q] = bestB
            q &-= 1
        }
        start &+= n

        // Every later block: position p < n - 1 joins the prefix through p with the previous
        // block's suffix from p + 1; position n - 1 is the whole block, the prefix alone.
        while start < end {
            let available = Swift.min(n, end &- start)
            prefixA = a[start]; prefixB = b[start]
            body(start, A.extreme(prefixA, previousA[1]), B.extreme(prefixB, previousB[1]))
            guard available == n else {
                var p = 1
                while p < available {
                    let i = start &+ p
                    prefixA = A.extreme(a[i], prefixA); prefixB = B.extreme(b[i], prefixB)
                    body(i, A.extreme(prefixA, previousA[p &+ 1]), B.extreme(prefixB, previousB[p &+ 1]))
                    p &+= 1
                }
                break
            }
            let last = start &+ n &- 1
            bestA = a[last]; bestB = b[last]
            nextA[n &- 1] = bestA; nextB[n &- 1] = bestB
            // Invariant: `next[q...]` holds this block's suffixes from `q = n - 1 - p` on.
            var p = 1
            while p < n &- 1 {
                let i = start &+ p
                prefixA = A.extreme(a[i], prefixA); prefixB = B.extreme(b[i], prefixB)
                body(i, A.extreme(prefixA, previousA[p &+ 1]), B.extreme(prefixB, previousB[p &+ 1]))
                let q = n &- 1 &- p
                bestA = A.extreme(bestA, a[start &+ q]); bestB = B.extreme(bestB, b[start &+ q])
                nextA[q] = bestA; nextB[q] = bestB
                p &+= 1
            }
            prefixA = A.extreme(a[last], prefixA); prefixB = B.extreme(b[last], prefixB)
            body(last, prefixA, prefixB)
            swap(&previousA, &nextA); swap(&previousB, &nextB)
            start &+= n
        }
    }

    /// ``rollingExtremes(_:_:_:_:range:period:_:)`` with one track (MAX, MIN): the same blocks,
    /// comparisons and operand order, so the same bits; `body` is called once for every window,
    /// but not in index order.
    ///
    /// With one track, a block's forward prefix and its backward suffix are each a chain of
    /// dependent comparisons; run one after the other they cost two comparison latencies a value.
    /// Each full block here runs both in one loop: step `p` extends the prefix at `p` and the
    /// suffix (for the next block) at `n - 1 - p`, so the two chains overlap. The suffix arrays are
    /// double-buffered: the outputs read the previous block's suffix while this block's is written.
    /// And the full blocks are split into two runs of blocks stepped side by side (the second
    /// starting from its own preceding block's suffix), so four chains overlap: the loop is then
    /// bound by its two stores a value rather than by comparison latency.
    @inlinable @inline(__always)
    static func rollingExtreme<A: ExtremeOrder>(
        _ a: UnsafePointer<Double>, _ order: A.Type, range: Range<Int>, period n: Int, _ body: (Int, Double) -> Void
    ) {
        let end = range.upperBound
        guard n >= 1, range.count >= n else { return }
        if n == 1 {
            for i in range { body(i, a[i]) }
            return
        }
        let suffixes = UnsafeMutablePointer<Double>.allocate(capacity: 4 &* n)
        defer { suffixes.deallocate() }
        // Writes the suffix extremes of the block at `start` from position 1 on (position 0's is
        // never read: a window ending at a block's last position is that block's prefix).
        @inline(__always) func fillSuffix(of start: Int, into suffix: UnsafeMutablePointer<Double>) {
            var best = a[start &+ n &- 1]
            suffix[n &- 1] = best
            var q = n &- 2
            while q >= 1 {
                best = A.extreme(best, a[start &+ q])
                suffix[q] = best
                q &-= 1
            }
        }
        // Block 0: its only complete window ends at its last position.
        var prefix = a[range.lowerBound]
        for i in (range.lowerBound + 1)..<(range.lowerBound + n) { prefix = A.extreme(a[i], prefix) }
        body(range.lowerBound + n - 1, prefix)

        // The full blocks after block 0: the first `half` in run A, the rest in run B.
        let first = range.lowerBound &+ n
        let fullBlocks = (end &- first) / n
        let half = fullBlocks / 2
        var startA = first, startB = first &+ half &* n
        var previousA = suffixes, nextA = suffixes + n, previousB = suffixes + 2 &* n, nextB = suffixes + 3 &* n
        fillSuffix(of: range.lowerBound, into: previousA)
        fillSuffix(of: startB &- n, into: previousB)
        // Invariant: `previousA[q]` and `previousB[q]` are the extremes of the blocks before
        // `startA` and `startB` from position q on.
        for _ in 0..<half {
            var prefixA = a[startA], prefixB = a[startB]
            body(startA, A.extreme(prefixA, previousA[1]))
            body(startB, A.extreme(prefixB, previousB[1]))
            let lastA = startA &+ n &- 1, lastB = startB &+ n &- 1
            var bestA = a[lastA], bestB = a[lastB]
            nextA[n &- 1] = bestA; nextB[n &- 1] = bestB
            var p = 1
            while p < n &- 1 {
                let q = n &- 1 &- p
                prefixA = A.extreme(a[startA &+ p], prefixA)
                prefixB = A.extreme(a[startB &+ p], prefixB)
                body(startA &+ p, A.extreme(prefixA, previousA[p &+ 1]))
                body(startB &+ p, A.extreme(prefixB, previousB[p &+ 1]))
                bestA = A.extreme(bestA, a[startA &+ q]); bestB = A.extreme(bestB, a[startB &+ q])
                nextA[q] = bestA; nextB[q] = bestB
                p &+= 1
            }
            body(lastA, A.extreme(a[lastA], prefixA))
            body(lastB, A.extreme(a[lastB], prefixB))
            swap(&previousA, &nextA); swap(&previousB, &nextB)
            startA &+= n; startB &+= n
        }

        // What run B has left (one full block when the count is odd), then the partial block.
        var start = startB
        var previous = previousB, next = nextB
        while start < end {
            let available = Swift.min(n, end &- start)
            prefix = a[start]
            body(start, A.extreme(prefix, previous[1]))
            guard available == n else {
                var p = 1
                while p < available {
                    let i = start &+ p
                    prefix = A.extreme(a[i], prefix)
                    body(i, A.extreme(prefix, previous[p &+ 1]))
                    p &+= 1
                }
                break
            }
            let last = start &+ n &- 1
            var best = a[last]
            next[n &- 1] = best
            // Invariant: `next[q...]` holds this block's suffixes from `q = n - 1 - p` on.
            var p = 1
            while p < n &- 1 {
                let i = start &+ p
                prefix = A.extreme(a[i], prefix)
                body(i, A.extreme(prefix, previous[p &+ 1]))
                let q = n &- 1 &- p
                best = A.extreme(best, a[start &+ q])
                next[q] = best
                p &+= 1
            }
            body(last, A.extreme(a[last], prefix))
            swap(&previous, &next)
            start &+= n
        }
    }

    /// Where the extremes of ``rollingExtremes(_:_:_:_:range:period:_:)`` occurred: `body(i,
    /// indexOfA, indexOfB)` with absolute indices, ties going to the most recent value exactly as
    /// in the streaming ``RollingExtreme`` with positions (a prefix takes a newer equal value, a
    /// suffix keeps its later one, a prefix beats an equal suffix). For AROON and AROONOSC.
    @inlinable @inline(__always)
    static func rollingExtremePositions<A: ExtremeOrder, B: ExtremeOrder>(
        _ a: UnsafePointer<Double>, _ orderA: A.Type, _ b: UnsafePointer<Double>, _ orderB: B.Type,
        range: Range<Int>, period n: Int, _ body: (Int, Int, Int) -> Void
    ) {
        let end = range.upperBound
        guard n >= 1, range.count >= n else { return }
        if n == 1 {
            for i in range { body(i, i, i) }
            return
        }
        let suffixA = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let suffixB = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let suffixIndexA = UnsafeMutablePointer<Int>.allocate(capacity: n)
        let suffixIndexB = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { suffixA.deallocate(); suffixB.deallocate(); suffixIndexA.deallocate(); suffixIndexB.deallocate() }

        @inline(__always) func fillSuffixes(_ start: Int) {
            var bestA = a[start + n - 1], bestB = b[start + n - 1]
            var bestIndexA = start + n - 1, bestIndexB = start + n - 1
            suffixA[n - 1] = bestA; suffixB[n - 1] = bestB
            suffixIndexA[n - 1] = bestIndexA; suffixIndexB[n - 1] = bestIndexB
            var q = n - 2
            while q >= 0 {
                let x = a[start + q], y = b[start + q]
                let replaceA = !A.atLeast(bestA, x), replaceB = !B.atLeast(bestB, y)
                bestA = A.extreme(bestA, x); bestB = B.extreme(bestB, y)
                bestIndexA = replaceA ? start + q : bestIndexA; bestIndexB = replaceB ? start + q : bestIndexB
                suffixA[q] = bestA; suffixB[q] = bestB
                suffixIndexA[q] = bestIndexA; suffixIndexB[q] = bestIndexB
                q -= 1
            }
        }

        var start = range.lowerBound
        var prefixA = a[start], prefixB = b[start]
        var prefixIndexA = start, prefixIndexB = start
        @inline(__always) func extendPrefix(_ i: Int) {
            let x = a[i], y = b[i]
            prefixIndexA = A.atLeast(x, prefixA) ? i : prefixIndexA
            prefixIndexB = B.atLeast(y, prefixB) ? i : prefixIndexB
            prefixA = A.extreme(x, prefixA); prefixB = B.extreme(y, prefixB)
        }
        @inline(__always) func emit(_ i: Int, joining q: Int) {
            let indexA = A.atLeast(prefixA, suffixA[q]) ? prefixIndexA : suffixIndexA[q]
            let indexB = B.atLeast(prefixB, suffixB[q]) ? prefixIndexB : suffixIndexB[q]
            body(i, indexA, indexB)
        }

        for i in (start + 1)..<(start + n) { extendPrefix(i) }
        body(start + n - 1, prefixIndexA, prefixIndexB)
        fillSuffixes(start)
        start += n

        while start < end {
            let available = Swift.min(n, end - start)
            prefixA = a[start]; prefixB = b[start]
            prefixIndexA = start; prefixIndexB = start
            emit(start, joining: 1)
            let partial = Swift.min(available, n - 1)
            var p = 1
            while p < partial {
                extendPrefix(start + p)
                emit(start + p, joining: p + 1)
                p += 1
            }
            guard available == n else { break }
            let last = start + n - 1
            extendPrefix(last)
            body(last, prefixIndexA, prefixIndexB)
            fillSuffixes(start)
            start += n
        }
    }

    /// Steps `state` over `input[range]` into `out[range]`, with no NaN skipping: for a stage fed
    /// by an earlier one, whose first value the caller has located. `input` and `out` may be the
    /// same buffer (each value is read before it is overwritten).
    @inlinable @inline(__always)
    static func run<S>(_ state: inout S, _ input: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, _ range: Range<Int>,
                       _ step: (inout S, Double) -> Double) {
        var local = state
        for i in range { out[i] = step(&local, input[i]) }
        state = local
    }

    /// The first index where none of `inputs` is NaN (`count` when there is none): where every
    /// batch starts (see `Batch`).
    @inlinable @inline(__always)
    static func firstNumber(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafePointer<Double>, count: Int) -> Int {
        var begin = 0
        while begin < count && (a[begin].isNaN || b[begin].isNaN || c[begin].isNaN) { begin += 1 }
        return begin
    }

    /// A column from the rolling extreme of `x` by `A`: NaN through its leading NaNs and the first
    /// `period - 1` bars after them, then the extreme (MAX, MIN).
    @inlinable @inline(__always)
    static func mapExtreme<A: ExtremeOrder>(_ x: Column<Double>, _ order: A.Type, period: Int) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                guard let base = input.baseAddress, let out = out.baseAddress else { return }
                let n = input.count
                let begin = firstNumber(base, base, base, count: n)
                for i in 0..<Swift.min(n, begin + period - 1) { out[i] = .nan }
                rollingExtreme(base, A.self, range: begin..<n, period: period) { i, x in out[i] = x }
            }
        }
    }

    /// A column from the rolling extremes of `a` (by `A`) and `b` (by `B`): NaN through the leading
    /// NaNs of the inputs and the first `period - 1` bars after them, then
    /// `value(extremeOfA, extremeOfB)` (MIDPOINT, MIDPRICE).
    @inlinable @inline(__always)
    static func mapExtremes<A: ExtremeOrder, B: ExtremeOrder>(
        _ a: Column<Double>, _ orderA: A.Type, _ b: Column<Double>, _ orderB: B.Type,
        period: Int, indicator: String, _ value: (Double, Double) -> Double
    ) throws(IndicatorError) -> Column<Double> {
        let n = try checkLengths([a, b], indicator)
        return withInputs([a, b]) { pa, pb, _, _ in
            Column(unsafeUninitializedCount: n) { out in
                let begin = firstNumber(pa, pb, pb, count: n)
                let firstOutput = Swift.min(n, begin + period - 1)
                for i in 0..<firstOutput { out[i] = .nan }
                rollingExtremes(pa, A.self, pb, B.self, range: begin..<n, period: period) { i, x, y in
                    out[i] = value(x, y)
                }
            }
        }
    }
}
