/// Which checks ``BarSeries/validate(_:file:fieldOf:lineOfBar:)`` applies. All are on by default.
public struct IntegrityChecks: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Time strictly increasing: no duplicate and no decreasing timestamps.
    public static let timeOrder = IntegrityChecks(rawValue: 1 << 0)
    /// Open, high, low and close finite and positive.
    public static let positivePrices = IntegrityChecks(rawValue: 1 << 1)
    /// low <= high, and open and close within [low, high].
    public static let barRange = IntegrityChecks(rawValue: 1 << 2)
    /// Volume not negative and not infinite (NaN, i.e. unknown, is allowed).
    public static let volume = IntegrityChecks(rawValue: 1 << 3)

    public static let all: IntegrityChecks = [.timeOrder, .positivePrices, .barRange, .volume]
}

extension BarSeries {
    /// Checks the series and throws the first problem found, in bar order.
    ///
    /// - Parameters:
    ///   - checks: which checks to apply (default all of them).
    ///   - file: the source file's name, quoted in errors (nil for bars built in memory).
    ///   - fieldOf: the source file's field number of each column name, quoted in errors.
    ///   - lineOfBar: maps a bar index to the source line it came from, so errors from an
    ///     imported file point at the file's line; without it errors name the bar index.
    /// - Throws: `DataError` naming the first offending bar and column.
    /// - Complexity: O(n), one pass.
    public func validate(_ checks: IntegrityChecks = .all, file: String? = nil,
                         fieldOf: [String: Int] = [:], lineOfBar: ((Int) -> Int)? = nil) throws {
        func location(_ bar: Int, _ column: String) -> DataLocation {
            DataLocation(file: file, line: lineOfBar?(bar), field: fieldOf[column], columnName: column,
                         symbol: symbol, bar: lineOfBar == nil ? bar : nil)
        }
        func checkPrice(_ value: Double, _ bar: Int, _ column: String) throws {
            if !value.isFinite { throw DataError(.nonFinitePrice(value), at: location(bar, column)) }
            if value <= 0 { throw DataError(.nonPositivePrice(value), at: location(bar, column)) }
        }
        let n = count
        try time.withUnsafeBufferPointer { t in
            try open.withUnsafeBufferPointer { o in
                try high.withUnsafeBufferPointer { h in
                    try low.withUnsafeBufferPointer { l in
                        try close.withUnsafeBufferPointer { c in
                            try volume.withUnsafeBufferPointer { v in
                                for i in 0..<n {
                                    if checks.contains(.timeOrder) && i > 0 {
                                        if t[i] == t[i - 1] { throw DataError(.duplicateTimestamp(t[i]), at: location(i, "time")) }
                                        if t[i] < t[i - 1] {
                                            throw DataError(.decreasingTimestamp(previous: t[i - 1], current: t[i]), at: location(i, "time"))
                                        }
                                    }
                                    if checks.contains(.positivePrices) {
                                        try checkPrice(o[i], i, "open")
                                        try checkPrice(h[i], i, "high")
                                        try checkPrice(l[i], i, "low")
                                        try checkPrice(c[i], i, "close")
                                    }
                                    if checks.contains(.barRange) {
                                        if h[i] < l[i] { throw DataError(.highBelowLow(high: h[i], low: l[i]), at: location(i, "high")) }
                                        if o[i] < l[i] || o[i] > h[i] {
                                            throw DataError(.openOutsideRange(open: o[i], low: l[i], high: h[i]), at: location(i, "open"))
                                        }
                                        if c[i] < l[i] || c[i] > h[i] {
                                            throw DataError(.closeOutsideRange(close: c[i], low: l[i], high: h[i]), at: location(i, "close"))
                                        }
                                    }
                                    if checks.contains(.volume) {
                                        if v[i] < 0 { throw DataError(.negativeVolume(v[i]), at: location(i, "volume")) }
                                        if v[i].isInfinite { throw DataError(.nonFiniteVolume(v[i]), at: location(i, "volume")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
