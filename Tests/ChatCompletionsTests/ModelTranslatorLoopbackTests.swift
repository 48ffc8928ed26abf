import ChatCompletions
import Foundation
import LoopbackHTTP
import NaturalLanguage
import StrategySpec
import Testing

/// ModelTranslator against a stand-in model on loopback: the whole exchange over real HTTP.
@Suite("ModelTranslator over loopback HTTP")
struct ModelTranslatorLoopbackTests {
    static let description = "Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below"
    static let misspelled = #"{"version": 1, "name": "sma-cross", "long": {"entry": "smaa(close, 10) crosses_above sma(close, 20)", "exit": "sma(close, 10) crosses_below sma(close, 20)"}}"#
    static let corrected = """
        Here is the corrected spec:
        ```json
        {"version": 1, "name": "sma-cross", "long": {"entry": "sma(close, 10) crosses_above sma(close, 20)", "exit": "sma(close, 10) crosses_below sma(close, 20)"}}
        ```
        """

    func translator(_ server: LoopbackHTTPServer, rounds: Int = ModelTranslator.defaultRepairRounds) throws -> ModelTranslator {
        let configuration = try ChatCompletionsConfiguration(url: server.baseURL + "/v1", model: "stand-in")
        return ModelTranslator(provider: ChatCompletionsProvider(configuration: configuration), maximumRepairRounds: rounds)
    }

    /// An invalid first answer goes back with its problem; the repaired answer is accepted.
    @Test func anInvalidAnswerIsRepaired() async throws {
        let server = try LoopbackHTTPServer { _, index in .init(body: completion(index == 0 ? Self.misspelled : Self.corrected)) }
        defer { server.stop() }
        let translation = try await translator(server).translate(Self.description)
        #expect(translation.rounds == 2)
        #expect(translation.spec.long == StrategySpec.Rules(entry: "sma(close, 10) crosses_above sma(close, 20)",
                                                            exit: "sma(close, 10) crosses_below sma(close, 20)"))
        #expect(translation.spec.description == Self.description)

        let requests = server.requests
        #expect(requests.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: requests[0].body) as? [String: Any])
        let firstMessages = try #require(first["messages"] as? [[String: String]])
        #expect(firstMessages.map { $0["role"]! } == ["system", "user"])
        #expect(firstMessages[0]["content"]!.contains("macd(close, 12, 26, 9)"))
        #expect(firstMessages[1]["content"] == Self.description)
        let second = try #require(try JSONSerialization.jsonObject(with: requests[1].body) as? [String: Any])
        let secondMessages = try #require(second["messages"] as? [[String: String]])
        #expect(secondMessages.map { $0["role"]! } == ["system", "user", "assistant", "user"])
        #expect(secondMessages[2]["content"] == Self.misspelled)
        // The validator's own words, with the JSON path and the column, go back to the model.
        let repair = secondMessages[3]["content"]!
        #expect(repair.contains("$.long.entry: line 1, column 1: unknown") && repair.contains("smaa"), "\(repair)")
    }

    /// A model that never gives a valid spec is asked 1 + maximumRepairRounds times, then the last problem is reported.
    @Test func roundsAreBounded() async throws {
        let server = try LoopbackHTTPServer { _, _ in .init(body: completion("I would buy when the moon is full.")) }
        defer { server.stop() }
        let error = await #expect(throws: ModelTranslationError.self) { try await translator(server, rounds: 2).translate(Self.description) }
        #expect(error?.kind == .noValidSpec(rounds: 3))
        #expect(server.requests.count == 3)
        #expect(error?.description.contains("holds no JSON object") == true)
    }

    /// An endpoint that fails ends the exchange at once, with the endpoint's message.
    @Test func anEndpointFailureIsReported() async throws {
        let server = try LoopbackHTTPServer { _, _ in .init(status: 503, body: #"{"error":{"message":"model is loading"}}"#) }
        defer { server.stop() }
        let error = await #expect(throws: ModelTranslationError.self) { try await translator(server).translate(Self.description) }
        guard case .providerFailed(let message)? = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("HTTP 503: model is loading") && message.contains("stand-in at http://127.0.0.1:"), "\(message)")
        #expect(server.requests.count == 1)
    }
}
