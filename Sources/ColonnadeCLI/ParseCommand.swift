import ArgumentParser
import Colonnade

/// `colonnade parse "ENGLISH"`: the spec an English description becomes, and why.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Translate an English strategy description into a spec and explain each phrase.",
        discussion: """
        The translator is deterministic and needs no network (docs/english.md lists what it \
        reads). Every phrase it uses is explained, with the default it filled in where the words \
        left something open ("high volume", "RSI" without a period); words it cannot place exit \
        with status 2 and are quoted. With --model, a language model writes the spec instead; \
        it must pass the same validation, and the output names the model in place of the \
        explanation.
        Examples:
          colonnade parse "Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below"
          colonnade parse "Find stocks that gap up by more than 3% with high volume" --format json
          colonnade parse "Buy when RSI(14) crosses above 30 with a 5% stop loss, sell after 10 days" > rsi.json
          COLONNADE_MODEL_URL=http://localhost:8080/v1 COLONNADE_MODEL_NAME=llama3 colonnade parse --model "Buy the dip"
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: ArgumentHelp("The description, in quotes.", valueName: "english"))
    var english: String

    @Option(name: .long, help: "Output: 'text' (the spec on stdout, the explanation of each phrase on stderr) or 'json' ({\"spec\", \"explanation\"} on stdout).")
    var format: Format = .text

    @OptionGroup var modelOptions: ModelOptions

    func run() async throws {
        let translation = try await modelOptions.translate(english)
        switch format {
        case .text:
            // The spec alone on stdout, so `parse "…" > spec.json` writes a file `backtest --spec` runs;
            // the explanation is for the reader, on stderr.
            if let note = translation.modelNote {
                printError("Written by the language model \(note); validated.")
            } else {
                printError("Read as:")
                for explanation in translation.explanations { printError("  \(explanation)") }
            }
            printError("")
            print(translation.spec.json, terminator: "")
        case .json:
            if let note = translation.modelNote {
                print("{\"spec\":\(translation.spec.compactJSON),\"model\":\(IndicatorReport.jsonString(note))}")
                return
            }
            let explanation = translation.explanations.map { e in
                "{\"phrase\":\(IndicatorReport.jsonString(e.phrase)),\"meaning\":\(IndicatorReport.jsonString(e.meaning))"
                    + (e.defaultUsed.map { ",\"default\":\(IndicatorReport.jsonString($0))" } ?? "") + "}"
            }
            print("{\"spec\":\(translation.spec.compactJSON),\"explanation\":[\(explanation.joined(separator: ","))]}")
        }
    }
}
