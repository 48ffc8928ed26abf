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

    /// The calendar bucket of `t` (UTC): day number, the day number of the week's Sunday,
    /// year·12 + month, or year.
    func bucket(_ t: Int64) -> Int64 {
        let (day, _) = Timestamp.dayAndTimeOfDay(t)
        switch self {
        case .day:
            return day
        case .week:
            // Weeks end on Sunday (pandas 'W' = 'W-SUN'); 1970-01-01 was a Thursday (weekday 3, Monday 0).
            let weekday = ((day % 7) + 7 + 3) % 7
            return day + (6 - weekday)
        case .monthEnd:
            let c = Timestamp.civilFromDays(Int(day))
            return Int64(c.year * 12 + c.month)
        case .yearEnd:
            return Int64(Timestamp.civilFromDays(Int(day)).year)
        }
    }
}

/// Per-period simple returns of `equity` sampled at the last bar of each calendar period
/// (pandas `resample(freq).last().dropna().pct_change().dropna()`).
func periodReturns(equity: [Double], time: UnsafeBufferPointer<Int64>, frequency: SamplingFrequency) -> [Double] {
    var sampled: [Double] = []
    var current: Int64? = nil
    for i in equity.indices {
        let b = frequency.bucket(time[i])
        let e = equity[i]
        // pandas' `last()` is the last non-NaN value of the period.
        if b != current {
            current = b
            sampled.append(e)
        } else if !e.isNaN {
            sampled[sampled.count - 1] = e
        }
    }
    var returns: [Double] = []
    returns.reserveCapacity(Swift.max(0, sampled.count - 1))
    var previous: Double? = nil
    for s in sampled where !s.isNaN {
        if let p = previous { returns.append(s / p - 1) }
        previous = s
    }
    return returns
}
