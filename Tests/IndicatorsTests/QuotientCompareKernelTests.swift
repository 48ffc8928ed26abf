import CKernels
import Testing

/// `colonnade_compare_quotient_masks` orders two running averages kept as totals. Its vector
/// build decides most pairs by cross-multiplying and divides only near a tie; every pair must
/// get the bits of the portable build, which divides each total and compares the quotients.
@Suite("Quotient comparison kernel")
struct QuotientCompareKernelTests {
    /// A generator that is the same on every run.
    struct Numbers {
        var state: UInt64
        init(seed: UInt64) { state = (seed &* 0x9E37_79B9_7F4A_7C15) | 1 }
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    }

    /// Pairs of totals chosen to sit on or next to a tie of `a / da` and `b / db`: `b` is
    /// `a · db / da` moved a few ulps either way, or an exact multiple of both divisors, mixed with
    /// signed zeros, NaN, infinities, subnormals, huge and tiny magnitudes, negative totals and
    /// pairs far apart.
    static func awkwardTotals(count: Int, da: Double, db: Double, seed: UInt64) -> (a: [Double], b: [Double]) {
        var numbers = Numbers(seed: seed)
        let specials: [Double] = [0, -0.0, .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                                  -.leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-960, 1e300, -1e300, .greatestFiniteMagnitude]
        var a: [Double] = [], b: [Double] = []
        for _ in 0..<count {
            let magnitude = [1e-3, 1, 100, 12_345.67, 1e9, .leastNormalMagnitude / 64, 1e200][Int(numbers.next() % 7)]
            let x = (numbers.unit() + 0.5) * magnitude * (numbers.next() % 5 == 0 ? -1 : 1)
            var y = x / da * db
            switch numbers.next() % 8 {
            case 0, 1, 2:
                // A few ulps either side of the tie.
                for _ in 0..<Int(numbers.next() % 6) { y = numbers.next() % 2 == 0 ? y.nextUp : y.nextDown }
            case 3:
                // An exact tie of cent prices: both totals are multiples of one average.
                let average = Double(Int(numbers.next() % 20_000)) / 100
                a.append(average * da); b.append(average * db)
                continue
            case 4:
                a.append(specials[Int(numbers.next() % UInt64(specials.count))])
                b.append(numbers.next() % 2 == 0 ? specials[Int(numbers.next() % UInt64(specials.count))] : y)
                continue
            case 5:
                y *= 1 + (numbers.unit() - 0.5) * 1e-12
            default:
                y = (numbers.unit() + 0.5) * magnitude
            }
            a.append(x); b.append(y)
        }
        return (a, b)
    }

    static func masks(_ a: [Double], _ da: Double, _ b: [Double], _ db: Double, build: Int32) -> (lt: [UInt64], gt: [UInt64]) {
        let words = (a.count + 63) / 64
        var lt = [UInt64](repeating: 0, count: words), gt = [UInt64](repeating: 0, count: words)
        colonnade_compare_quotient_masks(a, da, b, db, a.count, &lt, &gt, build)
        return (lt, gt)
    }

    @Test("the vector build gives the portable build's masks on near-ties and special values",
          arguments: [(10.0, 20.0), (1, 2), (7, 7), (3, 100_000), (20, 10), (0.5, 3), (0, 2), (-1, 4), (.infinity, 2)])
    func buildsAgree(da: Double, db: Double) {
        for (count, seed) in [(4096, UInt64(1)), (1000 + 37, 2), (63, 3), (5, 4)] {
            let (a, b) = Self.awkwardTotals(count: count, da: da, db: db, seed: seed &+ UInt64(da.bitPattern % 1000))
            let portable = Self.masks(a, da, b, db, build: 1)
            let vector = Self.masks(a, da, b, db, build: 0)
            #expect(vector.lt == portable.lt, "less than: \(da), \(db), \(count) totals")
            #expect(vector.gt == portable.gt, "greater than: \(da), \(db), \(count) totals")
            // The portable build is the definition: bit k of each mask is the comparison of the quotients.
            for k in 0..<count {
                let x = a[k] / da, y = b[k] / db
                let lt = portable.lt[k / 64] >> UInt64(k % 64) & 1 == 1, gt = portable.gt[k / 64] >> UInt64(k % 64) & 1 == 1
                if lt != (x < y) || gt != (x > y) {
                    Issue.record("total \(k): \(a[k]) / \(da) against \(b[k]) / \(db)")
                    break
                }
            }
        }
    }

    /// The near-tie pairs must actually include pairs whose quotients round equal and pairs one
    /// ulp apart, or the test above would not reach the division the vector build falls back to.
    @Test("the awkward totals reach ties and one-ulp differences")
    func coversTies() {
        let (a, b) = Self.awkwardTotals(count: 4096, da: 10, db: 20, seed: 1)
        let quotients = zip(a, b).map { ($0 / 10, $1 / 20) }
        #expect(quotients.count { $0 == $1 && $0.isFinite && $0 != 0 } > 100)
        #expect(quotients.count { $0 != $1 && ($0.nextUp == $1 || $0.nextDown == $1) } > 50)
    }
}
