import ColumnStore
import Engine
import Execution
import Testing

/// Drives a broker bar by bar: `orders[t]` are submitted after bar `t` is processed.
func drive(_ bars: BarSeries, _ configuration: BrokerConfiguration, through last: Int? = nil,
           orders: [Int: [OrderRequest]] = [:], closeAt: Set<Int> = []) throws -> Broker {
    var broker = try Broker(configuration: configuration, instruments: [bars])
    for bar in 0...(last ?? bars.count - 1) {
        _ = broker.processBar(bar)
        for request in orders[bar] ?? [] { try broker.submit(request) }
        if closeAt.contains(bar) { try broker.closePosition() }
    }
    return broker
}

let hour: Int64 = 3_600_000_000_000

@Suite("order life: volume cap and partial fills, time in force, latency")
struct OrderLifecycleTests {
    static let opens = (0..<30).map { 100 + Double($0) }
    /// 10 % of a 1000-unit bar: 100 units per bar.
    static let capped = BrokerConfiguration(cash: 100_000, participation: 0.1)

    func order(_ broker: Broker, _ raw: Int) -> Order? {
        broker.orderHistory.first { $0.id.rawValue == raw }
    }

    @Test("the history holds every order in submission order as it is now; the book lists the working ones in processing order")
    func historyInSubmissionOrder() throws {
        let bars = try handBars(opens: Self.opens)
        // Bar 5: a capped buy (fills 100 a bar from bar 6) and a limit far below (never fills);
        // bar 7: a close of the open trades, queued at the front of the book.
        let requests = [OrderRequest(side: .buy, size: .units(250)), OrderRequest(side: .buy, size: .units(10), type: .limit(50))]
        let working = try drive(bars, Self.capped, through: 7, orders: [5: requests], closeAt: [7])
        #expect(working.orderHistory.map(\.id.rawValue) == [1, 2, 3, 4])
        #expect(working.orderHistory.map(\.status) == [.partiallyFilled, .accepted, .accepted, .accepted])
        #expect(working.orderHistory.map(\.role) == [.entry, .entry, .close, .close])
        // The closes (of the trades opened at bars 6 and 7, queued oldest first, each at the
        // front) go ahead of the entries.
        #expect(working.workingOrders.map(\.id.rawValue) == [4, 3, 1, 2])
        for record in working.orderHistory { #expect(working.order(record.id) == record) }
        #expect(working.order(OrderID(rawValue: 0)) == nil && working.order(OrderID(rawValue: 5)) == nil)

        // The cap lets one close fill a bar: order 4 at bar 8, order 3 at bar 9. Their records
        // change where they are, whatever order they leave the book in.
        let later = try drive(bars, Self.capped, through: 9, orders: [5: requests], closeAt: [7])
        #expect(later.orderHistory.map(\.id.rawValue) == [1, 2, 3, 4])
        #expect(later.orderHistory.map(\.status) == [.partiallyFilled, .accepted, .filled, .filled])
        #expect(later.orderHistory.map(\.closedBar) == [nil, nil, 9, 8])
        #expect(later.workingOrders.map(\.id.rawValue) == [1, 2])
    }

    @Test("an order larger than the cap fills over several bars, each part its own trade at its bar's open")
    func partialFills() throws {
        let bars = try handBars(opens: Self.opens)
        let buy = OrderRequest(side: .buy, size: .units(250))
        var broker = try drive(bars, Self.capped, through: 6, orders: [5: [buy]])
        var o = try #require(order(broker, 1))
        #expect(o.status == .partiallyFilled && o.filledQuantity == 100 && o.quantity == 250)
        broker = try drive(bars, Self.capped, through: 9, orders: [5: [buy]])
        o = try #require(order(broker, 1))
        #expect(o.status == .filled && o.filledQuantity == 250 && o.closedBar == 8)
        #expect(broker.fills.map(\.quantity) == [100, 100, 50])
        #expect(broker.fills.map(\.bar) == [6, 7, 8])
        #expect(broker.openTrades.map(\.entryPrice) == [106, 107, 108])
        #expect(broker.positionSize() == 250)
    }

    @Test("orders of one instrument share the bar's cap in book order")
    func sharedCap() throws {
        let bars = try handBars(opens: Self.opens)
        let broker = try drive(bars, Self.capped, through: 8, orders: [5: [OrderRequest(side: .buy, size: .units(80)),
                                                                          OrderRequest(side: .buy, size: .units(80))]])
        #expect(broker.fills.map(\.quantity) == [80, 20, 60])
        #expect(broker.fills.map(\.order?.rawValue) == [1, 2, 2])
    }

    @Test("a close larger than the cap closes the trade in parts; a bar without volume fills nothing")
    func partialClose() throws {
        // Plenty of volume to enter at bar 6; 1000 a bar afterwards, none at bar 17.
        let bars = try handBars(opens: Self.opens, volumes: [6: 10_000, 17: 0])
        let broker = try drive(bars, Self.capped, orders: [5: [OrderRequest(side: .buy, size: .units(250))]], closeAt: [15])
        #expect(broker.fills.map(\.quantity) == [250, -100, -100, -50])
        #expect(broker.fills.map(\.bar) == [6, 16, 18, 19])
        #expect(broker.closedTrades.map(\.exitPrice) == [116, 118, 119])
        #expect(broker.closedTrades.allSatisfy { $0.entryPrice == 106 })
        #expect(broker.openTrades.isEmpty)
        let close = try #require(order(broker, 2))
        #expect(close.status == .filled && close.filledQuantity == 250 && close.closedBar == 19)
    }

    @Test("an all-in order is sized once, at its first fill; a part the account can no longer afford is rejected")
    func allInPartial() throws {
        let configuration = BrokerConfiguration(cash: 10_000, participation: 0.25)
        let allIn = [5: [OrderRequest(side: .buy, size: .allIn)]]
        // Flat at 100: floor(10 000·(1 − 2⁻⁵²) / 100) = 99 units, 50 a bar.
        let flat = try drive(handBars(opens: [Double](repeating: 100, count: 30), volume: 200), configuration, through: 12, orders: allIn)
        #expect(flat.fills.map(\.quantity) == [50, 49])
        #expect(order(flat, 1)?.quantity == 99 && order(flat, 1)?.status == .filled)
        // Rising: 94 units at 106; after 50 at 106, 44 at 107 cost more than the margin left.
        let rising = try drive(handBars(opens: Self.opens, volume: 200), configuration, through: 12, orders: allIn)
        #expect(rising.fills.map(\.quantity) == [50])
        let o = try #require(order(rising, 1))
        #expect(o.quantity == 94 && o.filledQuantity == 50 && o.closedBar == 7)
        guard case .rejected(.insufficientMargin) = o.status else { Issue.record("\(o.status)"); return }
    }

    @Test("immediate-or-cancel keeps what fills on its first bar; fill-or-kill fills whole or not at all")
    func immediateOrders() throws {
        let bars = try handBars(opens: Self.opens)
        let ioc = try drive(bars, Self.capped, through: 10,
                            orders: [5: [OrderRequest(side: .buy, size: .units(250), timeInForce: .immediateOrCancel)]])
        #expect(ioc.fills.map(\.quantity) == [100])
        let cancelled = try #require(order(ioc, 1))
        #expect(cancelled.status == .cancelled && cancelled.filledQuantity == 100 && cancelled.closedBar == 6)

        let fok = try drive(bars, Self.capped, through: 10, orders: [5: [
            OrderRequest(side: .buy, size: .units(250), timeInForce: .fillOrKill),
            OrderRequest(side: .buy, size: .units(90), timeInForce: .fillOrKill),
            // A limit the first bar does not reach (low 105): killed.
            OrderRequest(side: .buy, size: .units(5), type: .limit(100), timeInForce: .fillOrKill),
        ]])
        #expect(fok.fills.map(\.quantity) == [90])
        #expect(order(fok, 1)?.status == .cancelled && order(fok, 1)?.filledQuantity == 0)
        #expect(order(fok, 2)?.status == .filled)
        #expect(order(fok, 3)?.status == .cancelled && order(fok, 3)?.closedBar == 6)
    }

    @Test("a day order expires before the first bar of the next day; good-till-date after its date")
    func expiry() throws {
        // Hourly bars, 24 a day, from midnight of day 1; bar 20 is 20:00 of day 1, bar 24 midnight of day 2.
        let hourly = try handBars(opens: (0..<60).map { 100 + Double($0) }, spacing: hour)
        let limit = OrderRequest(side: .buy, size: .units(1), type: .limit(50), timeInForce: .day)
        let day = try drive(hourly, BrokerConfiguration(), through: 30, orders: [20: [limit]])
        #expect(order(day, 1)?.status == .expired && order(day, 1)?.closedBar == 24)

        let daily = try handBars(opens: Self.opens)
        let oneBar = try drive(daily, BrokerConfiguration(), through: 10, orders: [5: [limit]])
        #expect(oneBar.orderHistory.first?.status == .expired && oneBar.orderHistory.first?.closedBar == 7)

        let date = hourly.time[30]
        let gtd = OrderRequest(side: .buy, size: .units(1), type: .limit(50), timeInForce: .goodTillDate(date))
        let untilDate = try drive(hourly, BrokerConfiguration(), through: 40, orders: [20: [gtd]])
        #expect(order(untilDate, 1)?.status == .expired && order(untilDate, 1)?.closedBar == 31)

        var broker = try Broker(configuration: BrokerConfiguration(), instruments: [hourly])
        _ = broker.processBar(35)
        do {
            try broker.submit(gtd)
            Issue.record("a good-till-date in the past was accepted")
        } catch {
            #expect(error.kind == .invalidTimeInForce && error.bar == 35)
        }
    }

    @Test("a priced close fills at its limit or stop; it is cancelled when its trade closes another way")
    func pricedClose() throws {
        let bars = try handBars(opens: Self.opens)   // open = close = 100 + t, high + 1, low − 1
        var broker = try Broker(configuration: BrokerConfiguration(), instruments: [bars])
        for bar in 0...12 {
            _ = broker.processBar(bar)
            if bar == 5 { try broker.buy(.units(10)) }
            if bar == 8 {
                let ids = try broker.closePosition(type: .limit(111.5))
                #expect(ids.count == 1 && broker.isWorking(ids[0]))
            }
        }
        // The sell limit is first reached by bar 11's high (112), inside the bar: it fills at the limit.
        #expect(broker.closedTrades.map(\.exitBar) == [11] && broker.closedTrades.map(\.exitPrice) == [111.5])
        #expect(broker.closedTrades.first?.entryBar == 6 && broker.oldestOpenEntryBar() == nil)

        broker = try Broker(configuration: BrokerConfiguration(), instruments: [bars])
        var stopClose: OrderID?
        for bar in 0...12 {
            _ = broker.processBar(bar)
            if bar == 5 { try broker.buy(.units(10), takeProfit: 110) }
            if bar == 7 {
                #expect(broker.oldestOpenEntryBar() == 6)
                stopClose = try broker.closePosition(type: .stop(90), timeInForce: .goodTillDate(bars.time[20])).first
            }
        }
        // The take-profit leg closes the trade on bar 9 (high 110); the stop close goes with it.
        #expect(broker.closedTrades.map(\.exitBar) == [9])
        let cancelled = try #require(broker.orderHistory.first { $0.id == stopClose })
        #expect(cancelled.status == .cancelled && cancelled.closedBar == 9 && !broker.isWorking(cancelled.id))

        #expect(try broker.closePosition(type: .limit(200)).isEmpty)
        for (type, kind) in [(OrderType.market, OrderError.Kind.invalidPrice), (.limit(-1), .invalidPrice),
                             (.trailingStop(.percent(5)), .invalidPrice)] {
            #expect(throws: OrderError.self) { try broker.closePosition(type: type) }
            do { try broker.closePosition(type: type) } catch { #expect(error.kind == kind) }
        }
        #expect(throws: OrderError.self) { try broker.closePosition(instrument: 3, type: .limit(1)) }
    }

    @Test("latency in bars and in time delays the first fill")
    func latency() throws {
        let daily = try handBars(opens: Self.opens)
        let market = OrderRequest(side: .buy, size: .units(1))
        let twoBars = try drive(daily, BrokerConfiguration(latency: .bars(2)), orders: [5: [market]])
        #expect(twoBars.fills.first?.bar == 8 && twoBars.openTrades.first?.entryPrice == 108)
        #expect(twoBars.orderHistory.first?.eligibleBar == 8)

        let hourly = try handBars(opens: (0..<60).map { 100 + Double($0) }, spacing: hour)
        // 90 minutes after 05:00 is 06:30: the first bar at or after it is 07:00, bar 7.
        let delayed = try drive(hourly, BrokerConfiguration(latency: .nanoseconds(90 * 60 * 1_000_000_000)), orders: [5: [market]])
        #expect(delayed.fills.first?.bar == 7)
        // A delay past the last bar: never eligible, still working at the end.
        let never = try drive(hourly, BrokerConfiguration(latency: .bars(100)), orders: [5: [market]])
        #expect(never.fills.isEmpty && never.workingOrders.count == 1)
    }

    @Test("finalizing fills what is working whole at the last open, cap and latency aside")
    func finalizeIgnoresCap() throws {
        let bars = try handBars(opens: Self.opens)
        let configuration = BrokerConfiguration(cash: 100_000, finalizeTrades: true, participation: 0.1, latency: .bars(3))
        let result = try Backtest(bars: bars, configuration: configuration)
            .run(Scripted(request: OrderRequest(side: .buy, size: .units(500)), entryBar: 20, exitBar: nil))
        // Bars 24–28 fill 100 each; the last 0 is left to finalize, which also closes the five trades.
        #expect(result.trades.count == 5)
        #expect(result.fills.filter { $0.quantity > 0 }.map(\.bar) == [24, 25, 26, 27, 28])
        #expect(result.trades.allSatisfy { $0.exitBar == 29 })
    }

    @Test("cap and latency settings out of range, or a cap without volumes, name the setting")
    func badSettings() throws {
        let bars = try handBars(opens: Self.opens)
        let noVolume = try BarSeries(symbol: "NOVOL", time: bars.time, open: bars.open, high: bars.high, low: bars.low, close: bars.close)
        let cases: [(BrokerConfiguration, BarSeries, String)] = [
            (BrokerConfiguration(participation: 0), bars, "participation"),
            (BrokerConfiguration(participation: 1.5), bars, "participation"),
            (BrokerConfiguration(participation: .nan), bars, "participation"),
            (BrokerConfiguration(participation: 0.1), noVolume, "participation"),
            (BrokerConfiguration(latency: .bars(-1)), bars, "latency"),
            (BrokerConfiguration(latency: .nanoseconds(-5)), bars, "latency"),
        ]
        for (configuration, data, setting) in cases {
            #expect(throws: ConfigurationError.self) { try Broker(configuration: configuration, instruments: [data]) }
            do { _ = try Broker(configuration: configuration, instruments: [data]) } catch { #expect(error.setting == setting) }
        }
        // The fast path runs a cap or a latency on the broker, with the event engine's fills.
        let signals = try TradeSignals(entries: BitColumn(count: bars.count) { $0 % 40 == 3 }, exits: BitColumn(count: bars.count) { $0 % 40 == 20 })
        for configuration in [BrokerConfiguration(participation: 0.001), BrokerConfiguration(latency: .bars(2))] {
            let fast = try SignalBacktest(bars: bars, configuration: configuration).run(signals)
            let event = try Backtest(bars: bars, configuration: configuration).run(RuleStrategy(signals: signals))
            expectIdentical(fast, event, "\(configuration.participation as Any) \(configuration.latency)")
            #expect(!event.trades.isEmpty)
        }
    }

    @Test("with every realistic setting on, truncating the future changes no past fill and equity stays cash plus marks",
          arguments: ExecutionPropertyTests.seeds)
    func realisticProperties(seed: UInt64) throws {
        let bars = try randomBars(count: 600, seed: seed)
        let configuration = BrokerConfiguration(cash: 100_000, commission: .relative(rate: 0.001), spread: .relative(0.001),
                                                spreadCharging: .halfEachSide, slippage: .volumeShare(coefficient: 0.05),
                                                participation: 0.02, latency: .bars(1))
        let full = try Backtest(bars: bars, configuration: configuration).run(RandomOrders(seed: seed))
        #expect(full.orders.contains { $0.filledQuantity > 0 && $0.filledQuantity < ($0.quantity ?? 0) } ||
                full.fills.count > Set(full.fills.compactMap(\.order)).count, "the cap never split an order")
        for cut in [150, 300, 451] {
            let truncated = try Backtest(bars: bars[0..<cut], configuration: configuration).run(RandomOrders(seed: seed))
            #expect(truncated.fills == full.fills.filter { $0.bar < cut }, "cut at \(cut)")
            #expect(truncated.equity == Array(full.equity[0..<cut]), "cut at \(cut)")
        }
        // No bar's fills exceed the cap.
        var perBar: [Int: Double] = [:]
        for fill in full.fills where fill.order != nil { perBar[fill.bar, default: 0] += abs(fill.quantity) }
        for (bar, quantity) in perBar { #expect(quantity <= 0.02 * bars.volume[bar] + 1e-9, "bar \(bar)") }
    }
}
