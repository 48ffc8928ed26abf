import ArgumentParser
import Colonnade

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest a built-in strategy on a bar file and print its statistics and trades.",
        discussion: """
        Strategies and their parameters (KEY=VALUE; omitted ones take their defaults):
        \(BuiltInStrategy.catalog.map { d in
            "  \(d.name): \(d.summary)\n" + d.parameters.map { "      \($0.name) (default \($0.defaultValue)): \($0.summary)" }.joined(separator: "\n")
        }.joined(separator: "\n"))

        The backtesting-py profile reproduces backtesting.py 0.6.6: market orders fill at the next \
        bar's open, commission is a fraction of the traded value charged on entry and on exit, \
        whole units, an unsized order takes all the available margin, and the trade still open \
        at the end is left out of the trade statistics (its profit is in the equity).

        Examples:
          colonnade backtest --data Fixtures/GOOG.csv --strategy sma-cross
          colonnade backtest --data Fixtures/GOOG.csv --strategy sma-cross --param fast=10 --param slow=20 --param direction=long-short --cash 10000 --commission 0.002 --exclusive-orders --format json
          colonnade backtest --data Fixtures/EURUSD.csv --strategy rsi-reversal --param lower=25 --spread 0.0002
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum Profile: String, ExpressibleByArgument, CaseIterable { case backtestingPy = "backtesting-py" }

    @Option(name: .long, help: ArgumentHelp("The bar file (CSV).", valueName: "file"))
    var data: [String] = []

    @OptionGroup var importFlags: ImportFlags

    @Option(name: .long, help: ArgumentHelp("A built-in strategy: \(BuiltInStrategy.catalog.map(\.name).joined(separator: ", ")).", valueName: "name"))
    var strategy: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A strategy parameter, KEY=VALUE. Repeatable.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(name: .long, help: "Starting cash.")
    var cash: Double = 10_000

    @Option(name: .long, help: "Commission as a fraction of traded value, charged on entry and on exit (0.002 = 0.2%).")
    var commission: Double = 0

    @Option(name: .long, help: "Relative bid-ask spread paid on entry (0.0002 = 2 bps).")
    var spread: Double = 0

    @Option(name: .long, help: "Execution profile. Only 'backtesting-py' is available yet.")
    var profile: Profile = .backtestingPy

    @Flag(name: .long, help: "Each new order first closes the open trade (backtesting.py's exclusive_orders).")
    var exclusiveOrders = false

    @Flag(name: .long, help: "Close the trade still open after the last bar, at its open, so it counts in the statistics.")
    var finalizeTrades = false

    @Option(name: .long, help: "Output: 'text' (statistics and a trade table) or 'json'.")
    var format: Format = .text

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("Missing expected argument '--data <file>'.") }
        guard data.count == 1 else {
            throw ValidationError("Give one --data file: the command backtests one symbol; portfolios of several symbols on one account run from the library (Backtest(instruments:) with SMACross, for one).")
        }
    }

    func run() throws {
        var params: [String: String] = [:]
        let built: BuiltInStrategy
        let configuration = BrokerConfiguration.backtestingPy(cash: cash, commission: commission, spread: spread,
                                                              exclusiveOrders: exclusiveOrders, finalizeTrades: finalizeTrades)
        do {
            for text in parameters {
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw StrategyParameterError(parameter: text, "must be written KEY=VALUE")
                }
                guard params[parts[0]] == nil else { throw StrategyParameterError(parameter: parts[0], "is given twice") }
                params[parts[0]] = parts[1]
            }
            built = try BuiltInStrategy(name: strategy, parameters: params)
            try configuration.validate()
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        let loaded = try importFlags.load(data[0])
        guard loaded.series.count == 1 else {
            printError("error: \(DataError(.multipleSymbols(loaded.series.compactMap(\.symbol)), at: DataLocation(file: data[0])))")
            throw ExitStatus.dataError
        }
        let bars = loaded.series[0]
        let result: BacktestResult
        do {
            result = try built.run(in: Backtest(bars: bars, configuration: configuration))
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        let describedParams = BuiltInStrategy.catalog.first { $0.name == strategy }!.parameters
            .map { ($0.name, params[$0.name] ?? $0.defaultValue) }
        switch format {
        case .json: print(BacktestReport.json(bars: bars, result: result))
        case .text:
            print(BacktestReport.text(file: data[0], strategy: strategy, parameters: describedParams,
                                      configuration: configuration, bars: bars, result: result), terminator: "")
        }
    }
}
