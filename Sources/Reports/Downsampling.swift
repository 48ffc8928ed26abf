/// Fewer points than pixels, without losing extremes.
enum Downsampling {
    /// The points of `values[range]` a line chart `buckets` pixels wide needs: per bucket of
    /// consecutive bars, its first, lowest, highest and last finite value, in bar order (the M4
    /// reduction). A line through them covers the same pixels as a line through every value, so
    /// every peak and trough stays. NaN values are skipped; a bucket of NaN only gives nothing, and
    /// `gapsBefore` marks the points that follow one so the line can break there.
    ///
    /// - Complexity: O(n); at most 4 × `buckets` points.
    static func m4(_ values: [Double], buckets: Int) -> [(bar: Int, value: Double, gapBefore: Bool)] {
        let n = values.count
        guard n > 0, buckets > 0 else { return [] }
        var out: [(bar: Int, value: Double, gapBefore: Bool)] = []
        if n <= buckets * 4 {
            var gap = false
            for (bar, value) in values.enumerated() {
                if value.isFinite { out.append((bar, value, gap)); gap = false } else { gap = !out.isEmpty }
            }
            return out
        }
        out.reserveCapacity(buckets * 4)
        var gap = false
        for b in 0..<buckets {
            let lower = b * n / buckets, upper = (b + 1) * n / buckets
            var first = -1, last = -1, low = -1, high = -1
            for bar in lower..<upper where values[bar].isFinite {
                if first < 0 { first = bar; low = bar; high = bar }
                last = bar
                if values[bar] < values[low] { low = bar }
                if values[bar] > values[high] { high = bar }
            }
            guard first >= 0 else { gap = !out.isEmpty; continue }
            // A bucket with internal NaN still draws through: at this scale a gap is narrower than a pixel.
            for bar in Set([first, low, high, last]).sorted() {
                out.append((bar, values[bar], gap))
                gap = false
            }
        }
        return out
    }

    /// For each of `buckets` buckets of bars, the lowest low and highest high: the envelope a long
    /// price chart draws behind its close line.
    static func envelope(low: [Double], high: [Double], buckets: Int) -> [(first: Int, last: Int, low: Double, high: Double)] {
        let n = low.count
        guard n > 0, buckets > 0 else { return [] }
        let count = Swift.min(buckets, n)
        return (0..<count).compactMap { b in
            let lower = b * n / count, upper = (b + 1) * n / count
            var lo = Double.infinity, hi = -Double.infinity
            for bar in lower..<upper {
                if low[bar] < lo { lo = low[bar] }
                if high[bar] > hi { hi = high[bar] }
            }
            return lo.isFinite && hi.isFinite ? (lower, upper - 1, lo, hi) : nil
        }
    }
}
