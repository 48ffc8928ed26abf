/// Many symbols on one aligned time index.
///
/// Each field (open, high, low, close, volume) is one matrix stored **time-major**: the row for
/// time `t` holds every symbol's value contiguously, at `t * symbolCount + s`. Walking time while
/// updating a vector of per-symbol states is how recursive indicators (EMA, RSI) vectorize across
/// symbols, which is the fastest layout for screening (see docs/architecture.md).
///
/// Invariants, established by every initializer:
/// - `symbols` are unique;
/// - `time` is strictly increasing;
/// - every matrix has `time.count * symbols.count` elements;
/// - a symbol with no bar at a time has NaN in every field at that time.
public struct Universe: Sendable {
    public enum Field: String, Sendable, CaseIterable {
        case open, high, low, close, volume
    }

    /// The symbols, in column order.
    public let symbols: [String]
    /// The shared time index, UTC nanoseconds, strictly increasing.
    public let time: Column<Int64>
    /// Field matrices in ``Field/allCases`` order.
    let matrices: [Column<Double>]
    let symbolIndex: [String: Int]

    /// Number of symbols.
    public var symbolCount: Int { symbols.count }
    /// Number of timestamps.
    public var timeCount: Int { time.count }

    /// Aligns `series` on the union of their timestamps.
    ///
    /// Each series must have a symbol and be strictly increasing in time (``BarSeries/validate(_:file:fieldOf:lineOfBar:)``
    /// checks this).
    /// - Throws: ``DataError`` for a series without a symbol, a repeated symbol, or time that is not
    ///   strictly increasing.
    /// - Complexity: O(T log S + T·S) for T distinct times and S symbols.
    public init(_ series: [BarSeries]) throws {
        var symbols: [String] = []
        var index: [String: Int] = [:]
        for (i, s) in series.enumerated() {
            guard let symbol = s.symbol, !symbol.isEmpty else {
                throw DataError(.invalidParameter("series \(i) has no symbol"), at: DataLocation(bar: nil))
            }
            guard index[symbol] == nil else { throw DataError(.duplicateSymbol(symbol), at: DataLocation(symbol: symbol)) }
            try s.validate(.timeOrder)
            index[symbol] = i
            symbols.append(symbol)
        }
        // Union of all times: merge the sorted columns.
        var all: [Int64] = []
        all.reserveCapacity(series.map(\.count).max() ?? 0)
        for s in series { all.append(contentsOf: s.time) }
        all.sort()
        var unique: [Int64] = []
        unique.reserveCapacity(all.count)
        for t in all where unique.last != t { unique.append(t) }

        let width = symbols.count
        var matrices = Field.allCases.map { _ in Column<Double>(repeating: .nan, count: unique.count * width) }
        for (s, bars) in series.enumerated() {
            var row = 0
            let fields = [bars.open, bars.high, bars.low, bars.close, bars.volume]
            for i in 0..<bars.count {
                // Both time lists are ascending, so a forward scan finds each bar's row.
                while unique[row] != bars.time[i] { row += 1 }
                for f in 0..<fields.count { matrices[f][row * width + s] = fields[f][i] }
            }
        }
        self.symbols = symbols
        self.symbolIndex = index
        self.time = Column(unique)
        self.matrices = matrices
    }

    /// The time-major matrix of `field`: element `t * symbolCount + s`.
    public func matrix(_ field: Field) -> Column<Double> {
        matrices[Field.allCases.firstIndex(of: field)!]
    }

    /// The value of `field` for `symbol` at time index `t`; NaN when the symbol had no bar then.
    public func value(_ field: Field, symbol: String, at t: Int) throws -> Double {
        guard let s = symbolIndex[symbol] else { throw DataError(.unknownSymbol(symbol), at: DataLocation(symbol: symbol)) }
        guard t >= 0 && t < timeCount else {
            throw DataError(.invalidParameter("time index \(t) is outside 0..<\(timeCount)"), at: DataLocation(symbol: symbol))
        }
        return matrix(field)[t * symbolCount + s]
    }

    /// One symbol's bars: the rows where it has a bar (its close is not NaN).
    public func series(_ symbol: String) throws -> BarSeries {
        guard let s = symbolIndex[symbol] else { throw DataError(.unknownSymbol(symbol), at: DataLocation(symbol: symbol)) }
        let close = matrix(.close)
        var rows: [Int] = []
        for t in 0..<timeCount where !close[t * symbolCount + s].isNaN { rows.append(t) }
        func gather(_ field: Field) -> Column<Double> {
            let m = matrix(field)
            return Column(rows.map { m[$0 * symbolCount + s] })
        }
        return try BarSeries(symbol: symbol, time: Column(rows.map { time[$0] }), open: gather(.open),
                             high: gather(.high), low: gather(.low), close: gather(.close), volume: gather(.volume))
    }
}
