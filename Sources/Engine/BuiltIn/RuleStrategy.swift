import ColumnStore
import Execution
import Indicators

/// Per-bar entry and exit signals, one byte per bar, owned by a class so strategies stay cheap to copy.
public final class SignalTable: @unchecked Sendable {
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let longEntry = Flags(rawValue: 1)
        public static let longExit = Flags(rawValue: 2)
        public static let shortEntry = Flags(rawValue: 4)
        public static let shortExit = Flags(rawValue: 8)
    }

    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    public let count: Int

    /// A table of `count` bars; `flags(bar)` says which signals fire at each bar.
    public init(count: Int, flags: (Int) -> Flags) {
        self.count = count
        base = .allocate(capacity: Swift.max(count, 1))
        for i in 0..<count { base[i] = flags(i).rawValue }
    }

    /// A table of `count` bars written by `fill`, which must set every one of them.
    init(count: Int, fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        self.count = count
        base = .allocate(capacity: Swift.max(count, 1))
        base.initialize(repeating: 0, count: Swift.max(count, 1))
        fill(base)
    }

    deinit { base.deallocate() }

    @inlinable public subscript(bar: Int) -> Flags {
        assert(bar >= 0 && bar < count)
        return Flags(rawValue: base[bar])
    }
}

/// A strategy of four precomputed signals per instrument: enter long, exit long, enter short,
/// exit short, traded under ``OrderRules`` (order placement, bracket, trailing stop) and an
/// optional holding limit.
///
/// At each bar, for each instrument in order:
/// 1. A priced entry or exit past its ``OrderPlacement/validBars`` is cancelled.
/// 2. In a position: a reversal (a short entry while long, long-short only; a long entry while
///    short) or the holding limit closes it at market, and so does its exit signal when exits are
///    market orders; with priced exits the exit signal places a limit or stop close instead (one at
///    a time). Any close cancels what is left of a working entry (under a volume cap) and the
///    priced exits.
/// 3. Flat (or just closed at market) with no entry working: a long entry places an entry, else
///    (long-short) a short entry. Stop-loss, take-profit and trailing stop ride on it as a bracket.
///
/// A market order fills at the next open; a close queued on the same bar as an entry fills first,
/// so the entry is sized from the cash left after it. Entries are all-in on one instrument; on K
/// instruments sharing one account each takes 1/K of the margin available (as ``SMACross``). A
/// risk size (`SizeType.risk(fraction:stopPrice:)`) takes its stop from the stop-loss rule
/// when there is one.
public struct RuleStrategy: Strategy, Sendable {
    /// Which side the signals trade.
    public var direction: TradeDirection
    /// The size of every entry order (all-in by default, backtesting.py's unsized order; 1/K of
    /// the margin on K instruments).
    public var entrySize: SizeType = .allIn
    /// How entries and exits are placed and trades protected (market orders, no bracket by default).
    public var orderRules: OrderRules
    /// The holding limit (``TradeSignals/maxBarsHeld``); nil for none.
    public var maxBarsHeld: Int?
    @usableFromInline var books: ContiguousArray<RuleBook> = []
    /// With several instruments and rules that act only at a signal (market entries and exits,
    /// no holding limit): row `t` of `rowWords` words has bit `k` set when instrument `k` has any
    /// signal at bar `t`, and `any` marks the bars where one does. A bar then visits only those
    /// instruments (the others' rules would do nothing there), and the next decision is one scan.
    @usableFromInline var signalRows: (rows: SignalView, rowWords: Int, any: SignalView)?
    /// Computes instrument `k`'s signal table from its bars.
    let build: @Sendable (inout StrategySetup, _ k: Int, BarSeries) throws -> SignalTable
    /// The number of instruments the strategy was made for, nil for any.
    let instrumentCount: Int?

