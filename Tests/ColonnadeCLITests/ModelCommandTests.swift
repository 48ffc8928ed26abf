import Foundation
import LoopbackHTTP
import Testing

/// `--model`: a stand-in model on loopback answers; the CLI validates and runs what it wrote.
@Suite("colonnade parse and backtest --describe with --model")
struct ModelCommandTests {
    static let description = "Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below"
    static let answer = #"{"version": 1, "name": "sma-cross", "long": {"entry": "sma(close, 10) crosses_above sma(close, 20)", "exit": "sma(close, 10) crosses_below sma(close, 20)"}}"#

    static func completion(_ content: String) -> String {
        let object: [String: Any] = ["choices": [["message": ["role": "assistant", "content": content]]]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// The model's spec runs to the same numbers as the built-in strategy; the key goes out as a bearer token.
    @Test func theModelsSpecRunsLikeTheBuiltIn() throws {
        let server = try LoopbackHTTPServer { _, _ in .init(body: Self.completion(Self.answer)) }
        defer { server.stop() }
        let environment = ["COLONNADE_MODEL_URL": server.baseURL + "/v1", "COLONNADE_MODEL_NAME": "stand-in", "COLONNADE_MODEL_KEY": "k-123"]
        let common = ["--data", "Fixtures/GOOG.csv", "--cash", "10000", "--commission", "0.002", "--profile", "backtesting-py", "--format", "json"]
        let described = try CLI.run(["backtest", "--describe", Self.description, "--model"] + common, environment: environment)
        let builtIn = try CLI.run(["backtest", "--strategy", "sma-cross", "--param", "direction=long-only"] + common)
        #expect(described.status == 0, "\(described.stderr)")
        #expect(described.stdout == builtIn.stdout)
        #expect(described.stderr.contains("spec written by the language model stand-in at \(server.baseURL)/v1/chat/completions, 1 answer"))
        #expect(server.requests.first?.headers["authorization"] == "Bearer k-123")

        let parsed = try CLI.run(["parse", Self.description, "--model-url", server.baseURL, "--model-name", "other", "--format", "json"],
                                 environment: environment)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])
        #expect((object["model"] as? String)?.hasPrefix("other at \(server.baseURL)/chat/completions") == true)
        #expect(((object["spec"] as? [String: Any])?["long"] as? [String: String])?["entry"] == "sma(close, 10) crosses_above sma(close, 20)")
    }

    /// A model that never writes a valid spec exits 2 quoting the last problem; an endpoint that is down exits 3.
    @Test func failuresExitWithTheirStatus() throws {
        let server = try LoopbackHTTPServer { _, _ in .init(body: Self.completion(#"{"version": 1, "name": "x", "long": {"entry": "the moon is full"}}"#)) }
        let environment = ["COLONNADE_MODEL_URL": server.baseURL, "COLONNADE_MODEL_NAME": "stand-in"]
        let invalid = try CLI.run(["parse", "buy when the moon is full", "--model", "--repair-rounds", "1"], environment: environment)
        #expect(invalid.status == 2 && invalid.stdout.isEmpty)
        #expect(invalid.stderr.contains("no valid spec in 2 answers; the last problem: $.long.entry: line 1, column"), "\(invalid.stderr)")
        #expect(server.requests.count == 2)
        server.stop()

        let down = try CLI.run(["parse", "buy when RSI crosses above 30", "--model"], environment: environment)
        #expect(down.status == 3 && down.stderr.contains("could not reach the endpoint"), "\(down.stderr)")
        let unconfigured = try CLI.run(["parse", "buy when RSI crosses above 30", "--model"],
                                       environment: ["COLONNADE_MODEL_URL": "", "COLONNADE_MODEL_NAME": ""])
        #expect(unconfigured.status == 2 && unconfigured.stderr.contains("set COLONNADE_MODEL_URL"), "\(unconfigured.stderr)")
        let rounds = try CLI.run(["parse", "x", "--model", "--repair-rounds", "11"])
        #expect(rounds.status == 64 && rounds.stderr.contains("--repair-rounds must lie in 0...10"))
    }
}
