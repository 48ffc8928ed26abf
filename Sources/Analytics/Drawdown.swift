/// The drawdown of an equity curve: how far below its running peak it is at each bar, and the
/// drawdown periods (from a bar at a peak to the next bar back at a peak, or the last bar).
public struct Drawdown: Sendable {
    /// `1 − equity / running max(equity)` per bar, a fraction in [0, 1] (NaN where equity is NaN).
    public var fraction: [Double]
    /// Each completed or ongoing drawdown period: start and end bar (both at or ending the period)
    /// and the deepest drawdown inside it.
    public var periods: [(start: Int, end: Int, depth: Double)]

    /// Computes the drawdown as backtesting.py does: a period runs between consecutive bars where
    /// the drawdown is exactly zero (plus the last bar), and only gaps of more than one bar count.
    ///
    /// - Precondition: equity is positive (an equity curve starts at the cash, which is).
    /// - Complexity: O(n).
    public init(equity: [Double]) {
        var fraction = [Double](repeating: .nan, count: equity.count)
        var tracker = DrawdownTracker()
        var peak = -Double.infinity
        for (i, e) in equity.enumerated() {
            peak = Swift.max(peak, e)
            fraction[i] = 1 - e / peak
            tracker.add(e, at: i)
        }
        self.fraction = fraction
        self.periods = tracker.finish().periods
    }
}

/// backtesting.py's drawdown periods and maximum drawdown, one bar at a time and without the
/// per-bar drawdown series.
///
/// A bar whose equity reaches the running peak has a drawdown of exactly zero (for positive equity
/// `1 − e/peak` is 0 only when `e == peak`) and anchors a period. Between two anchors the peak is
/// constant, and `x ↦ 1 − x/peak` is monotone under IEEE rounding, so the deepest drawdown of a
/// period is `1 − min(equity)/peak`: the same number as the maximum of the per-bar series,
/// with one division per period instead of one per bar.
///
/// The statistics need only the count, mean depth and the longest and mean duration of the
/// periods: given the bar times (with each bar), the tracker keeps those as it goes (the same sums, in the same
/// order, as over a list of the periods) and need not keep the list, which on minute bars runs to
/// hundreds of thousands of periods.
@usableFromInline
struct DrawdownTracker: Sendable {
    private(set) var periods: [(start: Int, end: Int, depth: Double)] = []
    /// Whether ``periods`` is kept.
    private let recordsPeriods: Bool
    /// Drawdown periods so far (those of more than one bar, as in ``periods``).
    private(set) var periodCount = 0
    /// Σ depth and Σ duration (nanoseconds, as Double) over the periods, in period order.
    private(set) var depthSum = 0.0, durationSum = 0.0
    /// The longest period's duration in nanoseconds (`Int64.min` before the first).
    private(set) var longestDuration = Int64.min
    /// The largest drawdown at any bar: 0 without a drawdown, NaN when an equity value was NaN.
    private(set) var deepest = 0.0
    private var peak = -Double.infinity
    private var anchor = -1
    private var lowSinceAnchor = Double.infinity
    private var lastBar = -1
    private var sawNaN = false

    /// - Parameter recordsPeriods: whether to keep every period in ``periods``.
    init(recordsPeriods: Bool = true) {
        self.recordsPeriods = recordsPeriods
    }

    /// Adds the equity at `bar`; `time`, the bar times, when the durations are wanted (the same
    /// for every bar).
    @inline(__always)
    mutating func add(_ equity: Double, at bar: Int, time: UnsafeBufferPointer<Int64>? = nil) {
        lastBar = bar
        if equity >= peak {
            closePeriod(at: bar, time: time)
            peak = equity
            anchor = bar
            lowSinceAnchor = .infinity
        } else if equity < lowSinceAnchor {
            lowSinceAnchor = equity
        } else if equity.isNaN {
            sawNaN = true
        }
    }

    /// The equity values `low..<high` on which ``add(_:at:time:)``, given `equity` next, changes
    /// nothing but the last bar seen (`atPeak` false), or only moves the anchor to each bar
    /// (`atPeak` true: equity flat at the peak with no lower bar since the anchor, where every
    /// bar is a new anchor of an empty period). An empty range when neither holds.
    @inline(__always)
    func quietRange(startingWith equity: Double) -> (low: Double, high: Double, atPeak: Bool) {
        if lowSinceAnchor == .infinity, equity == peak { return (peak, peak.nextUp, true) }
        return (lowSinceAnchor, peak, false)
    }

    /// Adds bars through `last`, every one inside ``quietRange(startingWith:)`` as it was before
    /// the first of them, without visiting them: the state ``add(_:at:time:)`` would leave, bit
    /// for bit. `lastEquity` is the equity at `last`.
    @inline(__always)
    mutating func addQuiet(through last: Int, lastEquity: Double, atPeak: Bool) {
        lastBar = last
        if atPeak {
            peak = lastEquity
            anchor = last
        }
    }

    /// The depth of the bars since the anchor; a period when there is at least one bar between
    /// the anchor and `end`.
    private mutating func closePeriod(at end: Int, time: UnsafeBufferPointer<Int64>?) {
        guard anchor >= 0, lowSinceAnchor < .infinity else { return }
        let depth = 1 - lowSinceAnchor / peak
        deepest = Swift.max(deepest, depth)
        guard end > anchor + 1 else { return }
        periodCount += 1
        depthSum += depth
        if let time {
            let duration = time[end] - time[anchor]
            durationSum += Double(duration)
            longestDuration = Swift.max(longestDuration, duration)
        }
        if recordsPeriods { periods.append((anchor, end, depth)) }
    }

    /// Ends the curve: the last bar closes the running period (`time` as given to ``add(_:at:time:)``).
    mutating func finish(time: UnsafeBufferPointer<Int64>? = nil) -> (periods: [(start: Int, end: Int, depth: Double)], deepest: Double) {
        if lastBar > anchor {
            closePeriod(at: lastBar, time: time)
            anchor = lastBar
        }
        return (periods, sawNaN ? .nan : deepest)
    }
}
