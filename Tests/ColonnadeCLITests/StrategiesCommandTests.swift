import Foundation
import Testing

/// `colonnade strategies status|run DIR` on a copy of examples/strategies.
@Suite("colonnade strategies")
struct StrategiesCommandTests {
    /// A fresh copy of the example folder, plus one broken spec.
    func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("colonnade-strategies-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: CLI.repository + "/examples/strategies", toPath: dir)
        try #"{"version": 1, "name": "broken", "long": {"entry": "clsoe > open"}}"#.write(toFile: dir + "/broken.json", atomically: true, encoding: .utf8)
        return dir
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func statusRunAndStatusAgain() throws {
        let dir = try folder()
        let before = try CLI.run(["strategies", "status", dir])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.hasPrefix("\(dir): 4 specs, 3 valid\n"))
        #expect(before.stdout.contains("broken.json        invalid: $.long.entry: line 1, column 1: unknown name \"clsoe\" (did you mean \"close\"?)"))
        #expect(before.stdout.contains("rsi-rebound.json   valid \"rsi-rebound\", runs on the event engine and fast path; not run"))

        // The broken spec is reported and the run exits 2, but the other three run and write their results.
        let run = try CLI.run(["strategies", "run", dir, "--data-dir", "Fixtures"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.contains("broken.json: invalid: $.long.entry"))
        for name in ["golden-cross", "rsi-rebound", "sma-cross"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name).result.json"), "\(name)")
            #expect(run.stdout.contains("\(name).json: return "), "\(run.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/broken.result.json"))

        // A result holds exactly what `backtest --spec` prints for the same spec and data.
        let written = try String(contentsOfFile: "\(dir)/rsi-rebound.result.json", encoding: .utf8)
        let object = try #require(try json(written) as? [String: Any])
        #expect(object["spec"] as? String == "rsi-rebound.json" && object["data"] as? [String] == ["Fixtures/GOOG.csv"])
        let direct = try CLI.run(["backtest", "--spec", "\(dir)/rsi-rebound.json", "--data", "Fixtures/GOOG.csv", "--format", "json"])
        #expect(direct.status == 0)
        #expect(written.contains(",\"result\":" + direct.stdout.trimmingCharacters(in: .newlines) + "}"))

        let after = try CLI.run(["strategies", "status", dir, "--format", "json"])
        let entries = try #require(try json(after.stdout) as? [[String: Any]])
        #expect(entries.map { $0["file"] as? String } == ["broken.json", "golden-cross.json", "rsi-rebound.json", "sma-cross.json"])
        #expect(entries[0]["valid"] as? Bool == false && entries[0]["lastResult"] is NSNull)
        let last = try #require(entries[2]["lastResult"] as? [String: Any])
        let stats = try #require((object["result"] as? [String: Any])?["stats"] as? [String: Any])
        #expect(last["stale"] as? Bool == false && last["tradeCount"] as? Int == stats["tradeCount"] as? Int)
        #expect(last["equityFinal"] as? Double == stats["equityFinal"] as? Double)
        #expect(entries.dropFirst().allSatisfy { $0["runsOn"] as? String == "event engine and fast path" } && entries[0]["runsOn"] is NSNull)

        // Editing a spec makes its result stale; a damaged result is said to be unreadable.
        let path = "\(dir)/sma-cross.json"
        try (try String(contentsOfFile: path, encoding: .utf8)).replacingOccurrences(of: "\"default\": 20", with: "\"default\": 30")
            .write(toFile: path, atomically: true, encoding: .utf8)
        try "{\"not\": \"a result\"}".write(toFile: "\(dir)/golden-cross.result.json", atomically: true, encoding: .utf8)
        let stale = try CLI.run(["strategies", "status", dir])
        #expect(stale.stdout.contains("trades (stale: the spec changed since)\n"), "\(stale.stdout)")
        #expect(stale.stdout.contains("golden-cross.json  valid \"golden-cross\", runs on the event engine and fast path; last result unreadable"))
    }

    @Test func onlyAndData() throws {
        let dir = try folder()
        let one = try CLI.run(["strategies", "run", dir, "--only", "rsi-rebound", "--data", "Fixtures/EURUSD.csv", "--format", "json"])
        #expect(one.status == 0, "\(one.stderr)")
        let outcomes = try #require(try json(one.stdout) as? [[String: Any]])
        #expect(outcomes.count == 1 && outcomes[0]["status"] as? String == "ran")
        let written = try #require(try json(String(contentsOfFile: "\(dir)/rsi-rebound.result.json", encoding: .utf8)) as? [String: Any])
        #expect(written["data"] as? [String] == ["Fixtures/EURUSD.csv"])
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/sma-cross.result.json"))

        let unknown = try CLI.run(["strategies", "run", dir, "--only", "nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("has no spec \"nope\" (it has: broken, golden-cross, rsi-rebound, sma-cross)"))
        let noData = try CLI.run(["strategies", "run", dir, "--only", "sma-cross"])
        #expect(noData.status == 2 && noData.stdout.contains("not run: no GOOG.csv in \(dir) for its symbol GOOG"), "\(noData.stdout)")
        let badData = try CLI.run(["strategies", "run", dir, "--only", "sma-cross", "--data", "/nonexistent.csv"])
        #expect(badData.status == 1 && badData.stdout.contains("not run: the data could not be used"), "\(badData.stdout) \(badData.stderr)")
        let missing = try CLI.run(["strategies", "status", "/nonexistent-folder"])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent-folder: cannot list the folder"))
    }
}
