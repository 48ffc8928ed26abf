import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NaturalLanguage

/// A `LanguageModelProvider` that talks to an OpenAI-compatible chat-completions endpoint.
///
/// Each call is one `POST` of `{"model", "messages", "temperature"}` with the key as a bearer
/// token; the answer is `choices[0].message.content`. Nothing is retried here: a failure is
/// reported at once as a ``ChatCompletionsError`` (`ModelTranslator` decides what to do).
public struct ChatCompletionsProvider: LanguageModelProvider {
    /// Where the endpoint is, which model, which key.
    public let configuration: ChatCompletionsConfiguration

    /// A provider for the endpoint `configuration` names; nothing is sent until ``complete(_:)``.
    public init(configuration: ChatCompletionsConfiguration) {
        self.configuration = configuration
    }

    public var name: String { "\(configuration.model) at \(configuration.endpoint.absoluteString)" }

    struct RequestBody: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
    }

    struct ResponseBody: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message?
        }
        var choices: [Choice]?
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }

    /// Sends the conversation and returns the first choice's message text.
    ///
    /// - Throws: ``ChatCompletionsError``: transport (refused, timed out), an HTTP status other than 200
    ///   with the server's message, or a body without a message.
    public func complete(_ conversation: [ChatMessage]) async throws -> String {
        try await send(conversation)
    }

    /// ``complete(_:)`` with its error type stated.
    public func send(_ conversation: [ChatMessage]) async throws(ChatCompletionsError) -> String {
        var request = URLRequest(url: configuration.endpoint, timeoutInterval: configuration.timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let key = configuration.apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        do {
            request.httpBody = try JSONEncoder().encode(RequestBody(model: configuration.model, messages: conversation,
                                                                    temperature: configuration.temperature))
        } catch {
            throw ChatCompletionsError(.malformedResponse("the request could not be encoded: \(error)"))
        }

        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await Self.session(timeout: configuration.timeout).data(for: request)
        } catch let error as URLError {
            throw ChatCompletionsError(.transport(error.code == .timedOut
                ? "no answer within \(configuration.timeout) s" : "\(error.localizedDescription) (URLError \(error.code.rawValue))"))
        } catch {
            throw ChatCompletionsError(.transport("\(error)"))
        }
        guard let http = response as? HTTPURLResponse else {
            throw ChatCompletionsError(.malformedResponse("not an HTTP response"))
        }
        guard (200..<300).contains(http.statusCode) else {
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: data))?.error?.message
                ?? String(decoding: data.prefix(300), as: UTF8.self)
            throw ChatCompletionsError(.status(code: http.statusCode, message: message.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let body: ResponseBody
        do {
            body = try JSONDecoder().decode(ResponseBody.self, from: data)
        } catch {
            throw ChatCompletionsError(.malformedResponse("not JSON with choices: " + String(decoding: data.prefix(200), as: UTF8.self)))
        }
        guard let content = body.choices?.first?.message?.content else {
            throw ChatCompletionsError(.malformedResponse("no choices[0].message.content"))
        }
        return content
    }

    /// A session that keeps nothing between requests (no cookies, no cache).
    static func session(timeout: Double) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration)
    }
}
