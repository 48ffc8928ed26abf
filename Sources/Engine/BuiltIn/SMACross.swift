import ColumnStore
import Execution
import Indicators

/// Which sides of the market a built-in strategy trades.
public enum TradeDirection: String, Sendable, CaseIterable {
    /// Enter long on the entry signal when flat; close on the exit signal.
    case longOnly = "long-only"
    /// Always in the market after the first signal: buy on the long signal, sell on the short
    /// signal (with exclusive orders each signal closes the open trade and reverses).
    case longShort = "long-short"
}

/// Moving-average crossover: the fast simple moving average of the close crossing the slow one.
///
/// - `longShort`: a cross above closes a short and buys all-in, a cross below closes a long and
///   sells all-in: the reversal of backtesting.py's README example. The close fills first at the
///   next open and the new trade is sized from what is left, so the trades are the same with or
///   without exclusive orders (the README runs it with `exclusive_orders=True`).
/// - `longOnly`: a cross above buys all-in when flat (and no entry is still working); a cross
///   below closes the position.
///
/// A cross cancels what is left of an earlier entry still working (partly filled under a volume
/// cap, or waiting out the latency) before it acts.
///
/// Crosses are strict on both bars (equal averages on either bar: no signal). Signals at bar `t`
/// fill at the open of `t + 1`.
///
/// With several instruments on the clock, each is traded on its own crosses, instruments in
/// order at each bar, and an entry commits `1/K` of the margin then available
/// (`SizeType.equityFraction(_:)`) instead of all of it, so `K` positions can be open at once.
/// The warm-up is the slow average's, shared by all instruments.
public struct SMACross: Strategy, Sendable {
    /// Period of the fast simple moving average of the close.
    public var fast: Int
    /// Period of the slow simple moving average (greater than `fast`).
    public var slow: Int
    /// Long only (a cross below closes), or long and short (a cross below reverses).
    public var direction: TradeDirection
    /// Per instrument: the bars at which the fast average crosses above and below the slow one.
    @usableFromInline var crossings: ContiguousArray<(above: SignalView, below: SignalView)> = []
    /// With several instruments, the same crossings by bar: row `t` of `rowWords` words has bit
    /// `k` set when instrument `k` crosses at bar `t`; and the bars at which any instrument
    /// crosses. A bar then costs a look at its row instead of two bit tests per instrument, and
    /// the next decision one scan instead of one per instrument.
    @usableFromInline var crossingRows: (above: SignalView, below: SignalView, rowWords: Int)?
    @usableFromInline var anyCrossing: SignalView?
    @usableFromInline var entrySize: SizeType = .allIn
    /// Words of one instrument's crossings known to be computed (see ``SignalView``).
    @usableFromInline var finalWords = 0
    /// Whether one instrument's crossings are computed while the loop reads them (a
    /// ``CrossingStream``) rather than before it; the tests compare the two.
    var streamsCrossings = true

    /// - Throws: `IndicatorError` when a period is below 2, or ``StrategyParameterError`` when
    ///   `fast` is not below `slow`.
    public init(fast: Int = 10, slow: Int = 20, direction: TradeDirection = .longShort) throws {
        _ = try SMA(period: fast)
        _ = try SMA(period: slow)
        guard fast < slow else {
            throw StrategyParameterError(parameter: "fast", "must be below slow (\(slow)), is \(fast)")
        }
        self.fast = fast
        self.slow = slow
        self.direction = direction
    }

    public mutating func prepare(_ setup: inout StrategySetup) throws {
        crossings = []
        finalWords = 0
        if setup.instruments.count == 1, streamsCrossings {
            // One instrument: the crossings are computed while the loop reads them (on the
            // backtest's worker on a long run), the same bits as computing them first.
            let stream = CrossingStream(try SMA.CrossingsRun(setup.bars.close, fast: fast, slow: slow))
            let first = stream.firstValues()
            setup.requireWarmUp(Swift.max(first.fast ?? 0, first.slow ?? 0))
            // Each cross places at most a close and an entry; the crossings are known only as far
            // as computed.
            setup.expectOrders((direction == .longShort ? 2 : 1) * stream.expectedCrossingCount())
            crossings.append(setup.signals(streaming: stream))
        } else {
            for bars in setup.instruments {
                // Both averages and their crossings in one pass (bit for bit the columns' comparison);
                // the loop starts where both averages have a value, as registering them would make it.
                let (above, below, first) = try SMA.crossings(bars.close, fast: fast, slow: slow)
                setup.requireWarmUp(Swift.max(first.fast ?? 0, first.slow ?? 0))
                // Each cross places at most a close and an entry.
                setup.expectOrders((direction == .longShort ? 2 : 1) * (above.trueCount + below.trueCount))
                crossings.append((setup.signal(above), setup.signal(below)))
            }
        }
        entrySize = setup.instruments.count == 1 ? .allIn : .equityFraction(1 / Double(setup.instruments.count))
        crossingRows = nil
        anyCrossing = nil
        if setup.instruments.count > 1 { transposeCrossings(&setup) }
    }

