#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``CSVImporter`` reads a bar file.
public struct CSVImportOptions: Sendable {
    /// What to do with rows whose timestamps are not in ascending order.
    public enum Ordering: Sendable {
        /// A timestamp earlier than the previous row's is an error (the default).
        case require
        /// Rows are sorted by time (stably) before checks.
        case sort
    }

    /// What to do with rows that repeat the previous row's timestamp.
    public enum Duplicates: Sendable {
        /// A repeated timestamp is an error (the default).
        case reject
        /// Keep the first row of each run of equal timestamps.
        case keepFirst
        /// Keep the last row of each run of equal timestamps (a later correction wins).
        case keepLast
    }

    public var timestampFormat: TimestampFormat = .automatic
    /// For zone-less date-times: the text is local time at this many seconds from UTC.
    public var utcOffsetSeconds: Int = 0
    /// The field separator; nil detects comma, semicolon or tab from the header line.
    public var delimiter: UInt8? = nil
    public var ordering: Ordering = .require
    public var duplicates: Duplicates = .reject
    /// The integrity checks applied after parsing.
    public var checks: IntegrityChecks = .all
    /// Scale open, high and low by `Adj Close / Close` and use `Adj Close` as the close.
    /// Without it, an `Adj Close` column is kept as the extra column `adj close`.
    public var useAdjustedClose = false
    /// The symbol of a file without a symbol column (default: the file name without extension).
    public var symbol: String? = nil

    public init() {}
}

/// The outcome of reading a bar file: one series per symbol plus what the import changed.
public struct CSVImport: Sendable {
    /// One series per symbol, in order of first appearance.
    public var series: [BarSeries]
    /// Extra columns left out because some value in them is not a number.
    public var droppedColumns: [String]
    /// Rows removed as repeated timestamps (with ``CSVImportOptions/Duplicates/keepFirst`` or `keepLast`).
    public var duplicatesRemoved: Int
    /// Whether the rows had to be sorted (with ``CSVImportOptions/Ordering/sort``).
    public var sorted: Bool
}

/// Reads OHLCV files in the forms people have: Yahoo-style `Date,Open,High,Low,Close,Adj Close,Volume`,
/// backtesting.py's files with an unnamed first timestamp column, any column order, any letter
/// case, and an optional symbol column for several instruments in one file.
///
/// Recognised columns (case-insensitive, surrounding spaces ignored):
/// - time: the first column when its name is empty, or `date`, `datetime`, `time`, `timestamp`,
///   `date_time`, `index`; values per ``TimestampFormat``;
/// - `open`, `high`, `low`, `close`, `volume` (optional: NaN when absent), `adj close`
///   (`adj_close`, `adjclose`), `bid`, `ask`, `symbol` (`ticker`);
/// - anything else becomes a named extra column if all its values are numbers (or empty = NaN).
///
/// Every problem is a ``DataError`` with the file, the 1-based line and field, and the column name.
public enum CSVImporter {
    /// Reads one instrument's bars from `path`.
    /// - Throws: ``DataError``; ``DataError/Kind/multipleSymbols(_:)`` if the file holds several symbols.
    public static func load(_ path: String, options: CSVImportOptions = CSVImportOptions()) throws -> BarSeries {
        let result = try read(path, options: options)
        guard result.series.count == 1 else {
            throw DataError(.multipleSymbols(result.series.compactMap(\.symbol)), at: DataLocation(file: path))
        }
        return result.series[0]
    }

    /// Reads every instrument in `path`.
    public static func read(_ path: String, options: CSVImportOptions = CSVImportOptions()) throws -> CSVImport {
        let bytes = try readFile(path)
        var options = options
        if options.symbol == nil {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            options.symbol = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
            if options.symbol?.isEmpty ?? true { options.symbol = name }
        }
        return try parse(bytes, file: path, options: options)
    }

