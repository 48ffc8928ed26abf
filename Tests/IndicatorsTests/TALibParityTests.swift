import ColumnStore
import Indicators
import Testing

/// Every TA-Lib indicator against goldens produced by TA-Lib itself
/// (scripts/generate_talib_goldens.py; versions in Fixtures/goldens/talib/manifest.json).
@Suite("TA-Lib parity")
struct TALibParityTests {
    /// Bit-for-bit: moving averages whose exact ties decide crossovers, and the indicators built
    /// on exponential averages, whose fused steps are TA-Lib's FMA build's.
    static let exact: Set<String> = ["sma", "ema", "wma", "t3", "dema", "tema", "trix", "macd", "apo", "ppo", "ad", "adosc", "kama"]
    static let relativeTolerance = 1e-9

    @Test("matches TA-Lib on every golden column", arguments: ["GOOG", "EURUSD", "SYNTH"])
    func parity(fixture: String) throws {
        let bars = try Fixtures.bars(fixture)
        let golden = try Fixtures.golden(fixture)
        #expect(golden.count > 100)
        var covered = Set<String>()
        for (column, expected) in golden {
            let parts = column.split(separator: "|").map(String.init)
            let spec = try IndicatorSpec.parse(parts[0])
            covered.insert(spec.name)
            let outputs = try IndicatorCatalog.evaluate(spec, on: bars)
            let actual = try #require(parts.count == 1 ? outputs.first : outputs.first { $0.output == parts[1] },
                                      "\(column): no such output")
            try #require(actual.values.count == expected.count, "\(column): length")
            // "Absolute near zero": below the column's typical magnitude, errors are measured
            // against that magnitude, so an oscillator passing 0 is not held to 1e-9 of 1e-13.
            let finite = expected.filter { !$0.isNaN }
            let scale = finite.isEmpty ? 0 : finite.reduce(0) { $0 + Swift.abs($1) } / Double(finite.count)
            var worst = 0.0, worstIndex = -1, mismatches = 0
            for i in expected.indices {
                let a = actual.values[i], e = expected[i]
                if a.isNaN != e.isNaN { mismatches += 1; if worstIndex < 0 { worstIndex = i }; continue }
                if e.isNaN { continue }
                if Self.exact.contains(spec.name) {
                    if a.bitPattern != e.bitPattern { mismatches += 1; if worstIndex < 0 { worstIndex = i } }
                    continue
                }
                let error = Swift.abs(a - e) / Swift.max(Swift.abs(e), scale, 1e-300)
                if error > Self.relativeTolerance {
                    mismatches += 1
                    if error > worst { worst = error; worstIndex = i }
                }
            }
            #expect(mismatches == 0, "\(fixture) \(column): \(mismatches) mismatches, first/worst at bar \(worstIndex): ours \(worstIndex >= 0 ? actual.values[worstIndex] : 0) vs TA-Lib \(worstIndex >= 0 ? expected[worstIndex] : 0)")
        }
        let talibNames = Set(IndicatorCatalog.all.filter(\.isTALib).map(\.name))
        #expect(covered == talibNames, "goldens cover \(covered.symmetricDifference(talibNames).sorted()) differently from the catalog")
    }
}
