import ColumnStore

/// Calendar facts about a bar index that the annualized statistics depend on.
struct IndexCalendar {
    /// Median spacing of the last 100 timestamps, in nanoseconds (pandas' `_data_period`).
    let period: Int64
    /// The unit durations are rounded up to: the smallest non-zero unit of `period`
    /// (day, hour, minute, second, millisecond, microsecond or nanosecond).
    let resolution: Int64

    init(time: UnsafeBufferPointer<Int64>) {
        let tail = time.count > 100 ? Array(time[(time.count - 100)...]) : Array(time)
        var diffs = zip(tail.dropFirst(), tail).map { $0 - $1 }.sorted()
        if diffs.isEmpty { diffs = [Timestamp.nanosecondsPerDay] }
        let mid = diffs.count / 2
        period = diffs.count % 2 == 1 ? diffs[mid] : diffs[mid - 1] + (diffs[mid] - diffs[mid - 1]) / 2
        let units: [Int64] = [Timestamp.nanosecondsPerDay, 3_600_000_000_000, 60_000_000_000, 1_000_000_000,
                              1_000_000, 1_000, 1]
        let p = period
        resolution = p == 0 ? Timestamp.nanosecondsPerDay : units.first { p % $0 == 0 } ?? 1
    }

    /// Whole days in the period (`Timedelta.days`).
    var periodDays: Int64 { period >= 0 ? period / Timestamp.nanosecondsPerDay : (period - Timestamp.nanosecondsPerDay + 1) / Timestamp.nanosecondsPerDay }

    /// `value` rounded up to a multiple of ``resolution``.
    func ceil(_ value: Int64) -> Int64 {
        let q = value / resolution, r = value % resolution
        return (r > 0 ? q + 1 : q) * resolution
    }
}

/// How equity is sampled for period returns.
enum SamplingFrequency {
    case day, week, monthEnd, yearEnd

    /// The calendar bucket of day number `day` (days since 1970-01-01, UTC): the day itself, the
    /// day number of the week's Sunday, year·12 + month, or year.
    func bucket(day: Int64) -> Int64 {
        switch self {
        case .day:
            return day
        case .week:
            // Weeks end on Sunday (pandas 'W' = 'W-SUN').
            return day + Int64(6 - weekday(day: day))
        case .monthEnd:
            let c = Timestamp.civilFromDays(Int(day))
            return Int64(c.year * 12 + c.month)
        case .yearEnd:
            return Int64(Timestamp.civilFromDays(Int(day)).year)
        }
    }
}

/// 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday (3).
@inline(__always)
func weekday(day: Int64) -> Int { Int(((day % 7) + 7 + 3) % 7) }

/// Per-period simple returns of an equity curve sampled at the last bar of each calendar period
/// (pandas `resample(freq).last().dropna().pct_change().dropna()`), fed one bar at a time.
///
/// The bucket depends only on the day, so it is computed once per day; the bars of a day cost
/// one comparison each. Also counts the bars that fall on a weekend (for the annualization rule).
struct PeriodSampler {
    let frequency: SamplingFrequency
    private(set) var returns: [Double] = []
    private(set) var weekendBars = 0
    private var dayStart = Int64.max
    private var dayEnd = Int64.min
    private var onWeekend = false
    private var bucket = Int64.min
    /// The last non-NaN equity of the current bucket (pandas' `last()`), NaN if none yet.
    private var bucketLast = Double.nan
    private var previousSample = Double.nan

    init(frequency: SamplingFrequency) { self.frequency = frequency }

    @inline(__always)
    mutating func add(_ equity: Double, at time: Int64) {
        if time >= dayEnd || time < dayStart { enterDay(of: time) }
        weekendBars &+= onWeekend ? 1 : 0
        if !equity.isNaN { bucketLast = equity }
    }

    /// The times of the current day, `start..<end` (an empty range before the first bar): bars
    /// inside it cost ``add(_:at:)`` no calendar work.
    @inline(__always)
    var currentDay: (start: Int64, end: Int64) { (dayStart, dayEnd) }

    /// Adds `count` bars inside ``currentDay`` whose equity is never NaN, the last of them
    /// `lastEquity`, without visiting them: the state `count` calls to ``add(_:at:)`` leave.
    @inline(__always)
    mutating func addQuiet(count: Int, lastEquity: Double) {
        weekendBars &+= onWeekend ? count : 0
        bucketLast = lastEquity
    }

    private mutating func enterDay(of time: Int64) {
        let day = Timestamp.dayAndTimeOfDay(time).day
        dayStart = day &* Timestamp.nanosecondsPerDay
        dayEnd = dayStart &+ Timestamp.nanosecondsPerDay
        onWeekend = weekday(day: day) >= 5
        let b = frequency.bucket(day: day)
        if b != bucket {
            closeBucket()
            bucket = b
        }
    }

    private mutating func closeBucket() {
        guard !bucketLast.isNaN else { return }
        if !previousSample.isNaN { returns.append(bucketLast / previousSample - 1) }
        previousSample = bucketLast
        bucketLast = .nan
    }

    /// Ends the curve: the last bucket is sampled.
    mutating func finish() -> (returns: [Double], weekendBars: Int) {
        closeBucket()
        return (returns, weekendBars)
    }
}
