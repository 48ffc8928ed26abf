import StrategySpec

/// Turns an English description into a `StrategySpec` by asking a language model, and never
/// trusts the answer: it must be a spec that `StrategySpec.init(json:)` accepts.
///
/// The model is told the spec format, the expression language and every function it may call
/// (``SpecPrompt``). Its answer is read as JSON (a code fence or words around the object are
/// tolerated); when the answer is not a valid spec, the problem — with its JSON path, or line and
/// column — goes back to the model, for at most ``maximumRepairRounds`` rounds. A spec can only
/// compute on the bars it is given, so even a wrong answer cannot do harm; it can only be a
/// strategy the person did not mean, which is why ``EnglishTranslator`` stays the default.
///
/// Cost: one request per round, 1 + `maximumRepairRounds` at most.
public struct ModelTranslator: Sendable {
    /// Rounds of repair allowed after the first answer.
    public static let defaultRepairRounds = 2
    /// The most repair rounds one may ask for.
    public static let maximumRepairRoundsLimit = 10

    /// The model asked to write the spec.
    public let provider: any LanguageModelProvider
    /// Times an invalid answer goes back to the model with its problem (0...10).
    public let maximumRepairRounds: Int

    /// - Parameters:
    ///   - provider: the model.
    ///   - maximumRepairRounds: how many times an invalid answer is sent back with its problem,
    ///     0 through ``maximumRepairRoundsLimit``; out-of-range values are clamped.
    public init(provider: any LanguageModelProvider, maximumRepairRounds: Int = ModelTranslator.defaultRepairRounds) {
        self.provider = provider
        self.maximumRepairRounds = Swift.min(Swift.max(0, maximumRepairRounds), Self.maximumRepairRoundsLimit)
    }

    /// The spec the model made of `description`.
    ///
    /// - Throws: ``ModelTranslationError``: the description is empty or longer than
    ///   ``EnglishTranslator/maximumLength``; the model could not be reached (the provider's
    ///   error, described); or no answer was a valid spec within the rounds allowed (the last
    ///   problem is quoted).
    public func translate(_ description: String) async throws(ModelTranslationError) -> ModelTranslation {
        let trimmed = description.trimmingWhitespace
        guard !trimmed.isEmpty else { throw ModelTranslationError(.emptyDescription) }
        guard description.unicodeScalars.count <= EnglishTranslator.maximumLength else {
            throw ModelTranslationError(.tooLong(limit: EnglishTranslator.maximumLength))
        }
        var conversation = [ChatMessage(.system, SpecPrompt.system), ChatMessage(.user, trimmed)]
        var problems: [String] = []
        for _ in 0...maximumRepairRounds {
            let answer: String
            do {
                answer = try await provider.complete(conversation)
            } catch {
                throw ModelTranslationError(.providerFailed("\(provider.name): \(error)"), problems: problems)
            }
            conversation.append(ChatMessage(.assistant, answer))
            let problem: String
            switch Self.spec(in: answer) {
            case .success(var spec):
                if spec.description.isEmpty { spec.description = trimmed }
                return ModelTranslation(spec: spec, rounds: problems.count + 1, conversation: conversation)
            case .failure(let failure):
                problem = failure.message
            }
            problems.append(problem)
            conversation.append(ChatMessage(.user, SpecPrompt.repair(problem)))
        }
        throw ModelTranslationError(.noValidSpec(rounds: problems.count), problems: problems)
    }

    struct Problem: Error { var message: String }

    /// The spec an answer holds: the JSON object in it, read and validated.
    static func spec(in answer: String) -> Result<StrategySpec, Problem> {
        guard let json = jsonObjectText(in: answer) else {
            return .failure(Problem(message: "the answer holds no JSON object; answer with the spec as one JSON object"))
        }
        do {
            return .success(try StrategySpec(json: json))
        } catch {
            return .failure(Problem(message: error.description))
        }
    }

    /// The text of the JSON object in an answer: the contents of its first code fence if it has
    /// one, else everything from the first `{` to the last `}`.
    static func jsonObjectText(in answer: String) -> String? {
        var text = Substring(answer)
        if let fence = text.firstRange(of: "```") {
            var body = text[fence.upperBound...]
            // Skip the fence's language tag ("json") up to the end of its line.
            if let newline = body.firstIndex(of: "\n") { body = body[body.index(after: newline)...] }
            if let close = body.firstRange(of: "```") { text = body[..<close.lowerBound] } else { text = body }
        }
        guard let first = text.firstIndex(of: "{"), let last = text.lastIndex(of: "}"), first < last else { return nil }
        return String(text[first...last])
    }
}

/// A spec a language model made, and how it got there.
public struct ModelTranslation: Sendable {
    public var spec: StrategySpec
    /// Answers it took: 1 when the first was valid.
    public var rounds: Int
    /// The whole exchange, system prompt first, the accepted answer last.
    public var conversation: [ChatMessage]
}

/// Why ``ModelTranslator`` has no spec.
public struct ModelTranslationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case emptyDescription
        /// The description is longer than this many characters.
        case tooLong(limit: Int)
        /// The model could not be reached or did not answer (the provider's message).
        case providerFailed(String)
        /// No answer was a valid spec in this many rounds.
        case noValidSpec(rounds: Int)
    }

    public var kind: Kind
    /// The problem with each answer, in order (the last is the one that ended the exchange).
    public var problems: [String]

    public init(_ kind: Kind, problems: [String] = []) {
        self.kind = kind
        self.problems = problems
    }

    public var description: String {
        switch kind {
        case .emptyDescription: return "the description is empty"
        case .tooLong(let limit): return "the description is longer than \(limit) characters"
        case .providerFailed(let message): return "the language model did not answer: \(message)"
        case .noValidSpec(let rounds):
            return "the language model gave no valid spec in \(rounds) answer\(rounds == 1 ? "" : "s"); the last problem: "
                + (problems.last ?? "none recorded")
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
