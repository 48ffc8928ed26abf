import Benchmark
import BenchmarkSupport
import Colonnade

/// The engine workload of issue 3 (and of `colonnade bench engine`): SMA(10)/SMA(20) long-only
/// cross, cash 10,000 per symbol, commission 0.002 of traded value on entry and exit, fills at the
/// next open (the backtesting-py profile), on `BarSeries.synthetic` bars. One iteration = one whole
/// backtest: both indicators, the bar loop (or the fast path's signal scan) and every statistic. scripts/bench_engine_peers.py runs
/// backtesting.py, backtrader and vectorbt on the very same bars (exported here) in the same sitting.
let singleSymbolBars = 1_000_000
let portfolioSymbols = 500
let portfolioBarsPerSymbol = 10_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .microseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 25
    )
    let strategy = try! SMACross(fast: 10, slow: 20, direction: .longOnly)

    let single = BarSeries.synthetic(count: singleSymbolBars, seed: 42, symbol: "SYN0")
    exportBars(single, seed: 42)
    let singleBacktest = Backtest(bars: single, configuration: .backtestingPy(cash: 10_000, commission: 0.002))
    Benchmark("engine-1M-bars") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try singleBacktest.run(strategy))
        }
    }

    // The same workload through the signal fast path: the crossings become bit columns inside
    // the timed span, and the run gives the same orders, trades and equity as the event engine.
    let fastPath = SignalBacktest(bars: single, configuration: .backtestingPy(cash: 10_000, commission: 0.002))
    Benchmark("fast-path-1M-bars") { benchmark in
        for _ in benchmark.scaledIterations {
            let (signals, warmUp) = try strategy.longOnlySignals(for: single)
            blackHole(try fastPath.run(signals, warmUpBars: warmUp))
        }
    }

    // The same crossings with a 2 % stop-loss and a 4 % take-profit on every entry: the event
    // engine (RuleStrategy) against the fast path, which runs the broker only on bars a leg can
    // reach. Both give the same orders, trades and equity (SignalOrderRulesTests).
    let bracket = OrderRules(stopLoss: .percent(2), takeProfit: .percent(4))
    func bracketSignals() throws -> (TradeSignals, Int) {
        var (signals, warmUp) = try strategy.longOnlySignals(for: single)
        signals.orderRules = bracket
        return (signals, warmUp)
    }
    Benchmark("engine-1M-bars-bracket") { benchmark in
        for _ in benchmark.scaledIterations {
            let (signals, warmUp) = try bracketSignals()
            blackHole(try singleBacktest.run(RuleStrategy(signals: signals, warmUpBars: warmUp)))
        }
    }
    Benchmark("fast-path-1M-bars-bracket") { benchmark in
        for _ in benchmark.scaledIterations {
            let (signals, warmUp) = try bracketSignals()
            blackHole(try fastPath.run(signals, warmUpBars: warmUp))
        }
    }

    // The portfolio's bars (500 x 10k, about 240 MB) exist only while its two benchmarks run:
    // held for the whole process they changed how the allocator treated every other benchmark's
    // memory (freed buffers went back to the kernel and came back as fresh pages, zeroed again,
    // on every iteration: a million-bar run measured 14-28 ms instead of 11 in a scratch probe).
    let portfolio = PortfolioBars()
    let cash = 10_000 * Double(portfolioSymbols)
    Benchmark("engine-500-symbols-10k-bars", closure: { benchmark in
        let backtest = Backtest(instruments: portfolio.universe, configuration: .backtestingPy(cash: cash, commission: 0.002))
        for _ in benchmark.scaledIterations {
            blackHole(try backtest.run(strategy))
        }
    }, setup: { portfolio.load() }, teardown: { portfolio.unload() })

    // The same portfolio through the signal fast path: each symbol's crossings become bit
    // columns inside the timed span; the run gives the event engine's orders, trades and equity.
    Benchmark("fast-path-500-symbols-10k-bars", closure: { benchmark in
        let universe = portfolio.universe
        let fastPath = SignalBacktest(instruments: universe, configuration: .backtestingPy(cash: cash, commission: 0.002))
        for _ in benchmark.scaledIterations {
            let signals = try universe.map { try strategy.longOnlySignals(for: $0) }
            blackHole(try fastPath.run(signals.map(\.signals), warmUpBars: signals[0].warmUpBars))
        }
    }, setup: { portfolio.load() }, teardown: { portfolio.unload() })
}

/// The portfolio benchmarks' bars, made by their setup and dropped by their teardown.
final class PortfolioBars: @unchecked Sendable {
    private(set) var universe: [BarSeries] = []

    func load() {
        universe = (0..<portfolioSymbols).map {
            BarSeries.synthetic(count: portfolioBarsPerSymbol, seed: 42 + UInt64($0), symbol: "SYN\($0)")
        }
    }

    func unload() { universe = [] }
}
