import ColumnStore
import Execution
import Synchronization

/// A trading strategy: a set-up hook that precomputes what it needs over all bars, and a per-bar
/// hook that decides.
///
/// The engine is generic over the strategy type and `@inlinable`, so a strategy defined in any
/// module is specialized into the loop (no dynamic dispatch per bar). Keep per-bar state in the
/// struct's stored properties.
///
/// Look-ahead is the strategy's responsibility in `prepare`: it sees every bar so that
/// indicators can be computed in one vectorized pass; an indicator value at bar `t` must depend
/// only on bars `0...t` (all of Colonnade's do). In `onBar(t, broker:)` read only index `t` and
/// earlier; orders submitted there fill from bar `t + 1`.
public protocol Strategy {
    /// Called once before the loop. Register every indicator the decisions depend on with
    /// ``StrategySetup/indicator(_:)`` so the loop starts after their warm-up.
    mutating func prepare(_ setup: inout StrategySetup) throws
    /// Called at each bar from the first bar after the warm-up, after the broker has filled
    /// the orders due on this bar and marked the account at its close, except on bars before the
    /// one ``nextDecision(from:broker:)`` names.
    mutating func onBar(_ bar: Int, broker: inout Broker) throws
    /// The first bar at or after `bar` at which ``onBar(_:broker:)`` may do anything (submit,
    /// cancel, change the strategy's state), given the broker as it is now; `Int.max` when none.
    ///
    /// On the bars before it the engine does not call `onBar`, and where no working order can act
    /// either it marks the account in a tight loop (`Broker.skipQuietBars(from:before:into:)`)
    /// instead of processing each bar: the same equity, orders and fills, less work per bar. The
    /// engine asks again after every bar it processes, so an answer may rely on the positions not
    /// changing until then. The default, `bar`, has `onBar` called at every bar; a strategy whose
    /// decisions come from precomputed signals can answer with the next signal (see ``SMACross``).
    mutating func nextDecision(from bar: Int, broker: Broker) -> Int
    /// True when the bars at which the strategy may decide are a fixed set: `nextDecision(from:
    /// bar, broker:)` is the first of them at or after `bar`, whatever the broker holds and
    /// whatever `onBar` did (precomputed signals, say). The engine then takes one answer for
    /// every bar up to it instead of asking again after each bar it processes. The default is
    /// false.
    static var decisionBarsAreFixed: Bool { get }
}

extension Strategy {
    /// Every bar: `onBar` is called at each one.
    @inlinable public mutating func nextDecision(from bar: Int, broker: Broker) -> Int { bar }
    /// Not fixed: the engine asks ``nextDecision(from:broker:)`` after every bar it processes.
    @inlinable public static var decisionBarsAreFixed: Bool { false }
}

/// What a strategy sees while it prepares: the bars, and a register of indicators that sets
/// where the loop starts.
///
/// The setup also owns every column it hands out as a ``SeriesView``; the backtest keeps the setup
/// alive until its loop ends, which is what lets a view be a bare pointer.
public struct StrategySetup: Sendable {
    /// The bars of each instrument, on one clock.
    public let instruments: [BarSeries]
    /// The bar at which the last registered indicator has its first value (backtesting.py's
    /// warm-up: the largest index of a first non-NaN value, 0 for an all-NaN series).
    public private(set) var warmUpBars: Int = 0
    /// The columns behind the views handed out.
    private var retained: [Column<Double>] = []
    private var retainedWords: [Column<UInt64>] = []

    /// The account and execution model the backtest runs under (lot sizes, leverage, exclusive
    /// orders), for a strategy whose decisions depend on them.
    public let configuration: BrokerConfiguration

    public init(instruments: [BarSeries], configuration: BrokerConfiguration = BrokerConfiguration()) {
        self.instruments = instruments
        self.configuration = configuration
    }

    /// The bars of the first (or only) instrument.
    public var bars: BarSeries { instruments[0] }

    /// Registers `values` as an indicator the strategy decides on and returns a fast read-only
    /// view of it; the loop starts no earlier than its first non-NaN value.
    public mutating func indicator(_ values: Column<Double>) -> SeriesView {
        let firstValid = values.withUnsafeBufferPointer { $0.firstIndex { !$0.isNaN } } ?? 0
        warmUpBars = Swift.max(warmUpBars, firstValid)
        return series(values)
    }

