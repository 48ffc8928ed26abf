#if canImport(Glibc)
import Glibc
#endif
import Benchmark
import BenchmarkSupport
import Colonnade

/// Indicator throughput on 10M deterministic bars, every indicator at its TA-Lib defaults
/// (the same specs scripts/bench_talib.py times with TA-Lib). One iteration = one batch kernel
/// over all 10M bars; ns/bar = wall clock / 10M.
let barCount = 10_000_000

nonisolated(unsafe) var sharedBars: BarSeries? = nil

func bars() -> BarSeries {
    if let bars = sharedBars { return bars }
    let series = BarSeries.synthetic(count: barCount, seed: 42, symbol: "SYN")
    exportBars(series, seed: 42)
    sharedBars = series
    return series
}

let benchmarks: @Sendable () -> Void = {
    // COLONNADE_FAULT_HELPER=0 keeps every page fault of a fresh output on the computing thread,
    // as TA-Lib (numpy) does: the figure without the second core's help (docs/benchmarks.md).
    if let setting = getenv("COLONNADE_FAULT_HELPER"), String(cString: setting) == "0" {
        MemoryAdvice.faultsInFreshColumnsOnHelperThread = false
    }
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
