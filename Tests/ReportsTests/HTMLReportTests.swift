import Analytics
import ColumnStore
import Engine
import Execution
import Foundation
import Indicators
@testable import Reports
import Testing

enum Fixtures {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func bars(_ name: String) throws -> BarSeries { try CSVImporter.load(root + "/Fixtures/\(name).csv") }

    /// The backtesting.py reference run (SMA cross 10/20, long-short, GOOG) as report content.
    static func content(bars: BarSeries, name: String = "sma-cross (fast=10, slow=20)") throws -> ReportContent {
        var configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002)
        configuration.exclusiveOrders = true
        let result = try Backtest(bars: bars, configuration: configuration).run(SMACross(fast: 10, slow: 20))
        let fast = try SMA.compute(bars.close, period: 10), slow = try SMA.compute(bars.close, period: 20)
        let rsi = try RSI.compute(bars.close, period: 14)
        return ReportContent(strategy: name, strategyDetails: ["long: enter when sma(close, 10) crosses_above sma(close, 20)"],
                             data: "GOOG.csv", bars: bars, result: result, profile: "backtesting-py",
                             assumptions: configuration.assumptions,
                             indicators: [.init(label: "sma(close, 10)", values: fast), .init(label: "sma(close, 20)", values: slow),
                                          .init(label: "rsi(close, 14)", values: rsi)],
                             cash: 10_000)
    }
}

/// The text between `<tag id="id"` and the tag's end (`</tag>`), for looking inside one element.
func element(_ html: String, id: String, tag: String) -> Substring? {
    guard let start = html.range(of: "<\(tag) id=\"\(id)\"") else { return nil }
    guard let end = html.range(of: "</\(tag)>", range: start.upperBound..<html.endIndex) else { return nil }
    return html[start.lowerBound..<end.upperBound]
}

/// How many coordinate pairs the paths of a chart draw.
func pathPoints(_ svg: Substring) -> Int {
    var count = 0
    var rest = svg[...]
    while let d = rest.range(of: " d=\"") {
        let close = rest[d.upperBound...].firstIndex(of: "\"")!
        count += rest[d.upperBound..<close].filter { $0 == "," }.count
        rest = rest[close...]
    }
    return count
}

