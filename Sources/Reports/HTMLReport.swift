import Analytics
import ColumnStore
import Engine
import Execution
import Foundation

/// A backtest as one self-contained HTML page: no scripts, fonts or stylesheets from anywhere
/// else, charts as inline SVG, so it opens offline in any browser and prints to PDF.
///
/// The page holds, in order: a header with the strategy, the data, the period and every
/// assumption of the run; headline figures; the statistics table; the equity curve against buy
/// and hold; the drawdown (underwater) curve; the price chart (candles up to
/// ``candleLimit`` bars, else the close over its high–low envelope) with every entry and exit
/// and the strategy's indicators (over the prices when in price units, else in panes below);
/// monthly returns as a years × months heat map; the distribution of trade returns; the trades.
///
/// Size stays bounded on long data: every line is reduced to at most four points per pixel
/// column by `Downsampling.m4(_:buckets:)`, which keeps each column's extremes; trade markers
/// are merged per pixel column above ``markerLimit`` trades; the trade table lists the first and
/// last ``tableLimit``/2 trades when there are more (the CSV export has them all).
///
/// Complexity: O(bars + trades).
public enum HTMLReport {
    /// Bars up to which the price chart draws candles.
    public static let candleLimit = 300
    /// Trades up to which each gets its own markers and a line from entry to exit.
    public static let markerLimit = 400
    /// Rows of the trade table.
    public static let tableLimit = 200

    /// The whole page as one HTML string (UTF-8 when written), self-contained: inline CSS and SVG,
    /// no script, nothing fetched. Sections whose data is missing (no trades, fewer than two months)
    /// say so instead of drawing an empty chart.
    ///
    /// - Complexity: O(bars + trades).
    public static func render(_ content: ReportContent) -> String {
        var page = Page()
        page.add(header(content))
        page.add(headline(content))
        page.add(statistics(content))
        page.add(equity(content))
        page.add(drawdown(content))
        page.add(price(content))
        page.add(monthly(content))
        page.add(tradeReturns(content))
        page.add(tradeTable(content))
        return page.html(title: "\(content.strategy) on \(content.data)")
    }

    // MARK: - Text sections

    static func header(_ c: ReportContent) -> String {
        let bars = c.bars
        let period = bars.count > 0
            ? "\(day(bars.time[bars.time.startIndex])) to \(day(bars.time[bars.time.startIndex + bars.count - 1])), \(HTML.number(Double(bars.count), 0)) bars"
            : "no bars"
        var rows = "<tr><th>profile</th><td>\(HTML.escape(c.profile))</td></tr>"
        for (name, value) in c.assumptions { rows += "<tr><th>\(HTML.escape(name))</th><td>\(HTML.escape(value))</td></tr>" }
        let details = c.strategyDetails.map { "<li>\(HTML.escape($0))</li>" }.joined()
        return """
        <header id="header"><h1>\(HTML.escape(c.strategy))</h1>
        <p class="sub">\(HTML.escape(c.data)) · \(period)</p>
        \(details.isEmpty ? "" : "<ul class=\"details\">\(details)</ul>")
        <details open><summary>Assumptions of this run</summary><table class="assumptions">\(rows)</table></details></header>
        """
    }

    static func headline(_ c: ReportContent) -> String {
        let s = c.result.statistics
        let cards: [(String, String, Double)] = [
            ("Return", HTML.number(s.returnPct) + " %", s.returnPct),
            ("Buy & Hold", HTML.number(s.buyAndHoldReturnPct) + " %", s.buyAndHoldReturnPct),
            ("Sharpe", HTML.number(s.sharpeRatio, 2), s.sharpeRatio),
            ("Max. drawdown", HTML.number(s.maxDrawdownPct) + " %", s.maxDrawdownPct),
            ("Trades", "\(s.tradeCount)", 0),
            ("Win rate", HTML.number(s.winRatePct, 1) + " %", 0),
            ("Equity final", HTML.number(s.equityFinal), s.equityFinal - c.cash),
        ]
        return "<section id=\"headline\" class=\"cards\">" + cards.map { name, value, sign in
            "<div class=\"card\"><div class=\"label\">\(name)</div><div class=\"value \(sign > 0 ? "up" : sign < 0 ? "down" : "")\">\(value)</div></div>"
        }.joined() + "</section>"
    }