    /// A fast read-only view of `values` (a bar column, say) that does not affect the warm-up.
    public mutating func series(_ values: Column<Double>) -> SeriesView {
        retained.append(values)
        return SeriesView(unownedColumn: values)
    }

    /// A fast read-only view of a precomputed signal (crossings, say), read per bar in `onBar`;
    /// does not affect the warm-up.
    ///
    /// Testing a bit of a precomputed column is one load and a branch a predictor gets right on a
    /// rare signal; comparing values per bar decides on noise, which a predictor loses half the
    /// time (several nanoseconds a bar).
    public mutating func signal(_ bits: BitColumn) -> SignalView {
        retainedWords.append(bits.words)
        return SignalView(unownedBits: bits)
    }

    /// Signals still being computed, which the backtest's worker fills while the loop reads them.
    @usableFromInline private(set) var streams: [CrossingStream] = []

    /// Views of the crossings above and below that `stream` computes (on the backtest's worker
    /// thread on a long run, else as the loop reads them); does not affect the warm-up.
    mutating func signals(streaming stream: CrossingStream) -> (above: SignalView, below: SignalView) {
        streams.append(stream)
        return (SignalView(unownedStream: stream, above: true), SignalView(unownedStream: stream, above: false))
    }

    /// Requires at least `bars` bars before the first decision.
    public mutating func requireWarmUp(_ bars: Int) { warmUpBars = Swift.max(warmUpBars, bars) }

    /// How many orders the strategy expects to submit over the run, summed over the calls
    /// (``expectOrders(_:)``); 0 when it did not say.
    public private(set) var expectedOrderCount = 0

    /// Tells the backtest that about `count` more orders are coming (a strategy that knows its
    /// signals in `prepare` knows this). A hint, not a limit: the broker reserves room for that
    /// many order records at once instead of growing its history by doubling, each step a fresh
    /// buffer and a copy of every record so far. Room never written costs no memory. Too few is
    /// harmless; the reservation is capped at four orders per bar and instrument.
    public mutating func expectOrders(_ count: Int) { expectedOrderCount += Swift.max(0, count) }
}

/// A read-only view of a `BitColumn` for per-bar reads: a pointer to its words and a count, as
/// ``SeriesView`` is for values. Owned, like it, by the ``StrategySetup`` that made it.
///
/// A view may read a signal still being computed on another thread (a built-in strategy's
/// crossings on a long run): its reads then wait for the words they need, so a view always reads
/// the finished signal.
public struct SignalView: @unchecked Sendable {
    @usableFromInline let words: UnsafePointer<UInt64>
    public let count: Int
    /// How many words are final: a stream's count for a signal still being computed, a count
    /// that is always `Int.max` for a finished one (one load and no branch either way).
    @usableFromInline let readyWords: UnsafeMutablePointer<Atomic<Int>>
    /// The stream to ask for more words; nil for a finished signal.
    @usableFromInline let stream: Unmanaged<CrossingStream>?

    init(unownedBits bits: BitColumn) {
        self.words = bits.words.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        self.count = bits.count
        self.readyWords = finishedSignalWords
        self.stream = nil
    }

    /// The crossings above (`above`) or below of `stream`, which the setup keeps alive.
    init(unownedStream stream: CrossingStream, above: Bool) {
        self.words = UnsafePointer(above ? stream.above : stream.below)
        self.count = stream.count
        self.readyWords = stream.readyWords
        self.stream = .passUnretained(stream)
    }

    /// Words before this are final (`Int.max` for a finished signal).
    @inlinable var finalWords: Int { readyWords.pointee.load(ordering: .acquiring) }

    /// Waits until word `w` (below the word count) is final; returns the words final then.
    @inlinable func waitForWord(_ w: Int) -> Int {
        guard let stream else { return .max }
        return stream._withUnsafeGuaranteedRef { $0.fill(throughWord: w) }
    }

    /// The bit at `index` (0-based).
    @inlinable public subscript(index: Int) -> Bool {
        assert(index >= 0 && index < count, "SignalView index \(index) out of range 0..<\(count)")
        let w = index &>> 6
        if w >= finalWords { _ = waitForWord(w) }
        return words[w] &>> UInt64(index & 63) & 1 != 0
    }

