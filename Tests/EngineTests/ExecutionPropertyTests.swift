import ColumnStore
import Engine
import Execution
import Foundation
import Testing

/// Random but valid bars: a geometric random walk with gaps and intrabar ranges, cent prices.
func randomBars(count: Int, seed: UInt64) throws -> BarSeries {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func uniform() -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
    var time = [Int64](), open = [Double](), high = [Double](), low = [Double](), close = [Double](), volume = [Double]()
    var price = 100.0
    for i in 0..<count {
        let o = ((price * (1 + (uniform() - 0.5) * 0.02)) * 100).rounded() / 100
        let c = ((o * (1 + (uniform() - 0.5) * 0.04)) * 100).rounded() / 100
        let h = ((Swift.max(o, c) * (1 + uniform() * 0.01)) * 100).rounded(.up) / 100
        let l = ((Swift.min(o, c) * (1 - uniform() * 0.01)) * 100).rounded(.down) / 100
        time.append(Int64(i) * Timestamp.nanosecondsPerDay + 10_000 * Timestamp.nanosecondsPerDay)
        open.append(o); high.append(h); low.append(l); close.append(c); volume.append(1000 + uniform() * 1000)
        price = c
    }
    return try BarSeries(symbol: "RND", time: Column(time), open: Column(open), high: Column(high), low: Column(low),
                     close: Column(close), volume: Column(volume))
}

/// A strategy whose decisions at bar t depend only on t and bars 0...t: random market, limit and stop
/// orders with brackets, closes and cancels, drawn from a generator seeded by the bar index.
struct RandomOrders: Strategy {
    var seed: UInt64
    /// Also stop-limit and trailing stops, trailing brackets, one-cancels-other pairs and replaces.
    var extended = false
    var close: SeriesView?
    var equityMismatches: [Int] = []

    mutating func prepare(_ setup: inout StrategySetup) throws { close = setup.series(setup.bars.close) }

    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        var state = (seed ^ UInt64(bar) &* 0xD1B5_4A32_D192_ED03) | 1
        func uniform() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53)
        }
        // Invariant: equity = cash + every open trade marked at this close.
        let c = close![bar]
        let marked = broker.openTrades.reduce(broker.cash) { $0 + $1.size * (c - $1.entryPrice) }
        if abs(marked - broker.equity) > 1e-9 * Swift.max(1, abs(marked)) { equityMismatches.append(bar) }

        let action = uniform()
        let side: OrderSide = uniform() < 0.5 ? .buy : .sell
        let size: SizeType = uniform() < 0.5 ? .units(Double(1 + Int(uniform() * 20))) : .equityFraction(0.1 + uniform() * 0.4)
        let offset = 1 + (uniform() - 0.5) * 0.06
        switch action {
        case ..<0.10:
            try broker.submit(OrderRequest(side: side, size: size))
        case ..<0.15:
            try broker.submit(OrderRequest(side: side, size: size, type: .limit((c * offset * 100).rounded() / 100)))
        case ..<0.20:
            try broker.submit(OrderRequest(side: side, size: size, type: .stop((c * offset * 100).rounded() / 100)))
        case ..<0.24:
            let sl = side == .buy ? c * 0.97 : c * 1.03, tp = side == .buy ? c * 1.04 : c * 0.96
            try broker.submit(OrderRequest(side: side, size: size, stopLoss: sl, takeProfit: tp))
        case ..<0.28:
            try broker.closePosition(portion: uniform() < 0.5 ? 1 : 0.5)
        case ..<0.30:
            if let order = broker.workingOrders.first { try broker.cancel(order.id) }
        case ..<0.33 where extended:
            let stop = (c * offset * 100).rounded() / 100, limit = (c * (1 + (uniform() - 0.5) * 0.06) * 100).rounded() / 100
            try broker.submit(OrderRequest(side: side, size: size, type: .stopLimit(stop: stop, limit: limit)))
        case ..<0.36 where extended:
            let trail: TrailingOffset = uniform() < 0.5 ? .percent(1 + uniform() * 3) : .amount(c * 0.02)
            if uniform() < 0.5 {
                try broker.submit(OrderRequest(side: side, size: size, type: .trailingStop(trail)))
            } else {
                let tp = side == .buy ? c * 1.05 : c * 0.95
                try broker.submit(OrderRequest(side: side, size: size, takeProfit: uniform() < 0.5 ? tp : nil, trailingStop: trail))
            }
        case ..<0.39 where extended:
            try broker.submitOneCancelsOther([
                OrderRequest(side: .buy, size: size, type: .stop((c * 1.01 * 100).rounded() / 100)),
                OrderRequest(side: .sell, size: size, type: .stop((c * 0.99 * 100).rounded() / 100)),
            ])
        case ..<0.42 where extended:
            guard let order = broker.workingOrders.last(where: { $0.role != .close }) else { break }
            let price = (c * offset * 100).rounded() / 100
            switch order.role {
            case .stopLoss where order.side == .sell && price < c, .stopLoss where order.side == .buy && price > c:
                try broker.replace(order.id, type: .stop(price))
            case .takeProfit where order.side == .sell && price > c, .takeProfit where order.side == .buy && price < c:
                try broker.replace(order.id, type: .limit(price))
            case .entry where order.stopLoss == nil && order.takeProfit == nil:
                try broker.replace(order.id, type: .limit(price))
            default:
                break
            }
        default:
            break
        }
    }
}

