import NaturalLanguage
import StrategySpec
import Testing

/// A model that gives scripted answers and records what it was asked.
final class ScriptedModel: LanguageModelProvider, @unchecked Sendable {
    let answers: [String]
    private(set) var conversations: [[ChatMessage]] = []
    init(_ answers: [String]) { self.answers = answers }
    var name: String { "scripted" }
    func complete(_ conversation: [ChatMessage]) async throws -> String {
        conversations.append(conversation)
        return answers[Swift.min(conversations.count - 1, answers.count - 1)]
    }
}

struct Unreachable: Error, CustomStringConvertible { var description: String { "connection refused" } }

struct FailingModel: LanguageModelProvider {
    var name: String { "failing" }
    func complete(_ conversation: [ChatMessage]) async throws -> String { throw Unreachable() }
}

@Suite struct ModelTranslatorTests {
    static let valid = #"{"version": 1, "name": "rsi", "long": {"entry": "rsi(close, 14) crosses_above 30", "exit": "rsi(close, 14) crosses_below 70"}}"#

    /// Answers are read whether bare, fenced, or wrapped in words.
    @Test(arguments: [valid, "```json\n\(valid)\n```", "Sure! Here it is:\n```\n\(valid)\n```\nEnjoy.", "The spec is \(valid) as asked."])
    func theSpecIsFoundInTheAnswer(answer: String) async throws {
        let model = ScriptedModel([answer])
        let translation = try await ModelTranslator(provider: model).translate("  RSI crosses above 30, exit below 70  ")
        #expect(translation.rounds == 1)
        #expect(translation.spec.long?.entry == "rsi(close, 14) crosses_above 30")
        #expect(translation.spec.description == "RSI crosses above 30, exit below 70")
        #expect(translation.conversation.count == 3 && translation.conversation.last == ChatMessage(.assistant, answer))
    }

    /// Every kind of invalid answer is sent back with what the validator said, and the bound holds.
    @Test func problemsGoBackToTheModel() async throws {
        let answers = [
            "no spec here",
            #"{"version": 1, "name": "x"}"#,                                                         // no rules
            #"{"version": 1, "name": "x", "long": {"entry": "close > sma(close, 10"}}"#,              // does not parse
            #"{"version": 1, "name": "x", "long": {"entry": "close"}, "risk": {"stopLoss": {"percent": 150}}}"#,
        ]
        let model = ScriptedModel(answers)
        let error = await #expect(throws: ModelTranslationError.self) {
            try await ModelTranslator(provider: model, maximumRepairRounds: 3).translate("something")
        }
        #expect(error?.kind == .noValidSpec(rounds: 4))
        #expect(model.conversations.count == 4)
        let problems = try #require(error?.problems)
        #expect(problems.count == 4)
        #expect(problems[0].contains("holds no JSON object"))
        #expect(problems[1].hasPrefix("$"), "\(problems[1])")
        #expect(problems[2].hasPrefix("$.long.entry: line 1, column"), "\(problems[2])")
        #expect(problems[3].hasPrefix("$.risk.stopLoss"), "\(problems[3])")
        // The last conversation holds every answer and every problem, alternating.
        let last = model.conversations[3]
        #expect(last.map(\.role) == [.system, .user, .assistant, .user, .assistant, .user, .assistant, .user])
        #expect(last[7].content == SpecPrompt.repair(problems[2]))
    }

    @Test func zeroRepairRoundsAsksOnce() async throws {
        let model = ScriptedModel(["nothing", ModelTranslatorTests.valid])
        await #expect(throws: ModelTranslationError.self) { try await ModelTranslator(provider: model, maximumRepairRounds: 0).translate("x") }
        #expect(model.conversations.count == 1)
        #expect(ModelTranslator(provider: model, maximumRepairRounds: -5).maximumRepairRounds == 0)
        #expect(ModelTranslator(provider: model, maximumRepairRounds: 1_000).maximumRepairRounds == ModelTranslator.maximumRepairRoundsLimit)
    }

    @Test func badDescriptionsAreRefusedBeforeAsking() async throws {
        let model = ScriptedModel([ModelTranslatorTests.valid])
        let empty = await #expect(throws: ModelTranslationError.self) { try await ModelTranslator(provider: model).translate(" \n\t") }
        #expect(empty?.kind == .emptyDescription)
        let long = await #expect(throws: ModelTranslationError.self) {
            try await ModelTranslator(provider: model).translate(String(repeating: "buy ", count: 600))
        }
        #expect(long?.kind == .tooLong(limit: EnglishTranslator.maximumLength))
        #expect(model.conversations.isEmpty)
    }

    @Test func aProviderFailureIsReported() async throws {
        let error = await #expect(throws: ModelTranslationError.self) { try await ModelTranslator(provider: FailingModel()).translate("x") }
        #expect(error?.kind == .providerFailed("failing: connection refused"))
        #expect(error?.description == "the language model did not answer: failing: connection refused")
    }

    /// The prompt's examples are valid specs, and it lists every function the language has.
    @Test func thePromptIsTrue() throws {
        let prompt = SpecPrompt.system
        for line in ExpressionReference.functionLines { #expect(prompt.contains(line)) }
        #expect(ExpressionReference.functionLines.count > 50)
        var examples = 0
        for line in prompt.split(separator: "\n") where line.hasPrefix("{\"version\"") {
            _ = try StrategySpec(json: String(line))
            examples += 1
        }
        #expect(examples == 2)
    }
}
