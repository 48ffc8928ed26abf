import Foundation

/// Where and how to reach an OpenAI-compatible chat-completions endpoint.
///
/// Any server that speaks `POST {baseURL}/chat/completions` works: OpenAI, Azure-style
/// gateways, vLLM, llama.cpp's server, Ollama's OpenAI endpoint, LM Studio.
public struct ChatCompletionsConfiguration: Sendable, Equatable {
    /// The environment variable holding the base URL (`https://api.openai.com/v1`).
    public static let urlVariable = "COLONNADE_MODEL_URL"
    /// The environment variable holding the model's name (`gpt-4o-mini`).
    public static let modelVariable = "COLONNADE_MODEL_NAME"
    /// The environment variable holding the API key, sent as `Authorization: Bearer KEY`.
    public static let keyVariable = "COLONNADE_MODEL_KEY"
    /// Seconds a request may go without an answer.
    public static let defaultTimeout = 60.0

    /// The endpoint: the base URL (`…/v1`, `/chat/completions` is appended) or the full
    /// `…/chat/completions` URL.
    public var endpoint: URL
    public var model: String
    /// Sent as a bearer token when set; never printed.
    public var apiKey: String?
    /// Seconds a request may go without an answer (> 0).
    public var timeout: Double
    /// Sampling temperature; 0 (the default) asks for the most likely answer every time.
    public var temperature: Double

    /// - Throws: ``ChatCompletionsError`` when the URL is not http(s) with a host, the model's
    ///   name is empty, or the timeout or temperature is out of range.
    public init(url: String, model: String, apiKey: String? = nil, timeout: Double = ChatCompletionsConfiguration.defaultTimeout,
                temperature: Double = 0) throws(ChatCompletionsError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parsed.host, !host.isEmpty else {
            throw ChatCompletionsError(.configuration("\"\(url)\" is not an http or https URL with a host"))
        }
        let trimmedModel = model.trimmingCharacters(in: .whitespaces)
        guard !trimmedModel.isEmpty else { throw ChatCompletionsError(.configuration("the model's name is empty")) }
        guard timeout > 0, timeout.isFinite else {
            throw ChatCompletionsError(.configuration("the timeout must be a positive number of seconds, not \(timeout)"))
        }
        guard temperature >= 0, temperature <= 2 else {
            throw ChatCompletionsError(.configuration("the temperature must lie in [0, 2], not \(temperature)"))
        }
        var path = parsed.path
        while path.hasSuffix("/") { path.removeLast() }
        if !path.hasSuffix("/chat/completions") {
            path += "/chat/completions"
        }
        var components = URLComponents(url: parsed, resolvingAgainstBaseURL: false)
        components?.path = path
        guard let endpoint = components?.url else {
            throw ChatCompletionsError(.configuration("\"\(url)\" cannot be extended with /chat/completions"))
        }
        self.endpoint = endpoint
        self.model = trimmedModel
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.timeout = timeout
        self.temperature = temperature
    }

    /// The configuration the environment gives: ``urlVariable`` and ``modelVariable`` are
    /// required, ``keyVariable`` optional. `url` and `model`, when given, take precedence.
    ///
    /// - Throws: ``ChatCompletionsError`` naming the variable that is missing, or what is wrong
    ///   with a value.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       url: String? = nil, model: String? = nil,
                                       timeout: Double = defaultTimeout) throws(ChatCompletionsError) -> ChatCompletionsConfiguration {
        guard let url = url ?? environment[urlVariable], !url.isEmpty else {
            throw ChatCompletionsError(.configuration("no endpoint: set \(urlVariable) (e.g. https://api.openai.com/v1) or pass one"))
        }
        guard let model = model ?? environment[modelVariable], !model.isEmpty else {
            throw ChatCompletionsError(.configuration("no model: set \(modelVariable) (e.g. gpt-4o-mini) or pass one"))
        }
        return try ChatCompletionsConfiguration(url: url, model: model, apiKey: environment[keyVariable], timeout: timeout)
    }
}
