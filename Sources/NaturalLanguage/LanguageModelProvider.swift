/// One message of a chat with a language model, in the roles of the OpenAI chat-completions API.
public struct ChatMessage: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Equatable, Codable {
        /// Instructions: what to answer and in what form.
        case system
        /// The person's words (here: the description, or the problems with the last answer).
        case user
        /// The model's earlier answers.
        case assistant
    }

    /// Who speaks: the system prompt, the user, or the model.
    public var role: Role
    /// The text of the message.
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// A language model that answers a conversation, for ``ModelTranslator``.
///
/// Colonnade's own implementation talks to any OpenAI-compatible chat-completions endpoint
/// (`ChatCompletionsProvider` in the `ChatCompletions` module); a test or an application can
/// conform anything else. The model is never trusted: whatever it answers is parsed and validated
/// as a spec, and a spec can only compute on the bars it is given.
public protocol LanguageModelProvider: Sendable {
    /// A short name for messages ("gpt-4o-mini at https://api.openai.com/v1").
    var name: String { get }

    /// The model's answer to `conversation` (the text of its reply).
    ///
    /// - Throws: whatever went wrong reaching the model: the endpoint, the status, the timeout.
    func complete(_ conversation: [ChatMessage]) async throws -> String
}
