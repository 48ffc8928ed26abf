@testable import Reports
import Testing

@Suite struct DownsamplingTests {
    /// The reduced line keeps every bucket's extremes, so the global ones too, and stays within 4 points a bucket.
    @Test func extremesSurvive() {
        var generator = SplitMix(seed: 7)
        let values = (0..<100_000).map { _ in generator.nextDouble() * 100 - 50 }
        let reduced = Downsampling.m4(values, buckets: 500)
        #expect(reduced.count <= 2_000)
        #expect(reduced.map(\.value).max() == values.max() && reduced.map(\.value).min() == values.min())
        #expect(zip(reduced, reduced.dropFirst()).allSatisfy { $0.bar < $1.bar })
        #expect(reduced.first?.bar == 0 && reduced.last?.bar == values.count - 1)
        // Each bucket's own extremes are among the points.
        for b in [0, 137, 499] {
            let lower = b * values.count / 500, upper = (b + 1) * values.count / 500
            let bucket = values[lower..<upper]
            let kept = Set(reduced.filter { $0.bar >= lower && $0.bar < upper }.map(\.value))
            #expect(kept.contains(bucket.max()!) && kept.contains(bucket.min()!))
        }
    }

    @Test func shortSeriesAreKeptWholeAndGapsBreakTheLine() {
        let values = [1.0, .nan, .nan, 4, 5]
        let kept = Downsampling.m4(values, buckets: 10)
        #expect(kept.map(\.bar) == [0, 3, 4])
        #expect(kept.map(\.gapBefore) == [false, true, false])
        #expect(Downsampling.m4([], buckets: 10).isEmpty)
        #expect(Downsampling.m4([.nan, .nan], buckets: 10).isEmpty)
    }

    @Test func envelopeCoversEveryBar() {
        let low = (0..<1_000).map { Double($0 % 17) }, high = low.map { $0 + 3 }
        let envelope = Downsampling.envelope(low: low, high: high, buckets: 100)
        #expect(envelope.count == 100 && envelope.first?.first == 0 && envelope.last?.last == 999)
        #expect(envelope.map(\.low).min() == 0 && envelope.map(\.high).max() == 19)
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
