/// The highest (or lowest) value of the last `period` inputs, and optionally where it occurred.
///
/// A streaming van Herk/Gil-Werman filter. The stream is cut into blocks of `period` values.
/// Within the current block a running prefix extreme is kept; when a block completes, the
/// extremes of each of its suffixes are computed once, backwards. A window ending at block
/// position `p` is then "suffix of the previous block from `p + 1`" plus "prefix of the current
/// block through `p`": a few comparisons per bar on any data, no data-dependent branches.
/// (TA-Lib's remember-and-rescan method costs O(period) whenever the extreme leaves the window,
/// which on a random walk is often; a monotonic deque measured 19 ns/bar from mispredicted pops.)
///
/// On ties the most recent position wins (TA-Lib's `>=`/`<=`), which AROON's output depends on:
/// prefixes take a newer equal value, suffixes keep a later equal one, and a prefix (newer)
/// beats an equal suffix. Positions are tracked only when `Positions` asks for them.
@usableFromInline
struct RollingExtreme<Order: ExtremeOrder, Positions: PositionTracking>: Sendable {
    @usableFromInline let period: Int
    @usableFromInline var extreme = 0.0
    @usableFromInline var extremeIndex = -1
    @usableFromInline var count = 0
    /// Position of the next value within its block, `0..<period`.
    @usableFromInline var blockPosition = 0
    @usableFromInline var prefix = 0.0
    @usableFromInline var prefixIndex = 0
    /// The current block's values, by block position.
    @usableFromInline var block: RingStorage
    /// The previous block's suffix extremes and their stream positions, by block position.
    @usableFromInline var suffix: RingStorage
    @usableFromInline var suffixIndex: IndexStorage

    @inlinable
    init(period: Int) {
        self.period = period
        block = RingStorage(count: period)
        suffix = RingStorage(count: period)
        suffixIndex = IndexStorage(count: Positions.enabled ? period : 1)
    }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&block) { block = block.copy() }
        if !isKnownUniquelyReferenced(&suffix) { suffix = suffix.copy() }
        if !isKnownUniquelyReferenced(&suffixIndex) { suffixIndex = suffixIndex.copy() }
    }

    /// Feeds one value. Returns false during warm-up (fewer than `period` values seen).
    ///
    /// Which value is the extreme is data-dependent and would mispredict as a branch, so values
    /// are combined with `max`/`min` (`maxsd`/`minsd`) and positions with integer selects.
    @inlinable @inline(__always)
    mutating func step(_ x: Double) -> Bool {
        let t = count
        count = t &+ 1
        let p = blockPosition
        let last = period &- 1
        block.base[p] = x
        let restart = p == 0
        if Positions.enabled {
            let takeNew = restart || Order.atLeast(x, prefix)
            prefixIndex = takeNew ? t : prefixIndex
        }
        prefix = restart ? x : Order.extreme(x, prefix)
        let ready = t >= last
        if ready {
            // The previous block's part of the window starts at block position p + 1 (empty when
            // p is the block's last position; the read is then clamped and its result unused).
            let whole = p == last
            let q = whole ? p : p &+ 1
            let older = suffix.base[q]
            if Positions.enabled {
                let usePrefix = whole || Order.atLeast(prefix, older)
                extremeIndex = usePrefix ? prefixIndex : suffixIndex.base[q]
            }
            extreme = whole ? prefix : Order.extreme(prefix, older)
        }
        if p == last {
            completeBlock(endingAt: t)
            blockPosition = 0
        } else {
            blockPosition = p &+ 1
        }
        return ready
    }

    /// Computes the suffix extremes of the block that just completed at stream position `t`
    /// (once per `period` bars; out of line so the per-bar path stays small enough to inline).
    @inlinable @inline(never)
    func completeBlock(endingAt t: Int) {
        let last = period &- 1
        var best = block.base[last]
        suffix.base[last] = best
        var q = last &- 1
        if Positions.enabled {
            var bestIndex = t
            suffixIndex.base[last] = bestIndex
            while q >= 0 {
                let v = block.base[q]
                let replace = !Order.atLeast(best, v)
                best = Order.extreme(best, v)
                bestIndex = replace ? t &- (last &- q) : bestIndex
                suffix.base[q] = best
                suffixIndex.base[q] = bestIndex
                q &-= 1
            }
        } else {
            while q >= 0 {
                best = Order.extreme(best, block.base[q])
                suffix.base[q] = best
                q &-= 1
            }
        }
    }
}

/// Which end a ``RollingExtreme`` tracks; a type parameter so each kernel is specialized.
@usableFromInline
protocol ExtremeOrder: Sendable {
    /// `a` at least as extreme as `b` (ties count).
    static func atLeast(_ a: Double, _ b: Double) -> Bool
    /// The more extreme of the two values (a `maxsd`/`minsd`, no branch).
    static func extreme(_ a: Double, _ b: Double) -> Double
}

/// Track the highest value.
@usableFromInline
enum Highest: ExtremeOrder {
    @inlinable @inline(__always)
    static func atLeast(_ a: Double, _ b: Double) -> Bool { a >= b }
    @inlinable @inline(__always)
    static func extreme(_ a: Double, _ b: Double) -> Double { a > b ? a : b }
}

/// Track the lowest value.
@usableFromInline
enum Lowest: ExtremeOrder {
    @inlinable @inline(__always)
    static func atLeast(_ a: Double, _ b: Double) -> Bool { a <= b }
    @inlinable @inline(__always)
    static func extreme(_ a: Double, _ b: Double) -> Double { a < b ? a : b }
}

/// Whether a ``RollingExtreme`` also tracks where its extreme occurred.
@usableFromInline
protocol PositionTracking: Sendable {
    static var enabled: Bool { get }
}

/// Track positions (AROON, AROONOSC).
@usableFromInline
enum WithPositions: PositionTracking {
    @inlinable static var enabled: Bool { true }
}

/// Values only: everything else.
@usableFromInline
enum ValuesOnly: PositionTracking {
    @inlinable static var enabled: Bool { false }
}
