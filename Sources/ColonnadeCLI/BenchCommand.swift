import ArgumentParser
import Colonnade
import Foundation

/// A quick throughput check on deterministic synthetic bars. The package-benchmark targets in
/// Benchmarks/ and scripts/run_engine_benchmarks.sh are the measured figures; this is for a user
/// who wants to know what their machine does.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure engine or indicator throughput on synthetic bars.",
        discussion: """
        Bars come from BarSeries.synthetic (a seeded random walk around 100, one-minute bars), \
        generated before the clock starts. Each measurement is repeated; the median is reported.

        Examples:
          colonnade bench engine --bars 1000000
          colonnade bench engine --bars 10000 --symbols 500 --format json
          colonnade bench indicators --bars 1000000 --indicator sma --indicator rsi
          colonnade bench report --bars 1000000 --output /tmp/report-1m.html
        """,
        subcommands: [BenchEngineCommand.self, BenchIndicatorsCommand.self, BenchReportCommand.self]
    )
}

/// Options every bench subcommand takes.
struct BenchOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: ArgumentHelp("Bars per symbol.", valueName: "n"))
    var bars: Int = 1_000_000

    @Option(name: .customLong("repeat"), help: ArgumentHelp("Timed repetitions after one untimed warm-up; the median is reported.", valueName: "n"))
    var repetitions: Int = 5

    @Option(name: .long, help: ArgumentHelp("Seed of the synthetic bars (symbol k uses seed + k).", valueName: "n"))
    var seed: UInt64 = 42

    @Option(name: .long, help: "Output: 'text' or 'json'.")
    var format: Format = .text

    func validate() throws {
        guard bars >= 2 else { throw ValidationError("--bars must be at least 2, is \(bars).") }
        guard bars <= 100_000_000 else { throw ValidationError("--bars must be at most 100000000, is \(bars).") }
        guard (1...1_000).contains(repetitions) else { throw ValidationError("--repeat must be in 1...1000, is \(repetitions).") }
    }

    /// Runs `body` once untimed, then `repeat` times timed, and returns the median seconds and the
    /// last result (so the work cannot be optimized away and its outcome can be reported).
    func measure<R>(_ body: () throws -> R) rethrows -> (seconds: Double, result: R) {
        var result = try body()
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            let start = clock.now
            result = try body()
            let elapsed = start.duration(to: clock.now)
            samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        samples.sort()
        let middle = samples.count / 2
        let median = samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
        return (median, result)
    }
}

struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time a backtest: SMA(10)/SMA(20) long-only cross, indicators and statistics included.",
        discussion: """
        The workload: SMA(10)/SMA(20) cross, long-only, cash 10,000 per symbol, commission 0.002 of \
        traded value on entry and exit, fills at the next open (the backtesting-py profile). One \
        symbol buys all-in; K symbols share one account and each entry commits 1/K of the margin \
        available. The timed span is what a user waits for: the indicators, the bar loop and every \
        statistic. "bars" counts every symbol's bars (bars per symbol x symbols).

        --path event (the default) runs the event engine (Backtest with the SMACross strategy); \
        --path fast runs the signal fast path (SignalBacktest on the crossings as bit columns, \
        computed inside the timed span), one symbol only. Both give the same trades.

        Examples:
          colonnade bench engine --bars 1000000
          colonnade bench engine --bars 1000000 --path fast
          colonnade bench engine --bars 10000 --symbols 500 --format json
        """
    )

    enum Path: String, ExpressibleByArgument, CaseIterable { case event, fast }

    @OptionGroup var options: BenchOptions

    @Option(name: .long, help: ArgumentHelp("Symbols on one clock sharing one account.", valueName: "k"))
    var symbols: Int = 1

    @Option(name: .long, help: "Which backtester: 'event' (the event engine) or 'fast' (the signal fast path, one symbol).")
    var path: Path = .event

    func validate() throws {
        guard (1...10_000).contains(symbols) else { throw ValidationError("--symbols must be in 1...10000, is \(symbols).") }
        guard path == .event || symbols == 1 else {
            throw ValidationError("--path fast backtests one symbol; --symbols must be 1, is \(symbols).")
        }
        guard options.bars * symbols <= 200_000_000 else {
            throw ValidationError("--bars x --symbols must be at most 200000000 (memory), is \(options.bars * symbols).")
        }
    }

    func run() throws {
        let instruments = (0..<symbols).map {
            BarSeries.synthetic(count: options.bars, seed: options.seed &+ UInt64($0), symbol: "SYN\($0)")
        }
        let backtest = Backtest(instruments: instruments,
                                configuration: .backtestingPy(cash: 10_000 * Double(symbols), commission: 0.002))
        let strategy = try SMACross(fast: 10, slow: 20, direction: .longOnly)
        let (seconds, result) = try options.measure {
            switch path {
            case .event:
                return try backtest.run(strategy)
            case .fast:
                let (signals, warmUp) = try strategy.longOnlySignals(for: instruments[0])
                return try SignalBacktest(bars: instruments[0], configuration: backtest.configuration)
                    .run(signals, warmUpBars: warmUp)
            }
        }
        let total = options.bars * symbols
        let rate = Double(total) / seconds
        let stats = result.statistics
        switch options.format {
        case .json:
            print("{\"path\": \"\(path.rawValue)\", \"bars\": \(total), \"symbols\": \(symbols), \"barsPerSymbol\": \(options.bars), "
                  + "\"seconds\": \(seconds), \"barsPerSecond\": \(rate.rounded()), "
                  + "\"orders\": \(result.orders.count), \"trades\": \(stats.tradeCount), \"equityFinal\": \(stats.equityFinal)}")
        case .text:
            print("""
            \(path == .event ? "event engine" : "signal fast path"): SMA(10)/SMA(20) long-only cross, \(symbols) symbol\(symbols == 1 ? "" : "s") x \(options.bars) bars
              bars          \(total)
              seconds       \(formatted(seconds, digits: 6)) (median of \(options.repetitions))
              bars/s        \(formatted(rate / 1e6, digits: 1))M
              orders        \(result.orders.count)
              trades        \(stats.tradeCount)
              equity final  \(formatted(stats.equityFinal, digits: 2))
            """)
        }
    }
}

