/// The highest (or lowest) value of the last `period` inputs and the position where it occurred.
///
/// TA-Lib's method: remember the extreme's position; when it leaves the window, rescan the
/// window; otherwise compare only the new value. On ties the most recent position wins (TA-Lib's
/// `>=`/`<=`), which AROON's output depends on. Amortized O(1) per bar on real data, O(period)
/// worst case (a strictly monotone series rescans every bar), as in TA-Lib.
@usableFromInline
struct RollingExtreme: Sendable {

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        window.makeUnique()
    }
    @usableFromInline let period: Int
    @usableFromInline let isMaximum: Bool
    @usableFromInline var extreme = 0.0
    @usableFromInline var extremeIndex = -1
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    @inlinable
    init(period: Int, maximum: Bool) {
        self.period = period
        self.isMaximum = maximum
        window = RingBuffer(capacity: period)
    }

    /// Feeds one value. Returns false during warm-up (fewer than `period` values seen).
    @inlinable
    mutating func step(_ x: Double) -> Bool {
        let t = count
        count += 1
        window[t] = x
        guard t >= period - 1 else { return false }
        let trailing = t - period + 1
        if extremeIndex < trailing {
            extremeIndex = trailing
            extreme = window[trailing]
            var i = trailing + 1
            while i <= t {
                let v = window[i]
                if isMaximum ? v >= extreme : v <= extreme { extreme = v; extremeIndex = i }
                i += 1
            }
        } else if isMaximum ? x >= extreme : x <= extreme {
            extreme = x
            extremeIndex = t
        }
        return true
    }
}
