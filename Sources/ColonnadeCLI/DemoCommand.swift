import ArgumentParser
import Colonnade
import Foundation

/// `colonnade demo`: the whole product in one command. A strategy described in English is
/// translated, backtested on the bundled data under the realistic profile, and written up as an
/// HTML report.
struct DemoCommand: ParsableCommand {
    static let description = "EMA trend with an RSI filter: Buy when the 20-day EMA crosses above the 50-day EMA and RSI(14) is below 70, "
        + "sell when the 20-day EMA crosses below the 50-day EMA, with a 10% trailing stop"

    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Backtest an example strategy described in English on the bundled data and write an HTML report.",
        discussion: """
        The strategy: "\(description)". It is translated as `colonnade parse` would, run under \
        the realistic profile (2 bps spread, volume-share slippage, a 10 % volume cap) with \
        10,000 of cash and a 0.1 % commission, and written up as colonnade-report.html in the \
        current folder: statistics, equity, drawdown, prices with trades and indicators, monthly \
        returns, trade returns, the trades. Run it from the repository (the data is \
        Fixtures/GOOG.csv) or give --data.
        Examples:
          colonnade demo
          colonnade demo --data Fixtures/BTCUSD.csv --output btc.html
          colonnade demo --describe "Buy when RSI(2) is below 10 and sell after 5 days" --quiet
        """)

    @Option(name: .long, help: ArgumentHelp("The bar file (CSV).", valueName: "file"))
    var data = "Fixtures/GOOG.csv"

    @Option(name: .long, help: ArgumentHelp("Where the report goes.", valueName: "file.html"))
    var output = "colonnade-report.html"

    @Option(name: .long, help: ArgumentHelp("Another strategy in English instead of the example.", valueName: "text"))
    var describe: String?

    @Flag(name: .long, help: "No progress lines on standard error.")
    var quiet = false

    @OptionGroup var importFlags: ImportFlags

    func run() throws {
        let progress = ProgressLine(enabled: !quiet)
        let text = describe ?? Self.description
        progress.step("translating the description")
        let translation: Translation
        do {
            translation = try EnglishTranslator().translate(text)
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        var spec = translation.spec
        spec.execution = ExecutionSettings(profile: .realistic, cash: 10_000, commission: 0.001)
        let compiled: CompiledSpec
        do {
            compiled = try spec.compiled()
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        progress.step("reading \(data)")
        let instruments = try loadInstruments([data], importFlags: importFlags)
        let bars = instruments.series[0]
        progress.step("backtesting \(bars.count) bars")
        let result: BacktestResult
        do {
            result = try Backtest(instruments: instruments.series, configuration: compiled.configuration).run(compiled.strategy)
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        progress.step("writing \(output)")
        let rules = [spec.long.map { "long: enter when \($0.entry)" + ($0.exit.map { "; exit when \($0)" } ?? "") },
                     spec.short.map { "short: enter when \($0.entry)" + ($0.exit.map { "; exit when \($0)" } ?? "") },
                     spec.risk.isEmpty ? nil : "risk: \(spec.risk)", "described as: \"\(text)\""].compactMap { $0 }
        let content = ReportContent(strategy: spec.name, strategyDetails: rules, data: data, bars: bars, result: result,
                                    profile: spec.execution.profile.rawValue, assumptions: compiled.configuration.assumptions,
                                    indicators: ((try? compiled.indicatorColumns(on: bars)) ?? []).map { .init(label: $0.label, values: $0.values) },
                                    cash: compiled.configuration.cash)
        do {
            try HTMLReport.render(content).write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            printError("error: \(output): cannot write the file (\(error.localizedDescription))")
            throw ExitStatus.invalidRequest
        }
        progress.done()

        let s = result.statistics
        let first = String(Timestamp.iso8601(bars.time[bars.time.startIndex]).prefix(10)), last = String(Timestamp.iso8601(bars.time[bars.time.startIndex + bars.count - 1]).prefix(10))
        let path = URL(fileURLWithPath: output).standardizedFileURL.path
        print("""
        Colonnade demo: a strategy described in English, backtested on \(data) (\(bars.count) bars, \(first) to \(last)).
          "\(text)"
        \(rules.dropLast().map { "  " + $0 }.joined(separator: "\n"))
          profile realistic: \(compiled.configuration.assumptions.filter { ["commission", "spread", "slippage", "volume cap"].contains($0.name) }
                                    .map { "\($0.name) \($0.value)" }.joined(separator: "; "))

          Return \(BacktestReport.format(s.returnPct, 2)) % (buy & hold \(BacktestReport.format(s.buyAndHoldReturnPct, 2)) %), \
        Sharpe \(BacktestReport.format(s.sharpeRatio, 2)), max. drawdown \(BacktestReport.format(s.maxDrawdownPct, 2)) %, \
        \(s.tradeCount) trades, win rate \(BacktestReport.format(s.winRatePct, 1)) %

        Report: \(path)
        """)
    }
}

/// Progress lines on standard error, only when it is a terminal and not silenced.
struct ProgressLine {
    let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func step(_ what: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(what)…".utf8))
    }

    func done() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
