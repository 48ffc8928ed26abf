import ColumnStore
@testable import Engine
import Testing

/// The crossing columns come from a C kernel with a build per instruction set (AVX, SSE2, portable
/// C); every build must give the bits of the scalar definition (``SeriesView/crossesAbove(_:at:)-(SeriesView,_)``).
@Suite("Crossing kernel builds")
struct CrossingKernelTests {
    /// Values drawn to make the comparisons hard: exact ties, signed zeros, infinities, NaN of
    /// either sign, subnormals and neighbours one ulp apart.
    static func awkwardColumn(count: Int, seed: UInt64) -> Column<Double> {
        let pool: [Double] = [0, -0.0, 1, 1.0.nextUp, 1.0.nextDown, -1, .infinity, -.infinity, .nan, -Double.nan,
                              .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 100.01, 100.02, 1e308, -1e308]
        var state = (seed &* 0x9E37_79B9_7F4A_7C15) | 1
        return Column((0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return pool[Int(state % UInt64(pool.count))]
        })
    }

    @Test("AVX, SSE2 and portable builds equal the scalar test", arguments: [0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 1000])
    func buildsAgree(count: Int) throws {
        let a = Self.awkwardColumn(count: count, seed: UInt64(count) + 1)
        let b = Self.awkwardColumn(count: count, seed: UInt64(count) + 1000)
        var setup = StrategySetup(instruments: [BarSeries.synthetic(count: Swift.max(count, 1))])
        let va = setup.series(a), vb = setup.series(b)
        let expectedAbove = (0..<count).map { va.crossesAbove(vb, at: $0) }
        let expectedBelow = (0..<count).map { va.crossesBelow(vb, at: $0) }
        for build: Int32 in [0, 1, 2] {
            let (above, below) = BitColumn.crossings(of: a, and: b, build: build)
            #expect(above.count == count && below.count == count)
            #expect(above.array == expectedAbove, "build \(build), \(count) bars")
            #expect(below.array == expectedBelow, "build \(build), \(count) bars")
            // Bits past the last bar stay clear (whole-word operations on the columns rely on it).
            if count % 64 != 0, let last = above.words.array.last, let lastBelow = below.words.array.last {
                #expect(last >> UInt64(count % 64) == 0 && lastBelow >> UInt64(count % 64) == 0)
            }
        }
        if count >= 100 {
            let (above, below) = BitColumn.crossings(of: a, and: b)
            #expect(above.trueCount > 3 && below.trueCount > 3, "the data must exercise both crossings")
        }
    }

    @Test("a precomputed signal reads back the column's bits")
    func signalView() throws {
        let bits = BitColumn((0..<200).map { $0 % 7 == 3 || $0 == 64 || $0 == 199 })
        var setup = StrategySetup(instruments: [BarSeries.synthetic(count: 200)])
        let view = setup.signal(bits)
        #expect(view.count == 200)
        #expect((0..<200).map { view[$0] } == bits.array)
    }
}