    static func statistics(_ c: ReportContent) -> String {
        let s = c.result.statistics
        var rows: [String] = []
        for (key, value) in s.fields {
            let label = PerformanceStatistics.labels[key] ?? key
            let shown: String
            switch key {
            case "start": shown = Timestamp.iso8601(s.start)
            case "end": shown = Timestamp.iso8601(s.end)
            case "tradeCount": shown = "\(s.tradeCount)"
            case "sharpeRatio", "sortinoRatio", "calmarRatio", "beta", "profitFactor", "sqn", "kellyCriterion": shown = HTML.number(value, 3)
            default: shown = HTML.number(value, 2)
            }
            rows.append("<tr><th>\(HTML.escape(label))</th><td>\(shown)</td></tr>")
        }
        let half = (rows.count + 1) / 2
        let note = c.result.openTrades.isEmpty ? "" :
            "<p class=\"note\">\(c.result.openTrades.count) trade\(c.result.openTrades.count == 1 ? " was" : "s were") still open at the end: in the equity, not in the trade statistics.</p>"
        return section("statistics", "Statistics",
                       "<div class=\"stats\"><table>\(rows[..<half].joined())</table><table>\(rows[half...].joined())</table></div>\(note)")
    }

    // MARK: - Charts

    static func equity(_ c: ReportContent) -> String {
        let equity = c.result.equity
        let close = c.bars.close.map { $0 }
        // Buy and hold from the first bar the strategy could trade, as the Buy & Hold statistic counts it.
        let start = Swift.min(Swift.max(0, c.result.firstDecisionBar - 1), Swift.max(0, close.count - 1))
        let firstClose = close.isEmpty ? .nan : close[start]
        let hold = close.enumerated().map { bar, price in bar < start ? .nan : c.cash * price / firstClose }
        let all = (equity + hold).filter(\.isFinite)
        let low = all.min() ?? 0, high = all.max() ?? 1
        let frame = ChartFrame(height: 300, bars: equity.count, low: low, high: high, logScale: low > 0 && high / low > 20)
        let buckets = ChartFrame.plotColumns
        var svg = SVG.open(id: "equity-chart", height: frame.height, label: "Equity curve and buy and hold")
        svg += SVG.yAxis(frame, format: HTML.compact) + SVG.timeAxis(frame, time: c.bars.time)
        svg += "<path class=\"hold\" d=\"\(SVG.linePath(Downsampling.m4(hold, buckets: buckets), frame: frame))\"/>"
        svg += "<path class=\"equity\" d=\"\(SVG.linePath(Downsampling.m4(equity, buckets: buckets), frame: frame))\"/>"
        if let peak = equity.indices.max(by: { equity[$0] < equity[$1] }) {
            svg += "<circle class=\"peak\" cx=\"\(SVG.n(frame.x(Double(peak))))\" cy=\"\(SVG.n(frame.y(equity[peak])))\" r=\"3.5\"><title>peak \(HTML.number(equity[peak])) on \(day(c.bars.time[c.bars.time.startIndex + peak]))</title></circle>"
        }
        svg += "</svg>"
        let legend = legendHTML([("equity", "Equity"), ("hold", "Buy & hold \(HTML.escape(c.bars.symbol ?? "")) from the same cash, from the first bar the strategy could trade")])
            + (frame.logScale ? "<span class=\"note\">log scale</span>" : "")
        return section("equity", "Equity", legend + svg)
    }