    /// - Parameters:
    ///   - direction: which side the signals trade: long only, short only, or both.
    ///   - orderRules: order placement and trade protection.
    ///   - maxBarsHeld: the most bars a trade stays open (≥ 1), or nil.
    ///   - size: the size of every entry.
    ///   - build: computes one instrument's signal table from its bars (called once per
    ///     instrument); register the indicators it uses with the setup so the loop starts after
    ///     their warm-up.
    public init(direction: TradeDirection, orderRules: OrderRules = OrderRules(), maxBarsHeld: Int? = nil,
                size: SizeType = .allIn,
                build: @escaping @Sendable (inout StrategySetup, BarSeries) throws -> SignalTable) {
        self.direction = direction
        self.orderRules = orderRules
        self.maxBarsHeld = maxBarsHeld
        self.entrySize = size
        self.build = { setup, _, bars in try build(&setup, bars) }
        self.instrumentCount = nil
    }

    /// The event-engine twin of ``SignalBacktest``: trades `signals` (with their order rules and
    /// holding limit) by the rules above, each entry of `size`, first deciding at bar
    /// `1 + warmUpBars` (later if an ATR the order rules read is still warming up). For the same
    /// inputs both produce the same orders, fills, trades and equity. One instrument only.
    public init(signals: TradeSignals, size: SizeType = .allIn, warmUpBars: Int = 0) {
        self.direction = signals.direction
        self.orderRules = signals.orderRules
        self.maxBarsHeld = signals.maxBarsHeld
        self.build = { setup, _, bars in
            guard signals.count == bars.count else {
                throw BacktestError.invalidSignals("the signals have \(signals.count) bars, the data \(bars.count)")
            }
            setup.requireWarmUp(warmUpBars)
            return signals.table
        }
        self.instrumentCount = 1
        entrySize = size
    }

    /// The event-engine twin of `SignalBacktest.run(_:size:warmUpBars:)` on several instruments:
    /// one set of signals per instrument of the backtest, in its order, traded on one account by
    /// the rules above; an all-in `size` commits 1/K of the margin available per entry on K
    /// instruments. Direction, order rules and holding limit are the strategy's, so every set
    /// must have the first one's (`prepare` throws ``BacktestError/invalidSignals(_:)`` otherwise,
    /// or for a count or a length that does not fit the backtest).
    public init(signals: [TradeSignals], size: SizeType = .allIn, warmUpBars: Int = 0) {
        let first = signals.first
        self.direction = first?.direction ?? .longOnly
        self.orderRules = first?.orderRules ?? OrderRules()
        self.maxBarsHeld = first?.maxBarsHeld
        self.build = { setup, k, bars in
            let own = signals[k]
            guard own.count == bars.count else {
                throw BacktestError.invalidSignals("instrument \(k): the signals have \(own.count) bars, the data \(bars.count)")
            }
            guard own.direction == first?.direction, own.orderRules == first?.orderRules, own.maxBarsHeld == first?.maxBarsHeld else {
                throw BacktestError.invalidSignals("instrument \(k): direction, order rules and holding limit must be instrument 0's")
            }
            setup.requireWarmUp(warmUpBars)
            return own.table
        }
        self.instrumentCount = signals.count
        entrySize = size
    }

