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
    /// The benchmark's closes (beta's market).
    public let close: Column<Double>
    let calendar: IndexCalendar
    /// Bars added so far: the next call starts at this bar.
    public private(set) var count = 0
    var firstEquity = Double.nan
    var lastEquity = Double.nan
    var equityPeak = -Double.infinity
    var tracker: DrawdownTracker
    var sampler: PeriodSampler
    /// The shift of the market's log returns in beta's sums: the first one (0 for fewer than two
    /// bars). Shifting by a value near the mean keeps Σb² − (Σb)²/m from cancelling.
    public let marketShift: Double
    /// Beta's sums, four lanes each (see `colonnade_market_return_lanes`): Σb and Σb² of the
    /// market's shifted log returns, and Σa and Σab of the equity's (flat bars add nothing).
    var marketLanes = [Double](repeating: 0, count: 8)
    var equityLanes = [Double](repeating: 0, count: 8)
    /// Whether ``add(_:upTo:)`` leaves the market sums to ``supplyMarketLanes(_:)``, and whether
    /// they have yet to arrive.
    var marketLanesExpected = false
    var marketLanesPending = false
    /// 0 for the best kernel build, 1 for the portable one (tests).
    let build: Int32
    /// Whether quiet runs of bars are found by a vector scan and added at once (false, every bar
    /// one at a time: the reference the tests hold the scan to).
    let skipsQuietBars: Bool

    /// A pass over a curve on the bars `time` with benchmark closes `close` (same length as the curve).
    public init(time: Column<Int64>, close: Column<Double>) {
        self.init(time: time, close: close, build: 0)
    }

    init(time: Column<Int64>, close: Column<Double>, build: Int32, skipsQuietBars: Bool = true) {
        precondition(time.count == close.count, "time and close must have the same length")
        self.time = time
        self.close = close
        self.build = build
        self.skipsQuietBars = skipsQuietBars
        calendar = time.withUnsafeBufferPointer { IndexCalendar(time: $0) }
        let periodDays = calendar.periodDays
        sampler = PeriodSampler(frequency: periodDays == 7 ? .week : periodDays == 31 ? .monthEnd
                                    : periodDays == 365 ? .yearEnd : .day)
        tracker = DrawdownTracker(recordsPeriods: false)
        marketShift = close.count >= 2 ? logReturn(close[1], over: close[0]) : 0
    }

    /// Leaves the market's sums (which depend on the closes alone) to be computed elsewhere and
    /// handed over with ``supplyMarketLanes(_:)`` before the statistics are read: for an engine that
    /// computes them beside other work on the closes. Call it before the first ``add(_:upTo:)``.
    public mutating func expectMarketLanes() {
        precondition(count == 0, "the market sums must be left to others before any bar is added")
        marketLanesExpected = true
        marketLanesPending = true
    }

    /// The market's sums over bars `1..<close.count` (every bar of the curve), as
    /// `colonnade_market_return_lanes` gives them with shift ``marketShift``: eight doubles.
    public mutating func supplyMarketLanes(_ lanes: [Double]) {
        precondition(marketLanesExpected && lanes.count == 8, "market sums supplied without being expected")
        marketLanes = lanes
        marketLanesPending = false
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
            var peak = first == 0 ? eq[0] : equityPeak
            var i = first
            // Invariant: bars before i are in the peak, the tracker and the sampler.
            while i < end {
                let quiet = skipsQuietBars ? addQuietRun(eq, time: t, from: i, to: end, peak: peak) : 0
                if quiet > 0 {
                    i += quiet
                    continue
                }
                // A bar that changes the state: take it and a few after it one at a time, since
                // such bars come in clusters (an open position moves equity on every bar).
                let stop = Swift.min(end, i + Self.barsAfterChange)
                while i < stop {
                    let e = eq[i]
                    if peak < e { peak = e }
                    tracker.add(e, at: i, time: t)
                    sampler.add(e, at: t[i])
                    i += 1
                }
            }
            equityPeak = peak
        }
        if end >= 2 {
            close.withUnsafeBufferPointer { c in
                let y = c.baseAddress!
                equityLanes.withUnsafeMutableBufferPointer {
                    colonnade_equity_return_lanes(eq, y, first, end, marketShift, $0.baseAddress!, build)
                }
                if !marketLanesExpected {
                    marketLanes.withUnsafeMutableBufferPointer {
                        colonnade_market_return_lanes(y, first, end, marketShift, $0.baseAddress!, build)
                    }
                }
            }
        }
        lastEquity = eq[end - 1]
        count = end
    }

    /// Bars taken one at a time after a bar that ends a quiet run, before looking for the next.
    static let barsAfterChange = 16

    /// Adds the run of bars from `i` on which neither the drawdown tracker nor the period sampler
    /// changes state beyond its counters (equity inside the tracker's quiet range, the same
    /// day), found by a vector scan; returns its length, 0 when bar `i` is not quiet.
    ///
    /// Most bars of most curves are quiet: no position is open (equity flat), or it moves without
    /// a new peak or a new low of its drawdown, inside one day. The state after the run is the one
    /// the bars would leave one at a time, bit for bit (tested).
    private mutating func addQuietRun(_ eq: UnsafePointer<Double>, time t: UnsafeBufferPointer<Int64>,
                                      from i: Int, to end: Int, peak: Double) -> Int {
        let range = tracker.quietRange(startingWith: eq[i])
        // The pass's own peak must not move either (it is the tracker's, or NaN from bar 0): at
        // the peak every bar equals `range.low`, otherwise every bar is below `range.high`.
        let peakStays = range.atPeak ? !(peak < range.low) : !(peak < range.high)
        guard peakStays else { return 0 }
        let day = sampler.currentDay
        let count = colonnade_quiet_bars(eq, t.baseAddress!, i, end, range.low, range.high, day.start, day.end, build)
        guard count > 0 else { return 0 }
        let last = i + count - 1
        tracker.addQuiet(through: last, lastEquity: eq[last], atPeak: range.atPeak)
        sampler.addQuiet(count: count, lastEquity: eq[last])
        return count
    }

    /// Beta from the sums: cov(equity log returns, market log returns) / var(market log returns),
    /// NaN for fewer than three bars. The covariance needs no shift of the equity's returns (the
    /// market's shift cancels from it too): Σab − ΣaΣb/m.
    var beta: Double {
        precondition(!marketLanesPending, "beta read before the market sums were supplied")
        guard count > 2 else { return .nan }
        func total(_ lanes: [Double], _ k: Int) -> Double {
            (lanes[4 * k] + lanes[4 * k + 1]) + (lanes[4 * k + 2] + lanes[4 * k + 3])
        }
        let (sumA, sumAB) = (total(equityLanes, 0), total(equityLanes, 1))
        let (sumB, sumBB) = (total(marketLanes, 0), total(marketLanes, 1))
        let m = Double(count - 1)
        let covariance = (sumAB - sumA * sumB / m) / (m - 1)
        let marketVariance = (sumBB - sumB * sumB / m) / (m - 1)
        return covariance / marketVariance
    }
}
