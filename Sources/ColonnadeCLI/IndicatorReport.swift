import Colonnade
import Foundation

/// Renders indicator results as JSON, CSV or a readable summary.
enum IndicatorReport {
    struct Result {
        var spec: IndicatorSpec
        var outputs: [(output: String, values: Column<Double>)]
    }

    /// The shortest text that reads back as the same double; JSON has no NaN, so NaN is `null`.
    static func number(_ x: Double, nan: String = "null") -> String { JSONText.number(x, nan: nan) }

    static func jsonString(_ s: String) -> String { JSONText.string(s) }

    static func jsonArray(_ values: Column<Double>) -> String {
        "[" + values.map { number($0) }.joined(separator: ",") + "]"
    }

    /// One object: `"time"` (ISO-8601 strings), then each spec exactly as given: an array for a
    /// single-output function, an object keyed by TA-Lib's output names otherwise.
    static func json(bars: BarSeries, results: [Result]) -> String {
        var parts = ["\"time\":[" + bars.time.map { "\"" + Timestamp.iso8601($0) + "\"" }.joined(separator: ",") + "]"]
        for result in results {
            let value: String
            if result.outputs.count == 1 {
                value = jsonArray(result.outputs[0].values)
            } else {
                value = "{" + result.outputs.map { jsonString($0.output) + ":" + jsonArray($0.values) }.joined(separator: ",") + "}"
            }
            parts.append(jsonString(result.spec.text) + ":" + value)
        }
        return "{" + parts.joined(separator: ",") + "}\n"
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// A header `time,SPEC,...` (`SPEC|output` for multi-output functions), one row per bar, NaN empty.
    static func csv(bars: BarSeries, results: [Result]) -> String {
        var columns: [(String, Column<Double>)] = []
        for result in results {
            for output in result.outputs {
                columns.append((result.outputs.count == 1 ? result.spec.text : result.spec.text + "|" + output.output, output.values))
            }
        }
        var out = "time," + columns.map { csvField($0.0) }.joined(separator: ",") + "\n"
        for i in 0..<bars.count {
            out += Timestamp.iso8601(bars.time[i])
            for (_, values) in columns { out += "," + number(values[i], nan: "") }
            out += "\n"
        }
        return out
    }

    static func date(_ t: Int64) -> String {
        let iso = Timestamp.iso8601(t)
        return iso.hasSuffix("T00:00:00Z") ? String(iso.prefix(10)) : iso
    }

    static func duration(_ nanos: Int64) -> String {
        let seconds = nanos / 1_000_000_000
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// What was loaded: symbol, bar count, period, frequency and gaps.
    static func dataSummary(file: String, import loaded: CSVImport) -> String {
        var out = ""
        for bars in loaded.series {
            let gaps = GapReport(time: bars.time)
            out += "\(file): \(bars.symbol ?? "(no symbol)"), \(bars.count) bars"
            if let first = bars.time.first, let last = bars.time.last { out += ", \(date(first)) to \(date(last))" }
            if let f = gaps.frequency { out += ", every \(duration(f))" }
            out += "\n  integrity: ok (time strictly increasing; prices finite and positive; open and close within [low, high]; volume not negative)\n"
            out += "  gaps: \(gaps.gaps.count) (\(gaps.gaps.count - gaps.unexplainedGaps.count) across weekends, \(gaps.unexplainedGaps.count) other)"
            if let worst = gaps.unexplainedGaps.max(by: { $0.missingBars < $1.missingBars }) {
                out += "; largest other gap: \(worst.missingBars) bar(s) after \(date(worst.from))"
            }
            out += "\n"
        }
        if !loaded.droppedColumns.isEmpty { out += "  left out non-numeric columns: \(loaded.droppedColumns.joined(separator: ", "))\n" }
        if loaded.sorted { out += "  rows were sorted by time\n" }
        if loaded.duplicatesRemoved > 0 { out += "  removed \(loaded.duplicatesRemoved) row(s) repeating a timestamp\n" }
        return out
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        s.count >= width ? s : (right ? String(repeating: " ", count: width - s.count) + s : s + String(repeating: " ", count: width - s.count))
    }

    static func fixed(_ x: Double) -> String {
        guard x.isFinite else { return "—" }
        let magnitude = Swift.abs(x)
        if magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-3) { return String(format: "%.4e", x) }
        return String(format: "%.4f", x)
    }

    /// A readable summary: the data, then per output its first valid bar, last value and range,
    /// then the last five bars.
    static func summary(file: String, bars: BarSeries, import loaded: CSVImport, results: [Result]) -> String {
        var out = dataSummary(file: file, import: loaded) + "\n"
        var rows: [[String]] = [["indicator", "output", "first value", "last", "min", "max"]]
        var lastColumns: [(String, Column<Double>)] = [("close", bars.close)]
        for result in results {
            for output in result.outputs {
                let values = output.values
                let valid = values.filter { !$0.isNaN }
                let first = values.firstIndex { !$0.isNaN }
                rows.append([result.spec.text, output.output, first.map { date(bars.time[$0]) + " (bar \($0))" } ?? "never",
                             fixed(values.last ?? .nan), fixed(valid.min() ?? .nan), fixed(valid.max() ?? .nan)])
                lastColumns.append((result.outputs.count == 1 ? result.spec.text : output.output, values))
            }
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max()! }
        for (r, row) in rows.enumerated() {
            out += row.enumerated().map { pad($1, widths[$0], right: $0 >= 3 && r > 0) }.joined(separator: "  ").trimmingTrailingSpaces + "\n"
        }
        out += "\nlast \(Swift.min(5, bars.count)) bars:\n"
        let recent = Swift.max(0, bars.count - 5)..<bars.count
        var table: [[String]] = [["time"] + lastColumns.map(\.0)]
        for i in recent { table.append([date(bars.time[i])] + lastColumns.map { fixed($0.1[i]) }) }
        let tableWidths = (0..<table[0].count).map { c in table.map { $0[c].count }.max()! }
        for row in table {
            out += row.enumerated().map { pad($1, tableWidths[$0], right: $0 > 0) }.joined(separator: "  ").trimmingTrailingSpaces + "\n"
        }
        return out
    }

    /// `colonnade indicators --list`.
    static func catalogListing() -> String {
        var out = "Indicators (SPEC = name[:parameters in this order]; omitted parameters take the defaults shown):\n\n"
        for d in IndicatorCatalog.all {
            let params = d.parameters.map { "\($0.name)=\($0.isInteger ? String(Int($0.defaultValue)) : "\($0.defaultValue)")" }.joined(separator: ", ")
            let outputs = d.outputs == ["real"] ? "" : "  -> " + d.outputs.joined(separator: ", ")
            out += "  " + pad(d.name, 16) + pad(d.summary, 42) + (params.isEmpty ? "(no parameters)" : params) + outputs
                + (d.isTALib ? "" : "  [not in TA-Lib]") + "\n"
        }
        return out
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