    public mutating func prepare(_ setup: inout StrategySetup) throws {
        let count = setup.instruments.count
        if let expected = instrumentCount, expected != count {
            throw BacktestError.invalidSignals(expected == 1 ? "precomputed signals trade one instrument; the backtest has \(count)"
                                               : "signals for \(expected) instruments; the backtest has \(count)")
        }
        if let limit = maxBarsHeld, limit < 1 { throw BacktestError.invalidSignals("maxBarsHeld must be at least 1 bar, is \(limit)") }
        if let problem = orderRules.validationProblem { throw BacktestError.invalidSignals("order rules: \(problem)") }
        let size = count > 1 && entrySize == .allIn ? .equityFraction(1 / Double(count)) : entrySize
        books = []
        for (k, bars) in setup.instruments.enumerated() {
            let table = try build(&setup, k, bars)
            var atr: [Int: SeriesView] = [:]
            for period in orderRules.atrPeriods {
                atr[period] = setup.indicator(try ATR.compute(high: bars.high, low: bars.low, close: bars.close, period: period))
            }
            books.append(RuleBook(instrument: k, signals: table, close: setup.series(bars.close), atr: atr, direction: direction,
                                  rules: orderRules, maxBarsHeld: maxBarsHeld, size: size))
            // A signal places at most a close and an entry, and an entry's bracket two legs.
            let bracketLegs = (orderRules.stopLoss != nil || orderRules.trailingStop != nil ? 1 : 0) + (orderRules.takeProfit != nil ? 1 : 0)
            setup.expectOrders((2 + bracketLegs) * table.flaggedBarCount)
        }
        signalRows = nil
        // Priced orders have deadlines and a holding limit has its own bars: then every book is asked.
        if count > 1, maxBarsHeld == nil, orderRules.entryOrder.kind == .market, orderRules.exitOrder.kind == .market {
            transposeSignals(barCount: setup.instruments[0].count, &setup)
        }
    }

    public mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        if let signalRows {
            let row = bar * signalRows.rowWords
            for w in 0..<signalRows.rowWords {
                var flagged = signalRows.rows.words[row + w]
                // Instruments in ascending order, as the loop over every book takes them.
                while flagged != 0 {
                    try books[w << 6 | flagged.trailingZeroBitCount].onBar(bar, broker: &broker)
                    flagged &= flagged - 1
                }
            }
            return
        }
        for k in books.indices { try books[k].onBar(bar, broker: &broker) }
    }

    /// Builds ``signalRows`` from the books' signal tables. O(bars · instruments / 8 + signals).
    mutating func transposeSignals(barCount n: Int, _ setup: inout StrategySetup) {
        let rowWords = (books.count + 63) / 64
        var rows = [UInt64](repeating: 0, count: n * rowWords), any = [UInt64](repeating: 0, count: (n + 63) / 64)
        let every = SignalTable.Flags(rawValue: 0xF)
        for book in books {
            let k = book.instrument
            var bar = book.signals.firstBar(from: 0, matching: every)
            while bar < n {
                rows[bar * rowWords + k >> 6] |= 1 << UInt64(k & 63)
                any[bar >> 6] |= 1 << UInt64(bar & 63)
                bar = book.signals.firstBar(from: bar + 1, matching: every)
            }
        }
        signalRows = (setup.signal(BitColumn(words: Column(rows), count: n * rowWords * 64)), rowWords,
                      setup.signal(BitColumn(words: Column(any), count: n)))
    }

    /// The first bar at or after `bar` at which ``onBar(_:broker:)`` may do anything, given the
    /// broker's positions now (`Int.max` if none): a signal that matters in the current state, a
    /// priced order's deadline, or the bar an open trade reaches the holding limit. On every bar
    /// before it `onBar` would change nothing, so neither engine calls it there.
    public mutating func nextDecision(from bar: Int, broker: Broker) -> Int {
        if let signalRows { return signalRows.any.firstSet(from: bar, or: signalRows.any) }
        var next = Int.max
        for k in books.indices { next = Swift.min(next, books[k].nextDecision(from: bar, broker: broker)) }
        return next
    }
}

/// What a ``RuleStrategy`` keeps and decides for one instrument.
@usableFromInline
struct RuleBook: Sendable {
    let instrument: Int
    let signals: SignalTable
    let close: SeriesView
    /// ATR columns by period, for ATR distances.
    let atr: [Int: SeriesView]
    let direction: TradeDirection
    let rules: OrderRules
    let maxBarsHeld: Int?
    let size: SizeType
    let exitsAtMarket: Bool
    /// The priced closes working for the position.
    var pendingExits: [OrderID] = []
    /// The bars at which the working priced entry or exit stops working (cancelled before the
    /// rules are read at that bar, so they may place a fresh one).
    var entryDeadline: Int?
    var exitDeadline: Int?
    /// The last answer of ``nextFlag(from:mask:)`` per mask (flat, long, short): the first
    /// flagged bar at or after `from`, valid for every start between the two.
    var flagCache: [(from: Int, next: Int)] = Array(repeating: (Int.max, Int.max), count: 3)