@Suite struct HTMLReportTests {
    @Test func everySectionIsThereWithData() throws {
        let content = try Fixtures.content(bars: Fixtures.bars("GOOG"))
        let html = HTMLReport.render(content)
        for id in ["equity-chart", "drawdown-chart", "price-chart", "pane-0", "returns-chart"] {
            let svg = try #require(element(html, id: id, tag: "svg"), "\(id)")
            #expect(pathPoints(svg) > 20 || svg.contains("<rect"), "\(id) draws nothing")
        }
        // The equity line goes through the final equity; the price chart draws a line per overlay and a marker per trade.
        let price = try #require(element(html, id: "price-chart", tag: "svg"))
        #expect(price.components(separatedBy: "class=\"indicator\"").count - 1 == 2)
        let trades = content.result.trades.count
        #expect(price.components(separatedBy: "class=\"entry ").count - 1 == trades + content.result.openTrades.count)
        #expect(price.components(separatedBy: "<circle class=\"exit ").count - 1 == trades)
        #expect(element(html, id: "pane-0", tag: "svg")?.contains("pane-line") == true)
        #expect(html.contains("rsi(close, 14)") && !html.contains("pane-1"))

        // The statistics table has every row, the assumptions every line, the trade table every trade.
        for label in PerformanceStatistics.labels.values { #expect(html.contains(">\(HTML.escape(label))<"), "\(label)") }
        for (name, value) in content.assumptions { #expect(html.contains("<th>\(name)</th><td>\(HTML.escape(value))</td>")) }
        let table = try #require(element(html, id: "trade-table", tag: "table"))
        #expect(table.components(separatedBy: "<tr><td>").count - 1 == trades)
        #expect(html.contains("56\u{202F}263.52"))
        #expect(html.contains("Trades (93)"))
    }

    /// Nothing is loaded from anywhere else: no scripts, styles, fonts or images by URL.
    @Test func selfContained() throws {
        let html = HTMLReport.render(try Fixtures.content(bars: Fixtures.bars("GOOG")))
        for forbidden in ["http://", "https://", "<script", "<link", "@import", "url(", "<img", "<iframe"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
    }

    @Test func textIsEscaped() throws {
        let html = HTMLReport.render(try Fixtures.content(bars: Fixtures.bars("GOOG"), name: "<b>x & \"y\"</b>"))
        #expect(html.contains("<h1>&lt;b&gt;x &amp; &quot;y&quot;&lt;/b&gt;</h1>"))
        #expect(!html.contains("<b>x"))
    }

    /// The heat map's figures are the equity's own month and year changes, computed here independently.
    @Test func monthlyReturnsAreTheEquitysChanges() throws {
        let bars = try Fixtures.bars("GOOG")
        let content = try Fixtures.content(bars: bars)
        let equity = content.result.equity
        var yearEnd: [Int: Double] = [:]
        for bar in equity.indices { yearEnd[civil(bars.time[bars.time.startIndex + bar]).year] = equity[bar] }
        let table = MonthlyReturns(equity: equity, time: bars.time)
        #expect(table.years.map(\.year) == Array(2004...2013))
        for row in table.years.dropFirst() {
            let expected = yearEnd[row.year]! / yearEnd[row.year - 1]! - 1
            #expect(Swift.abs(row.total - expected) < 1e-12, "\(row.year)")
            // Twelve months compound to the year (the first and last years are partial).
            let compounded = row.months.compactMap { $0 }.reduce(1.0) { $0 * (1 + $1) } - 1
            #expect(Swift.abs(compounded - row.total) < 1e-9, "\(row.year)")
        }
        #expect(table.years[0].months[0...6].allSatisfy { $0 == nil } && table.years[0].months[7] != nil)
        let html = HTMLReport.render(content)
        let heat = try #require(element(html, id: "monthly-returns", tag: "table"))
        #expect(heat.components(separatedBy: "<tr><th>20").count - 1 == 10)  // a row per year, after the header
        let y2008 = table.years.first { $0.year == 2008 }!.total * 100
        #expect(heat.contains(">\(HTML.number(y2008, 1))</td></tr>"))
    }

    @Test func shortDataDrawsCandles() throws {
        let bars = try Fixtures.bars("GOOG")[0..<250]
        let html = HTMLReport.render(try Fixtures.content(bars: bars))
        let price = try #require(element(html, id: "price-chart", tag: "svg"))
        #expect(price.contains("class=\"candle up\"") && price.contains("class=\"candle down\"") && !price.contains("class=\"close\""))
    }

    /// A million bars: every chart reduced to a few points per pixel, markers merged, the table
    /// cut, and the page well under 5 MB.
    @Test func longDataStaysSmall() throws {
        let bars = BarSeries.synthetic(count: 1_000_000, seed: 11, symbol: "SYN")
        let content = try Fixtures.content(bars: bars)
        #expect(content.result.trades.count > HTMLReport.tableLimit)
        let html = HTMLReport.render(content)
        let bytes = html.utf8.count
        #expect(bytes < 5_000_000, "\(bytes) bytes")
        let equity = try #require(element(html, id: "equity-chart", tag: "svg"))
        #expect(pathPoints(equity) <= 2 * 4 * ChartFrame.plotColumns)
        let table = try #require(element(html, id: "trade-table", tag: "table"))
        #expect(table.components(separatedBy: "<tr><td>").count - 1 == HTMLReport.tableLimit)
        #expect(table.contains("trades not listed"))
        let price = try #require(element(html, id: "price-chart", tag: "svg"))
        #expect(price.components(separatedBy: "class=\"entry ").count - 1 <= 2 * ChartFrame.plotColumns + 2)
    }

    @Test func exportsHoldEveryTradeAndBar() throws {
        let bars = try Fixtures.bars("GOOG")
        let content = try Fixtures.content(bars: bars)
        let trades = ResultExport.tradesCSV(content).split(separator: "\n")
        #expect(trades.count == content.result.trades.count + 1)
        #expect(trades[1].hasPrefix("2004-11-17T00:00:00Z,2004-12-06T00:00:00Z,0,short,59.0,169.02,179.13,"))
        let equity = ResultExport.equityCSV(content).split(separator: "\n")
        #expect(equity.count == bars.count + 1 && equity[0] == "time,equity,drawdown_pct")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ResultExport.json(content).utf8)) as? [String: Any])
        let curve = try #require(object["equity"] as? [String: Any])
        #expect((curve["equity"] as? [Double])?.count == bars.count && (curve["time"] as? [String])?.count == bars.count)
        #expect((object["trades"] as? [Any])?.count == 93)
        #expect(((object["stats"] as? [String: Any])?["equityFinal"] as? Double) == content.result.statistics.equityFinal)
    }
}
