#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BarSeries {
    /// Deterministic synthetic bars for benchmarks and tests: a mean-reverting log-price random
    /// walk around 100 (so even 10M bars stay in a sane price range), cent-rounded like real quotes,
    /// one bar per `step` from `start`.
    ///
    /// Bar `i`: `open` is the previous close (100 for the first bar), `close` follows the walk,
    /// `high`/`low` extend the body by up to 1 % (rounded outwards to the cent), `volume` is
    /// uniform in [100, 1,000,100). The same `count` and `seed` give the same numbers on every
    /// machine: the stream is xorshift64* and the arithmetic is IEEE double. The benchmark scripts
    /// in `scripts/` regenerate nothing themselves; they read the bars this function wrote.
    ///
    /// - Parameters:
    ///   - count: number of bars (≥ 0).
    ///   - seed: the random stream's seed; 0 is replaced by a fixed non-zero constant (xorshift
    ///     never leaves 0).
    ///   - symbol: the series' symbol, if any.
    ///   - start: the first bar's time (default 1970-01-01T00:00Z).
    ///   - step: nanoseconds between bars (default one minute).
    /// - Complexity: O(count).
    public static func synthetic(count: Int, seed: UInt64 = 42, symbol: String? = nil,
                                 start: Int64 = 0, step: Int64 = 60 * Timestamp.nanosecondsPerSecond) -> BarSeries {
        precondition(count >= 0, "synthetic bar count must not be negative, is \(count)")
        var state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
        func uniform() -> Double {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) * 0x1.0p-53
        }
        var t = [Int64](repeating: 0, count: count)
        var o = [Double](repeating: 0, count: count), h = o, l = o, c = o, v = o
        var logPrice = 0.0 // log(price / 100)
        var previousClose = 100.0
        for i in 0..<count {
            logPrice = 0.9995 * logPrice + (uniform() - 0.5) * 0.02
            let close = ((100 * exp(logPrice)) * 100).rounded(.toNearestOrEven) / 100
            let open = previousClose
            let high = ((Swift.max(open, close) * (1 + uniform() * 0.01)) * 100).rounded(.up) / 100
            let low = ((Swift.min(open, close) * (1 - uniform() * 0.01)) * 100).rounded(.down) / 100
            t[i] = start + Int64(i) * step
            o[i] = open; h[i] = high; l[i] = low; c[i] = close
            v[i] = (uniform() * 1_000_000).rounded(.down) + 100
            previousClose = close
        }
        // Lengths are equal by construction, so the throwing initializer cannot fail.
        return try! BarSeries(symbol: symbol, time: Column(t), open: Column(o), high: Column(h), low: Column(l),
                              close: Column(c), volume: Column(v))
    }
}
