import ArgumentParser
import Colonnade
import Foundation

/// Exit statuses, documented in docs/cli.md.
enum ExitStatus {
    /// The data could not be read or failed an integrity check.
    static let dataError = ExitCode(1)
    /// The request was invalid: an unknown indicator or strategy, a wrong parameter, a value out of range.
    static let invalidRequest = ExitCode(2)
    /// A service the command needs did not answer (the language model of `--model`).
    static let serviceUnavailable = ExitCode(3)
}

@main
struct ColonnadeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colonnade",
        abstract: "Columnar backtesting and technical analysis.",
        discussion: """
        Exit status: 0 on success, 1 when the data cannot be read or fails an integrity check \
        (the message names file, line and column), 2 for an invalid request (unknown indicator or \
        strategy, unknown or malformed parameter, value out of range, an order the broker cannot \
        accept, an English description that cannot be translated), 3 when the language model of \
        --model cannot be reached, 64 for a command-line usage error.
        Examples:
          colonnade demo
          colonnade backtest --data Fixtures/GOOG.csv --strategy sma-cross --report sma.html
          colonnade backtest --data Fixtures/GOOG.csv --describe "Buy when RSI(14) crosses above 30 and sell when it crosses above 70"
          colonnade parse "Find stocks that gap up by more than 3% with high volume"
          colonnade indicators --data Fixtures/GOOG.csv --indicator rsi:14 --indicator macd:12,26,9
        """,
        version: "0.1.0",
        subcommands: [DemoCommand.self, BacktestCommand.self, SpecCommand.self, ParseCommand.self, StrategiesCommand.self, IndicatorsCommand.self, CheckCommand.self, BenchCommand.self]
    )
}

/// Options shared by commands that read a bar file. `--data` is optional here so that
/// `indicators --list` runs without it; each command checks it in `validate()`.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The bar file (CSV): Yahoo-style, backtesting.py-style, any column order.", valueName: "file"))
    var data: String?

    @OptionGroup var importFlags: ImportFlags

    var importOptions: CSVImportOptions { importFlags.importOptions }

    /// The usage error for a command that needs `--data` and was not given it.
    func requireData() throws {
        guard data != nil else { throw ValidationError("Missing expected argument '--data <file>'.") }
    }

    /// Loads the file; a data problem is printed to stderr and ends the process with status 1.
    func load() throws -> CSVImport {
        try importFlags.load(data ?? "")
    }
}

/// How a bar file is read: ordering, duplicates, adjusted prices.
struct ImportFlags: ParsableArguments {
    @Flag(name: .long, help: "Sort rows by time instead of rejecting an unsorted file.")
    var sort = false

    @Option(name: .long, help: ArgumentHelp("Rows repeating a timestamp: keep the 'first' or 'last' one (default: reject).", valueName: "first|last"))
    var duplicates: DuplicateChoice?

    @Flag(name: .long, help: "Use the Adj Close column: scale open, high and low by Adj Close / Close.")
    var adjusted = false

    enum DuplicateChoice: String, ExpressibleByArgument { case first, last }

    var importOptions: CSVImportOptions {
        var options = CSVImportOptions()
        if sort { options.ordering = .sort }
        switch duplicates {
        case .first: options.duplicates = .keepFirst
        case .last: options.duplicates = .keepLast
        case nil: break
        }
        options.useAdjustedClose = adjusted
        return options
    }

    /// Loads `path`; a data problem is printed to stderr and ends the process with status 1.
    func load(_ path: String) throws -> CSVImport {
        do {
            return try CSVImporter.read(path, options: importOptions)
        } catch let error as DataError {
            printError("error: \(error)")
            throw ExitStatus.dataError
        }
    }
}

/// Every series of every `--data` file (a file with a symbol column gives one per symbol; one
/// without is named after the file), put on the timestamps they all share. A problem is printed
/// and thrown as the exit status: 1 for data, 2 for a symbol given twice.
func loadInstruments(_ data: [String], importFlags: ImportFlags) throws -> (series: [BarSeries], summary: [BacktestReport.Instrument]) {
    var series: [BarSeries] = [], files: [String] = []
    for path in data {
        let loaded = try importFlags.load(path)
        let stem = String((path.split(separator: "/").last ?? Substring(path)).split(separator: ".").first ?? "")
        for var s in loaded.series {
            if s.symbol == nil { s.symbol = stem }
            series.append(s)
            files.append(path)
        }
    }
    var seen: [String: String] = [:]
    for (s, file) in zip(series, files) {
        if let earlier = seen[s.symbol!] {
            printError("error: symbol \(s.symbol!) appears twice (\(earlier) and \(file)); each instrument must be given once")
            throw ExitStatus.invalidRequest
        }
        seen[s.symbol!] = file
    }
    let (aligned, dropped) = BarSeries.alignedOnSharedTimes(series)
    guard aligned[0].count > 0 else {
        printError("error: \(series.map { $0.symbol! }.joined(separator: ", ")) share no timestamp: there is no bar to backtest them together on")
        throw ExitStatus.dataError
    }
    let summary = zip(aligned, zip(files, dropped)).map {
        BacktestReport.Instrument(symbol: $0.symbol!, file: $1.0, bars: $0.count, dropped: $1.1)
    }
    return (aligned, summary)
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
