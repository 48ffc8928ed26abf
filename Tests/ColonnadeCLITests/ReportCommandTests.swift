import Foundation
import Testing

@Suite("backtest --report and the exports")
struct ReportCommandTests {
    @Test func aRunWritesItsReportAndExports() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("colonnade-report-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let run = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv", "--strategy", "rsi-reversal", "--profile", "backtesting-py",
                               "--report", dir + "/r.html", "--trades-csv", dir + "/t.csv", "--equity-csv", dir + "/e.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let tradeCount = try #require((object["stats"] as? [String: Any])?["tradeCount"] as? Int)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.contains("<h1>rsi-reversal (period=14, lower=30, upper=70") && html.contains("Trades (\(tradeCount))"))
        // The built-in's twin spec supplies the indicator: RSI, in a pane of its own.
        #expect(html.contains("<svg id=\"pane-0\"") && html.contains("rsi(close, 14)"))
        let trades = try String(contentsOfFile: dir + "/t.csv", encoding: .utf8).split(separator: "\n")
        #expect(trades.count == tradeCount + 1)
        let equity = try String(contentsOfFile: dir + "/e.csv", encoding: .utf8).split(separator: "\n")
        #expect(equity.count == 2148 + 1)

        let unwritable = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv", "--strategy", "sma-cross", "--report", "/nonexistent/dir/r.html"])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("/nonexistent/dir/r.html: cannot write the file"))
        let demo = try CLI.run(["demo", "--data", "/nonexistent.csv", "--output", dir + "/d.html"])
        #expect(demo.status == 1 && !FileManager.default.fileExists(atPath: dir + "/d.html"))
        let nonsense = try CLI.run(["demo", "--describe", "buy when the moon is full", "--output", dir + "/d.html"])
        #expect(nonsense.status == 2 && nonsense.stderr.contains("could not understand \"the moon is full\""))
    }
}
