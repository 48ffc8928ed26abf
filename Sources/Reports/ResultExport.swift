import Analytics
import ColumnStore
import Engine
import Execution

/// JSON and CSV of a backtest's statistics, trades and equity, for other tools.
///
/// Formats (docs/cli.md): numbers in the shortest form that reads back as the same double, NaN
/// as `null` in JSON and an empty cell in CSV; times as ISO-8601 UTC.
public enum ResultExport {
    /// `{"stats": {...}, "trades": [...], "equity": {"time": [...], "equity": [...], "drawdownPct": [...]}}`.
    public static func json(_ content: ReportContent) -> String {
        let time = content.bars.time
        let equity = content.result.equity
        let drawdown = Drawdown(equity: equity).fraction
        let times = (0..<equity.count).map { JSONText.string(Timestamp.iso8601(time[time.startIndex + $0])) }
        return "{\"stats\":\(statsJSON(content.result.statistics)),\"trades\":\(tradesJSON(content.result.trades, time: time))"
            + ",\"equity\":{\"time\":[\(times.joined(separator: ","))],\"equity\":[\(equity.map { JSONText.number($0) }.joined(separator: ","))]"
            + ",\"drawdownPct\":[\(drawdown.map { JSONText.number(-$0 * 100) }.joined(separator: ","))]}}"
    }

    /// Every statistic by its key (`PerformanceStatistics.fields`), `start` and `end` as ISO-8601.
    public static func statsJSON(_ s: PerformanceStatistics) -> String {
        let fields = s.fields.map { key, value -> String in
            switch key {
            case "start": return "\"start\":\"\(Timestamp.iso8601(s.start))\""
            case "end": return "\"end\":\"\(Timestamp.iso8601(s.end))\""
            case "tradeCount": return "\"tradeCount\":\(s.tradeCount)"
            default: return "\(JSONText.string(key)):\(JSONText.number(value))"
            }
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The closed trades: `entryBar`, `exitBar`, `entryTime`, `exitTime`, `size` (negative for
    /// short), `entryPrice`, `exitPrice`, `pnl`, `returnPct`, `commission`, plus `symbol` when
    /// `symbols` names each instrument.
    public static func tradesJSON(_ trades: [Trade], time: Column<Int64>, symbols: [String]? = nil) -> String {
        let objects = trades.map { t -> String in
            let exit = t.exitBar ?? t.entryBar
            var fields = [
                "\"entryBar\":\(t.entryBar)", "\"exitBar\":\(exit)",
                "\"entryTime\":\"\(Timestamp.iso8601(time[time.startIndex + t.entryBar]))\"",
                "\"exitTime\":\"\(Timestamp.iso8601(time[time.startIndex + exit]))\"",
                "\"size\":\(JSONText.number(t.size))", "\"entryPrice\":\(JSONText.number(t.entryPrice))",
                "\"exitPrice\":\(JSONText.number(t.exitPrice ?? .nan))", "\"pnl\":\(JSONText.number(t.pnl() ?? .nan))",
                "\"returnPct\":\(JSONText.number((t.returnFraction() ?? .nan) * 100))", "\"commission\":\(JSONText.number(t.commission))",
            ]
            if let symbols { fields.append("\"symbol\":\(JSONText.string(symbols[t.instrument]))") }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",") + "]"
    }

    /// `entry_time,exit_time,instrument,side,size,entry_price,exit_price,pnl,return_pct,bars,commission`, one row per closed trade.
    public static func tradesCSV(_ content: ReportContent) -> String {
        let time = content.bars.time
        var out = "entry_time,exit_time,instrument,side,size,entry_price,exit_price,pnl,return_pct,bars,commission\n"
        for t in content.result.trades {
            let exit = t.exitBar ?? t.entryBar
            let cells = [Timestamp.iso8601(time[time.startIndex + t.entryBar]), Timestamp.iso8601(time[time.startIndex + exit]),
                         "\(t.instrument)", t.size > 0 ? "long" : "short", CSVText.number(Swift.abs(t.size)),
                         CSVText.number(t.entryPrice), CSVText.number(t.exitPrice ?? .nan), CSVText.number(t.pnl() ?? .nan),
                         CSVText.number((t.returnFraction() ?? .nan) * 100), "\(exit - t.entryBar)", CSVText.number(t.commission)]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `time,equity,drawdown_pct`, one row per bar.
    public static func equityCSV(_ content: ReportContent) -> String {
        let time = content.bars.time
        let equity = content.result.equity
        let drawdown = Drawdown(equity: equity).fraction
        var out = "time,equity,drawdown_pct\n"
        out.reserveCapacity(equity.count * 48)
        for bar in equity.indices {
            out += Timestamp.iso8601(time[time.startIndex + bar]) + "," + CSVText.number(equity[bar]) + "," + CSVText.number(-drawdown[bar] * 100) + "\n"
        }
        return out
    }
}

enum CSVText {
    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "" }
}
