import ColumnStore
import Engine
import Execution
import Testing

/// Daily bars from explicit (open, high, low, close) rows.
func ohlcBars(_ rows: [(Double, Double, Double, Double)], volume: Double = 1_000_000) throws -> BarSeries {
    try BarSeries(symbol: "PATH", time: Column(rows.indices.map { Timestamp.nanosecondsPerDay * Int64($0 + 1) }),
                  open: Column(rows.map(\.0)), high: Column(rows.map(\.1)), low: Column(rows.map(\.2)),
                  close: Column(rows.map(\.3)), volume: Column(repeating: volume, count: rows.count))
}

/// A quiet bar around `p`.
func quiet(_ p: Double) -> (Double, Double, Double, Double) { (p, p + 1, p - 1, p) }

let noCosts = BrokerConfiguration(cash: 100_000)
func with(_ path: IntrabarPath) -> BrokerConfiguration {
    var configuration = noCosts
    configuration.intrabarPath = path
    return configuration
}

@Suite("the intrabar path: which price a bar reaches first")
struct IntrabarPathTests {
    static let buy10 = OrderRequest(side: .buy, size: .units(10))

    /// A long bracket entered at bar 1's open (100) whose bar 2 reaches both legs.
    func bracket(_ bar2: (Double, Double, Double, Double), _ path: IntrabarPath) throws -> Trade? {
        let bars = try ohlcBars([quiet(100), quiet(100), bar2, quiet(100), quiet(100)])
        var request = Self.buy10
        (request.stopLoss, request.takeProfit) = (95, 105)
        return try drive(bars, with(path), orders: [0: [request]]).closedTrades.first
    }

