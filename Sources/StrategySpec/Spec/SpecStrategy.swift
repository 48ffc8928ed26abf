import ColumnStore
import Engine
import Execution

/// A compiled spec on the event engine: its rules, order placement, sizing and risk rules,
/// applied to every instrument of the backtest.
///
/// At each bar, for each instrument in order:
/// 1. In a position: a reversal (the other side's entry, long-short only) or a time exit
///    (``StrategySpec/RiskRules/maxBarsHeld``) closes it at market; so does the exit rule with
///    market exits. With priced exits the exit rule places a limit or stop close instead (one at a
///    time). Any exit cancels what is left of a working entry order.
/// 2. Flat (or just closed at market) and no entry order working: the long entry places an
///    entry, else the short entry (long-short). Stop-loss, take-profit and trailing stop ride on
///    it as a bracket.
///
/// An entry whose bracket or price cannot be placed (an ATR of 0 makes the stop-loss the entry
/// price; a distance larger than the price makes it negative; a take-profit nearer than the
/// spread lies behind the price paid) is not placed.
/// On K instruments sharing one account, an all-in entry takes 1/K of the available margin.
public struct SpecStrategy: Strategy, Sendable {
    /// The spec this strategy runs.
    public let compiled: CompiledSpec
    private var books: [Book] = []
    private var sizeShare: Double?
    /// Read on every bar, so kept out of the spec (copying it would retain its strings and arrays).
    private let maxBarsHeld: Int?
    private let exitsAtMarket: Bool

    /// What the strategy keeps per instrument.
    private struct Book: Sendable {
        var signals: SignalTable
        var close: SeriesView
        /// ATR columns by period.
        var atr: [Int: SeriesView]
        var pendingExits: [OrderID] = []
        /// The bars at which the working priced entry or exit stops working (cancelled before
        /// the rules are read at that bar, so they may place a fresh one).
        var entryDeadline: Int?
        var exitDeadline: Int?

        func atr(_ distance: StrategySpec.PriceDistance?, at bar: Int) -> Double {
            guard let period = distance?.atrPeriod, let column = atr[period] else { return .nan }
            return column[bar]
        }
    }

    /// A strategy for the event engine that trades `compiled`'s rules, risk rules and order placement.
    public init(_ compiled: CompiledSpec) {
        self.compiled = compiled
        maxBarsHeld = compiled.spec.risk.maxBarsHeld
        exitsAtMarket = compiled.spec.exitOrder.kind == .market
    }

    public mutating func prepare(_ setup: inout StrategySetup) throws {
        books = []
        for bars in setup.instruments {
            let (values, table) = try compiled.evaluate(on: bars)
            setup.requireWarmUp(values.warmUpBars)
            var atr: [Int: SeriesView] = [:]
            for (period, output) in compiled.atrOutputs { atr[period] = setup.series(values[output]) }
            books.append(Book(signals: table, close: setup.series(bars.close), atr: atr))
        }
        sizeShare = books.count > 1 && compiled.spec.sizing == .allIn ? 1 / Double(books.count) : nil
    }

