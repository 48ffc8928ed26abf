import Benchmark
import Colonnade

/// Indicator throughput on 10M deterministic bars, every indicator at its TA-Lib defaults
/// (the same specs scripts/bench_talib.py times with TA-Lib). One iteration = one batch kernel
/// over all 10M bars; ns/bar = wall clock / 10M.
let barCount = 10_000_000

/// The folder of this package, from this file's path (Benchmarks/Benchmarks/IndicatorBenchmarks/).
let dataDirectory: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/.data"
}()

nonisolated(unsafe) var sharedBars: BarSeries? = nil

func bars() -> BarSeries {
    if let bars = sharedBars { return bars }
    let b = SyntheticBars.make(count: barCount)
    SyntheticBars.export(b, count: barCount, directory: dataDirectory)
    let time = Column<Int64>((0..<barCount).map { Int64($0) * 60_000_000_000 })
    let series = try! BarSeries(symbol: "SYN", time: time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume)
    sharedBars = series
    return series
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock],
        timeUnits: .microseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 15
    )
    let series = bars()
    for definition in IndicatorCatalog.all {
        Benchmark(definition.name) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try definition.evaluate(on: series))
            }
        }
    }
}
