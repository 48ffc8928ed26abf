import ColumnStore
internal import CKernels

/// The statistics' one pass over an equity curve, as a state machine fed bar range by bar range:
/// the peak, the drawdown periods, the period returns and weekend bars, and beta's sums.
///
/// ``PerformanceStatistics/init(equity:time:close:firstTradingBar:trades:)`` runs it over the whole
/// curve at once. An engine can instead feed it while the curve is still being written: each call
/// to ``add(_:upTo:)`` takes the bars from where the last one stopped, and any split of the curve
/// into ranges gives the same state, bit for bit, as one call over all of it (every sum is kept in
/// bar order; beta's lanes are assigned by bar index, not by call). The backtest engine does that
/// on a second thread trailing its bar loop, so the statistics cost the run almost nothing.
///
/// Complexity: O(bars added) per call, O(1) memory beyond the period returns (one per calendar
/// period: day, week, month or year).
public struct EquityCurvePass: Sendable {
    let time: Column<Int64>
    let close: Column<Double>
    let calendar: IndexCalendar
    /// Bars added so far: the next call starts at this bar.
    public private(set) var count = 0
    var firstEquity = Double.nan
    var lastEquity = Double.nan
    var equityPeak = -Double.infinity
    var tracker: DrawdownTracker
    var sampler: PeriodSampler
    /// Beta's shifts (the first bars' log returns) and its sixteen lane sums (Σa, Σb, Σab, Σb²,
    /// four lanes each: see `colonnade_log_return_lanes`).
    var shifts: (equity: Double, close: Double)?
    var lanes = [Double](repeating: 0, count: 16)
    /// 0 for the best kernel build, 1 for the portable one (tests).
    let build: Int32

    /// A pass over a curve on the bars `time` with benchmark closes `close` (same length as the curve).
    public init(time: Column<Int64>, close: Column<Double>) {
        self.init(time: time, close: close, build: 0)
    }

    init(time: Column<Int64>, close: Column<Double>, build: Int32) {
        precondition(time.count == close.count, "time and close must have the same length")
        self.time = time
        self.close = close
        self.build = build
        calendar = time.withUnsafeBufferPointer { IndexCalendar(time: $0) }
        let periodDays = calendar.periodDays
        sampler = PeriodSampler(frequency: periodDays == 7 ? .week : periodDays == 31 ? .monthEnd
                                    : periodDays == 365 ? .yearEnd : .day)
        tracker = DrawdownTracker(recordsPeriods: false)
    }

    /// Adds the bars from ``count`` up to (not including) `end` of `equity`, the whole curve
    /// (bars before ``count`` are read again only for beta's returns, which need the bar before).
    ///
    /// - Precondition: `count <= end <= equity.count`, `equity.count == time.count`, and the bars
    ///   before `end` hold their final values (no NaN: fill the bars before trading started).
    public mutating func add(_ equity: UnsafeBufferPointer<Double>, upTo end: Int) {
        precondition(count <= end && end <= equity.count && equity.count == time.count, "bars out of order or range")
        guard count < end, let eq = equity.baseAddress else { return }
        let first = count
        if first == 0 { firstEquity = eq[0] }
        time.withUnsafeBufferPointer { t in
            // Invariant: bars before i are in the peak, the tracker and the sampler.
            var peak = first == 0 ? eq[0] : equityPeak
            for i in first..<end {
                let e = eq[i]
                if peak < e { peak = e }
                tracker.add(e, at: i, time: t)
                sampler.add(e, at: t[i])
            }
            equityPeak = peak
        }
        if end >= 2 {
            close.withUnsafeBufferPointer { c in
                let y = c.baseAddress!
                if shifts == nil {
                    shifts = (logReturn(eq[1], over: eq[0]), logReturn(y[1], over: y[0]))
                }
                let (shiftX, shiftY) = shifts!
                lanes.withUnsafeMutableBufferPointer {
                    colonnade_log_return_lanes(eq, y, first, end, shiftX, shiftY, $0.baseAddress!, build)
                }
            }
        }
        lastEquity = eq[end - 1]
        count = end
    }

    /// Beta from the sums: cov(equity log returns, market log returns) / var(market log returns),
    /// NaN for fewer than three bars.
    var beta: Double {
        guard count > 2 else { return .nan }
        func total(_ k: Int) -> Double { (lanes[4 * k] + lanes[4 * k + 1]) + (lanes[4 * k + 2] + lanes[4 * k + 3]) }
        let (sumA, sumB, sumAB, sumBB) = (total(0), total(1), total(2), total(3))
        let m = Double(count - 1)
        let covariance = (sumAB - sumA * sumB / m) / (m - 1)
        let marketVariance = (sumBB - sumB * sumB / m) / (m - 1)
        return covariance / marketVariance
    }
}