    public mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        for k in books.indices {
            // A priced order works for `validBars` bars after the one that placed it.
            if let deadline = books[k].entryDeadline, bar >= deadline {
                broker.cancelEntries(instrument: k)
                books[k].entryDeadline = nil
            }
            if let deadline = books[k].exitDeadline, bar >= deadline {
                for id in books[k].pendingExits where broker.isWorking(id) { try broker.cancel(id) }
                books[k].pendingExits = []
                books[k].exitDeadline = nil
            }
            let flags = books[k].signals[bar]
            let position = broker.positionSize(k)
            var flat = position == 0
            if !flat {
                let isLong = position > 0
                let reversal = isLong ? compiled.direction == .longShort && flags.contains(.shortEntry) : flags.contains(.longEntry)
                let ruleExit = flags.contains(isLong ? .longExit : .shortExit)
                let heldTooLong = maxBarsHeld.map { bar - (broker.oldestOpenEntryBar(k) ?? bar) + 1 >= $0 } ?? false
                if reversal || heldTooLong || (ruleExit && exitsAtMarket) {
                    try cancelPending(k, &broker)
                    try broker.closePosition(instrument: k)
                    flat = true
                } else if ruleExit, !books[k].pendingExits.contains(where: broker.isWorking) {
                    try placeExit(k, side: isLong ? .sell : .buy, bar: bar, &broker)
                }
            }
            guard flat, !broker.hasWorkingEntry(instrument: k) else { continue }
            if flags.contains(.longEntry) {
                try placeEntry(k, side: .buy, bar: bar, &broker)
            } else if compiled.direction == .longShort, flags.contains(.shortEntry) {
                try placeEntry(k, side: .sell, bar: bar, &broker)
            }
        }
    }

    /// Cancels the instrument's working entry and priced exit orders.
    private mutating func cancelPending(_ k: Int, _ broker: inout Broker) throws {
        broker.cancelEntries(instrument: k)
        for id in books[k].pendingExits where broker.isWorking(id) { try broker.cancel(id) }
        books[k].pendingExits = []
        books[k].entryDeadline = nil
        books[k].exitDeadline = nil
    }

    private mutating func placeExit(_ k: Int, side: OrderSide, bar: Int, _ broker: inout Broker) throws {
        let placement = compiled.spec.exitOrder
        let type = placement.orderType(side: side, reference: books[k].close[bar], atr: books[k].atr(placement.offset, at: bar))
        guard let price = type.limitPrice ?? type.stopPrice, price.isFinite, price > 0 else { return }
        books[k].pendingExits = try broker.closePosition(instrument: k, type: type)
        books[k].exitDeadline = bar + placement.validBars
    }

    private mutating func placeEntry(_ k: Int, side: OrderSide, bar: Int, _ broker: inout Broker) throws {
        let spec = compiled.spec, book = books[k]
        let type = spec.entryOrder.orderType(side: side, reference: book.close[bar], atr: book.atr(spec.entryOrder.offset, at: bar))
        // Stop-loss and take-profit are measured from the entry's own price when it has one.
        let reference = type.limitPrice ?? type.stopPrice ?? book.close[bar]
        let stopLoss = spec.risk.stopLoss.map { $0.price(from: reference, sign: -side.sign, atr: book.atr($0, at: bar)) }
        let takeProfit = spec.risk.takeProfit.map { $0.price(from: reference, sign: side.sign, atr: book.atr($0, at: bar)) }
        let trail: TrailingOffset? = spec.risk.trailingStop.map {
            switch $0 {
            case .percent(let p): return .percent(p)
            case .amount(let distance): return .amount(distance)
            case .atr(let multiple, _): return .amount(multiple * book.atr($0, at: bar))
            }
        }
        // Prices must be positive and on their side of the entry; a trail must have a width.
        func placeable(_ price: Double?, below: Bool) -> Bool {
            guard let price else { return true }
            return price.isFinite && price > 0 && (below ? price < reference : price > reference)
        }
        guard reference.isFinite, reference > 0, placeable(stopLoss, below: side == .buy), placeable(takeProfit, below: side == .sell),
              trail?.validationProblem == nil else { return }
        let size = sizeShare.map { SizeType.equityFraction($0) } ?? spec.sizing.sizeType(stopLoss: stopLoss)
        do {
            try broker.submit(OrderRequest(instrument: k, side: side, size: size, type: type, stopLoss: stopLoss,
                                           takeProfit: takeProfit, trailingStop: trail))
            if spec.entryOrder.kind != .market { books[k].entryDeadline = bar + spec.entryOrder.validBars }
        } catch {
            // The spread put a market entry's price beyond its take-profit: no room for the bracket.
            // (A `catch where` clause here crashes the 6.3.1 compiler.)
            guard error.kind == .bracketOutOfOrder else { throw error }
        }
    }
}
