import Colonnade
import Foundation
import Testing

/// The real `colonnade` binary, run as a subprocess.
enum CLI {
    static let repository: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static let binary: String = {
        // The test bundle and the executable are built into the same products folder.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [beside.appendingPathComponent("colonnade").path,
                          beside.deletingLastPathComponent().appendingPathComponent("colonnade").path,
                          repository + "/.build/debug/colonnade"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return repository + "/.build/debug/colonnade"
    }()

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// Runs the binary with `arguments`; `environment` adds to (or replaces in) the test's own.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = URL(fileURLWithPath: repository)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func write(_ contents: String, name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("colonnade-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite("colonnade indicators")
struct IndicatorsCommandTests {
    @Test func jsonShape() throws {
        let run = try CLI.run(["indicators", "--data", "Fixtures/GOOG.csv", "--indicator", "sma:20", "--indicator", "macd:12,26,9",
                               "--indicator", "bbands:20,2,2", "--indicator", "aroon", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["time", "sma:20", "macd:12,26,9", "bbands:20,2,2", "aroon"])
        let time = try #require(object["time"] as? [String])
        #expect(time.count == 2148 && time[0] == "2004-08-19T00:00:00Z")
        let sma = try #require(object["sma:20"] as? [Any])
        #expect(sma.count == 2148 && sma[18] is NSNull && (sma[19] as? Double) != nil)
        let macd = try #require(object["macd:12,26,9"] as? [String: [Any]])
        #expect(Set(macd.keys) == ["macd", "macdsignal", "macdhist"])
        #expect(Set((object["bbands:20,2,2"] as? [String: Any])?.keys ?? [:].keys) == ["upperband", "middleband", "lowerband"])
        #expect(Set((object["aroon"] as? [String: Any])?.keys ?? [:].keys) == ["aroondown", "aroonup"])
    }

    @Test func csvNumbersReadBackExactly() throws {
        // Every printed value parses back to the very double the library computes.
        let run = try CLI.run(["indicators", "--data", "Fixtures/EURUSD.csv", "--indicator", "ema:10", "--format", "csv"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "time,ema:10" && lines.count == 5001)
        let bars = try CSVImporter.load(CLI.repository + "/Fixtures/EURUSD.csv")
        let ema = try EMA.compute(bars.close, period: 10)
        for (i, line) in lines.dropFirst().enumerated() {
            let cell = line.split(separator: ",", omittingEmptySubsequences: false)[1]
            if ema[i].isNaN { #expect(cell.isEmpty) } else { #expect(Double(cell)?.bitPattern == ema[i].bitPattern, "bar \(i)") }
        }
    }

    @Test func backtestingPyAndYahooFiles() throws {
        let yahoo = try CLI.write("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,10,9.5,100\n2020-01-03,10,12,10,11,10.5,200\n2020-01-06,11,12,10,12,11.5,300\n", name: "Y.csv")
        let unnamed = try CLI.write(",Open,High,Low,Close,Volume\n2020-01-02 10:00:00,10,11,9,10,100\n2020-01-02 11:00:00,10,12,10,11,200\n2020-01-02 12:00:00,11,12,10,12,300\n", name: "U.csv")
        for file in [yahoo, unnamed] {
            let run = try CLI.run(["indicators", "--data", file, "--indicator", "sma:2", "--indicator", "obv", "--format", "csv"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.split(separator: "\n").count == 4)
            #expect(run.stdout.contains(",10.5,"))
        }
    }

    @Test func invalidRequestsExit2AndNameTheProblem() throws {
        for (spec, needle) in [("smaa:20", "smaa"), ("sma:20,3", "sma"), ("rsi:1", "timeperiod"), ("ema:2.5", "whole number"), ("macd:12,x", "macd:12,x")] {
            let run = try CLI.run(["indicators", "--data", "Fixtures/GOOG.csv", "--indicator", spec])
            #expect(run.status == 2, "\(spec): \(run.status)")
            #expect(run.stderr.contains(needle), "\(spec): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test func malformedFileExits1WithFileLineAndColumn() throws {
        let bad = try CLI.write("Date,Open,High,Low,Close,Volume\n2021-01-04,10,11,9,10,100\n2021-01-05,10,11,9,abc,100\n", name: "bad.csv")
        let run = try CLI.run(["indicators", "--data", bad, "--indicator", "sma"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.csv:3:5") && run.stderr.contains("\"Close\"") && run.stderr.contains("abc"))
        let missing = try CLI.run(["indicators", "--data", "/no/such/file.csv", "--indicator", "sma"])
        #expect(missing.status == 1 && missing.stderr.contains("/no/such/file.csv"))
    }

    @Test func summaryAndList() throws {
        let run = try CLI.run(["indicators", "--data", "Fixtures/GOOG.csv", "--indicator", "rsi:14"])
        #expect(run.status == 0 && run.stdout.contains("2148 bars") && run.stdout.contains("rsi:14"))
        let list = try CLI.run(["indicators", "--list"])
        #expect(list.status == 0 && list.stdout.contains("stochrsi") && list.stdout.contains("keltner"))
        let usage = try CLI.run(["indicators", "--indicator", "sma"])
        #expect(usage.status == 64)
    }

    @Test func checkCommand() throws {
        let ok = try CLI.run(["check", "--data", "Fixtures/EURUSD.csv"])
        #expect(ok.status == 0 && ok.stdout.contains("5000 bars") && ok.stdout.contains("every 1h"))
        let unsorted = try CLI.write("Date,Open,High,Low,Close\n2021-01-05,1,1,1,1\n2021-01-04,1,1,1,1\n", name: "u.csv")
        #expect(try CLI.run(["check", "--data", unsorted]).status == 1)
        #expect(try CLI.run(["check", "--data", unsorted, "--sort"]).stdout.contains("sorted"))
    }
}

@Suite("docs/cli.md")
struct CLIDocsTests {
    @Test("every --help text appears verbatim in docs/cli.md", arguments: [[], ["demo"], ["backtest"], ["parse"], ["spec"], ["spec", "list"], ["spec", "show"], ["spec", "check"], ["strategies"], ["strategies", "status"], ["strategies", "run"], ["indicators"], ["check"], ["bench"], ["bench", "engine"], ["bench", "indicators"], ["bench", "report"]])
    func helpMatchesDocs(command: [String]) throws {
        let docs = try String(contentsOfFile: CLI.repository + "/docs/cli.md", encoding: .utf8)
        let help = try CLI.run(command + ["--help"])
        #expect(help.status == 0)
        #expect(docs.contains("```\n" + help.stdout + "```"), "docs/cli.md is stale for `colonnade \(command.joined(separator: " "))`: run scripts/generate_cli_docs.sh")
        // Every command shows how it is used, and every example names a real subcommand.
        #expect(help.stdout.contains("Examples:\n"), "`colonnade \(command.joined(separator: " ")) --help` has no examples")
        let known = ["demo", "backtest", "parse", "spec", "strategies", "indicators", "check", "bench"]
        for line in help.stdout.split(separator: "\n") where line.hasPrefix("  colonnade ") {
            let subcommand = line.dropFirst("  colonnade ".count).split(separator: " ").first.map(String.init) ?? ""
            #expect(known.contains(subcommand), "\(line)")
        }
    }
}
