import ColumnStore
import Testing

@Suite("CSV import: the forms people have")
struct CSVFormTests {
    @Test func backtestingPyFixtures() throws {
        let goog = try CSVImporter.load(TestFiles.repository + "/Fixtures/GOOG.csv")
        #expect(goog.count == 2148 && goog.symbol == "GOOG")
        #expect(Timestamp.iso8601(goog.time[0]) == "2004-08-19T00:00:00Z")
        #expect(goog.open[0] == 100 && goog.high[0] == 104.06 && goog.close[2147] == 806.19)
        let eurusd = try CSVImporter.load(TestFiles.repository + "/Fixtures/EURUSD.csv")
        #expect(eurusd.count == 5000 && Timestamp.iso8601(eurusd.time[1]) == "2017-04-19T10:00:00Z")
        let btc = try CSVImporter.load(TestFiles.repository + "/Fixtures/BTCUSD.csv")
        #expect(btc.count == 156 && btc.volume[0] == 2012.25343589)
    }

    @Test func yahooWithAdjustedClose() throws {
        let csv = """
        Date,Open,High,Low,Close,Adj Close,Volume
        2020-01-02,10,11,9,10,5,100
        2020-01-03,10,12,10,11,5.5,200
        """
        let path = TestFiles.write("AAPL.csv", csv)
        let raw = try CSVImporter.load(path)
        #expect(raw.close.array == [10, 11] && raw.column(named: "Adj Close")?.array == [5, 5.5])
        var options = CSVImportOptions()
        options.useAdjustedClose = true
        let adjusted = try CSVImporter.load(path, options: options)
        #expect(adjusted.close.array == [5, 5.5] && adjusted.open.array == [5, 5] && adjusted.high.array == [5.5, 6])
    }

    @Test func anyOrderAnyCaseExtrasAndNoVolume() throws {
        let csv = "close ; LOW;High;timestamp;OPEN;Open Interest;note\n2;1;3;1600000000;2;7;a\n3;2;4;1600086400;3;8;b\n"
        let result = try CSVImporter.read(TestFiles.write("x.csv", csv))
        let s = result.series[0]
        #expect(s.open.array == [2, 3] && s.high.array == [3, 4] && s.low.array == [1, 2] && s.close.array == [2, 3])
        #expect(Timestamp.iso8601(s.time[0]) == "2020-09-13T12:26:40Z")
        #expect(s.volume.allSatisfy { $0.isNaN })
        #expect(s.column(named: "open interest")?.array == [7, 8])
        #expect(result.droppedColumns == ["note"])
    }

    @Test func symbolColumnQuotesAndCRLF() throws {
        let csv = "symbol,date,open,high,low,close,volume\r\n\"AAA\",2021-01-04,1,2,1,2,10\r\nBBB,2021-01-04,5,6,5,6,20\r\nAAA,2021-01-05,2,3,2,3,30\r\n\r\n"
        let result = try CSVImporter.read(TestFiles.write("u.csv", csv))
        #expect(result.series.map(\.symbol) == ["AAA", "BBB"])
        #expect(result.series[0].close.array == [2, 3] && result.series[1].volume.array == [20])
        #expect(throws: DataError.self) { _ = try CSVImporter.load(TestFiles.write("u2.csv", csv)) }
    }

    @Test func sortAndDeduplicateWhenAsked() throws {
        let csv = "date,open,high,low,close\n2021-01-05,2,2,2,2\n2021-01-04,1,1,1,1\n2021-01-05,3,3,3,3\n"
        var options = CSVImportOptions()
        options.ordering = .sort
        options.duplicates = .keepLast
        let result = try CSVImporter.read(TestFiles.write("s.csv", csv), options: options)
        #expect(result.sorted && result.duplicatesRemoved == 1 && result.series[0].close.array == [1, 3])
        options.duplicates = .keepFirst
        #expect(try CSVImporter.load(TestFiles.write("s.csv", csv), options: options).close.array == [1, 2])
    }
}

@Suite("CSV import: every integrity error names file, line and column")
struct CSVErrorTests {
    let header = "Date,Open,High,Low,Close,Volume\n"
    let good = "2021-01-04,10,11,9,10,100\n"