    /// Reads the whole file at `path`.
    public static func readFile(_ path: String) throws -> [UInt8] {
        guard let handle = fopen(path, "rb") else {
            throw DataError(.unreadableFile(reason: String(cString: strerror(errno))), at: DataLocation(file: path))
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(handle) != 0 {
                    throw DataError(.unreadableFile(reason: String(cString: strerror(errno))), at: DataLocation(file: path))
                }
                break
            }
        }
        return bytes
    }

    /// Parses CSV text already in memory; `file` is only used in error locations.
    public static func parse(_ bytes: [UInt8], file: String?, options: CSVImportOptions = CSVImportOptions()) throws -> CSVImport {
        var reader = CSVRecordReader(bytes: bytes, delimiter: options.delimiter)
        guard let header = try reader.next(file: file) else { throw DataError(.emptyFile, at: DataLocation(file: file)) }
        let layout = try ColumnLayout(header: header.fields, file: file, line: header.line)

        var rows = RowBuffer(layout: layout)
        while let record = try reader.next(file: file) {
            guard record.fields.count == header.fields.count else {
                throw DataError(.wrongFieldCount(expected: header.fields.count, found: record.fields.count),
                                at: DataLocation(file: file, line: record.line))
            }
            try rows.append(record, options: options, file: file)
        }
        guard rows.count > 0 else { throw DataError(.noDataRows, at: DataLocation(file: file)) }
        return try rows.finish(options: options, file: file)
    }
}

/// One CSV record: its unquoted fields and the 1-based line it starts on.
struct CSVRecord {
    var fields: [String]
    var line: Int
}

/// RFC 4180 records from bytes: quoted fields may hold the delimiter, `""` and newlines; CRLF and
/// a UTF-8 byte-order mark are accepted; blank lines are skipped.
struct CSVRecordReader {
    let bytes: [UInt8]
    var position = 0
    var line = 1
    var delimiter: UInt8?

    init(bytes: [UInt8], delimiter: UInt8?) {
        self.bytes = bytes
        self.delimiter = delimiter
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func next(file: String?) throws -> CSVRecord? {
        while position < bytes.count {
            if delimiter == nil { delimiter = detectDelimiter() }
            let start = line
            var fields: [String] = []
            var field: [UInt8] = []
            var atLineEnd = false
            while position < bytes.count && !atLineEnd {
                let c = bytes[position]
                if c == 0x22 && field.allSatisfy({ $0 == 0x20 }) {
                    // Quoted field.
                    field.removeAll()
                    position += 1
                    var closed = false
                    while position < bytes.count {
                        let q = bytes[position]
                        if q == 0x22 {
                            if position + 1 < bytes.count && bytes[position + 1] == 0x22 {
                                field.append(0x22); position += 2; continue
                            }
                            position += 1; closed = true; break
                        }
                        if q == 0x0A { line += 1 }
                        field.append(q); position += 1
                    }
                    if !closed { throw DataError(.unterminatedQuote, at: DataLocation(file: file, line: start, field: fields.count + 1)) }
                    continue
                }
                position += 1
                if c == delimiter {
                    fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
                } else if c == 0x0A {
                    line += 1; atLineEnd = true
                } else if c != 0x0D {
                    field.append(c)
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            if fields.count == 1 && fields[0].allSatisfy({ $0 == " " || $0 == "\t" }) { continue } // blank line
            return CSVRecord(fields: fields, line: start)
        }
        return nil
    }

    private func detectDelimiter() -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var i = position
        while i < bytes.count && bytes[i] != 0x0A {
            if counts[bytes[i]] != nil { counts[bytes[i]]! += 1 }
            i += 1
        }
        // Comma wins ties: it is the common case.
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $1.key == 0x2C) }!
        return best.value > 0 ? best.key : 0x2C
    }
}

/// Which field of the header holds what.
struct ColumnLayout {
    enum Role: Equatable { case time, open, high, low, close, volume, adjClose, bid, ask, symbol, extra(String) }
    var roles: [Role]
    var names: [String]

