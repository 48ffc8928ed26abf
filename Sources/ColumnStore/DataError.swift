/// Where in the user's data something was found: as much of file, line, field, symbol and bar as
/// is known. Lines and fields are 1-based as editors show them; bars are 0-based indices.
public struct DataLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file, as given to the importer.
    public var file: String?
    /// The 1-based line in the file.
    public var line: Int?
    /// The 1-based field (column position) on the line.
    public var field: Int?
    /// The column's name (`close`, `volume`, an extra column).
    public var columnName: String?
    /// The instrument, when known.
    public var symbol: String?
    /// The 0-based bar index, when there is no file line to point at.
    public var bar: Int?

    public init(file: String? = nil, line: Int? = nil, field: Int? = nil, columnName: String? = nil,
                symbol: String? = nil, bar: Int? = nil) {
        self.file = file; self.line = line; self.field = field
        self.columnName = columnName; self.symbol = symbol; self.bar = bar
    }

    /// `file:line:field (column "High", symbol AAPL, bar 12)`, leaving out what is unknown.
    public var description: String {
        var place = file ?? ""
        if let line { place += (place.isEmpty ? "line " : ":") + "\(line)" }
        if let field { place += ":\(field)" }
        var details: [String] = []
        if let columnName { details.append("column \"\(columnName)\"") }
        if let symbol { details.append("symbol \(symbol)") }
        if let bar { details.append("bar \(bar)") }
        if details.isEmpty { return place }
        return place.isEmpty ? details.joined(separator: ", ") : "\(place) (\(details.joined(separator: ", ")))"
    }
}

/// A problem with market data: what is wrong and where.
///
/// Every way user data can be malformed or inconsistent surfaces as a `DataError`; nothing in
/// ColumnStore traps on user data.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unreadableFile(reason: String)
        case emptyFile
        case noDataRows
        case missingColumn(String)
        case duplicateColumn(String)
        case wrongFieldCount(expected: Int, found: Int)
        case unterminatedQuote
        case unparsableNumber(String)
        case missingValue
        case unparsableTimestamp(String)
        case timestampOutOfRange(String)
        case duplicateTimestamp(Int64)
        case decreasingTimestamp(previous: Int64, current: Int64)
        case nonFinitePrice(Double)
        case nonPositivePrice(Double)
        case highBelowLow(high: Double, low: Double)
        case openOutsideRange(open: Double, low: Double, high: Double)
        case closeOutsideRange(close: Double, low: Double, high: Double)
        case negativeVolume(Double)
        case nonFiniteVolume(Double)
        case multipleSymbols([String])
        case lengthMismatch(expected: Int, found: Int)
        case duplicateSymbol(String)
        case unknownSymbol(String)
        case unknownField(String)
        case invalidParameter(String)
    }

    /// What is wrong.
    public var kind: Kind
    /// Where it is.
    public var location: DataLocation

    public init(_ kind: Kind, at location: DataLocation = DataLocation()) {
        self.kind = kind
        self.location = location
    }

    public var description: String {
        let place = location.description
        return place.isEmpty ? message : "\(place): \(message)"
    }

    /// What is wrong, without the location.
    public var message: String {
        switch kind {
        case .unreadableFile(let reason): return "cannot read file: \(reason)"
        case .emptyFile: return "the file is empty"
        case .noDataRows: return "the file has a header but no data rows"
        case .missingColumn(let name): return "required column \"\(name)\" is missing"
        case .duplicateColumn(let name): return "column \"\(name)\" appears more than once"
        case .wrongFieldCount(let expected, let found): return "expected \(expected) fields, found \(found)"
        case .unterminatedQuote: return "a quoted field is not closed"
        case .unparsableNumber(let text): return "\"\(text)\" is not a number"
        case .missingValue: return "the value is missing"
        case .unparsableTimestamp(let text): return "\"\(text)\" is not a date, an ISO-8601 date-time or an epoch time"
        case .timestampOutOfRange(let text): return "\"\(text)\" is not a valid date or is outside the years 1678-2261"
        case .duplicateTimestamp(let t): return "timestamp \(Timestamp.iso8601(t)) repeats the previous row's (set duplicate handling to keep the first or last row)"
        case .decreasingTimestamp(let previous, let current):
            return "timestamp \(Timestamp.iso8601(current)) is earlier than the previous row's \(Timestamp.iso8601(previous)) (enable sorting to accept unsorted files)"
        case .nonFinitePrice(let value): return "price \(value) is not a finite number"
        case .nonPositivePrice(let value): return "price \(value) is not positive"
        case .highBelowLow(let high, let low): return "high \(high) is below low \(low)"
        case .openOutsideRange(let open, let low, let high): return "open \(open) is outside [low \(low), high \(high)]"
        case .closeOutsideRange(let close, let low, let high): return "close \(close) is outside [low \(low), high \(high)]"
        case .negativeVolume(let value): return "volume \(value) is negative"
        case .nonFiniteVolume(let value): return "volume \(value) is infinite (leave the cell empty for an unknown volume)"
        case .multipleSymbols(let symbols): return "the file holds \(symbols.count) symbols (\(symbols.prefix(5).joined(separator: ", "))\(symbols.count > 5 ? ", …" : "")); load it per symbol"
        case .lengthMismatch(let expected, let found): return "column length \(found) differs from the series length \(expected)"
        case .duplicateSymbol(let symbol): return "symbol \(symbol) appears more than once"
        case .unknownSymbol(let symbol): return "no symbol named \(symbol)"
        case .unknownField(let name): return "no field named \"\(name)\""
        case .invalidParameter(let text): return text
        }
    }
}
