import Colonnade
import Foundation
import Testing

@Suite("colonnade spec and backtest --spec")
final class SpecCommandTests {
    /// This test's directory for the files it writes, removed when the test ends.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colonnade-spec-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A temporary file holding `text`, in ``directory``.
    func file(_ text: String, name: String = UUID().uuidString + ".json") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `spec show` prints a spec that `backtest --spec` runs to the acceptance run's numbers.
    @Test func showThenRunGivesTheReferenceRun() throws {
        let shown = try CLI.run(["spec", "show", "sma-cross", "--direction", "long-short"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let path = try file(shown.stdout)
        let checked = try CLI.run(["spec", "check", path])
        #expect(checked.status == 0 && checked.stdout.contains("valid spec \"sma-cross\""), "\(checked.stderr)")
        let run = try CLI.run(["backtest", "--spec", path, "--data", "Fixtures/GOOG.csv", "--param", "fast=10", "--param", "slow=20",
                               "--cash", "10000", "--commission", "0.002", "--profile", "backtesting-py", "--exclusive-orders", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"equityFinal\":56263.51934000004"))
        #expect(run.stdout.contains("\"tradeCount\":93"))
    }

    /// The spec's own execution settings apply when no flag overrides them.
    @Test func theSpecsExecutionSettingsApply() throws {
        var spec = try StrategySpec.template(named: "sma-cross", direction: .longShort)
        spec.execution = ExecutionSettings(profile: .backtestingPy, cash: 10_000, commission: 0.002, exclusiveOrders: true)
        let run = try CLI.run(["backtest", "--spec", try file(spec.json), "--data", "Fixtures/GOOG.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"equityFinal\":56263.51934000004"))
        let text = try CLI.run(["backtest", "--spec", try file(spec.json), "--data", "Fixtures/GOOG.csv", "--cash", "20000"])
        #expect(text.status == 0 && text.stdout.contains("sma-cross (fast=10, slow=20)") && text.stdout.contains("profile backtesting-py"), "\(text.stderr)")
    }

    /// A spec with risk rules runs from the CLI (event engine) to the backtesting.py golden's
    /// equity, and `spec validate` (an alias of `check`) says what it manages and where it runs.
    @Test func riskRulesRunAndAreDescribed() throws {
        var spec = try StrategySpec.template(named: "sma-cross")
        spec.risk = .init(stopLoss: .percent(5), takeProfit: .percent(10))
        spec.execution = ExecutionSettings(profile: .backtestingPy, cash: 10_000, commission: 0.002)
        let path = try file(spec.json)
        let validated = try CLI.run(["spec", "validate", path])
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stdout.contains("risk: stop-loss 5%, take-profit 10%; orders: entries market, exits market"))
        #expect(validated.stdout.contains("runs on: the event engine and, one instrument at a time, the signal fast path"))
        let run = try CLI.run(["backtest", "--spec", path, "--data", "Fixtures/GOOG.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        // Fixtures/goldens/backtesting/goog-sma-cross-stop-take.json
        #expect(run.stdout.contains("\"equityFinal\":32063.59660400001") && run.stdout.contains("\"tradeCount\":47"))
        let text = try CLI.run(["backtest", "--spec", path, "--data", "Fixtures/GOOG.csv"])
        #expect(text.stdout.contains("risk stop-loss 5%, take-profit 10%\n"))
    }

    /// The issue's acceptance run: the English description gives exactly the long-only sma-cross run.
    @Test func describeEqualsTheBuiltIn() throws {
        let common = ["--data", "Fixtures/GOOG.csv", "--cash", "10000", "--commission", "0.002", "--profile", "backtesting-py", "--format", "json"]
        let described = try CLI.run(["backtest", "--describe", "Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below"] + common)
        let builtIn = try CLI.run(["backtest", "--strategy", "sma-cross", "--param", "direction=long-only"] + common)
        #expect(described.status == 0 && builtIn.status == 0, "\(described.stderr)")
        #expect(described.stdout == builtIn.stdout)
        // Fixtures/goldens/backtesting/goog-sma-cross-long-only.json
        #expect(described.stdout.contains("\"equityFinal\":63341.19135999998"))

        let nonsense = try CLI.run(["backtest", "--describe", "buy when the moon is full", "--data", "Fixtures/GOOG.csv"])
        #expect(nonsense.status == 2 && nonsense.stdout.isEmpty)
        #expect(nonsense.stderr.contains("could not understand \"the moon is full\""))
    }

    /// `parse` prints a spec `backtest --spec` runs on stdout and the explanation on stderr, or
    /// JSON with both.
    @Test func parsePrintsTheSpecAndWhy() throws {
        let text = "Buy when RSI(2) is below 10 with a 5% stop loss and sell after 5 days"
        let parsed = try CLI.run(["parse", text])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stderr.contains("\"with a 5% stop loss\" → $.risk.stopLoss: 5%"))
        // stdout is the spec and nothing else, so `parse … > spec.json` makes a spec file.
        let spec = try StrategySpec(json: parsed.stdout)
        #expect(spec.long?.entry == "rsi(close, 2) < 10" && spec.risk.maxBarsHeld == 5)
        let asJSON = try CLI.run(["parse", text, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as? [String: Any])
        #expect((object["explanation"] as? [[String: Any]])?.isEmpty == false)
        #expect(((object["spec"] as? [String: Any])?["risk"] as? [String: Any])?["maxBarsHeld"] as? Int == 5)
        let bad = try CLI.run(["parse", "Sell when RSI is above 70"])
        #expect(bad.status == 2 && bad.stderr.contains("no rule to buy"))
    }

    @Test func badRequestsExitTwoWithWhereAndWhat() throws {
        let misspelt = try CLI.run(["backtest", "--spec", try file(#"{"version": 1, "name": "x", "long": {"entry": "clsoe > open"}}"#),
                                    "--data", "Fixtures/GOOG.csv"])
        #expect(misspelt.status == 2)
        #expect(misspelt.stderr.contains("$.long.entry: line 1, column 1: unknown name \"clsoe\" (did you mean \"close\"?)"))
        let notJSON = try CLI.run(["spec", "check", try file("{\"version\": 1,")])
        #expect(notJSON.status == 2 && notJSON.stderr.contains("not valid JSON"))
        let missing = try CLI.run(["backtest", "--spec", "/nonexistent/spec.json", "--data", "Fixtures/GOOG.csv"])
        #expect(missing.status == 2 && missing.stderr == "error: /nonexistent/spec.json: cannot read the file\n")
        let shown = try CLI.run(["spec", "show", "sma-cross"])
        let unknownParameter = try CLI.run(["backtest", "--spec", try file(shown.stdout), "--data", "Fixtures/GOOG.csv", "--param", "fats=3"])
        #expect(unknownParameter.status == 2 && unknownParameter.stderr.contains("parameter fats: is not a parameter of sma-cross (known: fast, slow)"))
        let outOfRange = try CLI.run(["backtest", "--spec", try file(shown.stdout), "--data", "Fixtures/GOOG.csv", "--param", "fast=1"])
        #expect(outOfRange.status == 2 && outOfRange.stderr.contains("fast = 1.0 is below its min 2.0"))
        let both = try CLI.run(["backtest", "--spec", "x.json", "--strategy", "sma-cross", "--data", "Fixtures/GOOG.csv"])
        #expect(both.status == 64 && both.stderr.contains("not several"))
        let neither = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv"])
        #expect(neither.status == 64 && neither.stderr.contains("--strategy NAME, --spec FILE or --describe TEXT"))
        let unknownTemplate = try CLI.run(["spec", "show", "golden-cross"])
        #expect(unknownTemplate.status == 2 && unknownTemplate.stderr.contains("is not a built-in strategy"))
        var parity = try StrategySpec.template(named: "sma-cross")
        parity.execution.profile = .backtestingPy
        let profile = try CLI.run(["backtest", "--spec", try file(parity.json), "--data", "Fixtures/GOOG.csv", "--slippage-bps", "3"])
        #expect(profile.status == 2 && profile.stderr.contains("--slippage-bps needs --profile realistic"), "\(profile.stderr)")
    }
}
