import Colonnade
#if canImport(Glibc)
import Glibc
#endif

/// Deterministic OHLCV bars for benchmarks: a mean-reverting log-price random walk (so 10M bars
/// stay in a sane price range), cent-rounded like real quotes, from a fixed xorshift64* stream.
///
/// The bars are written once to `.data/ohlcv-<count>-seed<seed>.f64` (five float64 columns
/// back to back: open, high, low, close, volume) so that scripts/bench_talib.py times TA-Lib on
/// the very same numbers.
enum SyntheticBars {
    struct Bars {
        var open, high, low, close, volume: Column<Double>
    }

    static func make(count: Int, seed: UInt64 = 42) -> Bars {
        var state = seed
        func uniform() -> Double {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return Double((state &* 0x2545F4914F6CDD1D) >> 11) * 0x1.0p-53
        }
        var o = [Double](repeating: 0, count: count), h = o, l = o, c = o, v = o
        var logPrice = 0.0 // log(price / 100)
        var previousClose = 100.0
        for i in 0..<count {
            logPrice = 0.9995 * logPrice + (uniform() - 0.5) * 0.02
            let close = ((100 * exp(logPrice)) * 100).rounded(.toNearestOrEven) / 100
            let open = previousClose
            let high = ((Swift.max(open, close) * (1 + uniform() * 0.01)) * 100).rounded(.up) / 100
            let low = ((Swift.min(open, close) * (1 - uniform() * 0.01)) * 100).rounded(.down) / 100
            o[i] = open; h[i] = high; l[i] = low; c[i] = close
            v[i] = (uniform() * 1_000_000).rounded(.down) + 100
            previousClose = close
        }
        return Bars(open: Column(o), high: Column(h), low: Column(l), close: Column(c), volume: Column(v))
    }

    /// Writes the bars where scripts/bench_talib.py looks for them (once per count and seed).
    static func export(_ bars: Bars, count: Int, seed: UInt64 = 42, directory: String) {
        let path = "\(directory)/ohlcv-\(count)-seed\(seed).f64"
        if access(path, F_OK) == 0 { return }
        mkdir(directory, 0o755)
        guard let file = fopen(path, "wb") else { return }
        defer { fclose(file) }
        for column in [bars.open, bars.high, bars.low, bars.close, bars.volume] {
            column.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 8, $0.count, file) }
        }
    }
}
