import ColumnStore
import Engine
import Execution
import Testing

@Suite("instrument rules: lot size, minimum quantity and tick size per instrument")
struct InstrumentRulesTests {
    static let coin = InstrumentRules(lotSize: 0.001, minimumQuantity: 0.01, tickSize: 0.5)

    /// Two instruments on one clock: "COIN" (its own rules) and "STK" (the default: whole units, any price).
    func pair(_ configuration: BrokerConfiguration) throws -> Broker {
        let rows = [quiet(100), quiet(100), quiet(100), (110, 111, 109, 110), quiet(110), quiet(110)]
        let coin = try ohlcBars(rows)
        let stock = try BarSeries(symbol: "STK", time: coin.time, open: coin.open, high: coin.high, low: coin.low,
                                  close: coin.close, volume: coin.volume)
        return try Broker(configuration: configuration,
                          instruments: [BarSeries(symbol: "COIN", time: coin.time, open: coin.open, high: coin.high,
                                                  low: coin.low, close: coin.close, volume: coin.volume), stock])
    }

    @Test("sizes resolve to each instrument's lots")
    func lots() throws {
        var broker = try pair(BrokerConfiguration(cash: 10_000, instrumentRules: ["COIN": Self.coin]))
        _ = broker.processBar(0)
        try broker.submit(OrderRequest(instrument: 0, side: .buy, size: .notional(1_234.5678)))
        try broker.submit(OrderRequest(instrument: 1, side: .buy, size: .notional(1_234.5678)))
        _ = broker.processBar(1)
        // 1234.5678 / 100 = 12.345678: 12.345 coins in 0.001 lots, 12 whole shares.
        expectClose(broker.positionSize(0), 12.345, "coin lots")
        #expect(broker.positionSize(1) == 12)
    }

    @Test("orders off the lot, below the minimum or off the tick are refused; the default instrument takes any price")
    func refused() throws {
        var broker = try pair(BrokerConfiguration(cash: 10_000, instrumentRules: ["COIN": Self.coin]))
        _ = broker.processBar(0)
        let cases: [(OrderRequest, OrderError.Kind, String)] = [
            (OrderRequest(instrument: 0, side: .buy, size: .units(0.0125)), .invalidSize, "lots"),
            (OrderRequest(instrument: 0, side: .buy, size: .units(0.005)), .invalidSize, "minimum"),
            (OrderRequest(instrument: 0, side: .buy, size: .units(1), type: .limit(99.7)), .invalidPrice, "tick"),
            (OrderRequest(instrument: 0, side: .buy, size: .units(1), type: .stopLimit(stop: 101, limit: 101.25)), .invalidPrice, "tick"),
            (OrderRequest(instrument: 0, side: .buy, size: .units(1), stopLoss: 95.1), .invalidPrice, "tick"),
            (OrderRequest(instrument: 1, side: .buy, size: .units(0.5)), .invalidSize, "lots"),
        ]
        for (request, kind, words) in cases {
            #expect { try broker.submit(request) } throws: { error in
                guard let error = error as? OrderError else { return false }
                return error.kind == kind && error.message.contains(words)
            }
        }
        #expect(broker.workingOrders.isEmpty)
        try broker.submit(OrderRequest(instrument: 0, side: .buy, size: .units(0.01), type: .limit(99.5), stopLoss: 95, takeProfit: 120))
        try broker.submit(OrderRequest(instrument: 1, side: .buy, size: .units(1), type: .limit(99.73)))
        #expect(broker.workingOrders.count == 2)
    }

    @Test("fill prices land on the tick against the trader; the rounding counts as spread")
    func tickRounding() throws {
        var configuration = BrokerConfiguration(cash: 10_000, spread: .relative(0.001), spreadCharging: .halfEachSide,
                                                instrumentRules: ["COIN": Self.coin])
        configuration.commission = .none
        var broker = try pair(configuration)
        _ = broker.processBar(0)
        try broker.submit(OrderRequest(instrument: 0, side: .buy, size: .units(2)))
        try broker.submit(OrderRequest(instrument: 1, side: .buy, size: .units(2)))
        _ = broker.processBar(1)
        _ = broker.processBar(2)
        try broker.closePosition(instrument: 0)
        try broker.closePosition(instrument: 1)
        _ = broker.processBar(3)
        // COIN: a buy at 100 + half of 10 bps = 100.05, up to 100.5; the sell at 110 − 0.055 = 109.945, down to 109.5.
        let coin = try #require(broker.closedTrades.first { $0.instrument == 0 })
        #expect(coin.entryPrice == 100.5 && coin.exitPrice == 109.5)
        let coinFills = broker.fills.filter { $0.instrument == 0 }
        expectClose(coinFills.first?.spreadCost, 2 * 0.5, "entry spread with rounding")
        expectClose(coinFills.last?.spreadCost, 2 * 0.5, "exit spread with rounding")
        // STK has no tick: the prices stay where the spread puts them.
        let stock = try #require(broker.closedTrades.first { $0.instrument == 1 })
        expectClose(stock.entryPrice, 100.05, "stock entry")
        expectClose(stock.exitPrice, 109.945, "stock exit")
    }

    @Test("a relative size below the minimum is rejected at its fill with the reason")
    func minimumAtFill() throws {
        let rules = InstrumentRules(lotSize: 1, minimumQuantity: 50)
        var broker = try pair(BrokerConfiguration(cash: 10_000, instrumentRules: ["COIN": rules]))
        _ = broker.processBar(0)
        let id = try broker.submit(OrderRequest(instrument: 0, side: .buy, size: .equityFraction(0.3)))
        _ = broker.processBar(1)
        let order = try #require(broker.orderHistory.first { $0.id == id })
        guard case .rejected(.belowMinimumQuantity(let quantity, let minimum)) = order.status else {
            Issue.record("status \(order.status)")
            return
        }
        #expect(quantity == 30 && minimum == 50)
        // A close of a trade smaller than the minimum is never refused.
        try broker.submit(OrderRequest(instrument: 0, side: .buy, size: .units(60)))
        _ = broker.processBar(2)
        try broker.closePosition(instrument: 0, portion: 0.5)
        _ = broker.processBar(3)
        #expect(broker.positionSize(0) == 30)
    }

    @Test("rules that cannot work, or name no loaded instrument, are configuration errors")
    func badRules() throws {
        let cases: [(InstrumentRules, String)] = [
            (InstrumentRules(lotSize: 0), "lot size"), (InstrumentRules(lotSize: .nan), "lot size"),
            (InstrumentRules(minimumQuantity: -1), "minimum quantity"), (InstrumentRules(tickSize: 0), "tick size"),
        ]
        for (rules, words) in cases {
            #expect { try pair(BrokerConfiguration(instrumentRules: ["COIN": rules])) } throws: { error in
                guard let error = error as? ConfigurationError else { return false }
                return error.setting == "instrumentRules[COIN]" && error.message.contains(words)
            }
        }
        #expect { try pair(BrokerConfiguration(instrumentRules: ["ETH": Self.coin])) } throws: { error in
            (error as? ConfigurationError)?.description.contains("ETH") == true
                && (error as? ConfigurationError)?.description.contains("COIN, STK") == true
        }
    }
}