    static let aliases: [String: Role] = [
        "date": .time, "datetime": .time, "time": .time, "timestamp": .time, "date_time": .time, "index": .time,
        "open": .open, "high": .high, "low": .low, "close": .close, "volume": .volume,
        "adj close": .adjClose, "adj_close": .adjClose, "adjclose": .adjClose, "adjusted close": .adjClose,
        "bid": .bid, "ask": .ask, "symbol": .symbol, "ticker": .symbol,
    ]

    init(header: [String], file: String?, line: Int) throws {
        names = header.map { $0.trimmingSpaces }
        roles = []
        var seen: [Role: Int] = [:]
        for (i, name) in names.enumerated() {
            let key = name.lowercased()
            let role: Role
            if key.isEmpty && i == 0 {
                role = .time
            } else if let known = ColumnLayout.aliases[key] {
                role = known
            } else {
                role = .extra(key.isEmpty ? "column \(i + 1)" : name)
            }
            if case .extra = role {} else if seen[role] != nil {
                throw DataError(.duplicateColumn(name.isEmpty ? "(unnamed)" : name), at: DataLocation(file: file, line: line, field: i + 1))
            }
            seen[role] = i
            roles.append(role)
        }
        for (required, name) in [(Role.time, "time"), (.open, "open"), (.high, "high"), (.low, "low"), (.close, "close")]
        where seen[required] == nil {
            throw DataError(.missingColumn(name), at: DataLocation(file: file, line: line))
        }
    }

    func field(_ role: Role) -> Int? { roles.firstIndex(of: role) }
}

extension ColumnLayout.Role: Hashable {}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// Parsed rows, column by column, with the line each came from.
struct RowBuffer {
    let layout: ColumnLayout
    var time: [Int64] = []
    var lines: [Int] = []
    var symbols: [String] = []
    /// Numeric columns by field index (NaN for empty optional values).
    var numbers: [Int: [Double]] = [:]
    /// Extra fields found not to be numeric: left out of the result.
    var nonNumericExtras = Set<Int>()
    var count: Int { time.count }

    let timeField: Int
    let symbolField: Int?
    let numericFields: [(index: Int, role: ColumnLayout.Role)]

    init(layout: ColumnLayout) {
        self.layout = layout
        timeField = layout.field(.time)!
        symbolField = layout.field(.symbol)
        numericFields = layout.roles.enumerated().compactMap { i, role in
            role == .time || role == .symbol ? nil : (i, role)
        }
        for (i, _) in numericFields { numbers[i] = [] }
    }

    mutating func append(_ record: CSVRecord, options: CSVImportOptions, file: String?) throws {
        func location(_ field: Int) -> DataLocation {
            DataLocation(file: file, line: record.line, field: field + 1, columnName: layout.names[field].isEmpty ? "time" : layout.names[field])
        }
        let timeText = record.fields[timeField]
        switch Timestamp.parse(timeText, format: options.timestampFormat, utcOffsetSeconds: options.utcOffsetSeconds) {
        case .success(let t): time.append(t)
        case .failure(.malformed): throw DataError(.unparsableTimestamp(timeText), at: location(timeField))
        case .failure(.outOfRange): throw DataError(.timestampOutOfRange(timeText), at: location(timeField))
        }
        lines.append(record.line)
        if let symbolField { symbols.append(record.fields[symbolField].trimmingSpaces) }
        for (i, role) in numericFields {
            let text = record.fields[i].trimmingSpaces
            let value: Double
            if text.isEmpty {
                switch role {
                case .open, .high, .low, .close, .adjClose: throw DataError(.missingValue, at: location(i))
                default: value = .nan
                }
            } else if let parsed = Double(text) {
                value = parsed
            } else if case .extra = role {
                nonNumericExtras.insert(i)
                value = .nan
            } else {
                throw DataError(.unparsableNumber(text), at: location(i))
            }
            numbers[i]!.append(value)
        }
    }

