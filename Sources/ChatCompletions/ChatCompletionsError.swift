/// A chat-completions request that did not give an answer.
public struct ChatCompletionsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The URL, model, timeout or temperature is not usable.
        case configuration(String)
        /// The request did not reach the server or got no response (refused, unresolvable, timed out).
        case transport(String)
        /// The server answered with a status other than 2xx; `message` is its error message if it gave one.
        case status(code: Int, message: String)
        /// The response is not the chat-completions JSON (`choices[0].message.content`).
        case malformedResponse(String)
    }

    /// What went wrong.
    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .configuration(let message): return "configuration: \(message)"
        case .transport(let message): return "could not reach the endpoint: \(message)"
        case .status(let code, let message): return "the endpoint answered HTTP \(code)" + (message.isEmpty ? "" : ": \(message)")
        case .malformedResponse(let message): return "the endpoint's answer is not a chat completion: \(message)"
        }
    }
}