    static func drawdown(_ c: ReportContent) -> String {
        let fraction = Drawdown(equity: c.result.equity).fraction.map { -$0 * 100 }
        let low = Swift.min(fraction.filter(\.isFinite).min() ?? 0, -0.01)
        let frame = ChartFrame(height: 160, bars: fraction.count, low: low, high: 0)
        var svg = SVG.open(id: "drawdown-chart", height: frame.height, label: "Drawdown")
        svg += SVG.yAxis(frame, format: { HTML.number($0, Swift.abs(low) < 5 ? 1 : 0) + "%" }) + SVG.timeAxis(frame, time: c.bars.time)
        svg += "<path class=\"underwater\" d=\"\(SVG.areaPath(Downsampling.m4(fraction, buckets: ChartFrame.plotColumns), baseline: 0, frame: frame))\"/>"
        if let deepest = fraction.indices.min(by: { fraction[$0] < fraction[$1] }) {
            svg += "<circle class=\"trough\" cx=\"\(SVG.n(frame.x(Double(deepest))))\" cy=\"\(SVG.n(frame.y(fraction[deepest])))\" r=\"3.5\"><title>max. drawdown \(HTML.number(fraction[deepest])) % on \(day(c.bars.time[c.bars.time.startIndex + deepest]))</title></circle>"
        }
        svg += "</svg>"
        return section("drawdown", "Drawdown", svg)
    }

    /// An indicator is drawn over the prices when its typical value is within half to twice the
    /// close (moving averages, bands, SAR), else in a pane of its own (RSI, MACD, ATR).
    static func isPriceScaled(_ indicator: ReportContent.Indicator, close: Column<Double>) -> Bool {
        var ratios: [Double] = []
        let step = Swift.max(1, indicator.values.count / 500)
        var bar = 0
        while bar < Swift.min(indicator.values.count, close.count) {
            let v = indicator.values[indicator.values.startIndex + bar], p = close[close.startIndex + bar]
            if v.isFinite && p.isFinite && p != 0 { ratios.append(v / p) }
            bar += step
        }
        guard !ratios.isEmpty else { return false }
        ratios.sort()
        let median = ratios[ratios.count / 2]
        return median > 0.5 && median < 2
    }

    static let palette = ["#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#9333ea", "#0d9488", "#ea580c"]

