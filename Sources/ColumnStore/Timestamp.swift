/// Time in Colonnade is an `Int64` count of nanoseconds since 1970-01-01T00:00:00Z (UTC).
///
/// That covers the years 1678–2262, the same range as pandas' `datetime64[ns]`, and makes every
/// time column a plain ``Column`` of `Int64` that kernels can compare and subtract directly.
public enum Timestamp {
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000
    public static let nanosecondsPerDay: Int64 = 86_400 * nanosecondsPerSecond

    /// Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's algorithm).
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    @inlinable
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The number of days in `month` of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Nanoseconds since the epoch of a UTC civil date-time.
    public static func make(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0,
                            second: Int = 0, nanosecond: Int = 0) -> Int64 {
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * nanosecondsPerSecond + Int64(nanosecond)
    }

    /// Splits a timestamp into days since the epoch and nanoseconds into that day (floor division,
    /// so times before 1970 still get a non-negative time of day).
    @inlinable
    public static func dayAndTimeOfDay(_ t: Int64) -> (day: Int64, nanos: Int64) {
        var day = t / nanosecondsPerDay
        var nanos = t % nanosecondsPerDay
        if nanos < 0 { day -= 1; nanos += nanosecondsPerDay }
        return (day, nanos)
    }

    /// The weekday of a timestamp in UTC: 0 = Monday ... 6 = Sunday (ISO order minus one).
    public static func weekday(_ t: Int64) -> Int {
        let day = dayAndTimeOfDay(t).day
        // 1970-01-01 was a Thursday (3).
        return Int(((day % 7) + 7 + 3) % 7)
    }

    /// ISO-8601 text in UTC: `2004-08-19T00:00:00Z`, with fractional seconds only when non-zero.
    public static func iso8601(_ t: Int64) -> String {
        let (day, nanos) = dayAndTimeOfDay(t)
        let (y, m, d) = civilFromDays(Int(day))
        let secondsOfDay = Int(nanos / nanosecondsPerSecond)
        let fraction = Int(nanos % nanosecondsPerSecond)
        var text = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
            + pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
        if fraction != 0 {
            var digits = pad(fraction, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// How the time column of a file is written.
public enum TimestampFormat: String, Sendable, CaseIterable {
    /// Decide from each value: digits only are epoch time (unit by magnitude, see
    /// ``epochSecondsOrMilliseconds``), anything else is an ISO-8601 date or date-time.
    case automatic
    /// `YYYY-MM-DD`, or `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]` with an optional `Z`, `±HH:MM`
    /// or `±HHMM` zone. Without a zone the time is taken as UTC plus the import's UTC offset.
    case iso8601
    /// Integer (or decimal) epoch time whose unit follows from its magnitude: below 1e11 seconds,
    /// below 1e14 milliseconds, below 1e17 microseconds, otherwise nanoseconds. 1e11 seconds is
    /// the year 5138, so real second and millisecond stamps cannot be confused.
    case epochSecondsOrMilliseconds
    /// Epoch seconds, whatever the magnitude.
    case epochSeconds
    /// Epoch milliseconds, whatever the magnitude.
    case epochMilliseconds
}

/// Why a timestamp text did not parse.
public enum TimestampParseFailure: Error, Equatable, Sendable {
    case malformed
    case outOfRange
}

extension Timestamp {
    /// Parses one timestamp text; see ``TimestampFormat`` for what each format accepts.
    ///
    /// - Parameters:
    ///   - text: the timestamp as written in the file, without surrounding quotes.
    ///   - format: which notation to accept; `.automatic` tells them apart by shape.
    ///   - utcOffsetSeconds: added meaning for zone-less ISO text: the text is local time
    ///     at this offset from UTC (0 means the text is UTC).
    /// - Returns: nanoseconds since the epoch (UTC), or why the text did not parse.
    public static func parse(_ text: some StringProtocol, format: TimestampFormat = .automatic,
                             utcOffsetSeconds: Int = 0) -> Result<Int64, TimestampParseFailure> {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        guard !bytes.isEmpty else { return .failure(.malformed) }
        let isNumeric = bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
            && bytes.contains { $0 >= 0x30 && $0 <= 0x39 }
            && !(bytes.count >= 10 && bytes[4] == 0x2D) // 2004-08-19 is a date, not arithmetic
        switch format {
        case .automatic:
            return isNumeric ? parseEpoch(bytes, unit: nil) : parseISO(bytes, utcOffsetSeconds: utcOffsetSeconds)
        case .iso8601: return parseISO(bytes, utcOffsetSeconds: utcOffsetSeconds)
        case .epochSecondsOrMilliseconds: return isNumeric ? parseEpoch(bytes, unit: nil) : .failure(.malformed)
        case .epochSeconds: return isNumeric ? parseEpoch(bytes, unit: 1_000_000_000) : .failure(.malformed)
        case .epochMilliseconds: return isNumeric ? parseEpoch(bytes, unit: 1_000_000) : .failure(.malformed)
        }
    }

    private static func parseEpoch(_ bytes: [UInt8], unit: Int64?) -> Result<Int64, TimestampParseFailure> {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else {
            return .failure(.malformed)
        }
        let magnitude = Swift.abs(value)
        let nanosPerUnit: Double = unit.map(Double.init) ?? (
            magnitude < 1e11 ? 1e9 : magnitude < 1e14 ? 1e6 : magnitude < 1e17 ? 1e3 : 1)
        let nanos = (value * nanosPerUnit).rounded()
        guard Swift.abs(nanos) < 9.2e18 else { return .failure(.outOfRange) }
        return .success(Int64(nanos))
    }

    private static func parseISO(_ b: [UInt8], utcOffsetSeconds: Int) -> Result<Int64, TimestampParseFailure> {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func take(_ c: UInt8) -> Bool {
            if i < b.count && b[i] == c { i += 1; return true }
            return false
        }
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2) else {
            return .failure(.malformed)
        }
        guard (1..<13).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else {
            return .failure(.outOfRange)
        }
        guard year >= 1678 && year <= 2261 else { return .failure(.outOfRange) }
        var hour = 0, minute = 0, second = 0, nanos = 0
        var offset = utcOffsetSeconds
        if i < b.count {
            guard take(0x54) || take(0x20) || take(0x74) else { return .failure(.malformed) }
            guard let h = digits(2), take(0x3A), let m = digits(2) else { return .failure(.malformed) }
            hour = h; minute = m
            if take(0x3A) {
                guard let s = digits(2) else { return .failure(.malformed) }
                second = s
                if take(0x2E) || take(0x2C) {
                    var scale = 100_000_000, any = false
                    while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                        nanos += Int(b[i] - 0x30) * scale
                        scale /= 10; i += 1; any = true
                    }
                    guard any else { return .failure(.malformed) }
                }
            }
            guard hour < 24, minute < 60, second < 61 else { return .failure(.outOfRange) }
            if i < b.count {
                if take(0x5A) || take(0x7A) {
                    offset = 0
                } else if b[i] == 0x2B || b[i] == 0x2D {
                    let sign = b[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = digits(2) else { return .failure(.malformed) }
                    _ = take(0x3A)
                    let om = i < b.count ? digits(2) : 0
                    guard let om, oh < 24, om < 60 else { return .failure(.malformed) }
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
        }
        guard i == b.count else { return .failure(.malformed) }
        let local = make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanos)
        return .success(local - Int64(offset) * nanosecondsPerSecond)
    }
}
