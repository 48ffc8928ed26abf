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
    /// Complexity: O(n).
    public init(equity: [Double]) {
        var fraction = [Double](repeating: .nan, count: equity.count)
        var peak = -Double.infinity
        for (i, e) in equity.enumerated() {
            // numpy's maximum.accumulate propagates NaN; equity curves here have none.
            peak = Swift.max(peak, e)
            fraction[i] = 1 - e / peak
        }
        var anchors: [Int] = []
        for (i, d) in fraction.enumerated() where d == 0 { anchors.append(i) }
        if let last = fraction.indices.last, anchors.last != last { anchors.append(last) }
        var periods: [(Int, Int, Double)] = []
        for k in anchors.indices.dropFirst() where anchors[k] > anchors[k - 1] + 1 {
            let start = anchors[k - 1], end = anchors[k]
            var depth = -Double.infinity
            for i in start...end { depth = Swift.max(depth, fraction[i]) }
            periods.append((start, end, depth))
        }
        self.fraction = fraction
        self.periods = periods
    }
}
