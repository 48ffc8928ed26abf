/// Missing bars in a time column, measured against the bar frequency the column itself shows.
///
/// The frequency is the most common positive step between consecutive timestamps (ties go to the
/// shorter step). A gap is a step longer than that; it spans a weekend when a Saturday or Sunday
/// (UTC) falls inside it. Daily equity data thus shows every weekend as a gap marked
/// ``Gap/spansWeekend``, and real holes (a missing Tuesday) as gaps that do not.
public struct GapReport: Sendable, Equatable {
    public struct Gap: Sendable, Equatable {
        /// Index of the bar before the gap.
        public var afterBar: Int
        /// The last bar before the gap, UTC nanoseconds.
        public var from: Int64
        /// The first bar after the gap, UTC nanoseconds.
        public var to: Int64
        /// Whole bar periods that fit in the gap and are missing: step / frequency - 1, rounded down.
        public var missingBars: Int
        public var spansWeekend: Bool
    }

    /// The inferred bar period in nanoseconds; nil for fewer than two bars.
    public var frequency: Int64?
    /// Every gap, in time order.
    public var gaps: [Gap]

    /// Gaps that contain no weekend day: the ones a trading calendar would not explain.
    public var unexplainedGaps: [Gap] { gaps.filter { !$0.spansWeekend } }

    /// Builds the report for an ascending time column. Steps that are not positive (a column that
    /// failed validation) are ignored.
    /// - Complexity: O(n log k) for k distinct steps.
    public init(time: Column<Int64>) {
        var counts: [Int64: Int] = [:]
        time.withUnsafeBufferPointer { t in
            for i in t.indices.dropFirst() where t[i] > t[i - 1] { counts[t[i] - t[i - 1], default: 0] += 1 }
        }
        guard let frequency = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key else {
            self.frequency = nil
            self.gaps = []
            return
        }
        self.frequency = frequency
        var gaps: [Gap] = []
        time.withUnsafeBufferPointer { t in
            for i in t.indices.dropFirst() where t[i] - t[i - 1] > frequency {
                let step = t[i] - t[i - 1]
                gaps.append(Gap(afterBar: i - 1 - time.startIndex, from: t[i - 1], to: t[i],
                                missingBars: Int(step / frequency) - (step % frequency == 0 ? 1 : 0),
                                spansWeekend: GapReport.containsWeekendDay(from: t[i - 1], to: t[i])))
            }
        }
        self.gaps = gaps
    }

    /// Whether any instant strictly between `from` and `to` falls on a Saturday or Sunday (UTC).
    static func containsWeekendDay(from: Int64, to: Int64) -> Bool {
        let firstDay = Timestamp.dayAndTimeOfDay(from).day
        let lastDay = Timestamp.dayAndTimeOfDay(to - 1).day
        if lastDay - firstDay >= 6 { return true }
        var day = firstDay
        while day <= lastDay {
            let weekday = Timestamp.weekday(day * Timestamp.nanosecondsPerDay)
            if weekday >= 5 { return true }
            day += 1
        }
        return false
    }
}