@Suite("execution properties on random data")
struct ExecutionPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8]

    func run(_ bars: BarSeries, seed: UInt64, configuration: BrokerConfiguration = .backtestingPy(cash: 100_000, commission: 0.001))
    throws -> BacktestResult {
        try Backtest(bars: bars, configuration: configuration).run(RandomOrders(seed: seed))
    }

    @Test("every fill lies inside its bar's [low, high] before the spread", arguments: seeds)
    func fillsInsideBar(seed: UInt64) throws {
        let bars = try randomBars(count: 600, seed: seed)
        let result = try run(bars, seed: seed)
        #expect(result.fills.count > 50)
        for fill in result.fills {
            #expect(bars.low[fill.bar] <= fill.price && fill.price <= bars.high[fill.bar],
                    "fill at bar \(fill.bar): \(fill.price) outside [\(bars.low[fill.bar]), \(bars.high[fill.bar])]")
        }
        // With a spread, the entry pays it on top of a price inside the bar.
        let spread = 0.001
        let withSpread = try run(bars, seed: seed, configuration: .backtestingPy(cash: 100_000, spread: spread))
        for fill in withSpread.fills {
            let raw = fill.price - fill.spreadCost / abs(fill.quantity) * (fill.quantity > 0 ? 1 : -1)
            #expect(bars.low[fill.bar] - 1e-9 <= raw && raw <= bars.high[fill.bar] + 1e-9)
        }
    }

    @Test("equity equals cash plus open trades marked at the close, at every bar", arguments: seeds)
    func equityIdentity(seed: UInt64) throws {
        let bars = try randomBars(count: 600, seed: seed)
        var strategy = RandomOrders(seed: seed)
        var broker = try Broker(configuration: .backtestingPy(cash: 100_000, commission: 0.001), instruments: [bars])
        var setup = StrategySetup(instruments: [bars])
        try strategy.prepare(&setup)
        for bar in 1..<bars.count {
            guard broker.processBar(bar) != nil else { break }
            try strategy.onBar(bar, broker: &broker)
        }
        #expect(strategy.equityMismatches.isEmpty, "bars \(strategy.equityMismatches.prefix(5))")
        #expect(broker.closedTrades.count > 10)
    }

    @Test("truncating the future never changes a past fill", arguments: seeds)
    func noLookAhead(seed: UInt64) throws {
        let bars = try randomBars(count: 600, seed: seed)
        let full = try run(bars, seed: seed)
        for cut in [150, 300, 451] {
            let truncated = try run(bars[0..<cut], seed: seed)
            let past = full.fills.filter { $0.bar < cut }
            #expect(truncated.fills == past, "cut at \(cut): fills differ")
            #expect(Array(full.equity[0..<cut]) == truncated.equity, "cut at \(cut): equity differs")
        }
    }

    @Test("a round trip in a flat market loses exactly the commissions and the spread")
    func flatRoundTrip() throws {
        let n = 50
        let flat = try BarSeries(symbol: "FLAT", time: Column((0..<n).map { Int64($0) * Timestamp.nanosecondsPerDay }),
                             open: Column(repeating: 100, count: n), high: Column(repeating: 100, count: n),
                             low: Column(repeating: 100, count: n), close: Column(repeating: 100, count: n),
                             volume: Column(repeating: 1000, count: n))
        struct BuyThenSell: Strategy {
            mutating func prepare(_ setup: inout StrategySetup) throws {}
            mutating func onBar(_ bar: Int, broker: inout Broker) throws {
                if bar == 5 { try broker.buy(.units(10)) }
                if bar == 20 { try broker.closePosition() }
            }
        }
        let result = try Backtest(bars: flat, configuration: BrokerConfiguration(
            cash: 10_000, commission: .relative(rate: 0.001, fixed: 1), spread: 0.0005)).run(BuyThenSell())
        try #require(result.trades.count == 1)
        let entry = 100 * (1 + 0.0005)
        let frictions = (1 + 10 * entry * 0.001) + (1 + 10 * 100 * 0.001) + 10 * (entry - 100)
        #expect(abs(result.equity[n - 1] - (10_000 - frictions)) <= 1e-9)
        #expect(result.trades[0].entryBar == 6 && result.trades[0].exitBar == 21)
    }

    @Test("identical results on one thread and on many")
    func threads() async throws {
        let bars = try randomBars(count: 2000, seed: 42)
        let reference = try run(bars, seed: 42)
        let results = try await withThrowingTaskGroup(of: BacktestResult.self) { group in
            for _ in 0..<8 { group.addTask { try Backtest(bars: bars, configuration: .backtestingPy(cash: 100_000, commission: 0.001)).run(RandomOrders(seed: 42)) } }
            var all: [BacktestResult] = []
            for try await r in group { all.append(r) }
            return all
        }
        for r in results {
            #expect(r.equity == reference.equity)
            #expect(r.trades == reference.trades)
            #expect(r.statistics == reference.statistics || r.statistics.sqn.isNaN)
        }
    }
}

