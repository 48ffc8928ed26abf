import ArgumentParser
import Foundation
import Colonnade

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest a built-in strategy or a strategy spec on bar files and print its statistics and trades.",
        discussion: """
        Strategies and their parameters (KEY=VALUE; omitted ones take their defaults):
        \(BuiltInStrategy.catalog.map { d in
            "  \(d.name): \(d.summary)\n" + d.parameters.map { "      \($0.name) (default \($0.defaultValue)): \($0.summary)" }.joined(separator: "\n")
        }.joined(separator: "\n"))

        Profiles. realistic (the default): market orders fill at the next bar's open plus half \
        the spread and slippage against the trader on every fill; the spread is 2 bps unless \
        --spread says otherwise; slippage is square-root volume-share impact 0.1·√(q/V), at most \
        5 %, unless --slippage-bps fixes it; an order takes at most 10 % of a bar's volume \
        (--participation), the rest filling on later bars. backtesting-py reproduces \
        backtesting.py 0.6.6: fills at the next open with no slippage and no volume cap, the \
        spread paid whole on entry, commission a fraction of the traded value on entry and on \
        exit. Both: whole units, an unsized order takes all the available margin, and the trade \
        still open at the end is left out of the trade statistics (its profit is in the equity). \
        Every report states the assumptions it ran with.

        Examples:
          colonnade backtest --data Fixtures/GOOG.csv --strategy sma-cross
          colonnade backtest --data Fixtures/GOOG.csv --strategy sma-cross --param fast=10 --param slow=20 --param direction=long-short --cash 10000 --commission 0.002 --profile backtesting-py --exclusive-orders --format json
          colonnade backtest --data Fixtures/GOOG.csv --strategy donchian-breakout --slippage-bps 5 --participation 0.01
          colonnade backtest --data Fixtures/EURUSD.csv --strategy rsi-reversal --param lower=25 --spread 0.0001 --participation 0
          colonnade backtest --data AAPL.csv --data MSFT.csv --data SPY.csv --strategy rsi-reversal

        Several --data files make one portfolio on one account: every instrument is traded by the \
        strategy's rules, each entry sized to 1/K of the margin available, and the instruments are \
        put on the timestamps they all share (a bar one of them lacks is dropped, never filled; the \
        report says how many). Buy & Hold, Alpha and Beta then refer to an equal-weight \
        buy-and-hold of all of them.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: ArgumentHelp("A bar file (CSV). Repeat for a portfolio on one account: instruments are put on the timestamps they all share, and each entry takes 1/K of the margin available.", valueName: "file"))
    var data: [String] = []

    @OptionGroup var importFlags: ImportFlags

    @Option(name: .long, help: ArgumentHelp("A built-in strategy: \(BuiltInStrategy.catalog.map(\.name).joined(separator: ", ")).", valueName: "name"))
    var strategy: String?

    @Option(name: .long, help: ArgumentHelp("A strategy spec (JSON, docs/spec.md) instead of --strategy; `colonnade spec show NAME` prints the built-ins as specs. Its execution settings apply unless a flag below overrides them.", valueName: "file"))
    var spec: String?

    @Option(name: .long, help: ArgumentHelp("The strategy in English instead of --strategy, e.g. \"Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below\"; `colonnade parse` shows how it is read.", valueName: "text"))
    var describe: String?

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .customLong("param"), help: ArgumentHelp("A strategy parameter, KEY=VALUE. Repeatable.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(name: .long, help: "Starting cash (default 10000).")
    var cash: Double?

    @Option(name: .long, help: "Commission as a fraction of traded value, charged on entry and on exit (0.002 = 0.2%; default 0).")
    var commission: Double?

    @Option(name: .long, help: ArgumentHelp("Bid-ask spread as a fraction of the price (0.0002 = 2 bps): half on each fill in the realistic profile (default 0.0002), whole on entry in backtesting-py (default 0).", valueName: "fraction"))
    var spread: Double?

    @Option(name: .long, help: ArgumentHelp("Fixed slippage in basis points on fills at market, instead of the realistic profile's volume-share impact.", valueName: "bps"))
    var slippageBps: Double?

    @Option(name: .long, help: ArgumentHelp("Largest share of a bar's volume an order may take (realistic profile; default 0.1, 0 for no cap).", valueName: "fraction"))
    var participation: Double?

    @Option(name: .long, help: ArgumentHelp("Extra bars between an order and its first chance to fill (realistic profile; default 0).", valueName: "bars"))
    var latencyBars: Int?

    @Option(name: .long, help: "Execution profile: 'realistic' (spread, slippage and a volume cap; the default) or 'backtesting-py' (backtesting.py 0.6.6's semantics).")
    var profile: ExecutionSettings.Profile?

    @Flag(name: .long, help: "Each new order first closes the open trade (backtesting.py's exclusive_orders).")
    var exclusiveOrders = false

    @Flag(name: .long, help: "Close the trade still open after the last bar, at its open, so it counts in the statistics.")
    var finalizeTrades = false

    @Option(name: .long, help: "Output: 'text' (statistics and a trade table) or 'json'.")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Also write the report as one self-contained HTML page (charts, statistics, trades; opens offline).", valueName: "file.html"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Also write every trade as CSV.", valueName: "file.csv"))
    var tradesCSV: String?

    @Option(name: .long, help: ArgumentHelp("Also write the equity curve (time, equity, drawdown) as CSV.", valueName: "file.csv"))
    var equityCSV: String?

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("Missing expected argument '--data <file>'.") }
        let given = [strategy, spec, describe].compactMap { $0 }.count
        guard given == 1 else {
            throw ValidationError(given == 0 ? "Give a strategy: --strategy NAME, --spec FILE or --describe TEXT."
                                             : "Give one of --strategy, --spec and --describe, not several.")
        }
        if modelOptions.usesModel && describe == nil {
            throw ValidationError("--model, --model-url and --model-name translate the text of --describe; give --describe TEXT.")
        }
        if profile == .backtestingPy {
            for (given, flag) in [(slippageBps != nil, "--slippage-bps"), (participation != nil, "--participation"),
                                  (latencyBars != nil, "--latency-bars")] where given {
                throw ValidationError("\(flag) needs --profile realistic: backtesting.py has no slippage, volume cap or latency.")
            }
        }
    }

    func run() async throws {
        var params: [String: String] = [:]
        do {
            for text in parameters {
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw StrategyParameterError(parameter: text, "must be written KEY=VALUE")
                }
                guard params[parts[0]] == nil else { throw StrategyParameterError(parameter: parts[0], "is given twice") }
                params[parts[0]] = parts[1]
            }
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        if let spec {
            let document: StrategySpec
            do {
                document = try StrategySpec(jsonBytes: try readFile(spec))
            } catch let error as SpecError {
                printError("error: \(spec): \(error)")
                throw ExitStatus.invalidRequest
            }
            return try runSpec(document, source: spec, params)
        }
        if let describe {
            let translation = try await modelOptions.translate(describe)
            if let note = translation.modelNote { printError("spec written by the language model \(note); validated") }
            return try runSpec(translation.spec, source: "the description", params)
        }
        let name = strategy!
        let built: BuiltInStrategy
        let settings = executionSettings(over: ExecutionSettings())
        let configuration = settings.configuration
        do {
            try checkProfile(settings)
            built = try BuiltInStrategy(name: name, parameters: params)
            try configuration.validate()
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        let describedParams = BuiltInStrategy.catalog.first { $0.name == name }!.parameters
            .map { ($0.name, params[$0.name] ?? $0.defaultValue) }
        // The built-in's twin spec computes the same indicators, for the report's charts.
        let twin: CompiledSpec? = {
            guard let template = try? StrategySpec.template(named: name) else { return nil }
            let values = params.compactMapValues(Double.init).filter { key, _ in template.parameters.contains { $0.name == key } }
            return try? template.compiled(parameters: values)
        }()
        try report(strategy: name, parameters: describedParams, settings: settings, charted: twin) { instruments throws(BacktestError) in
            try built.run(in: Backtest(instruments: instruments, configuration: configuration))
        }
    }

    /// `--spec FILE` or `--describe TEXT`: the spec's execution settings, overridden by the flags given.
    private func runSpec(_ document: StrategySpec, source path: String, _ params: [String: String]) throws {
        let compiled: CompiledSpec
        let settings: ExecutionSettings
        do {
            var values: [String: Double] = [:]
            for (key, text) in params {
                guard let value = Double(text), value.isFinite else { throw StrategyParameterError(parameter: key, "must be a number, is '\(text)'") }
                values[key] = value
            }
            settings = executionSettings(over: document.execution)
            try checkProfile(settings)
            var withSettings = document
            withSettings.execution = settings
            compiled = try withSettings.compiled(parameters: values)
        } catch let error as SpecError {
            printError("error: \(path): \(error)")
            throw ExitStatus.invalidRequest
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        let described = document.parameters.map { ($0.name, Self.formatted(compiled.parameterValues[$0.name]!)) }
        let rules = ["risk \(document.risk)", "orders entries \(document.entryOrder), exits \(document.exitOrder)"]
        try report(strategy: document.name, parameters: described, settings: settings, rules: rules, charted: compiled) { instruments throws(BacktestError) in
            try Backtest(instruments: instruments, configuration: compiled.configuration).run(compiled.strategy)
        }
    }

    /// Loads the data, runs, prints the report.
    private func report(strategy name: String, parameters described: [(String, String)], settings: ExecutionSettings,
                        rules: [String] = [], charted: CompiledSpec? = nil, run: ([BarSeries]) throws(BacktestError) -> BacktestResult) throws {
        let instruments = try loadInstruments(data, importFlags: importFlags)
        let bars = instruments.series[0]
        let result: BacktestResult
        do {
            result = try run(instruments.series)
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        let configuration = settings.configuration
        let symbols = instruments.series.count > 1 ? instruments.series.map { $0.symbol ?? "" } : nil
        if report != nil || tradesCSV != nil || equityCSV != nil {
            // Only a report needs the indicators evaluated again; a plain run skips it.
            let title = described.isEmpty ? name : "\(name) (\(described.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")))"
            let indicators = report == nil ? [] : ((try? charted?.indicatorColumns(on: bars)) ?? [])
            let content = ReportContent(strategy: title, strategyDetails: rules, data: data.joined(separator: ", "), bars: bars, result: result,
                                        profile: settings.profile.rawValue, assumptions: configuration.assumptions,
                                        indicators: indicators.map { .init(label: $0.label, values: $0.values) }, cash: configuration.cash)
            try writeFiles(content)
        }
        switch format {
        case .json:
            print(BacktestReport.json(bars: bars, result: result, profile: settings.profile.rawValue, configuration: configuration,
                                      instruments: symbols == nil ? nil : instruments.summary))
        case .text:
            print(BacktestReport.text(file: data.joined(separator: ", "), strategy: name, parameters: described,
                                      profile: settings.profile.rawValue, configuration: configuration, bars: bars, result: result,
                                      instruments: symbols == nil ? nil : instruments.summary, rules: rules), terminator: "")
        }
    }

    /// `--report`, `--trades-csv` and `--equity-csv`; a file that cannot be written exits 2 with its path.
    func writeFiles(_ content: ReportContent) throws {
        let outputs: [(String?, () -> String)] = [(report, { HTMLReport.render(content) }),
                                                  (tradesCSV, { ResultExport.tradesCSV(content) }),
                                                  (equityCSV, { ResultExport.equityCSV(content) })]
        for case let (path?, render) in outputs {
            do {
                try render().write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                printError("error: \(path): cannot write the file (\(error.localizedDescription))")
                throw ExitStatus.invalidRequest
            }
        }
    }

    static func formatted(_ value: Double) -> String {
        value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `base` with every flag that was given put over it.
    func executionSettings(over base: ExecutionSettings) -> ExecutionSettings {
        var settings = base
        if let profile { settings.profile = profile }
        if let cash { settings.cash = cash }
        if let commission { settings.commission = commission }
        if let spread { settings.spread = spread }
        if let slippageBps { settings.slippageBasisPoints = slippageBps }
        if let participation { settings.participation = participation }
        if let latencyBars { settings.latencyBars = latencyBars }
        if exclusiveOrders { settings.exclusiveOrders = true }
        if finalizeTrades { settings.finalizeTrades = true }
        return settings
    }

    /// A spec's backtesting-py profile with a flag it cannot take (the flags alone are checked in `validate()`).
    private func checkProfile(_ settings: ExecutionSettings) throws {
        let flags = ["slippageBps": "--slippage-bps", "participation": "--participation", "latencyBars": "--latency-bars"]
        if let setting = settings.settingsOutsideProfile.first {
            throw ValidationError("\(flags[setting]!) needs --profile realistic: backtesting.py has no slippage, volume cap or latency.")
        }
    }
}
