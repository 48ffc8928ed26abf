import Colonnade
import Foundation
import Testing

@Suite("colonnade backtest")
struct BacktestCommandTests {
    static let statKeys: Set<String> = [
        "start", "end", "durationDays", "exposureTimePct", "equityFinal", "equityPeak", "commissions", "returnPct",
        "buyAndHoldReturnPct", "returnAnnPct", "volatilityAnnPct", "cagrPct", "sharpeRatio", "sortinoRatio",
        "calmarRatio", "alphaPct", "beta", "maxDrawdownPct", "avgDrawdownPct", "maxDrawdownDurationDays",
        "avgDrawdownDurationDays", "tradeCount", "winRatePct", "bestTradePct", "worstTradePct", "avgTradePct",
        "maxTradeDurationDays", "avgTradeDurationDays", "profitFactor", "expectancyPct", "sqn", "kellyCriterion",
    ]

    @Test("the acceptance command: 93 trades, Equity Final 56263.51934000004")
    func canonical() throws {
        let run = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv", "--strategy", "sma-cross", "--param", "fast=10",
                               "--param", "slow=20", "--param", "direction=long-short", "--cash", "10000",
                               "--commission", "0.002", "--profile", "backtesting-py", "--exclusive-orders", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["stats", "trades", "execution"])
        let execution = try #require(object["execution"] as? [String: Any])
        #expect(execution["profile"] as? String == "backtesting-py")
        #expect(execution["slippage"] as? String == "none" && execution["volumeCap"] as? String == "none")
        #expect(execution["slippagePaid"] as? Double == 0 && execution["spreadPaid"] as? Double == 0)
        let stats = try #require(object["stats"] as? [String: Any])
        #expect(Set(stats.keys) == Self.statKeys)
        #expect(stats["tradeCount"] as? Int == 93)
        // The text itself, so no JSON parser rounding stands between us and the digits.
        #expect(run.stdout.contains("\"equityFinal\":56263.51934000004"))
        let trades = try #require(object["trades"] as? [[String: Any]])
        #expect(trades.count == 93)
        #expect(Set(trades[0].keys) == ["entryBar", "exitBar", "entryTime", "exitTime", "size", "entryPrice",
                                        "exitPrice", "pnl", "returnPct", "commission"])
        #expect(trades[0]["size"] as? Double == -59 && trades[0]["entryBar"] as? Int == 63)
    }

    @Test("every built-in strategy runs on both fixtures", arguments: ["sma-cross", "rsi-reversal", "macd-cross",
                                                                       "bollinger-reversion", "donchian-breakout"])
    func builtIns(strategy: String) throws {
        for file in ["Fixtures/GOOG.csv", "Fixtures/EURUSD.csv"] {
            let run = try CLI.run(["backtest", "--data", file, "--strategy", strategy, "--param", "direction=long-short",
                                   "--commission", "0.001", "--format", "json"])
            #expect(run.status == 0, "\(strategy) on \(file): \(run.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let stats = try #require(object["stats"] as? [String: Any])
            #expect((stats["tradeCount"] as? Int ?? 0) > 0, "\(strategy) on \(file) made no trade")
        }
    }

    @Test("text output is a readable table")
    func text() throws {
        let run = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv", "--strategy", "sma-cross"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Equity Final"))
        #expect(run.stdout.contains("# Trades                        46"))
        #expect(run.stdout.contains("entry price"))
        // The default profile is realistic, and the report says what it assumed.
        #expect(run.stdout.contains("profile realistic"))
        #expect(run.stdout.contains("volume cap  10 % of each bar's volume"))
        #expect(run.stdout.contains("half on each fill"))
    }

    @Test("the realistic profile charges spread and slippage, and its flags change them")
    func realistic() throws {
        func execution(_ flags: [String]) throws -> (stats: [String: Any], execution: [String: Any]) {
            let run = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv", "--strategy", "sma-cross", "--format", "json"] + flags)
            #expect(run.status == 0, "\(flags): \(run.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            return (try #require(object["stats"] as? [String: Any]), try #require(object["execution"] as? [String: Any]))
        }
        let parity = try execution(["--profile", "backtesting-py"])
        let realistic = try execution([])
        #expect(realistic.execution["profile"] as? String == "realistic")
        #expect((realistic.execution["slippagePaid"] as? Double ?? 0) > 0)
        #expect((realistic.execution["spreadPaid"] as? Double ?? 0) > 0)
        // Costs cost money: same trades' timing, less equity than the frictionless parity run.
        #expect((realistic.stats["equityFinal"] as? Double ?? .infinity) < (parity.stats["equityFinal"] as? Double ?? 0))
        let fixed = try execution(["--slippage-bps", "5", "--participation", "0", "--spread", "0"])
        #expect(fixed.execution["slippage"] as? String == "5.0 bps on fills at market")
        #expect(fixed.execution["volumeCap"] as? String == "none")
        #expect(fixed.execution["spreadPaid"] as? Double == 0)
        let late = try execution(["--latency-bars", "2"])
        #expect((late.execution["fills"] as? String ?? "").contains("latency 2 bars"))
    }

    @Test("bad requests exit non-zero with a message that names the problem", arguments: [
        (["--strategy", "sma-crossover"], Int32(2), "'sma-crossover' is not a built-in strategy"),
        (["--strategy", "sma-cross", "--param", "fats=10"], 2, "fats is not a parameter of sma-cross"),
        (["--strategy", "sma-cross", "--param", "fast=ten"], 2, "must be a whole number"),
        (["--strategy", "sma-cross", "--param", "fast=30"], 2, "must be below slow"),
        (["--strategy", "sma-cross", "--param", "fast=0"], 2, "sma-cross"),
        (["--strategy", "sma-cross", "--param", "direction=sideways"], 2, "must be one of long-only, long-short"),
        (["--strategy", "sma-cross", "--param", "fast"], 2, "KEY=VALUE"),
        (["--strategy", "rsi-reversal", "--param", "lower=80"], 2, "lower < upper"),
        (["--strategy", "sma-cross", "--cash", "0"], 2, "cash must be a positive number"),
        (["--strategy", "sma-cross", "--commission", "0.5"], 2, "commission rate must be in [-0.1, 0.1)"),
        (["--strategy", "sma-cross", "--profile", "vectorbt"], 64, "profile"),
        (["--data", "Fixtures/EURUSD.csv", "--strategy", "sma-cross"], 1, "GOOG, EURUSD share no timestamp"),
        (["--data", "Fixtures/GOOG.csv", "--strategy", "sma-cross"], 2, "symbol GOOG appears twice"),
        (["--strategy", "sma-cross", "--profile", "backtesting-py", "--slippage-bps", "5"], 64, "--slippage-bps needs --profile realistic"),
        (["--strategy", "sma-cross", "--profile", "backtesting-py", "--participation", "0.1"], 64, "--participation needs --profile realistic"),
        (["--strategy", "sma-cross", "--slippage-bps=-1"], 2, "slippage fixed basis points must be in [0, 10000)"),
        (["--strategy", "sma-cross", "--participation", "1.5"], 2, "participation must be in (0, 1]"),
        (["--strategy", "sma-cross", "--latency-bars=-2"], 2, "latency must not be negative"),
        (["--strategy", "sma-cross", "--spread", "1"], 2, "spread must be in [0, 1)"),
    ] as [([String], Int32, String)])
    func badRequests(arguments: [String], status: Int32, message: String) throws {
        let run = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv"] + arguments)
        #expect(run.status == status, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
    }

    @Test("several --data files: one account, aligned on shared timestamps, trades named by symbol")
    func portfolio() throws {
        // GOOG as it is, and a second instrument at twice its prices with every seventh bar missing.
        let lines = try String(contentsOfFile: "\(CLI.repository)/Fixtures/GOOG.csv", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var twin = [lines[0]]
        for (k, line) in lines.dropFirst().enumerated() where k % 7 != 3 {
            let cells = line.split(separator: ",").map(String.init)
            twin.append(([cells[0]] + cells[1...4].map { "\(Double($0)! * 2)" } + [cells[5]]).joined(separator: ","))
        }
        let twinPath = try CLI.write(twin.joined(separator: "\n") + "\n", name: "TWIN.csv")
        let run = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv", "--data", twinPath, "--strategy", "sma-cross",
                               "--param", "direction=long-short", "--profile", "backtesting-py", "--commission", "0.002",
                               "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let instruments = try #require(object["instruments"] as? [[String: Any]])
        #expect(instruments.map { $0["symbol"] as? String } == ["GOOG", "TWIN"])
        let dropped = (2148 + 3) / 7
        #expect(instruments.map { $0["droppedBars"] as? Int } == [dropped, 0])
        #expect(instruments.map { $0["bars"] as? Int } == [2148 - dropped, 2148 - dropped])
        let trades = try #require(object["trades"] as? [[String: Any]])
        let symbols = Set(trades.compactMap { $0["symbol"] as? String })
        #expect(symbols == ["GOOG", "TWIN"])
        // On the same bars at twice the price the twin trades half the units of GOOG's first trade, on the same bars.
        let first = try #require(trades.first { $0["symbol"] as? String == "GOOG" })
        let twinFirst = try #require(trades.first { $0["symbol"] as? String == "TWIN" })
        #expect(first["entryBar"] as? Int == twinFirst["entryBar"] as? Int)
        #expect(abs(twinFirst["entryPrice"] as! Double - 2 * (first["entryPrice"] as! Double)) < 1e-9)
        let text = try CLI.run(["backtest", "--data", "Fixtures/GOOG.csv", "--data", twinPath, "--strategy", "rsi-reversal"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("portfolio of 2 on one account") && text.stdout.contains("GOOG (\(dropped) bars dropped)"))
        #expect(text.stdout.contains("equal-weight buy-and-hold"))
    }

    @Test("a malformed file exits 1 naming file, line and column")
    func malformedFile() throws {
        let path = try CLI.write(",Open,High,Low,Close,Volume\n2020-01-01,1,2,0.5,1.5,100\n2020-01-02,1,x,0.5,1.5,100\n", name: "bad.csv")
        let run = try CLI.run(["backtest", "--data", path, "--strategy", "sma-cross"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.csv:3"), "\(run.stderr)")
        #expect(run.stderr.contains("High"), "\(run.stderr)")
    }

    @Test("a missing --data is a usage error")
    func missingData() throws {
        let run = try CLI.run(["backtest", "--strategy", "sma-cross"])
        #expect(run.status == 64)
    }
}