    @Test("both legs of a bracket in one bar: pessimistic takes the stop, a path the leg it reaches first")
    func bothLegs() throws {
        // Equally near extremes: nearer-extreme-first goes to the high first, as open-high-low-close.
        let even = (100.0, 106.0, 94.0, 100.0)
        #expect(try bracket(even, .pessimistic)?.exitPrice == 95)
        #expect(try bracket(even, .openHighLowClose)?.exitPrice == 105)
        #expect(try bracket(even, .nearerExtremeFirst)?.exitPrice == 105)
        // The low nearer the open: nearer-extreme-first goes there first; open-high-low-close does not.
        let lowNear = (99.0, 106.0, 94.0, 100.0)
        #expect(try bracket(lowNear, .nearerExtremeFirst)?.exitPrice == 95)
        #expect(try bracket(lowNear, .openHighLowClose)?.exitPrice == 105)
        for path in IntrabarPath.allCases { #expect(try bracket(lowNear, path)?.exitBar == 2, "\(path)") }
    }

    @Test("a market entry's legs work from its fill: a stop-loss inside the entry bar fills on it", arguments: IntrabarPath.allCases)
    func legsOnEntryBar(path: IntrabarPath) throws {
        let bars = try ohlcBars([quiet(100), (100, 101, 94, 96), quiet(96), quiet(96)])
        var request = Self.buy10
        request.stopLoss = 95
        let trade = try #require(try drive(bars, with(path), orders: [0: [request]]).closedTrades.first)
        #expect(trade.entryBar == 1 && trade.exitBar == 1 && trade.entryPrice == 100 && trade.exitPrice == 95)
    }

    @Test("a limit entry's legs: pessimistic waits for the next bar; a path fills the leg reached after the entry")
    func limitEntryLegs() throws {
        // Bar 2 opens at 100, reaches the buy limit 98 and the take-profit 103; the low is nearer.
        let bars = try ohlcBars([quiet(100), quiet(100), (100, 104, 97, 100), (100, 101, 99, 100), quiet(100)])
        let request = OrderRequest(side: .buy, size: .units(10), type: .limit(98), stopLoss: 96, takeProfit: 103)
        let pessimistic = try drive(bars, with(.pessimistic), orders: [0: [request]])
        #expect(pessimistic.openTrades.map(\.entryPrice) == [98] && pessimistic.closedTrades.isEmpty)
        // 100 → 104 → 97 (the limit fills at 98) → 100: the take-profit is not reached after the entry.
        let ohlc = try drive(bars, with(.openHighLowClose), orders: [0: [request]])
        #expect(ohlc.openTrades.map(\.entryPrice) == [98] && ohlc.closedTrades.isEmpty)
        // 100 → 97 (fills at 98) → 104 (take-profit at 103) → 100.
        let nearer = try drive(bars, with(.nearerExtremeFirst), orders: [0: [request]])
        let trade = try #require(nearer.closedTrades.first)
        #expect(trade.entryBar == 2 && trade.exitBar == 2 && trade.entryPrice == 98 && trade.exitPrice == 103)
    }

    @Test("a stop-limit with its limit beyond the stop: pessimistic waits; a path fills when the limit comes after the trigger")
    func stopLimit() throws {
        let request = OrderRequest(side: .buy, size: .units(10), type: .stopLimit(stop: 102, limit: 101))
        // 100 → 103 (triggers at 102) → 99 (limit 101 reached) → 102.
        let bars = try ohlcBars([quiet(100), quiet(100), (100, 103, 99, 102), (102, 103, 100.5, 101), quiet(101)])
        let ohlc = try drive(bars, with(.openHighLowClose), orders: [0: [request]])
        #expect(ohlc.fills.map(\.bar) == [2] && ohlc.fills.map(\.price) == [101])
        // Nearer extreme first: 100 → 99 → 103 (triggers) → 102: the limit is not reached after the trigger.
        let nearer = try drive(bars, with(.nearerExtremeFirst), orders: [0: [request]])
        #expect(nearer.fills.map(\.bar) == [3] && nearer.fills.map(\.price) == [101])
        let pessimistic = try drive(bars, with(.pessimistic), orders: [0: [request]])
        #expect(pessimistic.fills.map(\.bar) == [3] && pessimistic.fills.map(\.price) == [101])
        // Each has become a limit order at 101 by then; under every reading none fills at bar 2 twice.
        for broker in [ohlc, nearer, pessimistic] { #expect(broker.fills.count == 1) }
    }

    @Test("a stop-limit gapped through fills at the open, or at its limit when the gap passed that too", arguments: IntrabarPath.allCases)
    func stopLimitGap(path: IntrabarPath) throws {
        let request = OrderRequest(side: .buy, size: .units(10), type: .stopLimit(stop: 100, limit: 102))
        let intoLimit = try ohlcBars([quiet(100), (98, 99, 97, 98), (101, 103, 99.5, 102), quiet(102)])
        #expect(try drive(intoLimit, with(path), orders: [0: [request]]).fills.map(\.price) == [101])
        let pastLimit = try ohlcBars([quiet(100), (98, 99, 97, 98), (103, 104, 101.5, 102), quiet(102)])
        #expect(try drive(pastLimit, with(path), orders: [0: [request]]).fills.map(\.price) == [102])
    }

    @Test("a trailing stop-loss follows the high and exits where the path first falls back by its offset")
    func trailingBracket() throws {
        // Entered at bar 1's open (100); bar 2 rallies to 110 with a low of 104; bar 3 falls through 105.
        let bars = try ohlcBars([quiet(100), quiet(100), (104, 110, 103, 108), (107, 108, 104, 105), quiet(105)])
        var request = Self.buy10
        request.trailingStop = .amount(5)
        // Pessimistic: bar 2 is tested against 95 and then raises it to 105; bar 3 hits it.
        let pessimistic = try drive(bars, with(.pessimistic), through: 2, orders: [0: [request]])
        #expect(pessimistic.openTrades.first?.stopLoss == 105)
        let p = try #require(try drive(bars, with(.pessimistic), orders: [0: [request]]).closedTrades.first)
        #expect(p.exitBar == 3 && p.exitPrice == 105)
        // Open-high-low-close: 100 → 110 (stop 105) → 104 hits it on bar 2.
        let o = try #require(try drive(bars, with(.openHighLowClose), orders: [0: [request]]).closedTrades.first)
        #expect(o.exitBar == 2 && o.exitPrice == 105)
        // Nearer extreme first: 100 → 104 → 110 → 108 survives bar 2; bar 3: 107 → 108 → 104 hits 105.
        let n = try #require(try drive(bars, with(.nearerExtremeFirst), orders: [0: [request]]).closedTrades.first)
        #expect(n.exitBar == 3 && n.exitPrice == 105)
    }

    @Test("a percent trail on a short, held at its fixed stop-loss until the trail is tighter", arguments: IntrabarPath.allCases)
    func trailingShortWithBound(path: IntrabarPath) throws {
        // Short at 100; a 10 % trail starts at 110 but the stop-loss 104 is tighter; at a low of 90
        // the trail is 99; bar 4 gaps up to 100 through it and fills at the open.
        let bars = try ohlcBars([quiet(100), quiet(100), (100, 100.5, 90, 91), (91, 92, 90.5, 91.5), (100, 101, 99.5, 100), quiet(100)])
        let request = OrderRequest(side: .sell, size: .units(10), stopLoss: 104, trailingStop: .percent(10))
        let early = try drive(bars, with(path), through: 1, orders: [0: [request]])
        #expect(early.openTrades.first?.stopLoss == 104)
        let late = try drive(bars, with(path), through: 3, orders: [0: [request]])
        expectClose(late.openTrades.first?.stopLoss, 99, "trail from the low 90")
        let broker = try drive(bars, with(path), orders: [0: [request]])
        let trade = try #require(broker.closedTrades.first)
        #expect(trade.size == -10 && trade.exitBar == 4 && trade.exitPrice == 100)
    }

    @Test("a standalone trailing stop starts from the close of the bar it was submitted on")
    func standaloneTrailing() throws {
        let bars = try ohlcBars([quiet(100), quiet(100), (100, 101, 99, 100), (100, 100.5, 97, 98), quiet(98)])
        let exit = OrderRequest(side: .sell, size: .units(10), type: .trailingStop(.percent(2)))
        // Bought at bar 1; the trailing sell is submitted at bar 1's close (100): stop 98, then
        // bar 2's high 101 lifts it to 98.98, which bar 3 reaches.
        let broker = try drive(bars, with(.pessimistic), orders: [0: [Self.buy10], 1: [exit]])
        let trade = try #require(broker.closedTrades.first)
        expectClose(trade.exitPrice, 101 * 0.98, "exit")
        #expect(trade.exitBar == 3)
    }

    @Test("market orders fill the same under every reading: SMA cross on GOOG")
    func marketOnlyUnchanged() throws {
        let bars = try Fixtures.bars("GOOG")
        let reference = try Backtest(bars: bars, configuration: .backtestingPy(cash: 10_000, commission: 0.002, exclusiveOrders: true))
            .run(SMACross(fast: 10, slow: 20, direction: .longShort))
        for path in [IntrabarPath.openHighLowClose, .nearerExtremeFirst] {
            var configuration = BrokerConfiguration.backtestingPy(cash: 10_000, commission: 0.002, exclusiveOrders: true)
            configuration.intrabarPath = path
            let result = try Backtest(bars: bars, configuration: configuration).run(SMACross(fast: 10, slow: 20, direction: .longShort))
            #expect(result.trades == reference.trades && result.equity == reference.equity, "\(path)")
        }
    }

    @Test("trailing offsets out of range are refused")
    func badTrails() throws {
        let bars = try ohlcBars([quiet(100), quiet(100)])
        var broker = try Broker(configuration: noCosts, instruments: [bars])
        _ = broker.processBar(0)
        for offset in [TrailingOffset.amount(0), .amount(-1), .amount(.nan), .percent(0), .percent(100), .percent(.infinity)] {
            for request in [OrderRequest(side: .sell, size: .units(1), type: .trailingStop(offset)),
                            OrderRequest(side: .buy, size: .units(1), trailingStop: offset)] {
                #expect { try broker.submit(request) } throws: { ($0 as? OrderError)?.kind == .invalidPrice }
            }
        }
        #expect(broker.workingOrders.isEmpty)
    }
}

@Suite("one-cancels-other and cancel-and-replace")
struct ContingentOrderTests {
    static let breakout = [OrderRequest(side: .buy, size: .units(10), type: .stop(105)),
                           OrderRequest(side: .sell, size: .units(10), type: .stop(95))]

    @Test("the first fill of a group cancels the rest")
    func ocoFill() throws {
        let bars = try ohlcBars([quiet(100), quiet(100), (100, 106, 99, 105), (105, 106, 90, 91), quiet(91)])
        var broker = try Broker(configuration: noCosts, instruments: [bars])
        _ = broker.processBar(0)
        let ids = try broker.submitOneCancelsOther(Self.breakout)
        for bar in 1..<bars.count { _ = broker.processBar(bar) }
        #expect(broker.fills.compactMap(\.order) == [ids[0]] && broker.fills.map(\.price) == [105])
        #expect(broker.orderHistory.first { $0.id == ids[1] }?.status == .cancelled)
        #expect(broker.orderHistory.first { $0.id == ids[1] }?.closedBar == 2)
    }

    @Test("cancelling one order of a group cancels the group; one that expires leaves the others working")
    func ocoCancelAndExpiry() throws {
        let bars = try ohlcBars([quiet(100), quiet(100), quiet(100), quiet(100), (100, 101, 94, 95), quiet(95)])
        var broker = try Broker(configuration: noCosts, instruments: [bars])
        _ = broker.processBar(0)
        let ids = try broker.submitOneCancelsOther(Self.breakout)
        try broker.cancel(ids[1])
        #expect(broker.workingOrders.isEmpty)
        #expect(broker.orderHistory.map(\.status) == [.cancelled, .cancelled])

        var second = try Broker(configuration: noCosts, instruments: [bars])
        _ = second.processBar(0)
        var buy = Self.breakout[0]
        buy.timeInForce = .goodTillDate(bars.time[2])
        let group = try second.submitOneCancelsOther([buy, Self.breakout[1]])
        for bar in 1..<bars.count { _ = second.processBar(bar) }
        #expect(second.orderHistory.first { $0.id == group[0] }?.status == .expired)
        #expect(second.fills.compactMap(\.order) == [group[1]] && second.fills.map(\.price) == [95])
    }

    @Test("a group of fewer than two, or with a bad order, is refused whole")
    func ocoErrors() throws {
        let bars = try ohlcBars([quiet(100), quiet(100)])
        var broker = try Broker(configuration: noCosts, instruments: [bars])
        _ = broker.processBar(0)
        #expect { try broker.submitOneCancelsOther([Self.breakout[0]]) } throws: { ($0 as? OrderError)?.kind == .invalidGroup }
        let bad = [Self.breakout[0], OrderRequest(side: .sell, size: .units(-1), type: .stop(95))]
        #expect { try broker.submitOneCancelsOther(bad) } throws: { ($0 as? OrderError)?.kind == .invalidSize }
        #expect(broker.workingOrders.isEmpty)
    }

    @Test("replacing an entry: a new order at the new price, the old one recorded as replaced by it")
    func replaceEntry() throws {
        let bars = try ohlcBars([quiet(100), quiet(100), quiet(100), (100, 101, 98.5, 99), quiet(99)])
        var broker = try Broker(configuration: noCosts, instruments: [bars])
        _ = broker.processBar(0)
        let first = try broker.submit(OrderRequest(side: .buy, size: .units(10), type: .limit(90)))
        _ = broker.processBar(1)
        let second = try broker.replace(first, type: .limit(98.8))
        #expect(second != first)
        for bar in 2..<bars.count { _ = broker.processBar(bar) }
        #expect(broker.orderHistory.first { $0.id == first }?.status == .replaced(by: second))
        #expect(broker.fills.compactMap(\.order) == [second] && broker.fills.map(\.price) == [98.8] && broker.fills.map(\.bar) == [3])
    }

    @Test("replacing a partly filled entry asks for what is left")
    func replacePartial() throws {
        let bars = try handBars(opens: (0..<12).map { 100 + Double($0) })
        var broker = try Broker(configuration: BrokerConfiguration(cash: 100_000, participation: 0.1), instruments: [bars])
        _ = broker.processBar(0)
        let id = try broker.submit(OrderRequest(side: .buy, size: .units(250)))
        _ = broker.processBar(1)
        let next = try broker.replace(id, type: .limit(50))
        #expect(broker.workingOrders.first { $0.id == next }?.size == .units(150))
        #expect(broker.orderHistory.first { $0.id == id }?.filledQuantity == 100)
    }

    @Test("moving a bracket leg: the trade shows the new stop and exits there")
    func replaceLeg() throws {
        let bars = try ohlcBars([quiet(100), quiet(100), quiet(101), (101, 102, 96.5, 97), quiet(97)])
        var broker = try Broker(configuration: noCosts, instruments: [bars])
        _ = broker.processBar(0)
        try broker.submit(OrderRequest(side: .buy, size: .units(10), stopLoss: 95, takeProfit: 110))
        _ = broker.processBar(1)
        _ = broker.processBar(2)
        let leg = try #require(broker.workingOrders.first { $0.role == .stopLoss })
        let moved = try broker.replace(leg.id, type: .stop(97.5))
        #expect(broker.openTrades.first?.stopLoss == 97.5)
        _ = broker.processBar(3)
        #expect(broker.closedTrades.map(\.exitPrice) == [97.5])
        #expect(broker.fills.last?.order == moved)
        #expect(broker.orderHistory.contains { $0.role == .takeProfit && $0.status == .cancelled })
    }

    @Test("replacements an order cannot take are refused and change nothing")
    func replaceErrors() throws {
        let bars = try ohlcBars([quiet(100), quiet(100), quiet(100), quiet(100)])
        var broker = try Broker(configuration: noCosts, instruments: [bars])
        _ = broker.processBar(0)
        try broker.submit(OrderRequest(side: .buy, size: .units(10), stopLoss: 95, takeProfit: 110))
        _ = broker.processBar(1)
        let entry = try broker.submit(OrderRequest(side: .buy, size: .units(5), type: .limit(90), stopLoss: 85))
        try broker.closePosition()
        let close = try #require(broker.workingOrders.first { $0.role == .close })
        let stopLeg = try #require(broker.workingOrders.first { $0.role == .stopLoss })
        let before = broker.workingOrders
        let cases: [(OrderID, OrderType?, SizeType?, OrderError.Kind)] = [
            (close.id, .limit(99), nil, .invalidReplacement),
            (stopLeg.id, nil, .units(5), .invalidReplacement),
            (stopLeg.id, .limit(99), nil, .invalidReplacement),
            (stopLeg.id, .stop(-1), nil, .invalidPrice),
            (entry, .limit(80), nil, .bracketOutOfOrder),
            (entry, nil, .units(0), .invalidSize),
            (OrderID(rawValue: 999), .limit(99), nil, .unknownReference),
        ]
        for (id, type, size, kind) in cases {
            #expect { try broker.replace(id, type: type, size: size) } throws: { ($0 as? OrderError)?.kind == kind }
        }
        #expect(broker.workingOrders == before)
    }
}

@Suite("execution properties under every intrabar reading, with every order kind")
struct IntrabarPropertyTests {
    static let cases: [(IntrabarPath, UInt64)] = IntrabarPath.allCases.flatMap { path in [11, 12, 13].map { (path, $0) } }

    func configuration(_ path: IntrabarPath) -> BrokerConfiguration {
        var configuration = BrokerConfiguration.backtestingPy(cash: 100_000, commission: 0.001)
        configuration.intrabarPath = path
        return configuration
    }

    @Test("fills inside the bar, equity identity, no look-ahead", arguments: cases)
    func properties(path: IntrabarPath, seed: UInt64) throws {
        let bars = try randomBars(count: 600, seed: seed)
        let full = try Backtest(bars: bars, configuration: configuration(path)).run(RandomOrders(seed: seed, extended: true))
        #expect(full.fills.count > 50)
        for fill in full.fills {
            #expect(bars.low[fill.bar] <= fill.price && fill.price <= bars.high[fill.bar],
                    "\(path) fill at bar \(fill.bar): \(fill.price) outside [\(bars.low[fill.bar]), \(bars.high[fill.bar])]")
        }
        for cut in [200, 401] {
            let truncated = try Backtest(bars: bars[0..<cut], configuration: configuration(path))
                .run(RandomOrders(seed: seed, extended: true))
            #expect(truncated.fills == full.fills.filter { $0.bar < cut }, "\(path) cut at \(cut)")
        }
        var strategy = RandomOrders(seed: seed, extended: true)
        var broker = try Broker(configuration: configuration(path), instruments: [bars])
        var setup = StrategySetup(instruments: [bars])
        try strategy.prepare(&setup)
        for bar in 1..<bars.count {
            guard broker.processBar(bar) != nil else { break }
            try strategy.onBar(bar, broker: &broker)
        }
        #expect(strategy.equityMismatches.isEmpty, "\(path) bars \(strategy.equityMismatches.prefix(5))")
        // Every kind of order was exercised.
        let orders = broker.orderHistory
        #expect(orders.contains { $0.type.trailingOffset != nil || $0.trailingStop != nil })
        #expect(orders.contains { if case .replaced = $0.status { return true } else { return false } })
        #expect(orders.contains { $0.ocoGroup != nil && $0.status == .filled })
    }
}