    static func price(_ c: ReportContent) -> String {
        let bars = c.bars
        let n = bars.count
        let open = bars.open.map { $0 }, high = bars.high.map { $0 }, low = bars.low.map { $0 }, close = bars.close.map { $0 }
        let overlays = c.indicators.filter { isPriceScaled($0, close: bars.close) }
        var lowest = low.filter(\.isFinite).min() ?? 0, highest = high.filter(\.isFinite).max() ?? 1
        for o in overlays {
            for v in o.values where v.isFinite { lowest = Swift.min(lowest, v); highest = Swift.max(highest, v) }
        }
        let frame = ChartFrame(height: 360, bars: n, low: lowest, high: highest, logScale: lowest > 0 && highest / lowest > 20)
        var svg = SVG.open(id: "price-chart", height: frame.height, label: "Prices, trades and indicators")
        svg += SVG.yAxis(frame, format: HTML.compact) + SVG.timeAxis(frame, time: bars.time)
        if n <= candleLimit {
            let w = Swift.max(1, frame.barWidth * 0.7)
            var up = "", down = ""
            for bar in 0..<n where open[bar].isFinite && close[bar].isFinite {
                let x = frame.x(Double(bar))
                let wick = "M\(SVG.n(x)),\(SVG.n(frame.y(high[bar])))V\(SVG.n(frame.y(low[bar])))"
                let top = frame.y(Swift.max(open[bar], close[bar])), bottom = frame.y(Swift.min(open[bar], close[bar]))
                let body = "M\(SVG.n(x - w / 2)),\(SVG.n(top))h\(SVG.n(w))V\(SVG.n(Swift.max(bottom, top + 0.6)))h\(SVG.n(-w))Z"
                if close[bar] >= open[bar] { up += wick + body } else { down += wick + body }
            }
            svg += "<path class=\"candle up\" d=\"\(up)\"/><path class=\"candle down\" d=\"\(down)\"/>"
        } else {
            var band = ""
            for b in Downsampling.envelope(low: low, high: high, buckets: ChartFrame.plotColumns) {
                let x0 = frame.x(Double(b.first)), x1 = Swift.max(frame.x(Double(b.last)), x0 + 0.5)
                band += "M\(SVG.n(x0)),\(SVG.n(frame.y(b.high)))H\(SVG.n(x1))V\(SVG.n(frame.y(b.low)))H\(SVG.n(x0))Z"
            }
            svg += "<path class=\"range\" d=\"\(band)\"/>"
            svg += "<path class=\"close\" d=\"\(SVG.linePath(Downsampling.m4(close, buckets: ChartFrame.plotColumns), frame: frame))\"/>"
        }
        for (index, o) in overlays.enumerated() {
            svg += "<path class=\"indicator\" stroke=\"\(palette[index % palette.count])\" d=\"\(SVG.linePath(Downsampling.m4(o.values.map { $0 }, buckets: ChartFrame.plotColumns), frame: frame))\"/>"
        }
        svg += markers(c, frame: frame)
        svg += "</svg>"
        let legend: [(String, String)] = [(n <= candleLimit ? "candle-key" : "close", n <= candleLimit ? "Candles" : "Close (band: each pixel's high–low)"),
                                          ("entry-key", "Entry (▲ long, ▼ short)"), ("exit-key", "Exit (green: profit, red: loss)")]
        var styled = ""
        for (index, o) in overlays.enumerated() {
            styled += "<span class=\"key\"><i style=\"background:\(palette[index % palette.count])\"></i>\(HTML.escape(o.label))</span>"
        }
        var html = legendHTML(legend, extra: styled) + svg
        html += panes(c, skipping: Set(overlays.map(\.label)))
        return section("price", "Price and trades", html)
    }

    static func markers(_ c: ReportContent, frame: ChartFrame) -> String {
        let trades = c.result.trades + c.result.openTrades
        let single = trades.allSatisfy { $0.instrument == 0 }
        let shown = trades.filter { $0.instrument == 0 }
        var out = ""
        if shown.count <= markerLimit {
            for t in shown {
                let x0 = frame.x(Double(t.entryBar)), y0 = frame.y(t.entryPrice)
                let long = t.size > 0
                let tri = long ? "M\(SVG.n(x0)),\(SVG.n(y0 + 1))l-4.5,8h9Z" : "M\(SVG.n(x0)),\(SVG.n(y0 - 1))l-4.5,-8h9Z"
                let when = day(c.bars.time[c.bars.time.startIndex + t.entryBar])
                out += "<path class=\"entry \(long ? "long" : "short")\" d=\"\(tri)\"><title>\(long ? "buy" : "short") \(HTML.number(Swift.abs(t.size), 0)) at \(HTML.number(t.entryPrice, 4)) on \(when)</title></path>"
                if let exitBar = t.exitBar, let exitPrice = t.exitPrice {
                    let x1 = frame.x(Double(exitBar)), y1 = frame.y(exitPrice)
                    let profit = (t.pnl() ?? 0) >= 0
                    out += "<path class=\"link \(profit ? "profit" : "loss")\" d=\"M\(SVG.n(x0)),\(SVG.n(y0))L\(SVG.n(x1)),\(SVG.n(y1))\"/>"
                    out += "<circle class=\"exit \(profit ? "profit" : "loss")\" cx=\"\(SVG.n(x1))\" cy=\"\(SVG.n(y1))\" r=\"3.2\"><title>exit at \(HTML.number(exitPrice, 4)) on \(day(c.bars.time[c.bars.time.startIndex + exitBar])): \(HTML.number((t.returnFraction() ?? .nan) * 100)) %</title></circle>"
                }
            }
        } else {
            // One marker per pixel column and kind: the chart cannot show more, and the file stays small.
            var seen = Set<String>()
            for t in shown {
                let x0 = SVG.n(frame.x(Double(t.entryBar)).rounded())
                let long = t.size > 0
                if seen.insert("e\(long)\(x0)").inserted {
                    let y0 = frame.y(t.entryPrice)
                    out += "<path class=\"entry \(long ? "long" : "short")\" d=\"\(long ? "M\(x0),\(SVG.n(y0 + 1))l-3,6h6Z" : "M\(x0),\(SVG.n(y0 - 1))l-3,-6h6Z")\"/>"
                }
                if let exitBar = t.exitBar, let exitPrice = t.exitPrice {
                    let x1 = SVG.n(frame.x(Double(exitBar)).rounded())
                    let profit = (t.pnl() ?? 0) >= 0
                    if seen.insert("x\(profit)\(x1)").inserted {
                        out += "<circle class=\"exit \(profit ? "profit" : "loss")\" cx=\"\(x1)\" cy=\"\(SVG.n(frame.y(exitPrice)))\" r=\"2.2\"/>"
                    }
                }
            }
        }
        if !single {
            out += "<text class=\"tick\" x=\"\(SVG.n(ChartFrame.left + 6))\" y=\"\(SVG.n(frame.top + 12))\">trades of \(HTML.escape(c.bars.symbol ?? "the first instrument")) only</text>"
        }
        return "<g id=\"trade-markers\">" + out + "</g>"
    }

