import Colonnade
import Foundation
import Testing

@Suite("colonnade bench")
struct BenchCommandTests {
    func json(_ run: CLI.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test("bench engine times the stated workload and reports its outcome")
    func engine() throws {
        let run = try CLI.run(["bench", "engine", "--bars", "20000", "--repeat", "1", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try json(run)
        #expect(Set(object.keys) == ["path", "bars", "symbols", "barsPerSymbol", "seconds", "barsPerSecond", "orders",
                                     "trades", "equityFinal"])
        #expect(object["bars"] as? Int == 20_000 && object["symbols"] as? Int == 1)
        let seconds = try #require(object["seconds"] as? Double), rate = try #require(object["barsPerSecond"] as? Double)
        #expect(seconds > 0 && abs(rate - 20_000 / seconds) <= 1)
        // The workload is the SMA(10)/SMA(20) long-only cross with commission 0.002 on the synthetic bars.
        let expected = try Backtest(bars: BarSeries.synthetic(count: 20_000, seed: 42, symbol: "SYN0"),
                                    configuration: .backtestingPy(cash: 10_000, commission: 0.002))
            .run(SMACross(fast: 10, slow: 20, direction: .longOnly))
        #expect(object["trades"] as? Int == expected.statistics.tradeCount)
        #expect(object["orders"] as? Int == expected.orders.count)
        #expect(expected.statistics.tradeCount > 10)
    }

    @Test("bench engine --path fast runs the same workload through the signal fast path")
    func engineFastPath() throws {
        var outcomes: [[String: Any]] = []
        for path in ["event", "fast"] {
            let run = try CLI.run(["bench", "engine", "--bars", "20000", "--repeat", "1", "--path", path, "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            outcomes.append(try json(run))
        }
        #expect(outcomes.map { $0["path"] as? String } == ["event", "fast"])
        // Same trades, orders and final equity on both paths.
        for key in ["orders", "trades", "equityFinal"] {
            #expect(outcomes[0][key] as? NSNumber == outcomes[1][key] as? NSNumber, "\(key)")
        }
        #expect((outcomes[1]["trades"] as? Int ?? 0) > 10)
    }

    @Test("bench engine with several symbols counts every symbol's bars")
    func engineSymbols() throws {
        let run = try CLI.run(["bench", "engine", "--bars", "3000", "--symbols", "4", "--repeat", "1", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try json(run)
        #expect(object["bars"] as? Int == 12_000 && object["symbols"] as? Int == 4 && object["barsPerSymbol"] as? Int == 3_000)
        #expect((object["trades"] as? Int ?? 0) > 4)
    }

    @Test("bench indicators times the named indicators")
    func indicators() throws {
        let run = try CLI.run(["bench", "indicators", "--bars", "5000", "--repeat", "1", "--indicator", "sma",
                               "--indicator", "RSI", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try json(run)
        let rows = try #require(object["indicators"] as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["sma", "rsi"])
        #expect(object["bars"] as? Int == 5_000)
    }

    @Test("bad requests exit non-zero with a message", arguments: [
        (["bench", "engine", "--bars", "1"], Int32(64), "--bars must be at least 2"),
        (["bench", "engine", "--symbols", "0"], Int32(64), "--symbols must be in"),
        (["bench", "engine", "--repeat", "0"], Int32(64), "--repeat must be in"),
        (["bench", "engine", "--path", "fast", "--symbols", "3"], Int32(64), "--path fast backtests one symbol"),
        (["bench", "engine", "--path", "vector"], Int32(64), "vector"),
        (["bench", "indicators", "--bars", "100", "--indicator", "nope"], Int32(2), "nope"),
    ])
    func badRequests(arguments: [String], status: Int32, message: String) throws {
        let run = try CLI.run(arguments)
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
