import Colonnade
import Testing

/// The README's Swift example, verbatim apart from the fixture path, so the README stays true.
@Test("README example runs") func readmeExample() throws {
    let bars = try CSVImporter.load(CLI.repository + "/Fixtures/GOOG.csv")          // throws DataError with file:line:column
    let fast = try SMA.compute(bars.close, period: 10)              // batch: a whole column
    let slow = try SMA.compute(bars.close, period: 20)
    let macd = try MACD.compute(bars.close)                         // (macd, signal, histogram)

    var rsi = try RSI(period: 14)                                   // streaming: one bar at a time
    for close in bars.close { _ = rsi.update(close) }

    let crossings = (1..<bars.count).filter { fast[$0 - 1] < slow[$0 - 1] && fast[$0] > slow[$0] }
    print("\(crossings.count) golden crosses; last MACD histogram \(macd.histogram.last!)")
    #expect(crossings.count > 40)
}