    /// Indicators not in price units, one pane per indicator call (a MACD's three outputs share one).
    static func panes(_ c: ReportContent, skipping overlaid: Set<String>) -> String {
        var groups: [(name: String, members: [ReportContent.Indicator])] = []
        for indicator in c.indicators where !overlaid.contains(indicator.label) {
            let base = indicator.label.hasSuffix(")") ? indicator.label : String(indicator.label[..<(indicator.label.lastIndex(of: ".") ?? indicator.label.endIndex)])
            if let index = groups.firstIndex(where: { $0.name == base }) { groups[index].members.append(indicator) } else { groups.append((base, [indicator])) }
        }
        var out = ""
        for (paneIndex, group) in groups.enumerated() {
            let values = group.members.flatMap { $0.values.filter(\.isFinite) }
            let frame = ChartFrame(height: 120, bars: c.bars.count, low: values.min() ?? 0, high: values.max() ?? 1)
            var svg = SVG.open(id: "pane-\(paneIndex)", height: frame.height, label: group.name)
            svg += SVG.yAxis(frame, format: HTML.compact) + SVG.timeAxis(frame, time: c.bars.time)
            var keys = ""
            for (index, member) in group.members.enumerated() {
                let color = palette[(index + 3) % palette.count]
                svg += "<path class=\"indicator pane-line\" stroke=\"\(color)\" d=\"\(SVG.linePath(Downsampling.m4(member.values.map { $0 }, buckets: ChartFrame.plotColumns), frame: frame))\"/>"
                keys += "<span class=\"key\"><i style=\"background:\(color)\"></i>\(HTML.escape(member.label))</span>"
            }
            svg += "</svg>"
            out += "<div class=\"pane\"><div class=\"legend\">\(keys)</div>\(svg)</div>"
        }
        return out
    }

