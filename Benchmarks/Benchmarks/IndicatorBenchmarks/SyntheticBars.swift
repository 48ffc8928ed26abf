import Colonnade
#if canImport(Glibc)
import Glibc
#endif

/// The benchmark bars: ``BarSeries/synthetic(count:seed:symbol:start:step:)`` (deterministic,
/// one-minute bars from 1970-01-01), written once to `.data/ohlcv-<count>-seed<seed>.f64` (five
/// float64 columns back to back: open, high, low, close, volume) so that scripts/bench_talib.py
/// times TA-Lib on the very same numbers.
enum SyntheticBars {
    /// Writes the bars where scripts/bench_talib.py looks for them (once per count and seed).
    static func export(_ bars: BarSeries, seed: UInt64 = 42, directory: String) {
        let path = "\(directory)/ohlcv-\(bars.count)-seed\(seed).f64"
        if access(path, F_OK) == 0 { return }
        mkdir(directory, 0o755)
        guard let file = fopen(path, "wb") else { return }
        defer { fclose(file) }
        for column in [bars.open, bars.high, bars.low, bars.close, bars.volume] {
            column.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 8, $0.count, file) }
        }
    }
}