    /// The first set bit at or after `index` in this view or in `other` (of the same length), or
    /// `Int.max` when there is none. O(words scanned).
    @inlinable public func firstSet(from index: Int, or other: SignalView) -> Int {
        var final = 0
        return firstSet(from: index, or: other, finalWords: &final)
    }

    /// ``firstSet(from:or:)`` for a caller that keeps `final`, a count of words known final in
    /// both views (0 at first): words below it are read without asking, and it grows as the
    /// scan learns more.
    @inlinable @inline(__always)
    func firstSet(from index: Int, or other: SignalView, finalWords final: inout Int) -> Int {
        assert(other.count == count, "SignalView lengths differ: \(count) and \(other.count)")
        guard index < count else { return .max }
        var w = Swift.max(index, 0) &>> 6
        let wordCount = (count + 63) &>> 6
        if w >= final {
            final = Swift.min(finalWords, other.finalWords, wordCount)
            if w >= final { final = Swift.min(waitForWord(w), other.waitForWord(w), wordCount) }
        }
        // The first word loses the bits before `index`; bits past `count` are clear.
        var bits = (words[w] | other.words[w]) & (~0 &<< UInt64(Swift.max(index, 0) & 63))
        while bits == 0 {
            w += 1
            if w >= final {
                guard w < wordCount else { return .max }
                final = Swift.min(waitForWord(w), other.waitForWord(w), wordCount)
            }
            bits = words[w] | other.words[w]
        }
        return w &<< 6 + bits.trailingZeroBitCount
    }
}

/// The final-word count of every finished signal: all of them. Written once, when made; only
/// read after (atomically), so shared by every thread.
nonisolated(unsafe) let finishedSignalWords: UnsafeMutablePointer<Atomic<Int>> = {
    let words = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: 1)
    words.initialize(to: Atomic(.max))
    return words
}()

/// A read-only view of a column for per-bar reads: a pointer and a count, so copying one costs
/// nothing (no reference counting in the bar loop) and reads have no bounds checks in release
/// builds (debug builds assert).
///
/// Indexed from 0 whatever indices the column had. A view does not own its column: the
/// ``StrategySetup`` that made it does, and a backtest keeps that setup alive while it runs. Read
/// a view only during the backtest whose `prepare` made it.
public struct SeriesView: @unchecked Sendable {
    @usableFromInline let base: UnsafePointer<Double>
    public let count: Int

    init(unownedColumn column: Column<Double>) {
        self.base = column.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        self.count = column.count
    }

    /// The value at `index` (0-based).
    @inlinable public subscript(index: Int) -> Double {
        assert(index >= 0 && index < count, "SeriesView index \(index) out of range 0..<\(count)")
        return base[index]
    }

    /// True when this series is above `other` at `bar` and was below it at `bar − 1`; both
    /// comparisons strict, as backtesting.py's `crossover` (equal values on either bar: no cross).
    @inlinable public func crossesAbove(_ other: SeriesView, at bar: Int) -> Bool {
        guard bar >= 1 else { return false }
        // Both comparisons in one vector compare and one test of its mask: on noisy data "was
        // below" is a coin flip that a branch per comparison mispredicts on half the bars, while a
        // cross itself is rare. NaN compares false in either lane, as in the scalar form.
        return all(SIMD2(self[bar - 1], other[bar]) .< SIMD2(other[bar - 1], self[bar]))
    }

    /// True when this series is below `other` at `bar` and was above it at `bar − 1` (strict).
    @inlinable public func crossesBelow(_ other: SeriesView, at bar: Int) -> Bool {
        other.crossesAbove(self, at: bar)
    }

    /// Crosses above a constant level (strict on both bars).
    @inlinable public func crossesAbove(_ level: Double, at bar: Int) -> Bool {
        bar >= 1 && all(SIMD2(self[bar - 1], level) .< SIMD2(level, self[bar]))
    }

    /// Crosses below a constant level (strict on both bars).
    @inlinable public func crossesBelow(_ level: Double, at bar: Int) -> Bool {
        bar >= 1 && all(SIMD2(level, self[bar]) .< SIMD2(self[bar - 1], level))
    }
}
