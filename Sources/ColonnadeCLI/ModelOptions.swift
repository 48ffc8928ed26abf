import ArgumentParser
import ChatCompletions
import Colonnade
import Foundation

/// How English becomes a spec: the built-in translator, or a language model behind an
/// OpenAI-compatible endpoint (`--model`).
struct ModelOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(
        "Translate with a language model instead of the built-in translator: an OpenAI-compatible endpoint from COLONNADE_MODEL_URL, the model from COLONNADE_MODEL_NAME, the key (optional) from COLONNADE_MODEL_KEY. Its answer must be a valid spec; problems go back to it for --repair-rounds rounds."))
    var model = false

    @Option(name: .long, help: ArgumentHelp("The endpoint's base URL, in place of COLONNADE_MODEL_URL (implies --model).", valueName: "url"))
    var modelURL: String?

    @Option(name: .long, help: ArgumentHelp("The model's name, in place of COLONNADE_MODEL_NAME (implies --model).", valueName: "name"))
    var modelName: String?

    @Option(name: .long, help: ArgumentHelp("Times an invalid answer goes back to the model with its problem (0-\(ModelTranslator.maximumRepairRoundsLimit)).", valueName: "n"))
    var repairRounds: Int = ModelTranslator.defaultRepairRounds

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for each answer of the model.", valueName: "seconds"))
    var modelTimeout: Double = ChatCompletionsConfiguration.defaultTimeout

    var usesModel: Bool { model || modelURL != nil || modelName != nil }

    func validate() throws {
        guard (0...ModelTranslator.maximumRepairRoundsLimit).contains(repairRounds) else {
            throw ValidationError("--repair-rounds must lie in 0...\(ModelTranslator.maximumRepairRoundsLimit), not \(repairRounds).")
        }
        guard modelTimeout > 0, modelTimeout.isFinite else { throw ValidationError("--model-timeout must be a positive number of seconds.") }
    }

    /// What the description became, and who translated it.
    struct Result {
        var spec: StrategySpec
        /// The built-in translator's explanation; empty for a model's spec.
        var explanations: [Translation.Explanation]
        /// "gpt-4o-mini at https://…/chat/completions, 2 answers" for a model; nil for the built-in translator.
        var modelNote: String?
    }

    /// Translates `english`; a failure is printed and ends the process: status 2 when the words
    /// cannot be made a spec, 3 when the model cannot be reached.
    func translate(_ english: String) async throws -> Result {
        guard usesModel else {
            do {
                let translation = try EnglishTranslator().translate(english)
                return Result(spec: translation.spec, explanations: translation.explanations, modelNote: nil)
            } catch {
                printError("error: \(error)")
                throw ExitStatus.invalidRequest
            }
        }
        let provider: ChatCompletionsProvider
        do {
            provider = ChatCompletionsProvider(configuration: try .fromEnvironment(url: modelURL, model: modelName, timeout: modelTimeout))
        } catch {
            printError("error: language model \(error)")
            throw ExitStatus.invalidRequest
        }
        do {
            let translation = try await ModelTranslator(provider: provider, maximumRepairRounds: repairRounds).translate(english)
            return Result(spec: translation.spec, explanations: [],
                          modelNote: "\(provider.name), \(translation.rounds) answer\(translation.rounds == 1 ? "" : "s")")
        } catch {
            printError("error: \(error)")
            if case .providerFailed = error.kind { throw ExitStatus.serviceUnavailable }
            throw ExitStatus.invalidRequest
        }
    }
}
