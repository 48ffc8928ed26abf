import ColumnStore
import Execution

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

    deinit { base.deallocate() }

    @inlinable public subscript(bar: Int) -> Flags {
        assert(bar >= 0 && bar < count)
        return Flags(rawValue: base[bar])
    }
}

/// A strategy of four precomputed signals per instrument: enter long, exit long, enter short,
/// exit short.
///
/// At each bar, for each instrument in order: a long position closes on its exit signal
/// (long-short: also on a short entry), a short position on its exit signal or a long entry, and
/// a close cancels what is left of a working entry (under a volume cap); then, if flat (or just
/// closed) with no entry working, a long entry buys, otherwise a short entry sells (long-short
/// only). Every order is a market order filling at the next open; a close queued on the same bar
/// as an entry fills first, so the entry is sized from the cash left after it. Entries are
/// all-in on one instrument; on K instruments sharing one account each takes 1/K of the margin
/// available (as ``SMACross``).
public struct RuleStrategy: Strategy, Sendable {
    /// Which side the signals trade.
    public var direction: TradeDirection
    /// The size of every entry order (all-in by default, backtesting.py's unsized order; 1/K of
    /// the margin on K instruments).
    public var entrySize: SizeType = .allIn
    @usableFromInline var signals: ContiguousArray<SignalTable> = []
    @usableFromInline var sizeInUse: SizeType = .allIn
    /// The signals' holding limit (``TradeSignals/maxBarsHeld``); nil for none.
    @usableFromInline var maxBarsHeld: Int?
    let build: @Sendable (inout StrategySetup, BarSeries) throws -> SignalTable
    let singleInstrument: Bool

    /// - Parameters:
    ///   - direction: which side the signals trade: long only, short only, or both.
    ///   - build: computes one instrument's signal table from its bars (called once per
    ///     instrument); register the indicators it uses with the setup so the loop starts after
    ///     their warm-up.
    public init(direction: TradeDirection, build: @escaping @Sendable (inout StrategySetup, BarSeries) throws -> SignalTable) {
        self.direction = direction
        self.build = build
        self.singleInstrument = false
    }

    /// The event-engine twin of ``SignalBacktest``: trades `signals` by the rules above, each
    /// entry of `size`, first deciding at bar `1 + warmUpBars`. For the same inputs both produce
    /// the same orders, fills, trades and equity. One instrument only.
    public init(signals: TradeSignals, size: SizeType = .allIn, warmUpBars: Int = 0) {
        self.direction = signals.direction
        self.maxBarsHeld = signals.maxBarsHeld
        self.build = { setup, bars in
            guard signals.count == bars.count else {
                throw BacktestError.invalidSignals("the signals have \(signals.count) bars, the data \(bars.count)")
            }
            if let problem = signals.maxBarsHeldProblem { throw BacktestError.invalidSignals(problem) }
            setup.requireWarmUp(warmUpBars)
            return signals.table
        }
        self.singleInstrument = true
        entrySize = size
    }

    public mutating func prepare(_ setup: inout StrategySetup) throws {
        let count = setup.instruments.count
        if singleInstrument, count > 1 {
            throw BacktestError.invalidSignals("precomputed signals trade one instrument; the backtest has \(count)")
        }
        signals = []
        for bars in setup.instruments { signals.append(try build(&setup, bars)) }
        sizeInUse = count > 1 && entrySize == .allIn ? .equityFraction(1 / Double(count)) : entrySize
    }

    @inlinable
    public mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        for k in signals.indices {
            let flags = signals[k][bar]
            var heldTooLong = false
            if let limit = maxBarsHeld, let entryBar = broker.oldestOpenEntryBar(k) { heldTooLong = bar - entryBar + 1 >= limit }
            guard !flags.isEmpty || heldTooLong else { continue }
            let position = broker.positionSize(k)
            var flat = position == 0
            if position > 0, heldTooLong || flags.contains(.longExit) || (direction == .longShort && flags.contains(.shortEntry)) {
                broker.cancelEntries(instrument: k)
                try broker.closePosition(instrument: k)
                flat = true
            } else if position < 0, heldTooLong || flags.contains(.shortExit) || flags.contains(.longEntry) {
                broker.cancelEntries(instrument: k)
                try broker.closePosition(instrument: k)
                flat = true
            }
            // One entry at a time: an entry still being filled (volume cap) or waiting out the
            // latency is not doubled.
            guard flat, !broker.hasWorkingEntry(instrument: k) else { continue }
            if flags.contains(.longEntry) {
                try broker.buy(sizeInUse, instrument: k)
            } else if direction == .longShort, flags.contains(.shortEntry) {
                try broker.sell(sizeInUse, instrument: k)
            }
        }
    }
}