    /// Builds ``crossingRows`` and ``anyCrossing`` from the per-instrument columns.
    /// O(bars / 64 · instruments + crossings).
    mutating func transposeCrossings(_ setup: inout StrategySetup) {
        let n = setup.instruments[0].count, rowWords = (crossings.count + 63) / 64
        var above = [UInt64](repeating: 0, count: n * rowWords), below = above
        var any = [UInt64](repeating: 0, count: (n + 63) / 64)
        func transpose(_ column: SignalView, instrument k: Int, into rows: inout [UInt64]) {
            for w in 0..<any.count {
                var word = column.words[w]
                any[w] |= word
                // Invariant: the bits of `word` are the crossings of words w not yet placed.
                while word != 0 {
                    let bar = w << 6 | word.trailingZeroBitCount
                    rows[bar * rowWords + k >> 6] |= 1 << UInt64(k & 63)
                    word &= word - 1
                }
            }
        }
        for (k, (up, down)) in crossings.enumerated() {
            transpose(up, instrument: k, into: &above)
            transpose(down, instrument: k, into: &below)
        }
        let bits = n * rowWords * 64
        crossingRows = (setup.signal(BitColumn(words: Column(above), count: bits)),
                        setup.signal(BitColumn(words: Column(below), count: bits)), rowWords)
        anyCrossing = setup.signal(BitColumn(words: Column(any), count: n))
    }

    @inlinable
    public mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        if let rows = crossingRows {
            let row = bar * rows.rowWords
            for w in 0..<rows.rowWords {
                let up = rows.above.words[row + w], down = rows.below.words[row + w]
                var crossing = up | down
                // Instruments in ascending order, as the per-instrument loop below takes them.
                while crossing != 0 {
                    let bit = crossing.trailingZeroBitCount, k = w << 6 | bit
                    if up >> UInt64(bit) & 1 != 0 {
                        try crossedAbove(instrument: k, broker: &broker)
                    } else {
                        try crossedBelow(instrument: k, broker: &broker)
                    }
                    crossing &= crossing - 1
                }
            }
            return
        }
        for k in crossings.indices {
            // Crosses are rare: the per-bar work is two bit tests, small enough to inline into the
            // engine's loop; what a cross does runs out of line. (Each view read in place: copying
            // the pair out is a 64-byte copy.)
            if crossings[k].above[bar] {
                try crossedAbove(instrument: k, broker: &broker)
            } else if crossings[k].below[bar] {
                try crossedBelow(instrument: k, broker: &broker)
            }
        }
    }

    /// The next bar with a cross of any instrument's averages: on the bars between, `onBar` does
    /// nothing. O(words scanned).
    /// The crossings are computed in `prepare` (or while the loop runs, the same bits) and
    /// nothing changes them.
    @inlinable public static var decisionBarsAreFixed: Bool { true }

    @inlinable @inline(__always)
    public mutating func nextDecision(from bar: Int, broker: Broker) -> Int {
        // One instrument, the benchmark's case, inline; several out of line, so the loop holds
        // one copy of the scan.
        if crossings.count == 1 { return crossings[0].above.firstSet(from: bar, or: crossings[0].below, finalWords: &finalWords) }
        return nextDecisionOfSeveral(from: bar)
    }

    @usableFromInline @inline(never)
    func nextDecisionOfSeveral(from bar: Int) -> Int {
        if let anyCrossing { return anyCrossing.firstSet(from: bar, or: anyCrossing) }
        var next = Int.max
        // By index: iterating the array itself retains and releases its buffer on every call.
        for k in crossings.indices { next = Swift.min(next, crossings[k].above.firstSet(from: bar, or: crossings[k].below)) }
        return next
    }

    // `mutating` though they change nothing: called from `onBar`, a non-mutating method gets a
    // copy of the strategy (a memcpy per cross); a mutating one its address.
    @usableFromInline @inline(never)
    mutating func crossedAbove(instrument k: Int, broker: inout Broker) throws {
        let position = broker.positionSize(k)
        switch direction {
        case .longShort:
            // What is left of the short entry (under a volume cap) is not wanted any more.
            broker.cancelEntries(instrument: k)
            if position < 0 { try broker.closePosition(instrument: k) }
            try broker.buy(entrySize, instrument: k)
        case .longOnly:
            if position == 0, !broker.hasWorkingEntry(instrument: k) { try broker.buy(entrySize, instrument: k) }
        }
    }

    @usableFromInline @inline(never)
    mutating func crossedBelow(instrument k: Int, broker: inout Broker) throws {
        let position = broker.positionSize(k)
        broker.cancelEntries(instrument: k)
        switch direction {
        case .longShort:
            if position > 0 { try broker.closePosition(instrument: k) }
            try broker.sell(entrySize, instrument: k)
        case .longOnly:
            if position != 0 { try broker.closePosition(instrument: k) }
        }
    }
}

/// A built-in strategy parameter out of range.
public struct StrategyParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var parameter: String
    public var message: String
    public init(parameter: String, _ message: String) {
        self.parameter = parameter
        self.message = message
    }
    public var description: String { "parameter \(parameter) \(message)" }
}

extension SMACross {
    /// The long-only form of this strategy as fast-path signals over `bars`: entries where the
    /// fast average crosses above the slow one, exits where it crosses below, and the warm-up the
    /// event engine uses (the later of the two averages' first values).
    ///
    /// `SignalBacktest(bars:configuration:).run(signals, warmUpBars: warmUpBars)` gives exactly the
    /// orders, trades and equity of running `SMACross` with `direction` `.longOnly` in ``Backtest``
    /// (tested). The long-short form has no fast-path twin: it adds to a long position on a second
    /// cross above without a cross below in between (possible when the averages tie), which the
    /// signal rules do not.
    public func longOnlySignals(for bars: BarSeries) throws -> (signals: TradeSignals, warmUpBars: Int) {
        // Computed as far as the warm-up; the fast path computes the rest on its worker while its
        // loop reads them, and reading a column of the signals computes it whole.
        let stream = CrossingStream(try SMA.CrossingsRun(bars.close, fast: fast, slow: slow))
        let first = stream.firstValues()
        return (TradeSignals(streaming: stream), Swift.max(first.fast ?? 0, first.slow ?? 0))
    }
}
