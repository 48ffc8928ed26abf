import ArgumentParser
import Colonnade
import Foundation

/// `colonnade strategies status|run DIR`: a folder of spec files as a strategy library.
struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies",
        abstract: "Treat a folder of strategy specs as a library: list their state, run them.",
        discussion: """
        Every *.json file directly in the folder is a spec (docs/spec.md); NAME.result.json beside \
        NAME.json holds its last result: the backtest's JSON report (as `backtest --format json` \
        prints it) with the data it ran on, when, and a fingerprint of the spec file, so a spec \
        edited since its run shows as stale. Each spec runs with its own execution settings.
        Examples:
          colonnade strategies status examples/strategies
          colonnade strategies run examples/strategies --data-dir Fixtures
          colonnade strategies run examples/strategies --only rsi-rebound --data Fixtures/EURUSD.csv
        """,
        subcommands: [Status.self, Run.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    /// The folder's specs; a folder that cannot be listed exits 2.
    static func entries(in folder: String) throws -> [StrategyFolder.Entry] {
        do {
            return try StrategyFolder.entries(in: folder)
        } catch {
            printError("error: \(error.message)")
            throw ExitStatus.invalidRequest
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each spec of the folder: valid or not (and why), where it runs, its last result.",
            discussion: """
            Exit status 0 when the folder can be listed, whatever state its specs are in; 2 when it cannot.
            `--format json` prints an array of {"file", "name", "valid", "problem", "runsOn", \
            "lastResult": {"ranAt", "data", "stale", "returnPct", "sharpeRatio", "maxDrawdownPct", \
            "tradeCount", "equityFinal"}}, with null for what a spec does not have.
            Examples:
              colonnade strategies status examples/strategies
              colonnade strategies status examples/strategies --format json
            """)

        @Argument(help: ArgumentHelp("The folder of *.json specs.", valueName: "dir"))
        var folder: String

        @Option(name: .long, help: "Output: 'text' (a line per spec) or 'json'.")
        var format: Format = .text

        func run() throws {
            let entries = try StrategiesCommand.entries(in: folder)
            switch format {
            case .text: print(Self.text(entries, folder: folder), terminator: "")
            case .json: print("[" + entries.map(Self.json).joined(separator: ",") + "]")
            }
        }

        /// Where a valid spec runs: every one runs on both, with the same trades (the fast path one
        /// instrument at a time).
        static let runsOn = "event engine and fast path"

        static func text(_ entries: [StrategyFolder.Entry], folder: String) -> String {
            let valid = entries.filter { $0.spec != nil }.count
            var out = "\(folder): \(entries.count) spec\(entries.count == 1 ? "" : "s"), \(valid) valid\n"
            let width = entries.map(\.fileName.count).max() ?? 0
            for entry in entries {
                let name = entry.fileName.padding(toLength: width, withPad: " ", startingAt: 0)
                guard let spec = entry.spec else {
                    out += "  \(name)  invalid: \(entry.problem ?? "")\n"
                    continue
                }
                out += "  \(name)  valid \"\(spec.name)\", runs on the \(runsOn); "
                switch entry.lastResult {
                case nil: out += "not run\n"
                case .failure(let problem): out += "last result unreadable: \(problem.message)\n"
                case .success(let result):
                    let stale = result.specFingerprint == entry.fingerprint ? "" : " (stale: the spec changed since)"
                    out += "last run \(result.ranAt) on \(result.data.joined(separator: ", ")): \(StrategyFolder.summary(result))\(stale)\n"
                }
            }
            return out
        }

        static func json(_ entry: StrategyFolder.Entry) -> String {
            func string(_ s: String?) -> String { s.map(IndicatorReport.jsonString) ?? "null" }
            func number(_ x: Double?) -> String { x.map { IndicatorReport.number($0) } ?? "null" }
            var fields = ["\"file\":\(string(entry.fileName))", "\"name\":\(string(entry.spec?.name))",
                          "\"valid\":\(entry.spec != nil)", "\"problem\":\(string(entry.problem))",
                          "\"runsOn\":\(string(entry.spec.map { _ in runsOn }))"]
            if case .success(let r)? = entry.lastResult {
                fields.append("\"lastResult\":{\"ranAt\":\(string(r.ranAt)),\"data\":[\(r.data.map(IndicatorReport.jsonString).joined(separator: ","))],"
                    + "\"stale\":\(r.specFingerprint != entry.fingerprint),\"returnPct\":\(number(r.returnPct)),"
                    + "\"sharpeRatio\":\(number(r.sharpeRatio)),\"maxDrawdownPct\":\(number(r.maxDrawdownPct)),"
                    + "\"tradeCount\":\(r.tradeCount),\"equityFinal\":\(number(r.equityFinal))}")
            } else if case .failure(let problem)? = entry.lastResult {
                fields.append("\"lastResult\":null,\"resultProblem\":\(string(problem.message))")
            } else {
                fields.append("\"lastResult\":null")
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Backtest every valid spec of the folder (or the ones named) and write NAME.result.json beside each.",
            discussion: """
            Data: the --data files for every spec; without them, each spec's data.symbols, read \
            from SYMBOL.csv in --data-dir (default: the folder itself; the file name's case does \
            not matter). Invalid specs and specs without data are reported and skipped; the \
            others still run. Exit status: 0 when every selected spec ran, 1 when data could not \
            be read, 2 when a spec is invalid, has no data, or --only names no spec.
            Examples:
              colonnade strategies run examples/strategies --data-dir Fixtures
              colonnade strategies run examples/strategies --only sma-cross --data Fixtures/EURUSD.csv --format json
            """)

        @Argument(help: ArgumentHelp("The folder of *.json specs.", valueName: "dir"))
        var folder: String

        @Option(name: .long, help: ArgumentHelp("Run only this spec: its file name without .json, or its name. Repeatable.", valueName: "name"))
        var only: [String] = []

        @Option(name: .long, help: ArgumentHelp("A bar file (CSV) every spec runs on; repeat for a portfolio.", valueName: "file"))
        var data: [String] = []

        @Option(name: .long, help: ArgumentHelp("Where SYMBOL.csv files are found for specs that list data.symbols (default: the folder).", valueName: "dir"))
        var dataDir: String?

        @OptionGroup var importFlags: ImportFlags

        @Option(name: .long, help: "Output: 'text' (a line per spec) or 'json' (an array of {\"file\", \"status\", \"result\", \"resultFile\"}).")
        var format: Format = .text

        func run() throws {
            let entries = try StrategiesCommand.entries(in: folder)
            var selected = entries
            if !only.isEmpty {
                for name in only where !entries.contains(where: { $0.stem == name || $0.spec?.name == name }) {
                    printError("error: \(folder) has no spec \"\(name)\" (it has: \(entries.map(\.stem).joined(separator: ", ")))")
                    throw ExitStatus.invalidRequest
                }
                selected = entries.filter { entry in only.contains { $0 == entry.stem || $0 == entry.spec?.name } }
            }
            var worst: Int32 = 0
            var lines: [String] = [], objects: [String] = []
            for entry in selected {
                let outcome = run(entry)
                worst = Swift.max(worst, outcome.status)
                lines.append("  \(entry.fileName): \(outcome.line)")
                objects.append("{\"file\":\(IndicatorReport.jsonString(entry.fileName)),\"status\":\(IndicatorReport.jsonString(outcome.state))"
                    + ",\"message\":\(IndicatorReport.jsonString(outcome.line))"
                    + ",\"resultFile\":\(outcome.wrote ? IndicatorReport.jsonString(entry.resultPath) : "null")}")
            }
            switch format {
            case .text:
                print("\(folder): ran \(lines.count) spec\(lines.count == 1 ? "" : "s")")
                lines.forEach { print($0) }
            case .json:
                print("[" + objects.joined(separator: ",") + "]")
            }
            if worst != 0 { throw ExitCode(worst) }
        }

        struct Outcome {
            var status: Int32
            /// "ran", "invalid", "no data", "data error", "failed".
            var state: String
            var line: String
            var wrote = false
        }

        /// The data files for a spec: `--data`, else its symbols in the data folder.
        func dataFiles(for spec: StrategySpec) -> Result<[String], StrategyFolder.ResultProblem> {
            if !data.isEmpty { return .success(data) }
            guard !spec.symbols.isEmpty else {
                return .failure(.init(message: "names no symbols (data.symbols) and no --data was given"))
            }
            let directory = dataDir ?? folder
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            var paths: [String] = []
            for symbol in spec.symbols {
                guard let file = files.first(where: { $0.lowercased() == symbol.lowercased() + ".csv" }) else {
                    return .failure(.init(message: "no \(symbol).csv in \(directory) for its symbol \(symbol)"))
                }
                paths.append(directory.hasSuffix("/") ? directory + file : directory + "/" + file)
            }
            return .success(paths)
        }

        func run(_ entry: StrategyFolder.Entry) -> Outcome {
            guard let spec = entry.spec else {
                return Outcome(status: ExitStatus.invalidRequest.rawValue, state: "invalid", line: "invalid: \(entry.problem ?? "")")
            }
            let files: [String]
            switch dataFiles(for: spec) {
            case .success(let found): files = found
            case .failure(let problem): return Outcome(status: ExitStatus.invalidRequest.rawValue, state: "no data", line: "not run: \(problem.message)")
            }
            let instruments: (series: [BarSeries], summary: [BacktestReport.Instrument])
            do {
                instruments = try loadInstruments(files, importFlags: importFlags)
            } catch {
                // loadInstruments printed the problem with its file, line and column.
                let status = (error as? ExitCode)?.rawValue ?? ExitStatus.dataError.rawValue
                return Outcome(status: status, state: "data error", line: "not run: the data could not be used (see above)")
            }
            let result: BacktestResult
            let compiled: CompiledSpec
            do {
                compiled = try spec.compiled()
                result = try Backtest(instruments: instruments.series, configuration: compiled.configuration).run(compiled.strategy)
            } catch {
                return Outcome(status: ExitStatus.invalidRequest.rawValue, state: "failed", line: "failed: \(error)")
            }
            let portfolio = instruments.series.count > 1
            let report = BacktestReport.json(bars: instruments.series[0], result: result, profile: spec.execution.profile.rawValue,
                                             configuration: compiled.configuration, instruments: portfolio ? instruments.summary : nil)
            let text = StrategyFolder.resultJSON(entry: entry, ranAt: Date(), data: files, report: report)
            do {
                try text.write(toFile: entry.resultPath, atomically: true, encoding: .utf8)
            } catch {
                return Outcome(status: ExitStatus.invalidRequest.rawValue, state: "failed",
                               line: "ran, but \(entry.resultPath) could not be written: \(error.localizedDescription)")
            }
            guard case .success(let written) = StrategyFolder.readResult(entry.resultPath) else {
                return Outcome(status: ExitStatus.invalidRequest.rawValue, state: "failed", line: "ran, but \(entry.resultPath) does not read back")
            }
            return Outcome(status: 0, state: "ran", line: "\(StrategyFolder.summary(written)) → \(entry.resultPath)", wrote: true)
        }
    }
}
