import ColumnStore
import Foundation
import Testing

@Suite("Resampling")
struct ResamplingTests {
    struct Case: Decodable {
        var fixture, timeframe, closed, label: String
        var time: [Int64]
        var open, high, low, close, volume: [String]
    }
    struct Golden: Decodable { var pandas: String; var cases: [String: Case] }

    static let golden: Golden = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: TestFiles.repository + "/Fixtures/goldens/pandas/resample.json"))
        return try! JSONDecoder().decode(Golden.self, from: data)
    }()

    @Test("matches pandas resample", arguments: ["GOOG_1w", "GOOG_1M", "GOOG_1y", "GOOG_1w_right", "EURUSD_4h", "EURUSD_1d", "EURUSD_1d_right"])
    func matchesPandas(name: String) throws {
        let c = try #require(Self.golden.cases[name])
        let bars = try CSVImporter.load(TestFiles.repository + "/Fixtures/\(c.fixture).csv")
        var options = ResampleOptions()
        options.closed = c.closed == "left" ? .left : .right
        options.label = c.label == "left" ? .left : .right
        let result = try bars.resampled(to: Timeframe(parsing: c.timeframe), options: options).bars
        #expect(result.time.array == c.time)
        for (column, expected) in [(result.open, c.open), (result.high, c.high), (result.low, c.low), (result.close, c.close)] {
            #expect(column.array == expected.map { Double($0)! })
        }
        // pandas sums volume in another order; integers and exact decimals agree exactly here.
        for (a, e) in zip(result.volume.array, c.volume.map { Double($0)! }) { #expect(abs(a - e) <= 1e-9 * abs(e)) }
    }

    func hourly(_ hours: [Int], close: [Double]) throws -> BarSeries {
        let start = Timestamp.make(year: 2024, month: 3, day: 4) // Monday
        let c = Column(close)
        return try BarSeries(symbol: "H", time: Column(hours.map { start + Int64($0) * 3_600_000_000_000 }), open: c,
                             high: Column(close.map { $0 + 1 }), low: Column(close.map { $0 - 1 }), close: c,
                             volume: Column(close.map { _ in 10.0 }))
    }

    @Test func aggregationAndLabels() throws {
        // Hours 0..5 and 24..25: two days.
        let bars = try hourly([0, 1, 2, 3, 4, 5, 24, 25], close: [1, 2, 3, 4, 5, 6, 7, 8])
        let daily = try bars.resampled(to: Timeframe(1, .day))
        #expect(daily.bars.count == 2)
        #expect(daily.bars.open.array == [1, 7] && daily.bars.close.array == [6, 8])
        #expect(daily.bars.high.array == [7, 9] && daily.bars.low.array == [0, 6] && daily.bars.volume.array == [60, 20])
        #expect(daily.bars.time[0] == Timestamp.make(year: 2024, month: 3, day: 4))
        #expect(daily.firstFineBar == [0, 6] && daily.lastFineBar == [5, 7])
        var right = ResampleOptions()
        right.label = .right
        #expect(try bars.resampled(to: Timeframe(1, .day), options: right).bars.time[0] == Timestamp.make(year: 2024, month: 3, day: 5))
        // Boundaries at 02:00 UTC: hours 0-1 close the previous trading day; hours 2-5 and the next
        // day's 00:00-01:00 (hours 24-25) form one trading day.
        var shifted = ResampleOptions()
        shifted.boundaryOffsetSeconds = 7200
        let sessions = try bars.resampled(to: Timeframe(1, .day), options: shifted).bars
        #expect(sessions.close.array == [2, 8] && sessions.open.array == [1, 3])
        #expect(sessions.time[1] == Timestamp.make(year: 2024, month: 3, day: 4, hour: 2))
    }

    @Test func coarseBarsBecomeVisibleOnlyAfterTheyClose() throws {
        let bars = try hourly(Array(0..<48), close: (0..<48).map(Double.init))
        let daily = try bars.resampled(to: Timeframe(1, .day))
        // Hour 22 of day 1: day 1 has not closed; hour 23 ends at midnight: day 1 has closed.
        #expect(daily.visibleCoarseBar[22] == -1 && daily.visibleCoarseBar[23] == 0)
        #expect(daily.visibleCoarseBar[46] == 0 && daily.visibleCoarseBar[47] == 1)
        let aligned = daily.alignedToFine(daily.bars.close)
        #expect(aligned[22].isNaN && aligned[23] == 23 && aligned[40] == 23)
        // No look-ahead: changing hour 40 changes nothing visible at hours <= 39.
        var changed = bars.close.array
        changed[40] = 1_000
        let other = try BarSeries(symbol: "H", time: bars.time, open: bars.open, high: Column(changed.map { Swift.max($0 + 1, 0) }),
                                  low: bars.low, close: Column(changed), volume: bars.volume)
        let otherAligned = try other.resampled(to: Timeframe(1, .day)).alignedToFine(try other.resampled(to: Timeframe(1, .day)).bars.close)
        for i in 0...39 { #expect(aligned[i].bitPattern == otherAligned[i].bitPattern || (aligned[i].isNaN && otherAligned[i].isNaN)) }
    }

    @Test func errors() throws {
        let bars = try hourly([0, 1, 2], close: [1, 2, 3])
        #expect(throws: DataError.self) { _ = try bars.resampled(to: Timeframe(30, .minute)) }
        #expect(throws: DataError.self) { _ = try bars.resampled(to: Timeframe(1, .hour)) }
        #expect(throws: DataError.self) { _ = try Timeframe(parsing: "1x") }
        #expect(throws: DataError.self) { _ = try Timeframe(parsing: "h") }
        #expect(throws: DataError.self) { _ = try Timeframe(0, .day) }
        // Counts whose length would overflow Int64 nanoseconds are rejected, not trapped on.
        for text in ["1000000w", "74000d", "3000M", "201y", "99999999999999999999s"] {
            #expect(throws: DataError.self) { _ = try Timeframe(parsing: text) }
        }
        #expect(try Timeframe(parsing: "10400w").fixedDuration! > 0 && Timeframe(parsing: "200y").unit == .year)
        #expect(try Timeframe(parsing: "15m") == Timeframe(15, .minute) && Timeframe(parsing: "1M").unit == .month)
    }
}