    static func monthly(_ c: ReportContent) -> String {
        let table = MonthlyReturns(equity: c.result.equity, time: c.bars.time)
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var html = "<table id=\"monthly-returns\" class=\"heat\"><thead><tr><th></th>" + names.map { "<th>\($0)</th>" }.joined() + "<th>Year</th></tr></thead><tbody>"
        func cell(_ r: Double?, label: String) -> String {
            guard let r, r.isFinite else { return "<td class=\"empty\"></td>" }
            let pct = r * 100
            // Full colour at ±10 % a month: most months of most strategies fall inside.
            let strength = Swift.min(1, Swift.abs(pct) / 10)
            let color = pct >= 0 ? "rgba(22,163,74,\(SVG.n(0.12 + 0.7 * strength)))" : "rgba(220,38,38,\(SVG.n(0.12 + 0.7 * strength)))"
            return "<td style=\"background:\(color)\" title=\"\(label): \(HTML.number(pct)) %\">\(HTML.number(pct, 1))</td>"
        }
        for row in table.years {
            html += "<tr><th>\(row.year)</th>"
            for (m, r) in row.months.enumerated() { html += cell(r, label: "\(names[m]) \(row.year)") }
            html += cell(row.total, label: "\(row.year)").replacingOccurrences(of: "<td ", with: "<td class=\"total\" ") + "</tr>"
        }
        html += "</tbody></table>"
        return section("monthly", "Monthly returns [%]", html)
    }

    static func tradeReturns(_ c: ReportContent) -> String {
        let returns = c.result.trades.compactMap { $0.returnFraction() }.map { $0 * 100 }.filter(\.isFinite)
        guard !returns.isEmpty else { return section("distribution", "Trade returns", "<p class=\"note\">No closed trades.</p>") }
        let lo = returns.min()!, hi = returns.max()!
        let binCount = Swift.min(40, Swift.max(8, Int(Double(returns.count).squareRoot().rounded())))
        let width = hi > lo ? (hi - lo) / Double(binCount) : 1
        var counts = [Int](repeating: 0, count: binCount)
        for r in returns { counts[Swift.min(binCount - 1, Int((r - lo) / width))] += 1 }
        let frame = ChartFrame(height: 200, bars: binCount + 1, low: 0, high: Double(counts.max()!))
        var svg = SVG.open(id: "returns-chart", height: frame.height, label: "Distribution of trade returns")
        svg += SVG.yAxis(frame, format: { HTML.number($0, 0) })
        let barWidth = frame.x(1) - frame.x(0)
        for (bin, count) in counts.enumerated() where count > 0 {
            let from = lo + Double(bin) * width, to = from + width
            let x = frame.x(Double(bin)), y = frame.y(Double(count))
            let positive = (from + to) / 2 >= 0
            svg += "<rect class=\"bin \(positive ? "profit" : "loss")\" x=\"\(SVG.n(x + 0.5))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(Swift.max(1, barWidth - 1)))\" height=\"\(SVG.n(frame.y(0) - y))\"><title>\(count) trade\(count == 1 ? "" : "s") from \(HTML.number(from)) % to \(HTML.number(to)) %</title></rect>"
        }
        for label in SVG.ticks(low: lo, high: hi + width, count: 8) {
            let x = frame.x((label - lo) / width)
            svg += "<text class=\"tick\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(frame.height - 6))\" text-anchor=\"middle\">\(HTML.number(label, Swift.abs(width) < 1 ? 1 : 0))%</text>"
        }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let mx = frame.x((mean - lo) / width)
        svg += "<line class=\"mean\" x1=\"\(SVG.n(mx))\" x2=\"\(SVG.n(mx))\" y1=\"\(SVG.n(frame.top))\" y2=\"\(SVG.n(frame.plotBottom))\"><title>mean \(HTML.number(mean)) %</title></line>"
        svg += "</svg>"
        return section("distribution", "Trade returns [%]", "<p class=\"note\">\(returns.count) closed trades; dashed line: the mean, \(HTML.number(mean)) %.</p>" + svg)
    }

