/// A bar length: a count of seconds, minutes, hours, days, weeks, calendar months or years.
///
/// Text form (as the CLI takes it): `30s`, `1m`, `5m`, `1h`, `4h`, `1d`, `1w`, `1M` (month, capital
/// M), `3M`, `1y`. Minutes are lower-case `m`, months upper-case `M`.
public struct Timeframe: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, CaseIterable {
        case second = "s", minute = "m", hour = "h", day = "d", week = "w", month = "M", year = "y"
    }

    /// How many units one bar spans (the 4 of `4h`).
    public let count: Int
    /// The unit (the h of `4h`).
    public let unit: Unit

    /// The largest count per unit: every timeframe stays within 200 years, so its length in
    /// nanoseconds fits an `Int64` (which spans ±292 years).
    public static func maximumCount(_ unit: Unit) -> Int {
        switch unit {
        case .second, .minute, .hour: return 1_000_000
        case .day: return 73_000
        case .week: return 10_400
        case .month: return 2_400
        case .year: return 200
        }
    }

    /// - Throws: ``DataError`` unless `1 <= count <= Timeframe.maximumCount(unit)`.
    public init(_ count: Int, _ unit: Unit) throws {
        let maximum = Timeframe.maximumCount(unit)
        guard count >= 1 && count <= maximum else {
            throw DataError(.invalidParameter("timeframe count \(count) for unit \(unit.rawValue) is outside 1...\(maximum)"))
        }
        self.count = count
        self.unit = unit
    }

    /// Parses `30s`, `5m`, `1h`, `1d`, `1w`, `1M`, `1y` (count, then unit).
    public init(parsing text: String) throws {
        let digits = text.prefix { $0.isNumber }
        let unitText = text.dropFirst(digits.count)
        guard !digits.isEmpty, let count = Int(digits), let unit = Unit(rawValue: String(unitText)) else {
            throw DataError(.invalidParameter("\"\(text)\" is not a timeframe (examples: 30s, 5m, 1h, 1d, 1w, 1M, 1y)"))
        }
        try self.init(count, unit)
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    /// The length in nanoseconds for fixed-length units (seconds to weeks); nil for months and years.
    public var fixedDuration: Int64? {
        let base: Int64
        switch unit {
        case .second: base = 1
        case .minute: base = 60
        case .hour: base = 3600
        case .day: base = 86_400
        case .week: base = 7 * 86_400
        case .month, .year: return nil
        }
        return Int64(count) * base * Timestamp.nanosecondsPerSecond
    }

    /// An upper bound on the length in nanoseconds (months as 31 days, years as 366).
    var maximumDuration: Int64 {
        fixedDuration ?? Int64(count) * (unit == .month ? 31 : 366) * Timestamp.nanosecondsPerDay
    }
}
