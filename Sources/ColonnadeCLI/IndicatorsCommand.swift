import ArgumentParser
import Colonnade

struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Compute technical indicators over a bar file.",
        discussion: """
        SPEC is a TA-Lib function name in lower case, optionally followed by ':' and its numeric \
        parameters in TA-Lib's order, comma-separated, without the moving-average-type parameters \
        (they keep TA-Lib's defaults). Omitted parameters take TA-Lib's defaults.

        Examples:
          colonnade indicators --data Fixtures/GOOG.csv --indicator sma:20 --indicator rsi
          colonnade indicators --data Fixtures/GOOG.csv --indicator macd:12,26,9 --format json
          colonnade indicators --data Fixtures/EURUSD.csv --indicator bbands:20,2,2 --indicator stoch:5,3,3 --format csv
          colonnade indicators --list
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .customLong("indicator"), help: ArgumentHelp("An indicator spec, e.g. sma:20, macd:12,26,9, obv. Repeatable.", valueName: "spec"))
    var indicators: [String] = []

    @Option(name: .long, help: "Output: 'text' (a readable summary), 'json' or 'csv' (full series).")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "List the available indicators with their parameters and defaults.")
    var list = false

    func validate() throws {
        if list { return }
        try dataOptions.requireData()
        guard !indicators.isEmpty else { throw ValidationError("Give at least one --indicator SPEC (e.g. --indicator sma:20), or --list.") }
    }

    func run() throws {
        if list {
            print(IndicatorReport.catalogListing(), terminator: "")
            return
        }
        let specs: [IndicatorSpec]
        do {
            specs = try indicators.map { text throws(IndicatorError) in try IndicatorSpec.parse(text) }
            for spec in specs { _ = try IndicatorCatalog.definition(named: spec.name) }
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        let loaded = try dataOptions.load()
        guard loaded.series.count == 1 else {
            printError("error: \(DataError(.multipleSymbols(loaded.series.compactMap(\.symbol)), at: DataLocation(file: dataOptions.data)))")
            throw ExitStatus.dataError
        }
        let bars = loaded.series[0]
        var results: [IndicatorReport.Result] = []
        do {
            for spec in specs {
                results.append(IndicatorReport.Result(spec: spec, outputs: try IndicatorCatalog.evaluate(spec, on: bars)))
            }
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        let text: String
        switch format {
        case .json: text = IndicatorReport.json(bars: bars, results: results)
        case .csv: text = IndicatorReport.csv(bars: bars, results: results)
        case .text: text = IndicatorReport.summary(file: dataOptions.data ?? "", bars: bars, import: loaded, results: results)
        }
        if let output {
            do { try writeFile(output, text) } catch {
                printError("error: cannot write \(output): \(error)")
                throw ExitStatus.dataError
            }
        } else {
            print(text, terminator: "")
        }
    }
}

struct FileWriteError: Error, CustomStringConvertible {
    var description: String
}

func writeFile(_ path: String, _ text: String) throws {
    guard let handle = fopen(path, "wb") else { throw FileWriteError(description: String(cString: strerror(errno))) }
    defer { fclose(handle) }
    let bytes = Array(text.utf8)
    guard fwrite(bytes, 1, bytes.count, handle) == bytes.count else { throw FileWriteError(description: String(cString: strerror(errno))) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
