import Colonnade

/// Text and JSON renderings of a backtest result (formats documented in docs/cli.md).
enum BacktestReport {
    /// One instrument of a portfolio run: where it came from and how many bars alignment dropped.
    struct Instrument {
        var symbol: String
        var file: String
        var bars: Int
        var dropped: Int
    }

    /// One object: `"stats"` (every statistic by key; `start`/`end` as ISO-8601; null where undefined),
    /// `"trades"` (closed trades; returnPct in percent; size negative for short; `"symbol"` on a
    /// portfolio run), `"execution"` (the assumptions and costs paid) and, on a portfolio run,
    /// `"instruments"`.

    static func json(bars: BarSeries, result: BacktestResult, profile: String, configuration: BrokerConfiguration,
                     instruments: [Instrument]? = nil) -> String {
        let costs = Self.costs(result)
        let execution = [("profile", profile)] + configuration.assumptions.map { ($0.name, $0.value) }
        let executionFields = execution.map { "\(IndicatorReport.jsonString(Self.camelCase($0.0))):\(IndicatorReport.jsonString($0.1))" }
            + ["\"commissionPaid\":\(IndicatorReport.number(costs.commission))", "\"spreadPaid\":\(IndicatorReport.number(costs.spread))",
               "\"slippagePaid\":\(IndicatorReport.number(costs.slippage))"]
        let instrumentObjects = instruments.map { list in
            ",\"instruments\":[" + list.map {
                "{\"symbol\":\(IndicatorReport.jsonString($0.symbol)),\"file\":\(IndicatorReport.jsonString($0.file)),"
                    + "\"bars\":\($0.bars),\"droppedBars\":\($0.dropped)}"
            }.joined(separator: ",") + "]"
        } ?? ""
        return "{\"stats\":" + ResultExport.statsJSON(result.statistics) + ",\"trades\":"
            + ResultExport.tradesJSON(result.trades, time: bars.time, symbols: instruments?.map(\.symbol)) + ",\"execution\":{" + executionFields.joined(separator: ",") + "}" + instrumentObjects + "}"
    }

    /// Commission, spread and slippage paid over every fill of the run (open trades' entries included).
    static func costs(_ result: BacktestResult) -> (commission: Double, spread: Double, slippage: Double) {
        result.fills.reduce((0, 0, 0)) { ($0.0 + $1.commission, $0.1 + $1.spreadCost, $0.2 + $1.slippageCost) }
    }

    /// "volume cap" → "volumeCap".
    static func camelCase(_ words: String) -> String {
        let parts = words.split(separator: " ")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }
            .joined()
    }


    static func text(file: String, strategy: String, parameters: [(String, String)], profile: String,
                     configuration: BrokerConfiguration, bars: BarSeries, result: BacktestResult,
                     instruments: [Instrument]? = nil, rules: [String] = []) -> String {
        let described = parameters.isEmpty ? "" : " (\(parameters.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")))"
        var out = "\(strategy)\(described) on \(file), \(bars.count) bars\n"
        for line in rules { out += line + "\n" }
        if let instruments {
            out += "portfolio of \(instruments.count) on one account, on the \(bars.count) timestamps they share: "
                + instruments.map { "\($0.symbol) (\($0.dropped) bars dropped)" }.joined(separator: ", ") + "\n"
            out += "Buy & Hold, Alpha and Beta refer to an equal-weight buy-and-hold of all \(instruments.count)\n"
        }
        out += "profile \(profile)\n"
        for (name, value) in configuration.assumptions {
            out += "  " + name.padding(toLength: 12, withPad: " ", startingAt: 0) + value + "\n"
        }
        let costs = Self.costs(result)
        out += "  " + "paid".padding(toLength: 12, withPad: " ", startingAt: 0)
            + "commission \(format(costs.commission, 2)), spread \(format(costs.spread, 2)), slippage \(format(costs.slippage, 2))\n"
        let partial = result.orders.filter { $0.filledQuantity > 0 && $0.filledQuantity < ($0.quantity ?? 0) }.count
        let split = Set(result.fills.compactMap(\.order)).count < result.fills.filter { $0.order != nil }.count
        if partial > 0 || split {
            out += "  " + "".padding(toLength: 12, withPad: " ", startingAt: 0)
                + "the volume cap split orders into several fills; each fill of an entry is its own trade\n"
        }
        out += "\n"
        let s = result.statistics
        for (key, value) in s.fields {
            let label = PerformanceStatistics.labels[key] ?? key
            let shown: String
            switch key {
            case "start": shown = Timestamp.iso8601(s.start)
            case "end": shown = Timestamp.iso8601(s.end)
            case "tradeCount": shown = "\(s.tradeCount)"
            default: shown = value.isFinite ? format(value, 4) : "-"
            }
            out += label.padding(toLength: 32, withPad: " ", startingAt: 0) + shown + "\n"
        }
        if !result.openTrades.isEmpty {
            out += "\n\(result.openTrades.count) trade(s) still open at the end: in the equity, not in the trade statistics.\n"
        }
        out += "\nTrades\n"
        let header = ["#"] + (instruments == nil ? [] : ["symbol"])
            + ["entry", "exit", "size", "entry price", "exit price", "PnL", "return %", "commission"]
        let leftAligned = instruments == nil ? 2 : 3
        var rows = [header]
        for (k, t) in result.trades.enumerated() {
            let exit = t.exitBar ?? t.entryBar
            rows.append(["\(k + 1)"] + (instruments.map { [$0[t.instrument].symbol] } ?? []) + [String(Timestamp.iso8601(bars.time[bars.time.startIndex + t.entryBar]).prefix(16)),
                         String(Timestamp.iso8601(bars.time[bars.time.startIndex + exit]).prefix(16)),
                         format(t.size, 0), format(t.entryPrice, 4), format(t.exitPrice ?? .nan, 4),
                         format(t.pnl() ?? .nan, 2), format((t.returnFraction() ?? .nan) * 100, 2), format(t.commission, 2)])
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            out += row.enumerated().map { c, cell in
                c <= leftAligned ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        return out
    }

    /// `x` with `decimals` digits after the point.
    static func format(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(x) * scale).rounded() / scale
        var text = decimals == 0 ? "\(Int64(rounded))" : "\(rounded)"
        if decimals > 0 {
            // Pad the fraction to `decimals` digits (Double's description drops trailing zeros).
            if let dot = text.firstIndex(of: "."), !text.contains("e") {
                let have = text.distance(from: dot, to: text.endIndex) - 1
                if have < decimals { text += String(repeating: "0", count: decimals - have) }
            }
        }
        return (x < 0 && rounded != 0 ? "-" : "") + text
    }
}