    func finish(options: CSVImportOptions, file: String?) throws -> CSVImport {
        // Group rows by symbol, keeping first-appearance order.
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        if symbolField != nil {
            for (row, symbol) in symbols.enumerated() {
                if groups[symbol] == nil { order.append(symbol) }
                groups[symbol, default: []].append(row)
            }
        } else {
            let symbol = options.symbol ?? ""
            order = [symbol]
            groups[symbol] = Array(0..<count)
        }
        var fieldOf: [String: Int] = [:]
        for (i, role) in layout.roles.enumerated() {
            switch role {
            case .time: fieldOf["time"] = i + 1
            case .open: fieldOf["open"] = i + 1
            case .high: fieldOf["high"] = i + 1
            case .low: fieldOf["low"] = i + 1
            case .close: fieldOf["close"] = i + 1
            case .volume: fieldOf["volume"] = i + 1
            default: break
            }
        }

        var result = CSVImport(series: [], droppedColumns: [], duplicatesRemoved: 0, sorted: false)
        result.droppedColumns = nonNumericExtras.sorted().map { layout.names[$0] }
        for symbol in order {
            var rows = groups[symbol]!
            if !rows.indices.dropFirst().allSatisfy({ time[rows[$0 - 1]] <= time[rows[$0]] }) {
                switch options.ordering {
                case .require:
                    let bad = rows.indices.dropFirst().first { time[rows[$0 - 1]] > time[rows[$0]] }!
                    throw DataError(.decreasingTimestamp(previous: time[rows[bad - 1]], current: time[rows[bad]]),
                                    at: DataLocation(file: file, line: lines[rows[bad]], field: timeField + 1,
                                                     columnName: "time", symbol: symbolField == nil ? nil : symbol))
                case .sort:
                    // Stable: rows with equal times keep file order, so keepFirst/keepLast mean what they say.
                    rows = rows.enumerated().sorted { (time[$0.element], $0.offset) < (time[$1.element], $1.offset) }.map(\.element)
                    result.sorted = true
                }
            }
            if options.duplicates != .reject {
                var kept: [Int] = []
                kept.reserveCapacity(rows.count)
                for row in rows {
                    if let last = kept.last, time[last] == time[row] {
                        if options.duplicates == .keepLast { kept[kept.count - 1] = row }
                        result.duplicatesRemoved += 1
                    } else {
                        kept.append(row)
                    }
                }
                rows = kept
            }
            result.series.append(try makeSeries(symbol: symbol, rows: rows, options: options, file: file, fieldOf: fieldOf))
        }
        return result
    }

    private func makeSeries(symbol: String, rows: [Int], options: CSVImportOptions, file: String?,
                            fieldOf: [String: Int]) throws -> BarSeries {
        func column(_ role: ColumnLayout.Role) -> Column<Double>? {
            guard let i = layout.field(role), let values = numbers[i] else { return nil }
            return Column(rows.map { values[$0] })
        }
        var open = column(.open)!, high = column(.high)!, low = column(.low)!, close = column(.close)!
        var extras: [(name: String, values: Column<Double>)] = []
        if let adjusted = column(.adjClose) {
            if options.useAdjustedClose {
                for i in 0..<rows.count {
                    let factor = adjusted[i] / close[i]
                    open[i] *= factor; high[i] *= factor; low[i] *= factor
                }
                close = adjusted
            } else {
                extras.append(("adj close", adjusted))
            }
        }
        for (i, role) in layout.roles.enumerated() {
            if case .extra(let name) = role, !nonNumericExtras.contains(i) {
                extras.append((name, Column(rows.map { numbers[i]![$0] })))
            }
        }
        let series = try BarSeries(symbol: symbol.isEmpty ? nil : symbol, time: Column(rows.map { time[$0] }),
                                   open: open, high: high, low: low, close: close, volume: column(.volume),
                                   bid: column(.bid), ask: column(.ask), extras: extras)
        try series.validate(options.checks, file: file, fieldOf: fieldOf, lineOfBar: { lines[rows[$0]] })
        return series
    }
}
