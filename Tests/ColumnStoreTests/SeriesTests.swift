import ColumnStore
import Testing

@Suite("BarSeries, gaps and Universe")
struct SeriesTests {
    let day: Int64 = 86_400_000_000_000

    func series(_ symbol: String, days: [Int], close: [Double]) throws -> BarSeries {
        let start = Timestamp.make(year: 2024, month: 1, day: 1) // a Monday
        let c = Column(close)
        return try BarSeries(symbol: symbol, time: Column(days.map { start + Int64($0) * day }), open: c, high: c, low: c, close: c,
                             volume: Column(close.map { _ in 1.0 }))
    }

    @Test func lengthMismatchIsAnError() {
        #expect(throws: DataError.self) {
            _ = try BarSeries(time: [1, 2], open: [1, 2], high: [1, 2], low: [1], close: [1, 2])
        }
    }

    @Test func slicingSharesAndRebases() throws {
        let s = try series("A", days: [0, 1, 2, 3], close: [1, 2, 3, 4])
        let part = s[1..<3]
        #expect(part.count == 2 && part.close[0] == 2 && part.time.startIndex == 0)
        #expect(part.column(named: "CLOSE")?.array == [2, 3])
    }

    @Test func validateWithoutAFileNamesTheBar() throws {
        let s = try BarSeries(symbol: "Z", time: [1, 2, 3], open: [1, 1, 1], high: [2, 0.5, 2], low: [1, 1, 1], close: [1, 1, 1])
        do { try s.validate(); Issue.record("no error") } catch let e as DataError {
            #expect(e.location.bar == 1 && e.location.symbol == "Z")
            #expect(e.description == "column \"high\", symbol Z, bar 1: high 0.5 is below low 1.0")
        }
    }

    @Test func gapReport() throws {
        // Mon..Fri, Mon, Tue, (Wed missing) Thu: weekend gap explained, Wednesday not.
        let s = try series("A", days: [0, 1, 2, 3, 4, 7, 8, 10], close: [1, 1, 1, 1, 1, 1, 1, 1])
        let report = GapReport(time: s.time)
        #expect(report.frequency == day)
        #expect(report.gaps.count == 2)
        #expect(report.gaps[0].spansWeekend && report.gaps[0].missingBars == 2)
        #expect(report.unexplainedGaps.map(\.afterBar) == [6])
        #expect(report.unexplainedGaps[0].missingBars == 1)
        let eurusd = try CSVImporter.load(TestFiles.repository + "/Fixtures/EURUSD.csv")
        #expect(GapReport(time: eurusd.time).frequency == 3_600_000_000_000)
    }

    @Test func universeAlignsAndFillsNaN() throws {
        let a = try series("A", days: [0, 1, 2], close: [1, 2, 3])
        let b = try series("B", days: [1, 2, 3], close: [20, 30, 40])
        let u = try Universe([a, b])
        #expect(u.timeCount == 4 && u.symbolCount == 2)
        #expect(u.matrix(.close).count == 8)
        #expect(try u.value(.close, symbol: "A", at: 3).isNaN)
        #expect(try u.value(.close, symbol: "B", at: 0).isNaN)
        #expect(try u.value(.close, symbol: "B", at: 2) == 30)
        // Time-major: row t holds every symbol contiguously.
        #expect(u.matrix(.close)[1 * 2 + 0] == 2 && u.matrix(.close)[1 * 2 + 1] == 20)
        #expect(try u.series("B").close.array == [20, 30, 40])
        #expect(throws: DataError.self) { _ = try u.series("C") }
        #expect(throws: DataError.self) { _ = try Universe([a, a]) }
        #expect(throws: DataError.self) { _ = try u.value(.close, symbol: "A", at: 4) }
    }
}

@Suite struct SyntheticBarsTests {
    @Test func syntheticBarsAreValidDeterministicAndSeeded() throws {
        let a = BarSeries.synthetic(count: 50_000, seed: 7), b = BarSeries.synthetic(count: 50_000, seed: 7)
        let c = BarSeries.synthetic(count: 50_000, seed: 8)
        #expect(a.close.array == b.close.array && a.volume.array == b.volume.array && a.time.array == b.time.array)
        #expect(a.close.array != c.close.array)
        try a.validate()
        #expect(a.open[0] == 100)
        #expect((1..<a.count).allSatisfy { a.open[$0] == a.close[$0 - 1] })
        #expect((1..<a.count).allSatisfy { a.time[$0] - a.time[$0 - 1] == 60 * Timestamp.nanosecondsPerSecond })
        // Cent prices in a sane range after many bars (the walk mean-reverts).
        #expect(a.close.array.allSatisfy { $0 > 10 && $0 < 1_000 && abs(($0 * 100).rounded() - $0 * 100) < 1e-6 })
        #expect(BarSeries.synthetic(count: 0).isEmpty)
    }
}

@Suite("aligning instruments on shared timestamps")
struct AlignmentTests {
    func series(_ symbol: String, days: [Int64], bid: Bool = false) throws -> BarSeries {
        let prices = days.map { 100 + Double($0) }
        return try BarSeries(symbol: symbol, time: Column(days.map { $0 * Timestamp.nanosecondsPerDay }), open: Column(prices),
                             high: Column(prices.map { $0 + 1 }), low: Column(prices.map { $0 - 1 }), close: Column(prices),
                             volume: Column(days.map { Double($0) * 10 }), bid: bid ? Column(prices.map { $0 - 0.5 }) : nil,
                             ask: bid ? Column(prices.map { $0 + 0.5 }) : nil,
                             extras: [("signal", Column(prices.map { $0 * 2 }))])
    }

    @Test("the intersection of the clocks, each series keeping its own bars there, every column alike")
    func intersection() throws {
        let a = try series("A", days: [1, 2, 3, 4, 5, 6], bid: true)
        let b = try series("B", days: [2, 3, 5, 6, 7])
        let c = try series("C", days: [0, 2, 3, 4, 6])
        let (aligned, dropped) = BarSeries.alignedOnSharedTimes([a, b, c])
        #expect(dropped == [3, 2, 2])
        for s in aligned {
            #expect(s.time.array == [2, 3, 6].map { $0 * Timestamp.nanosecondsPerDay })
            #expect(s.close.array == [102, 103, 106] && s.volume.array == [20, 30, 60])
            #expect(s.column(named: "signal")?.array == [204, 206, 212])
        }
        #expect(aligned[0].bid?.array == [101.5, 102.5, 105.5] && aligned[0].symbol == "A")
        #expect(aligned[1].bid == nil)
    }

    @Test("identical clocks come back whole; disjoint ones come back empty")
    func edges() throws {
        let a = try series("A", days: [1, 2, 3]), b = try series("B", days: [1, 2, 3])
        let same = BarSeries.alignedOnSharedTimes([a, b])
        #expect(same.dropped == [0, 0] && same.series.map(\.count) == [3, 3])
        let apart = BarSeries.alignedOnSharedTimes([a, try series("C", days: [7, 8])])
        #expect(apart.dropped == [3, 2] && apart.series.allSatisfy(\.isEmpty))
    }
}