    init(instrument: Int, signals: SignalTable, close: SeriesView, atr: [Int: SeriesView], direction: TradeDirection,
         rules: OrderRules, maxBarsHeld: Int?, size: SizeType) {
        self.instrument = instrument
        self.signals = signals
        self.close = close
        self.atr = atr
        self.direction = direction
        self.rules = rules
        self.maxBarsHeld = maxBarsHeld
        self.size = size
        self.exitsAtMarket = rules.exitOrder.kind == .market
    }

    func atr(_ distance: PriceDistance?, at bar: Int) -> Double {
        guard let period = distance?.atrPeriod, let column = atr[period] else { return .nan }
        return column[bar]
    }

    mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        let k = instrument
        // A priced order works for `validBars` bars after the one that placed it.
        if let deadline = entryDeadline, bar >= deadline {
            broker.cancelEntries(instrument: k)
            entryDeadline = nil
        }
        if let deadline = exitDeadline, bar >= deadline {
            for id in pendingExits where broker.isWorking(id) { try broker.cancel(id) }
            pendingExits = []
            exitDeadline = nil
        }
        let flags = signals[bar]
        let position = broker.positionSize(k)
        var flat = position == 0
        if !flat {
            let isLong = position > 0
            let reversal = isLong ? direction == .longShort && flags.contains(.shortEntry) : flags.contains(.longEntry)
            let ruleExit = flags.contains(isLong ? .longExit : .shortExit)
            let heldTooLong = maxBarsHeld.map { bar - (broker.oldestOpenEntryBar(k) ?? bar) + 1 >= $0 } ?? false
            if reversal || heldTooLong || (ruleExit && exitsAtMarket) {
                try cancelPending(&broker)
                try broker.closePosition(instrument: k)
                flat = true
            } else if ruleExit, !pendingExits.contains(where: broker.isWorking) {
                try placeExit(side: isLong ? .sell : .buy, bar: bar, &broker)
            }
        }
        // One entry at a time: an entry still being filled (volume cap), waiting out the latency
        // or working at its price is not doubled.
        guard flat, !broker.hasWorkingEntry(instrument: k) else { return }
        if flags.contains(.longEntry) {
            try placeEntry(side: .buy, bar: bar, &broker)
        } else if direction == .longShort, flags.contains(.shortEntry) {
            try placeEntry(side: .sell, bar: bar, &broker)
        }
    }

    /// Cancels the instrument's working entry and priced exit orders.
    private mutating func cancelPending(_ broker: inout Broker) throws {
        broker.cancelEntries(instrument: instrument)
        for id in pendingExits where broker.isWorking(id) { try broker.cancel(id) }
        pendingExits = []
        entryDeadline = nil
        exitDeadline = nil
    }

    private mutating func placeExit(side: OrderSide, bar: Int, _ broker: inout Broker) throws {
        let placement = rules.exitOrder
        let type = placement.orderType(side: side, reference: close[bar], atr: atr(placement.offset, at: bar))
        guard let price = type.limitPrice ?? type.stopPrice, price.isFinite, price > 0 else { return }
        pendingExits = try broker.closePosition(instrument: instrument, type: type)
        exitDeadline = bar + placement.validBars
    }

    private mutating func placeEntry(side: OrderSide, bar: Int, _ broker: inout Broker) throws {
        let reference0 = close[bar]
        let type = rules.entryOrder.orderType(side: side, reference: reference0, atr: atr(rules.entryOrder.offset, at: bar))
        // Stop-loss and take-profit are measured from the entry's own price when it has one.
        let reference = type.limitPrice ?? type.stopPrice ?? reference0
        let stopLoss = rules.stopLoss.map { $0.price(from: reference, sign: -side.sign, atr: atr($0, at: bar)) }
        let takeProfit = rules.takeProfit.map { $0.price(from: reference, sign: side.sign, atr: atr($0, at: bar)) }
        let trail: TrailingOffset? = rules.trailingStop.map {
            switch $0 {
            case .percent(let p): return .percent(p)
            case .amount(let distance): return .amount(distance)
            case .atr(let multiple, _): return .amount(multiple * atr($0, at: bar))
            }
        }
        // Prices must be positive and on their side of the entry; a trail must have a width.
        func placeable(_ price: Double?, below: Bool) -> Bool {
            guard let price else { return true }
            return price.isFinite && price > 0 && (below ? price < reference : price > reference)
        }
        guard reference.isFinite, reference > 0, placeable(stopLoss, below: side == .buy), placeable(takeProfit, below: side == .sell),
              trail?.validationProblem == nil else { return }
        var orderSize = size
        if case .risk(let fraction, _) = size, let stopLoss { orderSize = .risk(fraction: fraction, stopPrice: stopLoss) }
        do {
            try broker.submit(OrderRequest(instrument: instrument, side: side, size: orderSize, type: type, stopLoss: stopLoss,
                                           takeProfit: takeProfit, trailingStop: trail))
            if rules.entryOrder.kind != .market { entryDeadline = bar + rules.entryOrder.validBars }
        } catch {
            // The spread put a market entry's price beyond its take-profit: no room for the bracket.
            // (A `catch where` clause here crashes the 6.3.1 compiler.)
            guard error.kind == .bracketOutOfOrder else { throw error }
        }
    }

    /// See ``RuleStrategy/nextDecision(from:broker:)``.
    mutating func nextDecision(from bar: Int, broker: Broker) -> Int {
        var next = Swift.min(entryDeadline ?? .max, exitDeadline ?? .max)
        if let limit = maxBarsHeld, let entryBar = broker.oldestOpenEntryBar(instrument) {
            next = Swift.min(next, entryBar + limit - 1)
        }
        guard next > bar else { return bar }
        // The signals that can make onBar act in the current state (see onBar).
        let position = broker.positionSize(instrument)
        let longShort = direction == .longShort
        let mask: SignalTable.Flags, slot: Int
        if position == 0 {
            (mask, slot) = (longShort ? [.longEntry, .shortEntry] : [.longEntry], 0)
        } else if position > 0 {
            (mask, slot) = (longShort ? [.longExit, .shortEntry] : [.longExit], 1)
        } else {
            (mask, slot) = ([.shortExit, .longEntry], 2)
        }
        let cached = flagCache[slot]
        let flagged: Int
        if cached.from <= bar, bar <= cached.next {
            flagged = cached.next
        } else {
            flagged = signals.firstBar(from: bar, matching: mask)
            flagCache[slot] = (bar, flagged)
        }
        return Swift.min(next, flagged)
    }
}

extension SignalTable {
    /// The number of bars with any flag. O(bars / 8).
    var flaggedBarCount: Int {
        var count = 0, i = 0
        while i + 8 <= self.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // One bit per nonzero byte: flags use the low four bits of each.
            let nonzero = (word | word >> 1 | word >> 2 | word >> 3) & 0x0101_0101_0101_0101
            count += nonzero.nonzeroBitCount
            i += 8
        }
        while i < self.count {
            if base[i] != 0 { count += 1 }
            i += 1
        }
        return count
    }

    /// The first bar at or after `from` with a flag of `mask`, or `count` if none.
    ///
    /// Complexity: O(bars scanned), eight bars per load.
    func firstBar(from: Int, matching mask: Flags) -> Int {
        var i = Swift.max(from, 0)
        guard mask.rawValue != 0 else { return count }
        let wide = UInt64(mask.rawValue) &* 0x0101_0101_0101_0101
        // Invariant: no bar in [from, i) has a flag of `mask`.
        while i + 8 <= count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if word & wide != 0 { break }
            i += 8
        }
        while i < count {
            if base[i] & mask.rawValue != 0 { return i }
            i += 1
        }
        return count
    }
}
