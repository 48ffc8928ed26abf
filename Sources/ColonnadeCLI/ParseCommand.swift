import ArgumentParser
import Colonnade

/// `colonnade parse "ENGLISH"`: the spec an English description becomes, and why.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Translate an English strategy description into a spec and explain each phrase.",
        discussion: """
        The translator is deterministic and needs no network (docs/english.md lists what it \
        reads). Every phrase it uses is explained, with the default it filled in where the words \
        left something open ("high volume", "RSI" without a period); words it cannot place exit \
        with status 2 and are quoted.
        Examples:
          colonnade parse "Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below"
          colonnade parse "Find stocks that gap up by more than 3% with high volume" --format json
          colonnade parse "Buy when RSI(14) crosses above 30 with a 5% stop loss, sell after 10 days" > rsi.json
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: ArgumentHelp("The description, in quotes.", valueName: "english"))
    var english: String

    @Option(name: .long, help: "Output: 'text' (the explanation, then the spec) or 'json' ({\"spec\", \"explanation\"}).")
    var format: Format = .text

    func run() throws {
        let translation: Translation
        do {
            translation = try EnglishTranslator().translate(english)
        } catch {
            printError("error: \(error)")
            throw ExitStatus.invalidRequest
        }
        switch format {
        case .text:
            print("Read as:")
            for explanation in translation.explanations { print("  \(explanation)") }
            print("")
            print(translation.spec.json, terminator: "")
        case .json:
            let explanation = translation.explanations.map { e in
                "{\"phrase\":\(IndicatorReport.jsonString(e.phrase)),\"meaning\":\(IndicatorReport.jsonString(e.meaning))"
                    + (e.defaultUsed.map { ",\"default\":\(IndicatorReport.jsonString($0))" } ?? "") + "}"
            }
            print("{\"spec\":\(translation.spec.compactJSON),\"explanation\":[\(explanation.joined(separator: ","))]}")
        }
    }
}
