/// One instrument's bars: a time column plus open, high, low, close and volume, optional bid and
/// ask, and any number of named extra columns, all of one length.
///
/// Time is ``Timestamp`` nanoseconds (UTC) and, in a series that passed ``validate(_:file:fieldOf:lineOfBar:)``, strictly
/// increasing. Prices and volumes are `Double`; a missing value is NaN (a file without a volume
/// column yields an all-NaN volume).
///
/// `BarSeries` is a value type built from copy-on-write ``Column``s: copying is O(1) and
/// ``subscript(_:)-(Range<Int>)`` slices every column without copying.
public struct BarSeries: Sendable {
    /// The instrument's symbol, when the data named it.
    public var symbol: String?
    /// Bar times, UTC nanoseconds since the epoch (the bar's label, as in the source file).
    public private(set) var time: Column<Int64>
    /// The first traded price of each bar.
    public private(set) var open: Column<Double>
    /// The highest traded price of each bar.
    public private(set) var high: Column<Double>
    /// The lowest traded price of each bar.
    public private(set) var low: Column<Double>
    /// The last traded price of each bar.
    public private(set) var close: Column<Double>
    /// Traded quantity per bar; all NaN when the source had no volume.
    public private(set) var volume: Column<Double>
    /// Quoted bid per bar, when the source had one (the spread can be taken from it).
    public private(set) var bid: Column<Double>?
    /// Quoted ask per bar, when the source had one.
    public private(set) var ask: Column<Double>?
    /// Extra columns by name, in the order they were added.
    public private(set) var extras: [(name: String, values: Column<Double>)]

    /// A series from columns of equal length.
    ///
    /// - Throws: ``DataError/Kind/lengthMismatch(expected:found:)`` naming the first column whose
    ///   length differs from `time`'s, or ``DataError/Kind/duplicateColumn(_:)`` for a repeated
    ///   extra name. The values themselves are not checked here: call ``validate(_:file:fieldOf:lineOfBar:)``.
    public init(symbol: String? = nil, time: Column<Int64>, open: Column<Double>, high: Column<Double>,
                low: Column<Double>, close: Column<Double>, volume: Column<Double>? = nil,
                bid: Column<Double>? = nil, ask: Column<Double>? = nil,
                extras: [(name: String, values: Column<Double>)] = []) throws {
        let n = time.count
        var named: [(String, Int)] = [("open", open.count), ("high", high.count), ("low", low.count),
                                      ("close", close.count)]
        if let volume { named.append(("volume", volume.count)) }
        if let bid { named.append(("bid", bid.count)) }
        if let ask { named.append(("ask", ask.count)) }
        named += extras.map { ($0.name, $0.values.count) }
        for (name, count) in named where count != n {
            throw DataError(.lengthMismatch(expected: n, found: count), at: DataLocation(columnName: name, symbol: symbol))
        }
        var seen = Set<String>()
        for extra in extras where !seen.insert(extra.name.lowercased()).inserted || BarSeries.standardFields.contains(extra.name.lowercased()) {
            throw DataError(.duplicateColumn(extra.name), at: DataLocation(columnName: extra.name, symbol: symbol))
        }
        self.symbol = symbol
        // Slices are rebased so every column of a series is indexed from zero.
        self.time = time.startIndex == 0 ? time : time.compacted()
        self.open = open.startIndex == 0 ? open : open.compacted()
        self.high = high.startIndex == 0 ? high : high.compacted()
        self.low = low.startIndex == 0 ? low : low.compacted()
        self.close = close.startIndex == 0 ? close : close.compacted()
        self.volume = volume.map { $0.startIndex == 0 ? $0 : $0.compacted() } ?? Column(repeating: .nan, count: n)
        self.bid = bid.map { $0.startIndex == 0 ? $0 : $0.compacted() }
        self.ask = ask.map { $0.startIndex == 0 ? $0 : $0.compacted() }
        self.extras = extras.map { ($0.name, $0.values.startIndex == 0 ? $0.values : $0.values.compacted()) }
    }

    /// The names ``column(named:)`` knows besides the extras.
    public static let standardFields: Set<String> = ["open", "high", "low", "close", "volume", "bid", "ask"]

    /// The number of bars.
    public var count: Int { time.count }
    /// Whether the series has no bars.
    public var isEmpty: Bool { time.isEmpty }

    /// The column called `name` (case-insensitive): a standard field or an extra column.
    public func column(named name: String) -> Column<Double>? {
        switch name.lowercased() {
        case "open": return open
        case "high": return high
        case "low": return low
        case "close": return close
        case "volume": return volume
        case "bid": return bid
        case "ask": return ask
        default: return extras.first { $0.name.lowercased() == name.lowercased() }?.values
        }
    }

    /// Adds or replaces an extra column.
    public mutating func setExtra(_ name: String, _ values: Column<Double>) throws {
        guard values.count == count else {
            throw DataError(.lengthMismatch(expected: count, found: values.count), at: DataLocation(columnName: name, symbol: symbol))
        }
        guard !BarSeries.standardFields.contains(name.lowercased()) else {
            throw DataError(.duplicateColumn(name), at: DataLocation(columnName: name, symbol: symbol))
        }
        let values = values.startIndex == 0 ? values : values.compacted()
        if let i = extras.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
            extras[i].values = values
        } else {
            extras.append((name, values))
        }
    }

    /// The bars at `range`, sharing storage with this series, re-indexed from zero.
    public subscript(range: Range<Int>) -> BarSeries {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "BarSeries slice \(range) out of range 0..<\(count)")
        var copy = self
        copy.time = time[range].rebased()
        copy.open = open[range].rebased()
        copy.high = high[range].rebased()
        copy.low = low[range].rebased()
        copy.close = close[range].rebased()
        copy.volume = volume[range].rebased()
        copy.bid = bid?[range].rebased()
        copy.ask = ask?[range].rebased()
        copy.extras = extras.map { ($0.name, $0.values[range].rebased()) }
        return copy
    }
}

extension Column {
    /// The same elements, sharing storage, indexed from zero.
    @inlinable
    public func rebased() -> Column {
        Column(storage: storage, bounds: 0..<count, offset: offset - startIndex)
    }
}