    func expectError(_ body: String, _ kind: (DataError.Kind) -> Bool, line: Int?, column: String?, field: Int? = nil) {
        guard let e = TestFiles.error(header + good + body) else {
            Issue.record("no error for \(body)"); return
        }
        #expect(kind(e.kind), "unexpected kind \(e.kind)")
        #expect(e.location.line == line, "line \(String(describing: e.location.line)) in \(e)")
        #expect(e.location.columnName == column, "column \(String(describing: e.location.columnName)) in \(e)")
        if let field { #expect(e.location.field == field) }
        #expect(e.description.contains("bad.csv"))
    }

    @Test func unparsableNumber() {
        expectError("2021-01-05,10,1x1,9,10,100\n", { if case .unparsableNumber("1x1") = $0 { true } else { false } }, line: 3, column: "High", field: 3)
    }
    @Test func missingPrice() {
        expectError("2021-01-05,10,,9,10,100\n", { $0 == .missingValue }, line: 3, column: "High")
    }
    @Test func unparsableTimestamp() {
        expectError("05/01/2021,10,11,9,10,100\n", { if case .unparsableTimestamp = $0 { true } else { false } }, line: 3, column: "Date", field: 1)
    }
    @Test func invalidDate() {
        expectError("2021-02-30,10,11,9,10,100\n", { if case .timestampOutOfRange = $0 { true } else { false } }, line: 3, column: "Date")
    }
    @Test func duplicateTimestamp() {
        expectError("2021-01-04,10,11,9,10,100\n", { if case .duplicateTimestamp = $0 { true } else { false } }, line: 3, column: "time")
    }
    @Test func decreasingTimestamp() {
        expectError("2021-01-06,10,11,9,10,100\n2021-01-05,10,11,9,10,100\n",
                    { if case .decreasingTimestamp = $0 { true } else { false } }, line: 4, column: "time")
    }
    @Test func nanPrice() {
        expectError("2021-01-05,NaN,11,9,10,100\n", { if case .nonFinitePrice = $0 { true } else { false } }, line: 3, column: "open", field: 2)
    }
    @Test func nonPositivePrice() {
        expectError("2021-01-05,10,11,0,10,100\n", { $0 == .nonPositivePrice(0) }, line: 3, column: "low")
    }
    @Test func highBelowLow() {
        expectError("2021-01-05,10,9,11,10,100\n", { $0 == .highBelowLow(high: 9, low: 11) }, line: 3, column: "high")
    }
    @Test func openOutsideRange() {
        expectError("2021-01-05,12,11,9,10,100\n", { if case .openOutsideRange = $0 { true } else { false } }, line: 3, column: "open")
    }
    @Test func closeOutsideRange() {
        expectError("2021-01-05,10,11,9,8,100\n", { if case .closeOutsideRange = $0 { true } else { false } }, line: 3, column: "close")
    }
    @Test func negativeVolume() {
        expectError("2021-01-05,10,11,9,10,-5\n", { $0 == .negativeVolume(-5) }, line: 3, column: "volume", field: 6)
    }
    @Test func infiniteVolume() {
        expectError("2021-01-05,10,11,9,10,inf\n", { if case .nonFiniteVolume = $0 { true } else { false } }, line: 3, column: "volume", field: 6)
    }
    @Test func wrongFieldCount() {
        expectError("2021-01-05,10,11,9\n", { $0 == .wrongFieldCount(expected: 6, found: 4) }, line: 3, column: nil)
    }
    @Test func unterminatedQuote() {
        expectError("2021-01-05,\"10,11,9,10,100\n", { $0 == .unterminatedQuote }, line: 3, column: nil)
    }

    @Test func structuralErrors() {
        #expect(TestFiles.error("")?.kind == .emptyFile)
        #expect(TestFiles.error(header)?.kind == .noDataRows)
        #expect(TestFiles.error("Date,Open,High,Low,Volume\n2021-01-04,1,1,1,1\n")?.kind == .missingColumn("close"))
        #expect(TestFiles.error("Date,Open,High,Low,Close,close\n")?.kind == .duplicateColumn("close"))
        let missing = try? CSVImporter.load("/nonexistent/file.csv")
        #expect(missing == nil)
        do { _ = try CSVImporter.load("/nonexistent/file.csv") } catch let e as DataError {
            if case .unreadableFile = e.kind {} else { Issue.record("\(e)") }
            #expect(e.location.file == "/nonexistent/file.csv")
        } catch { Issue.record("\(error)") }
    }

    @Test func checksCanBeRelaxed() {
        var options = CSVImportOptions()
        options.checks = [.timeOrder]
        #expect(TestFiles.error(header + good + "2021-01-05,12,11,9,10,100\n", options: options) == nil)
    }
}
