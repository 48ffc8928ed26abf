import Colonnade
import Foundation

/// A folder of strategy specs treated as a library: every `*.json` file in it (not its
/// subfolders) is a spec, and `NAME.result.json` beside `NAME.json` is that spec's last result.
///
/// A result records the fingerprint of the spec file it came from, so a spec edited after its run
/// shows as stale rather than as if its numbers were current.
enum StrategyFolder {
    static let resultSuffix = ".result.json"

    /// One spec file: whether it is a valid spec, and its last result.
    struct Entry {
        /// The file name (`sma.json`) and its path.
        var fileName: String
        var path: String
        /// The file name without `.json`: how `--only` names it, and the stem of its result file.
        var stem: String { String(fileName.dropLast(5)) }
        var resultPath: String { String(path.dropLast(5)) + StrategyFolder.resultSuffix }
        var fingerprint: String
        /// The spec, when the file is a valid one.
        var spec: StrategySpec?
        /// What is wrong with it, when it is not.
        var problem: String?
        var lastResult: Result<LastResult, ResultProblem>?
    }

    /// What a result file says about a run.
    struct LastResult {
        var ranAt: String
        var specFingerprint: String
        var data: [String]
        var returnPct: Double?
        var sharpeRatio: Double?
        var maxDrawdownPct: Double?
        var tradeCount: Int
        var equityFinal: Double?
    }

    struct ResultProblem: Error { var message: String }

    /// The folder's spec files, by file name, each read and validated.
    ///
    /// - Throws: a message when the folder cannot be listed.
    static func entries(in folder: String) throws(ResultProblem) -> [Entry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw ResultProblem(message: "\(folder): cannot list the folder (\(error.localizedDescription))")
        }
        return names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(resultSuffix) && !$0.hasPrefix(".") }.sorted().map { name in
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var entry = Entry(fileName: name, path: path, fingerprint: "")
            guard let data = FileManager.default.contents(atPath: path) else {
                entry.problem = "cannot read the file"
                return entry
            }
            let bytes = [UInt8](data)
            entry.fingerprint = fingerprint(bytes)
            do {
                entry.spec = try StrategySpec(jsonBytes: bytes)
            } catch {
                entry.problem = "\(error)"
            }
            if FileManager.default.fileExists(atPath: entry.resultPath) { entry.lastResult = readResult(entry.resultPath) }
            return entry
        }
    }

    /// FNV-1a, 64 bits, of the file's bytes, in hex: enough to notice an edit, not a security measure.
    static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func readResult(_ path: String) -> Result<LastResult, ResultProblem> {
        guard let data = FileManager.default.contents(atPath: path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let ranAt = object["ranAt"] as? String, let fingerprint = object["specFingerprint"] as? String,
              let result = object["result"] as? [String: Any], let stats = result["stats"] as? [String: Any],
              let trades = stats["tradeCount"] as? Int else {
            return .failure(ResultProblem(message: "\(path) is not a result this Colonnade wrote"))
        }
        return .success(LastResult(ranAt: ranAt, specFingerprint: fingerprint, data: object["data"] as? [String] ?? [],
                                   returnPct: stats["returnPct"] as? Double, sharpeRatio: stats["sharpeRatio"] as? Double,
                                   maxDrawdownPct: stats["maxDrawdownPct"] as? Double, tradeCount: trades,
                                   equityFinal: stats["equityFinal"] as? Double))
    }

    /// The result file's text: where the run came from, then the backtest's JSON report.
    static func resultJSON(entry: Entry, ranAt: Date, data: [String], report: String) -> String {
        let fields = [
            "\"spec\":\(IndicatorReport.jsonString(entry.fileName))",
            "\"specName\":\(IndicatorReport.jsonString(entry.spec?.name ?? ""))",
            "\"specFingerprint\":\(IndicatorReport.jsonString(entry.fingerprint))",
            "\"ranAt\":\(IndicatorReport.jsonString(Timestamp.iso8601(Int64(ranAt.timeIntervalSince1970.rounded(.down)) * 1_000_000_000)))",
            "\"data\":[" + data.map { IndicatorReport.jsonString($0) }.joined(separator: ",") + "]",
            "\"result\":" + report,
        ]
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    /// One line about a result: "return 12.3%, Sharpe 0.45, max drawdown -20.1%, 47 trades".
    static func summary(_ result: LastResult) -> String {
        func pct(_ x: Double?) -> String { x.map { BacktestReport.format($0, 2) + "%" } ?? "n/a" }
        return "return \(pct(result.returnPct)), Sharpe \(result.sharpeRatio.map { BacktestReport.format($0, 2) } ?? "n/a"), "
            + "max drawdown \(pct(result.maxDrawdownPct)), \(result.tradeCount) trade\(result.tradeCount == 1 ? "" : "s")"
    }
}