    static func tradeTable(_ c: ReportContent) -> String {
        let trades = c.result.trades
        let symbols = Set(trades.map(\.instrument)).count > 1
        var head = "<tr><th>#</th>"
        if symbols { head += "<th>instrument</th>" }
        head += "<th>side</th><th>entry</th><th>exit</th><th>size</th><th>entry price</th><th>exit price</th><th>PnL</th><th>return %</th><th>bars</th><th>commission</th></tr>"
        var rows = ""
        let indices: [Int] = trades.count <= tableLimit ? Array(trades.indices)
            : Array(0..<(tableLimit / 2)) + Array((trades.count - tableLimit / 2)..<trades.count)
        var previous = -1
        for k in indices {
            if previous >= 0 && k != previous + 1 {
                rows += "<tr class=\"gap\"><td colspan=\"\(symbols ? 12 : 11)\">… \(k - previous - 1) trades not listed (the CSV export has every trade) …</td></tr>"
            }
            previous = k
            let t = trades[k]
            let exit = t.exitBar ?? t.entryBar
            let pnl = t.pnl() ?? .nan
            rows += "<tr><td>\(k + 1)</td>" + (symbols ? "<td>\(t.instrument)</td>" : "")
                + "<td>\(t.size > 0 ? "long" : "short")</td><td>\(day(c.bars.time[c.bars.time.startIndex + t.entryBar]))</td>"
                + "<td>\(day(c.bars.time[c.bars.time.startIndex + exit]))</td><td>\(HTML.number(Swift.abs(t.size), 0))</td>"
                + "<td>\(HTML.number(t.entryPrice, 4))</td><td>\(HTML.number(t.exitPrice ?? .nan, 4))</td>"
                + "<td class=\"\(pnl >= 0 ? "up" : "down")\">\(HTML.number(pnl))</td><td>\(HTML.number((t.returnFraction() ?? .nan) * 100))</td>"
                + "<td>\(exit - t.entryBar)</td><td>\(HTML.number(t.commission))</td></tr>"
        }
        let body = trades.isEmpty ? "<p class=\"note\">No closed trades.</p>"
            : "<div class=\"scroll\"><table id=\"trade-table\" class=\"trades\"><thead>\(head)</thead><tbody>\(rows)</tbody></table></div>"
        return section("trades", "Trades (\(trades.count))", body)
    }

    // MARK: - Page

    static func section(_ id: String, _ title: String, _ body: String) -> String {
        "<section id=\"\(id)\"><h2>\(HTML.escape(title))</h2>\(body)</section>"
    }

    static func legendHTML(_ keys: [(String, String)], extra: String = "") -> String {
        "<div class=\"legend\">" + keys.map { "<span class=\"key\"><i class=\"\($0.0)\"></i>\($0.1)</span>" }.joined() + extra + "</div>"
    }

    static func day(_ t: Int64) -> String {
        let c = civil(t)
        let date = "\(c.year)-\(c.month < 10 ? "0" : "")\(c.month)-\(c.day < 10 ? "0" : "")\(c.day)"
        let within = t - (t >= 0 ? t / Timestamp.nanosecondsPerDay : (t - Timestamp.nanosecondsPerDay + 1) / Timestamp.nanosecondsPerDay) * Timestamp.nanosecondsPerDay
        guard within != 0 else { return date }
        let minutes = Int(within / 60_000_000_000)
        return date + " \(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
    }

    struct Page {
        var sections: [String] = []
        mutating func add(_ html: String) { sections.append(html) }

