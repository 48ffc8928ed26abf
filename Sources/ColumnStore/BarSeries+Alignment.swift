extension BarSeries {
    /// The bars at `rows` (ascending indices from 0, each in range: the caller's invariant),
    /// every column gathered alike. O(rows × columns).
    func selecting(rows: [Int]) -> BarSeries {
        func gather<T>(_ column: Column<T>) -> Column<T> {
            column.withUnsafeBufferPointer { values in Column(rows.lazy.map { values[$0] }) }
        }
        // Every column gets the same rows and keeps its name, so lengths agree and extras stay
        // distinct: the initializer's only failures cannot happen.
        return try! BarSeries(symbol: symbol, time: gather(time), open: gather(open), high: gather(high), low: gather(low),
                              close: gather(close), volume: gather(volume), bid: bid.map(gather), ask: ask.map(gather),
                              extras: extras.map { ($0.name, gather($0.values)) })
    }

    /// Puts several instruments on one clock: the timestamps every one of them has (an inner join),
    /// each series keeping its bars at those times. A bar one instrument has and another lacks is
    /// dropped, not filled: the backtest then sees fewer, coarser steps for the others, never an
    /// invented price. Returns the aligned series (in the order given) and how many bars each lost.
    ///
    /// Series with identical clocks come back unchanged, without copying. Complexity: O(total bars).
    public static func alignedOnSharedTimes(_ series: [BarSeries]) -> (series: [BarSeries], dropped: [Int]) {
        guard let first = series.first else { return ([], []) }
        if series.dropFirst().allSatisfy({ $0.time.array == first.time.array }) {
            return (series, Array(repeating: 0, count: series.count))
        }
        var shared = Set(first.time.array)
        for s in series.dropFirst() { shared.formIntersection(s.time.array) }
        var aligned: [BarSeries] = [], dropped: [Int] = []
        for s in series {
            let rows = s.time.withUnsafeBufferPointer { times in times.indices.filter { shared.contains(times[$0]) } }
            aligned.append(s.selecting(rows: rows))
            dropped.append(s.count - rows.count)
        }
        return (aligned, dropped)
    }
}