struct BenchIndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Time indicator batch kernels at their TA-Lib defaults.",
        discussion: """
        Each indicator is computed over all bars of one symbol, output columns included. "seconds" \
        in the JSON totals the medians of the indicators timed, and "barsPerSecond" is bars over \
        that total (every indicator computed once over the bars).

        Examples:
          colonnade bench indicators
          colonnade bench indicators --bars 10000000 --indicator sma --indicator ema --format json
        """
    )

    @OptionGroup var options: BenchOptions

    @Option(name: .customLong("indicator"), help: ArgumentHelp("An indicator to time (default: all of them). Repeatable.", valueName: "name"))
    var names: [String] = []

    func run() throws {
        var definitions: [IndicatorDefinition] = []
        for name in names {
            do {
                definitions.append(try IndicatorCatalog.definition(named: name))
            } catch {
                printError("error: \(error) (`colonnade indicators --list` lists them)")
                throw ExitStatus.invalidRequest
            }
        }
        if definitions.isEmpty { definitions = IndicatorCatalog.all }
        let bars = BarSeries.synthetic(count: options.bars, seed: options.seed, symbol: "SYN")
        var rows: [(name: String, seconds: Double)] = []
        for definition in definitions {
            let (seconds, _) = try options.measure { try definition.evaluate(on: bars) }
            rows.append((definition.name, seconds))
        }
        let total = rows.reduce(0) { $0 + $1.seconds }
        let n = Double(options.bars)
        switch options.format {
        case .json:
            let items = rows.map { "{\"name\": \"\($0.name)\", \"seconds\": \($0.seconds), \"barsPerSecond\": \((n / $0.seconds).rounded())}" }
            print("{\"bars\": \(options.bars), \"seconds\": \(total), \"barsPerSecond\": \((n / total).rounded()), "
                  + "\"indicators\": [\(items.joined(separator: ", "))]}")
        case .text:
            print("indicators on \(options.bars) bars (median of \(options.repetitions))")
            for row in rows {
                print("  \(row.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(formatted(row.seconds * 1e9 / n, digits: 2)) ns/bar  \(formatted(n / row.seconds / 1e6, digits: 1))M bars/s")
            }
        }
    }
}

private func formatted(_ x: Double, digits: Int) -> String { String(format: "%.\(digits)f", x) }

/// `bench report`: how long writing the HTML report of a long run takes and how large it is.
struct BenchReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time rendering the HTML report of an SMA-cross run on synthetic bars, and write it.",
        discussion: """
        The run (the event engine, SMA(10)/SMA(20) long-short, backtesting-py profile) happens \
        before the clock starts; what is timed is HTMLReport.render. The page is written to \
        --output so a browser can be timed on it (scripts/measure_report.sh does, with Chromium).
        Examples:
          colonnade bench report --bars 1000000 --output /tmp/report-1m.html
        """)

    @OptionGroup var options: BenchOptions

    @Option(name: .long, help: ArgumentHelp("Where the report goes.", valueName: "file.html"))
    var output = "bench-report.html"

    func run() throws {
        let bars = BarSeries.synthetic(count: options.bars, seed: options.seed, symbol: "SYN")
        let configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002)
        let result = try Backtest(bars: bars, configuration: configuration).run(SMACross(fast: 10, slow: 20))
        let fast = try SMA.compute(bars.close, period: 10), slow = try SMA.compute(bars.close, period: 20)
        let content = ReportContent(strategy: "sma-cross (fast=10, slow=20)", data: "synthetic, seed \(options.seed)", bars: bars,
                                    result: result, profile: "backtesting-py", assumptions: configuration.assumptions,
                                    indicators: [.init(label: "sma(close, 10)", values: fast), .init(label: "sma(close, 20)", values: slow)],
                                    cash: 10_000)
        let (seconds, html) = options.measure { HTMLReport.render(content) }
        do {
            try html.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            printError("error: \(output): cannot write the file (\(error.localizedDescription))")
            throw ExitStatus.invalidRequest
        }
        let bytes = html.utf8.count
        switch options.format {
        case .json:
            print("{\"bars\": \(options.bars), \"trades\": \(result.trades.count), \"seconds\": \(seconds), \"bytes\": \(bytes), \"output\": \(IndicatorReport.jsonString(output))}")
        case .text:
            print("""
            HTML report of an SMA(10)/SMA(20) cross on \(options.bars) synthetic bars, \(result.trades.count) trades
              render seconds  \(formatted(seconds, digits: 4)) (median of \(options.repetitions))
              bytes           \(bytes)
              written to      \(output)
            """)
        }
    }
}