        func html(title: String) -> String {
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="Colonnade"><title>\(HTML.escape(title))</title>
            <style>\(HTMLReport.style)</style></head>
            <body><main>
            \(sections.joined(separator: "\n"))
            <footer>Written by Colonnade. Self-contained: this file loads nothing from anywhere else. Prices and equity are \
            drawn at up to four points per pixel column, each column's extremes kept.</footer>
            </main></body></html>

            """
        }
    }

    static let style = """
    :root{--ink:#1f2328;--muted:#656d76;--line:#d0d7de;--up:#16a34a;--down:#dc2626;--equity:#1f6feb;--bg:#fff}
    *{box-sizing:border-box}body{margin:0;background:#f6f8fa;color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    main{max-width:1120px;margin:0 auto;padding:20px}
    header,section{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 14px}
    h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}.sub,.note,footer{color:var(--muted)}footer{font-size:12px;margin:8px 2px}
    ul.details{margin:6px 0;padding-left:18px}details summary{cursor:pointer;color:var(--muted);margin-top:6px}
    table{border-collapse:collapse}th,td{padding:3px 8px;text-align:right;white-space:nowrap}th{font-weight:600}
    table.assumptions th,table.assumptions td{text-align:left;white-space:normal;border-bottom:1px solid #eef1f4}table.assumptions th{width:110px;color:var(--muted)}
    .cards{display:flex;flex-wrap:wrap;gap:10px;background:none;border:0;padding:0}.card{flex:1 1 130px;background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
    .card .label{color:var(--muted);font-size:12px}.card .value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
    .up{color:var(--up)}.down{color:var(--down)}
    .stats{display:flex;flex-wrap:wrap;gap:24px}.stats table{flex:1 1 320px}.stats th{text-align:left;font-weight:400;color:var(--muted)}.stats td{font-variant-numeric:tabular-nums}.stats tr{border-bottom:1px solid #eef1f4}
    svg.chart{width:100%;height:auto;display:block;overflow:visible}
    .grid{stroke:#eaeef2;stroke-width:1}.tick{font-size:11px;fill:var(--muted)}
    .equity{fill:none;stroke:var(--equity);stroke-width:1.6}.hold{fill:none;stroke:#8c959f;stroke-width:1.2;stroke-dasharray:4 3}
    .underwater{fill:rgba(220,38,38,.25);stroke:var(--down);stroke-width:1}.peak{fill:var(--equity)}.trough{fill:var(--down)}
    .close{fill:none;stroke:#57606a;stroke-width:1.1}.range{fill:rgba(87,96,106,.16)}
    .candle{stroke-width:1}.candle.up{fill:#dcfce7;stroke:var(--up)}.candle.down{fill:#fee2e2;stroke:var(--down)}
    .indicator{fill:none;stroke-width:1.2}.entry.long{fill:var(--up)}.entry.short{fill:var(--down)}
    .exit{stroke:#fff;stroke-width:.8}.exit.profit{fill:var(--up)}.exit.loss{fill:var(--down)}
    .link{fill:none;stroke-width:1;stroke-dasharray:2 2}.link.profit{stroke:var(--up)}.link.loss{stroke:var(--down)}
    .bin.profit{fill:rgba(22,163,74,.7)}.bin.loss{fill:rgba(220,38,38,.7)}.mean{stroke:var(--ink);stroke-dasharray:4 3}
    .legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;color:var(--muted);margin:0 0 4px}.key i{display:inline-block;width:14px;height:3px;margin-right:5px;vertical-align:middle;background:#888}
    .key i.equity{background:var(--equity)}.key i.hold{background:#8c959f}.key i.close{background:#57606a}.key i.candle-key{background:var(--up)}.key i.entry-key{background:var(--up)}.key i.exit-key{background:var(--down)}
    .pane{margin-top:8px;border-top:1px solid #eef1f4;padding-top:6px}
    table.heat td,table.heat th{padding:4px 6px;font-size:12px;min-width:44px;font-variant-numeric:tabular-nums}table.heat td{border:1px solid #fff}table.heat td.total{font-weight:600}table.heat td.empty{background:#f6f8fa}
    .scroll{max-height:520px;overflow:auto}table.trades{width:100%;font-size:12px;font-variant-numeric:tabular-nums}table.trades thead th{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line)}
    table.trades tbody tr:nth-child(even){background:#f6f8fa}tr.gap td{text-align:center;color:var(--muted)}
    @media print{body{background:#fff}main{max-width:none;padding:0}header,section{break-inside:avoid;border:0;padding:6px 0}.scroll{max-height:none;overflow:visible}details{display:block}}
    """
}
