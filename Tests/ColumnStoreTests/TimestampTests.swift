import ColumnStore
import Testing

@Suite("Timestamps")
struct TimestampTests {
    func parse(_ text: String, _ format: TimestampFormat = .automatic, offset: Int = 0) -> Int64? {
        try? Timestamp.parse(text, format: format, utcOffsetSeconds: offset).get()
    }

    @Test func civilRoundTrip() {
        for days in stride(from: -200_000, through: 200_000, by: 997) {
            let (y, m, d) = Timestamp.civilFromDays(days)
            #expect(Timestamp.daysFromCivil(year: y, month: m, day: d) == days)
        }
        #expect(Timestamp.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
    }

    @Test func formats() {
        let day = Timestamp.make(year: 2004, month: 8, day: 19)
        #expect(parse("2004-08-19") == day)
        #expect(parse("2004-08-19T00:00:00Z") == day)
        #expect(parse("2004-08-19 09:30") == day + 34_200 * 1_000_000_000)
        #expect(parse("2004-08-19T09:30:00.250") == day + 34_200_250_000_000)
        #expect(parse("2004-08-19T11:30:00+02:00") == day + 34_200 * 1_000_000_000)
        #expect(parse("2004-08-19T04:30:00-0500") == day + 34_200 * 1_000_000_000)
        #expect(parse("2004-08-19 11:30", offset: 7200) == day + 34_200 * 1_000_000_000)
        #expect(parse("1092873600") == day)              // epoch seconds
        #expect(parse("1092873600000") == day)           // epoch milliseconds
        #expect(parse("1092873600.5") == day + 500_000_000)
        #expect(parse("1092873600", .epochMilliseconds) == day / 1000)
        #expect(Timestamp.iso8601(day + 34_200_250_000_000) == "2004-08-19T09:30:00.25Z")
        #expect(Timestamp.weekday(day) == 3) // a Thursday
    }

    @Test func rejects() {
        for bad in ["", "2004-13-01", "2004-02-30", "2004-08-19T25:00", "19/08/2004", "2004-08-19X", "abc", "2004-08-19T09:30:00+2"] {
            #expect(parse(bad) == nil, "\(bad) should not parse")
        }
        #expect(parse("2004-08-19", .epochSeconds) == nil)
    }
}
