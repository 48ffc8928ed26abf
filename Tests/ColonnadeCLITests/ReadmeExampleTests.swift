import Colonnade
import Foundation
import Testing

// The README's Swift example, verbatim apart from the two file paths, so the README stays true.

struct EMATrend: Strategy {                                          // compiled into the engine's loop
    var fast: SeriesView!, slow: SeriesView!
    mutating func prepare(_ setup: inout StrategySetup) throws {      // once, vectorized, before the loop
        fast = setup.indicator(try EMA.compute(setup.bars.close, period: 20))
        slow = setup.indicator(try EMA.compute(setup.bars.close, period: 50))
    }
    mutating func onBar(_ t: Int, broker: inout Broker) throws {       // sees bars 0...t; orders fill at t+1
        if broker.positionSize() == 0, fast.crossesAbove(slow, at: t) { try broker.buy() }
        if broker.positionSize() > 0, fast.crossesBelow(slow, at: t) { try broker.closePosition() }
    }
}

@Test("README example runs and writes its report") func readmeExample() throws {
    let reportPath = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString).html").path
    defer { try? FileManager.default.removeItem(atPath: reportPath) }

    let bars = try CSVImporter.load(CLI.repository + "/Fixtures/GOOG.csv")  // a DataError names file, line, column
    let config = BrokerConfiguration.realistic(commission: .relative(rate: 0.001))
    let result = try Backtest(bars: bars, configuration: config).run(EMATrend())
    let stats = result.statistics
    print("return \(stats.returnPct)%, Sharpe \(stats.sharpeRatio), \(stats.tradeCount) trades")

    let report = ReportContent(strategy: "EMA 20/50 trend", data: "GOOG.csv", bars: bars, result: result,
                               profile: "realistic", assumptions: config.assumptions, cash: config.cash)
    try HTMLReport.render(report).write(toFile: reportPath, atomically: true, encoding: .utf8)

    // What the example claims, checked against an independent reading of the same columns.
    let close = bars.close, fast = try EMA.compute(close, period: 20), slow = try EMA.compute(close, period: 50)
    let goldenCrosses = (50..<bars.count - 1).filter { fast[$0 - 1] < slow[$0 - 1] && fast[$0] > slow[$0] }
    #expect(stats.tradeCount >= goldenCrosses.count - 1 && stats.tradeCount <= goldenCrosses.count)
    #expect(result.trades.allSatisfy { $0.size > 0 })
    let html = try String(contentsOfFile: reportPath, encoding: .utf8)
    #expect(html.contains("EMA 20/50 trend") && html.contains("id=\"trade-table\""))
}

/// docs/statistics.md's snippet: its Sharpe ratio is backtesting.py's for the same run (the golden file).
@Test("statistics guide example gives the documented Sharpe ratio") func statisticsGuideExample() throws {
    let bars = try CSVImporter.load(CLI.repository + "/Fixtures/GOOG.csv")
    let strategy = try SMACross(fast: 10, slow: 20, direction: .longOnly)
    let stats = try Backtest(bars: bars, configuration: .backtestingPy(commission: 0.002)).run(strategy).statistics
    #expect(String(stats.sharpeRatio).hasPrefix("0.863"))
    #expect(PerformanceStatistics.labels["sharpeRatio"] == "Sharpe Ratio")
}

/// The strategy of the README's example is repeated in docs/getting-started.md and on the DocC
/// landing page; the test above runs the README's, so the others must stay the same text.
@Test("the example strategy reads the same in the README, the getting-started guide and the DocC page")
func exampleCopiesAgree() throws {
    func strategyBlock(_ path: String) throws -> Substring? {
        let text = try String(contentsOfFile: CLI.repository + "/" + path, encoding: .utf8)
        guard let start = text.range(of: "struct EMATrend: Strategy {"), let end = text.range(of: "\n}\n", range: start.upperBound..<text.endIndex) else {
            return nil
        }
        return text[start.lowerBound..<end.upperBound]
    }
    let readme = try #require(try strategyBlock("README.md"))
    #expect(try strategyBlock("docs/getting-started.md") == readme)
    #expect(try strategyBlock("Sources/Colonnade/Colonnade.docc/Colonnade.md") == readme)
}
