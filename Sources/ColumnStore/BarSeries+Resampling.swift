/// How bars are grouped when resampling.
public struct ResampleOptions: Sendable {
    /// Which boundary of an interval belongs to it.
    public enum Closed: Sendable {
        /// `[start, end)`: a bar stamped exactly at a boundary opens the new interval (the default;
        /// right for bars stamped with their opening time, as most data is).
        case left
        /// `(start, end]`: a bar stamped exactly at a boundary closes the old interval (right for
        /// bars stamped with their closing time).
        case right
    }

    /// Which boundary names the resampled bar.
    public enum Label: Sendable {
        /// The interval's start (the default).
        case left
        /// The interval's end.
        case right
    }

    public var closed: Closed = .left
    public var label: Label = .left
    /// Interval boundaries sit at this many seconds after UTC midnight (e.g. a trading day that
    /// starts at 22:00 UTC: `-7200` or `79200`). Applies to days and longer; shorter timeframes
    /// are aligned to the Unix epoch.
    public var boundaryOffsetSeconds: Int = 0

    public init() {}
}

/// The result of ``BarSeries/resampled(to:options:)``: the coarse bars and how they map onto the
/// fine bars they were built from.
public struct ResampledBars: Sendable {
    /// The coarse bars, labelled per the options.
    public var bars: BarSeries
    /// Start and end (exclusive) of each coarse bar's interval, nanoseconds UTC.
    public var intervalStart: Column<Int64>
    public var intervalEnd: Column<Int64>
    /// The fine-bar index range each coarse bar aggregates.
    public var firstFineBar: [Int]
    public var lastFineBar: [Int]
    /// For each fine bar, the index of the latest coarse bar that had **closed** by the end of that
    /// fine bar, or -1. A decision at fine bar `i` may use coarse bars `0...visibleCoarseBar[i]`
    /// and nothing later: the coarse bar that fine bar `i` belongs to becomes visible only once
    /// its interval has ended, never while it is still forming.
    public var visibleCoarseBar: [Int]

    /// A coarse column laid onto the fine index without look-ahead: value `k` of `coarse` appears
    /// from the first fine bar at which coarse bar `k` has closed; NaN before any has.
    public func alignedToFine(_ coarse: Column<Double>) -> Column<Double> {
        precondition(coarse.count == bars.count, "coarse column has \(coarse.count) values for \(bars.count) bars")
        return Column(visibleCoarseBar.map { $0 < 0 ? .nan : coarse[coarse.startIndex + $0] })
    }
}

extension BarSeries {
    /// Aggregates the bars into coarser ones: open = first open, high = max, low = min,
    /// close = last close, volume = sum (NaN only if every volume in the interval is NaN),
    /// bid, ask and extra columns = last value. Intervals without bars produce no bar.
    ///
    /// The fine bars' own length is inferred as the most common step between them (see
    /// ``GapReport``); it decides when a coarse bar has closed for ``ResampledBars/visibleCoarseBar``.
    ///
    /// - Throws: ``DataError`` if time is not strictly increasing, or the target timeframe is not
    ///   longer than the bars' own length.
    /// - Complexity: O(n).
    public func resampled(to timeframe: Timeframe, options: ResampleOptions = ResampleOptions()) throws -> ResampledBars {
        try validate(.timeOrder)
        let fineLength = GapReport(time: time).frequency
        if let fineLength, timeframe.maximumDuration <= fineLength {
            throw DataError(.invalidParameter("timeframe \(timeframe) is not longer than the bars' own length (\(fineLength / Timestamp.nanosecondsPerSecond)s)"),
                            at: DataLocation(symbol: symbol))
        }
        let offset = Int64(options.boundaryOffsetSeconds) * Timestamp.nanosecondsPerSecond

        var starts: [Int64] = [], ends: [Int64] = [], first: [Int] = [], last: [Int] = []
        for i in 0..<count {
            // A bar stamped exactly on a boundary belongs to the earlier interval when closed right.
            let key = options.closed == .left ? time[i] : time[i] - 1
            let (start, end) = Self.interval(containing: key, timeframe: timeframe, offset: offset)
            if let lastEnd = ends.last, start < lastEnd {
                last[last.count - 1] = i
            } else {
                starts.append(start); ends.append(end); first.append(i); last.append(i)
            }
        }

        func aggregate(_ column: Column<Double>, _ combine: (ArraySlice<Double>) -> Double) -> Column<Double> {
            let values = column.array
            return Column(zip(first, last).map { combine(values[$0...$1]) })
        }
        let open = aggregate(self.open) { $0.first! }
        let high = aggregate(self.high) { $0.max()! }
        let low = aggregate(self.low) { $0.min()! }
        let close = aggregate(self.close) { $0.last! }
        let volume = aggregate(self.volume) { slice in
            slice.allSatisfy(\.isNaN) ? .nan : slice.reduce(0) { $1.isNaN ? $0 : $0 + $1 }
        }
        let lastValue: (ArraySlice<Double>) -> Double = { $0.last! }
        let labels = options.label == .left ? starts : ends
        let coarse = try BarSeries(symbol: symbol, time: Column(labels), open: open, high: high, low: low, close: close,
                                   volume: volume, bid: bid.map { aggregate($0, lastValue) }, ask: ask.map { aggregate($0, lastValue) },
                                   extras: extras.map { ($0.name, aggregate($0.values, lastValue)) })

        // Visibility: fine bar i ends at time[i] + fineLength (its close); coarse bar k has closed
        // once its interval end is at or before that.
        let barLength = fineLength ?? 0
        var visible = [Int](repeating: -1, count: count)
        var k = -1
        for i in 0..<count {
            let fineClose = options.closed == .left ? time[i] + barLength : time[i]
            while k + 1 < ends.count && ends[k + 1] <= fineClose { k += 1 }
            visible[i] = k
        }
        return ResampledBars(bars: coarse, intervalStart: Column(starts), intervalEnd: Column(ends),
                             firstFineBar: first, lastFineBar: last, visibleCoarseBar: visible)
    }

    /// The `[start, end)` interval of `timeframe` containing time `t`.
    static func interval(containing t: Int64, timeframe: Timeframe, offset: Int64) -> (Int64, Int64) {
        func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
        switch timeframe.unit {
        case .second, .minute, .hour:
            let d = timeframe.fixedDuration!
            let start = floorDiv(t, d) * d
            return (start, start + d)
        case .day:
            let d = timeframe.fixedDuration!
            let start = floorDiv(t - offset, d) * d + offset
            return (start, start + d)
        case .week:
            // Weeks start on Monday; 1970-01-05 was a Monday.
            let monday = 4 * Timestamp.nanosecondsPerDay + offset
            let d = timeframe.fixedDuration!
            let start = floorDiv(t - monday, d) * d + monday
            return (start, start + d)
        case .month, .year:
            let local = t - offset
            let (day, _) = Timestamp.dayAndTimeOfDay(local)
            let (y, m, _) = Timestamp.civilFromDays(Int(day))
            let months = timeframe.unit == .month ? timeframe.count : 12 * timeframe.count
            let index = Int64(y * 12 + (m - 1))
            let startIndex = floorDiv(index, Int64(months)) * Int64(months)
            let endIndex = startIndex + Int64(months)
            func time(_ monthIndex: Int64) -> Int64 {
                let year = Int(floorDiv(monthIndex, 12)), month = Int(monthIndex - floorDiv(monthIndex, 12) * 12) + 1
                return Timestamp.make(year: year, month: month, day: 1) + offset
            }
            return (time(startIndex), time(endIndex))
        }
    }
}
