import ColumnStore
import Indicators
internal import CKernels
import Synchronization

/// The crossings of two simple averages (`SMA.CrossingsRun`), computed a stretch of bars at a
/// time by whichever thread needs them first, while the bar loop already reads the words that are
/// done.
///
/// On a long run the backtest's worker thread fills the stream from the start (it does this
/// before it feeds the statistics' pass, see `CurvePassFeed`), about four times faster than the
/// loop reads it: the two running totals are a chain of dependent additions, about 2.4 ns a bar,
/// that no vector unit can shorten and that would otherwise precede the loop. A reader that
/// reaches a word not yet done (the loop at its first bars, or any run without a worker) computes
/// the next stretch itself, or waits the few microseconds until the thread computing it is done.
/// Either way the words are those of one run from bar 0 in order, so the same bits (tested).
///
/// Protocol: one thread at a time holds `busy` and advances the run; after each stretch it
/// publishes the count of final words with a releasing store. Readers read a word only after an
/// acquiring load of that count shows it final, and a final word is never written again.
///
/// Views of a stream (``SignalView``) do not own it: the ``StrategySetup`` that made them does.
@usableFromInline
final class CrossingStream: @unchecked Sendable {
    /// Bars a filler computes before it publishes: about 20 µs of work, small enough that the
    /// loop's first wait is short, large enough that publishing costs nothing.
    static let stretchBars = 8192

    /// The columns the words live in (kept for ``columns``), and their addresses.
    private let aboveColumn: Column<UInt64>, belowColumn: Column<UInt64>
    @usableFromInline let above: UnsafeMutablePointer<UInt64>
    @usableFromInline let below: UnsafeMutablePointer<UInt64>
    /// Number of bars.
    @usableFromInline let count: Int
    /// Words before this count are final. Its own allocation, so views can read it without
    /// holding (or reference counting) the stream.
    @usableFromInline let readyWords: UnsafeMutablePointer<Atomic<Int>>
    private let busy = Atomic<Bool>(false)
    /// Touched only by the thread holding `busy`.
    private var run: SMA.CrossingsRun

    @usableFromInline var wordCount: Int { (count + 63) / 64 }

    /// A stream of `run`'s crossings, nothing computed yet.
    init(_ run: SMA.CrossingsRun) {
        self.run = run
        count = run.count
        let words = (run.count + 63) / 64
        // Every word is written before it is published (the run writes whole words).
        aboveColumn = Column<UInt64>(unsafeUninitializedCount: words) { _ in }
        belowColumn = Column<UInt64>(unsafeUninitializedCount: words) { _ in }
        let placeholder = UnsafePointer<UInt64>(bitPattern: 8)!
        above = UnsafeMutablePointer(mutating: aboveColumn.withUnsafeBufferPointer { $0.baseAddress ?? placeholder })
        below = UnsafeMutablePointer(mutating: belowColumn.withUnsafeBufferPointer { $0.baseAddress ?? placeholder })
        readyWords = .allocate(capacity: 1)
        readyWords.initialize(to: Atomic(0))
    }

    deinit {
        readyWords.deinitialize(count: 1)
        readyWords.deallocate()
    }

    /// Returns once word `word` (less than the word count) is final, computing stretches itself
    /// while no other thread is; returns the count of final words then (more than `word`).
    @usableFromInline @inline(never)
    func fill(throughWord word: Int) -> Int {
        precondition(word < wordCount, "word \(word) of a stream of \(wordCount) words")
        while true {
            let ready = readyWords.pointee.load(ordering: .acquiring)
            if ready > word { return ready }
            // Another thread may have published while this one waited for the run.
            withRun { if readyWords.pointee.load(ordering: .relaxed) <= word { advance(through: (word + 1) * 64) } }
        }
    }

    /// Computes every stretch left, in turn with any reader, until done or until `keepGoing`
    /// (asked between stretches) says to stop.
    func fillToEnd(while keepGoing: () -> Bool) {
        let words = wordCount
        while readyWords.pointee.load(ordering: .acquiring) < words, keepGoing() {
            withRun { advance(through: 0) }
        }
    }

    /// With `busy` held: computes at least a stretch past what is done, and through bar `bar`
    /// (exclusive), then publishes.
    private func advance(through bar: Int) {
        guard run.finishedBars < count else { return }
        run.advance(through: Swift.max(bar, run.finishedBars + Self.stretchBars), above: above, below: below)
        readyWords.pointee.store(run.finishedWords, ordering: .releasing)
    }

    /// The first bar at which each average has a value, computing as far as both warm-ups
    /// (nothing more when they end in the first stretch).
    func firstValues() -> (fast: Int?, slow: Int?) {
        while true {
            let known = withRun { run.knowsFirstValues ? run.firstValue : nil }
            if let known { return known }
            _ = fill(throughWord: Swift.min(wordCount - 1, readyWords.pointee.load(ordering: .acquiring)))
        }
    }

    /// How many crossings (above and below) to expect over the whole series, a hint for
    /// reserving order records: the count in the words done so far, extrapolated to every word
    /// (exact when all are done), plus a quarter and 64. Growing a record list past its
    /// reservation copies every record; room never written costs nothing.
    func expectedCrossingCount() -> Int {
        let ready = readyWords.pointee.load(ordering: .acquiring)
        var crossings = 0
        for w in 0..<ready { crossings += above[w].nonzeroBitCount + below[w].nonzeroBitCount }
        let counted = ready == 0 || ready == wordCount ? crossings
            : Int((Double(crossings) * Double(wordCount) / Double(ready)).rounded(.up))
        return counted + counted / 4 + 64
    }

    /// When `column` is the run's input (the same memory), makes the run also sum its log returns
    /// less `shift` from here on (`SMA.CrossingsRun.sumLogReturns(shift:)`) and returns true: a
    /// backtest's statistics need those sums for the close, and the run computes them beside its
    /// running totals for little more than the totals' time.
    func sumLogReturns(ifInputIs column: Column<Double>, shift: Double) -> Bool {
        withRun {
            guard run.reads(column) else { return false }
            run.sumLogReturns(shift: shift)
            return true
        }
    }

    /// The run's log-return sums over every bar (nil unless ``sumLogReturns(ifInputIs:shift:)``
    /// said yes), computed to the end first on this thread (with any other filler).
    var logReturnLanes: [Double]? {
        fillToEnd { true }
        return withRun { run.logReturnLanes }
    }

    /// The whole columns, computed to the end first on this thread (with any other filler).
    var columns: (above: BitColumn, below: BitColumn) {
        fillToEnd { true }
        return (BitColumn(words: aboveColumn, count: count), BitColumn(words: belowColumn, count: count))
    }

    /// `body` with `busy` held (spinning while another thread holds it: it is computing a
    /// stretch, microseconds).
    private func withRun<R>(_ body: () -> R) -> R {
        while !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { colonnade_spin_pause() }
        defer { busy.store(false, ordering: .releasing) }
        return body()
    }
}
