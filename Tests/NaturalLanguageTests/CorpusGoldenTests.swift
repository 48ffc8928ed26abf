import Foundation
import ColumnStore
import Engine
import NaturalLanguage
import StrategySpec
import Testing

/// A backtesting.py run of one corpus description's hand-written equivalent
/// (scripts/generate_english_goldens.py).
struct EnglishGolden: Decodable {
    struct Trade: Decodable {
        var entryBar: Int
        var exitBar: Int
        var size: Double
        var entryPrice: Double
        var exitPrice: Double
    }

    var id: String
    var text: String
    var trades: [Trade]
    var equityFinal: Double

    static func load(_ id: String) throws -> EnglishGolden {
        let path = Corpus.root + "/Fixtures/goldens/english/\(id).json"
        return try JSONDecoder().decode(EnglishGolden.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

@Suite struct EnglishCorpusGoldenTests {
    static let goog = try! CSVImporter.load(Corpus.root + "/Fixtures/GOOG.csv")

    /// Each description, translated and backtested under backtesting.py's defaults (cash 10,000,
    /// commission 0.002), gives the trades of its hand-written backtesting.py equivalent.
    @Test(arguments: Corpus.entries.map(\.id))
    func backtestEqualsBacktestingPy(id: String) throws {
        let entry = try #require(Corpus.entries.first { $0.id == id })
        let golden = try EnglishGolden.load(id)
        #expect(golden.text == entry.text, "\(id): the golden is stale; rerun scripts/generate_english_goldens.py")
        var spec = try EnglishTranslator().translate(entry.text).spec
        spec.execution = ExecutionSettings(profile: .backtestingPy, cash: 10_000, commission: 0.002)
        let compiled = try spec.compiled()
        let result = try Backtest(bars: Self.goog, configuration: compiled.configuration).run(compiled.strategy)
        // The signal fast path runs the same spec to the same bits.
        let (signals, warmUp) = try compiled.signals(for: Self.goog)
        let fast = try SignalBacktest(bars: Self.goog, configuration: compiled.configuration)
            .run(signals, size: spec.sizing.sizeType(), warmUpBars: warmUp)
        let sameRecords = fast.orders == result.orders && fast.fills == result.fills && fast.trades == result.trades
        let sameEquity = fast.equity.map(\.bitPattern) == result.equity.map(\.bitPattern)
        #expect(sameRecords, "\(id): the fast path's orders, fills or trades differ from the event engine's")
        #expect(sameEquity, "\(id): the fast path's equity differs")
        #expect(result.trades.count == golden.trades.count, "\(id): \(result.trades.count) trades, backtesting.py \(golden.trades.count)")
        func near(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-12 * abs(b) } ?? false }
        for (k, (ours, theirs)) in zip(result.trades, golden.trades).enumerated() {
            let same = ours.entryBar == theirs.entryBar && ours.exitBar == theirs.exitBar && ours.size == theirs.size
                && near(ours.entryPrice, theirs.entryPrice) && near(ours.exitPrice, theirs.exitPrice)
            #expect(same, "\(id) trade \(k): ours \(ours.entryBar)→\(ours.exitBar ?? -1) \(ours.size) @ \(ours.entryPrice)→\(ours.exitPrice ?? .nan), backtesting.py \(theirs.entryBar)→\(theirs.exitBar) \(theirs.size) @ \(theirs.entryPrice)→\(theirs.exitPrice)")
            if !same { break }
        }
        #expect(abs(result.statistics.equityFinal - golden.equityFinal) <= 1e-9 * Swift.max(1, abs(golden.equityFinal)),
                "\(id): Equity Final \(result.statistics.equityFinal), backtesting.py \(golden.equityFinal)")
    }
}
