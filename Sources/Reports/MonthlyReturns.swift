import ColumnStore

/// Returns by calendar month, from an equity curve.
struct MonthlyReturns {
    /// Years in order, each with 12 months (nil where the curve has no bar that month) and the year's return.
    var years: [(year: Int, months: [Double?], total: Double)]

    /// Each month's return is its last equity over the previous month's last (the first month's
    /// over the curve's first value), minus one; a year's is the same from year end to year end.
    ///
    /// - Complexity: O(n).
    init(equity: [Double], time: Column<Int64>) {
        years = []
        guard !equity.isEmpty else { return }
        var previousMonthEnd = equity[0], previousYearEnd = equity[0]
        var currentYear = civil(time[time.startIndex]).year
        var months = [Double?](repeating: nil, count: 12)
        var lastValue = equity[0]
        var monthKey = -1
        for bar in equity.indices {
            let c = civil(time[time.startIndex + bar])
            let key = c.year * 12 + c.month - 1
            if key != monthKey && monthKey >= 0 {
                // Close the month that just ended.
                months[monthKey % 12] = lastValue / previousMonthEnd - 1
                previousMonthEnd = lastValue
                if c.year != currentYear {
                    years.append((currentYear, months, lastValue / previousYearEnd - 1))
                    previousYearEnd = lastValue
                    months = [Double?](repeating: nil, count: 12)
                    currentYear = c.year
                }
            }
            monthKey = key
            lastValue = equity[bar]
        }
        months[monthKey % 12] = lastValue / previousMonthEnd - 1
        years.append((currentYear, months, lastValue / previousYearEnd - 1))
    }
}