@Suite("orders the broker refuses")
struct OrderErrorTests {
    let bars: BarSeries
    init() throws { bars = try randomBars(count: 100, seed: 9) }

    func broker() throws -> Broker {
        var b = try Broker(configuration: .backtestingPy(cash: 10_000, commission: 0.002), instruments: [bars])
        _ = b.processBar(10)
        return b
    }

    @Test("impossible orders throw a typed error and change nothing")
    func impossible() throws {
        var b = try broker()
        let c = bars.close[10]
        let cases: [(OrderRequest, OrderError.Kind)] = [
            (OrderRequest(side: .buy, size: .units(0)), .invalidSize),
            (OrderRequest(side: .buy, size: .units(-3)), .invalidSize),
            (OrderRequest(side: .buy, size: .units(2.5)), .invalidSize),
            (OrderRequest(side: .buy, size: .equityFraction(1.5)), .invalidSize),
            (OrderRequest(side: .buy, size: .units(.nan)), .invalidSize),
            (OrderRequest(side: .buy, size: .units(1), type: .limit(-1)), .invalidPrice),
            (OrderRequest(side: .buy, size: .units(1), type: .stop(.infinity)), .invalidPrice),
            (OrderRequest(side: .buy, stopLoss: c * 1.1, takeProfit: c * 1.2), .bracketOutOfOrder),
            (OrderRequest(side: .sell, stopLoss: c * 0.9, takeProfit: c * 0.8), .bracketOutOfOrder),
            (OrderRequest(side: .buy, type: .limit(c * 0.9), takeProfit: c * 0.85), .bracketOutOfOrder),
            (OrderRequest(instrument: 3, side: .buy), .unknownReference),
        ]
        for (request, kind) in cases {
            #expect(throws: OrderError.self, "\(request)") { try b.submit(request) }
            do { try b.submit(request) } catch { #expect(error.kind == kind, "\(request): \(error)") }
        }
        #expect(b.workingOrders.isEmpty)
        #expect(throws: OrderError.self) { try b.closeTrade(TradeID(rawValue: 99)) }
        #expect(throws: OrderError.self) { try b.cancel(OrderID(rawValue: 99)) }
        #expect(throws: OrderError.self) { try b.closePosition(portion: 0) }
    }

    @Test("an order the account cannot afford is rejected with a reason, not resized")
    func unaffordable() throws {
        var b = try broker()
        let id = try b.buy(.units(1_000_000))
        _ = b.processBar(11)
        #expect(b.openTrades.isEmpty)
        let order = try #require(b.orderHistory.first { $0.id == id })
        guard case .rejected(.insufficientMargin(let required, let available)) = order.status else {
            Issue.record("expected an insufficient-margin rejection, got \(order.status)")
            return
        }
        #expect(required > available)
    }

    @Test("a strategy's order error stops the backtest with the bar")
    func errorInBacktest() throws {
        struct Bad: Strategy {
            mutating func prepare(_ setup: inout StrategySetup) throws {}
            mutating func onBar(_ bar: Int, broker: inout Broker) throws {
                if bar == 7 { try broker.buy(.units(-1)) }
            }
        }
        do {
            _ = try Backtest(bars: bars).run(Bad())
            Issue.record("expected an error")
        } catch {
            guard case .strategy(let bar, let inner) = error else { Issue.record("\(error)"); return }
            #expect(bar == 7)
            #expect((inner as? OrderError)?.kind == .invalidSize)
        }
    }

    @Test("invalid configurations name the setting")
    func configuration() throws {
        for (config, setting) in [(BrokerConfiguration(cash: 0), "cash"), (BrokerConfiguration(spread: -0.1), "spread"),
                                  (BrokerConfiguration(margin: 0), "margin"), (BrokerConfiguration(lotSize: 0), "lotSize"),
                                  (BrokerConfiguration(commission: .relative(rate: 0.2)), "commission")] {
            do {
                _ = try Broker(configuration: config, instruments: [bars])
                Issue.record("\(setting) accepted")
            } catch {
                #expect(error.setting == setting)
            }
        }
    }
}
