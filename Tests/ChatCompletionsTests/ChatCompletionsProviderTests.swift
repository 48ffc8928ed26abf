import ChatCompletions
import Foundation
import LoopbackHTTP
import NaturalLanguage
import Testing

/// The body of a chat completion whose answer is `content`.
func completion(_ content: String) -> String {
    let object: [String: Any] = ["id": "test", "object": "chat.completion",
                                 "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]]]
    return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

@Suite("ChatCompletionsProvider over loopback HTTP")
struct ChatCompletionsProviderTests {
    @Test func sendsTheConversationAndReadsTheAnswer() async throws {
        let server = try LoopbackHTTPServer { _, _ in .init(body: completion("the answer")) }
        defer { server.stop() }
        let configuration = try ChatCompletionsConfiguration(url: server.baseURL + "/v1", model: "test-model", apiKey: "secret-key")
        let provider = ChatCompletionsProvider(configuration: configuration)
        let answer = try await provider.send([ChatMessage(.system, "be brief"), ChatMessage(.user, "hello \"there\"")])
        #expect(answer == "the answer")

        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer secret-key")
        #expect(request.headers["content-type"] == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["model"] as? String == "test-model")
        #expect(body["temperature"] as? Double == 0)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "be brief"], ["role": "user", "content": "hello \"there\""]])
    }

    @Test func noKeyMeansNoAuthorizationHeader() async throws {
        let server = try LoopbackHTTPServer { _, _ in .init(body: completion("ok")) }
        defer { server.stop() }
        let provider = ChatCompletionsProvider(configuration: try ChatCompletionsConfiguration(url: server.baseURL, model: "m"))
        _ = try await provider.send([ChatMessage(.user, "hi")])
        #expect(server.requests.first?.headers["authorization"] == nil)
        #expect(server.requests.first?.path == "/chat/completions")
    }

    @Test func anErrorStatusCarriesTheServersMessage() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            .init(status: 401, body: #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#)
        }
        defer { server.stop() }
        let provider = ChatCompletionsProvider(configuration: try ChatCompletionsConfiguration(url: server.baseURL, model: "m", apiKey: "bad"))
        let error = await #expect(throws: ChatCompletionsError.self) { try await provider.send([ChatMessage(.user, "hi")]) }
        #expect(error?.kind == .status(code: 401, message: "Incorrect API key provided"))
        #expect(error?.description == "the endpoint answered HTTP 401: Incorrect API key provided")
    }

    @Test func aBodyThatIsNotACompletionIsMalformed() async throws {
        let bodies = ["this is not json", #"{"choices":[]}"#, #"{"choices":[{"message":{"role":"assistant"}}]}"#, #"{"object":"list"}"#]
        let server = try LoopbackHTTPServer { _, index in .init(body: bodies[index]) }
        defer { server.stop() }
        let provider = ChatCompletionsProvider(configuration: try ChatCompletionsConfiguration(url: server.baseURL, model: "m"))
        for body in bodies {
            let error = await #expect(throws: ChatCompletionsError.self, "\(body)") { try await provider.send([ChatMessage(.user, "hi")]) }
            guard case .malformedResponse = error?.kind else { Issue.record("\(body): \(String(describing: error))"); continue }
        }
    }

    @Test func aClosedPortIsATransportError() async throws {
        let server = try LoopbackHTTPServer { _, _ in .init(body: "") }
        let url = server.baseURL
        server.stop()
        let provider = ChatCompletionsProvider(configuration: try ChatCompletionsConfiguration(url: url, model: "m"))
        let error = await #expect(throws: ChatCompletionsError.self) { try await provider.send([ChatMessage(.user, "hi")]) }
        guard case .transport = error?.kind else { Issue.record("\(String(describing: error))"); return }
    }

    @Test func aSlowServerTimesOut() async throws {
        let server = try LoopbackHTTPServer { _, _ in .init(body: completion("late"), delay: 3) }
        defer { server.stop() }
        let provider = ChatCompletionsProvider(configuration: try ChatCompletionsConfiguration(url: server.baseURL, model: "m", timeout: 1))
        // The kind says the client's timeout fired, not the server's late answer (3 s): elapsed
        // time is not asserted, since under the full suite the test's task may wait for a thread.
        let error = await #expect(throws: ChatCompletionsError.self) { try await provider.send([ChatMessage(.user, "hi")]) }
        #expect(error?.kind == .transport("no answer within 1.0 s"))
    }

    @Test func configurationIsCheckedAndNormalized() throws {
        #expect(try ChatCompletionsConfiguration(url: "https://api.example.com/v1/", model: "m").endpoint.absoluteString
                == "https://api.example.com/v1/chat/completions")
        #expect(try ChatCompletionsConfiguration(url: "http://127.0.0.1:8080/v1/chat/completions", model: "m").endpoint.absoluteString
                == "http://127.0.0.1:8080/v1/chat/completions")
        for (url, model, timeout) in [("ftp://host/v1", "m", 60.0), ("not a url", "m", 60), ("https:///v1", "m", 60),
                                      ("https://host/v1", " ", 60), ("https://host/v1", "m", 0), ("https://host/v1", "m", .nan)] {
            #expect(throws: ChatCompletionsError.self, "\(url) \(model) \(timeout)") {
                try ChatCompletionsConfiguration(url: url, model: model, timeout: timeout)
            }
        }
        let noURL = #expect(throws: ChatCompletionsError.self) { try ChatCompletionsConfiguration.fromEnvironment([:]) }
        #expect(noURL?.description.contains(ChatCompletionsConfiguration.urlVariable) == true)
        let noModel = #expect(throws: ChatCompletionsError.self) {
            try ChatCompletionsConfiguration.fromEnvironment([ChatCompletionsConfiguration.urlVariable: "http://localhost:1/v1"])
        }
        #expect(noModel?.description.contains(ChatCompletionsConfiguration.modelVariable) == true)
        let fromEnvironment = try ChatCompletionsConfiguration.fromEnvironment([
            ChatCompletionsConfiguration.urlVariable: "http://localhost:1/v1", ChatCompletionsConfiguration.modelVariable: "m",
            ChatCompletionsConfiguration.keyVariable: "k"])
        #expect(fromEnvironment.apiKey == "k" && fromEnvironment.model == "m")
        // Arguments take precedence over the environment.
        let overridden = try ChatCompletionsConfiguration.fromEnvironment([ChatCompletionsConfiguration.modelVariable: "m"],
                                                                           url: "http://other:2", model: "n")
        #expect(overridden.endpoint.absoluteString == "http://other:2/chat/completions" && overridden.model == "n")
    }
}
