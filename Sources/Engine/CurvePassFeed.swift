#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Analytics
import ColumnStore
internal import CKernels
import Dispatch
import Synchronization

/// Runs the statistics' pass over the equity curve (`EquityCurvePass`) on a second thread while
/// the bar loop is still writing the curve: the loop publishes how many bars are final, the
/// worker adds them to the pass, and when the run ends only the last stretch is left to add.
///
/// The pass is the same state machine, fed the same bars in the same order, as when it runs after
/// the loop on the loop's thread, so the statistics are bit for bit the same (tested): only the
/// time they cost the run changes. On a million-bar backtest that pass is about a fifth of the
/// run; on short curves, or with one processor, a second thread does not pay and the pass runs
/// after the loop (``start(curve:time:close:)`` returns nil).
///
/// Protocol: the loop writes bars, from ``publicationStep`` on ``publish(_:)`` the count of bars
/// before which nothing will be written again (the worker reads them after an acquiring load),
/// and finally ``finish()`` once every bar is final, which waits for the worker and returns the pass.
///
/// Waiting: between publications the worker spins for up to a millisecond before it sleeps, and
/// the loop wakes it only when it sleeps. Waking a sleeping thread is a system call and, on a
/// virtual machine, an interrupt to another processor (about 20 µs measured here): a wake-up per
/// publication cost more than the pass it handed over. A run publishes every 0.1 ms or so, so the
/// worker sleeps only when the loop is slow (a strategy doing heavy work per bar).
@usableFromInline
final class CurvePassFeed: @unchecked Sendable {
    /// Curves shorter than this run the pass after the loop.
    static let minimumBars = 1 << 17
    /// Bars between publications: a publication is an atomic store (the worker spins rather
    /// than waits to be woken), and the stretch left to the worker when the loop ends, which the
    /// loop's thread waits for, is at most this long.
    @usableFromInline static let publicationStep = 1 << 13
    /// How long a waiting thread spins before it sleeps, in nanoseconds.
    static let spinNanoseconds: UInt64 = 1_000_000

    private let curve: UnsafePointer<Double>
    private let count: Int
    /// Written by the worker only, read by ``finish()`` after the worker has set `finished`.
    private var pass: EquityCurvePass
    private let published = Atomic<Int>(0)
    /// Set by the worker before it sleeps on `wake`; the loop clears it and signals.
    private let sleeping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    /// Set when the loop stopped with an error: the worker leaves without finishing the pass.
    private let cancelled = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Workers started and not yet finished, process-wide (for tests: none may outlive its run).
    static let liveWorkers = Atomic<Int>(0)

    /// Whether the machine has a second processor for the worker.
    static let hasSecondProcessor: Bool = sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1

    /// Signals the loop reads while they are computed: the worker fills them first.
    private let streams: [CrossingStream]
    /// Memory the loop is about to fill, which the worker faults in before anything else.
    private let prefault: [UnsafeRawBufferPointer]

    private init(curve: UnsafeBufferPointer<Double>, pass: EquityCurvePass, streams: [CrossingStream],
                 prefault: [UnsafeRawBufferPointer]) {
        self.curve = curve.baseAddress!
        self.count = curve.count
        self.pass = pass
        self.streams = streams
        self.prefault = prefault
    }

    /// Starts a worker for `curve` (every bar to be written by the loop before it is published),
    /// on the bars `time` with benchmark `close`; nil when the curve is short or there is one
    /// processor, and the pass should run after the loop.
    ///
    /// The worker first faults in `prefault` (memory the loop is about to write, such as the curve
    /// and the order history's reserved room: the kernel zeroes a fresh page on its first write,
    /// about 0.1 ms per 2 MiB page here, and this moves that off the loop's thread, worth it when
    /// the loop, not the worker, is the longer of the two), then fills `streams` (signals the
    /// loop reads as they are computed, see `CrossingStream`), then feeds the pass. Without a
    /// worker the loop fills the streams as it reads.
    @usableFromInline
    static func start(curve: UnsafeMutableBufferPointer<Double>, time: Column<Int64>, close: Column<Double>,
                      streams: [CrossingStream] = [], prefault: [UnsafeRawBufferPointer] = []) -> CurvePassFeed? {
        guard curve.count >= minimumBars, hasSecondProcessor else { return nil }
        let feed = CurvePassFeed(curve: UnsafeBufferPointer(curve), pass: EquityCurvePass(time: time, close: close),
                                 streams: streams, prefault: prefault)
        liveWorkers.add(1, ordering: .relaxed)
        DispatchQueue.global(qos: .userInitiated).async { feed.work() }
        return feed
    }

    /// Bars `0..<bars` are final, except the last bar of the curve, which finalizing the open
    /// trades or running out of money rewrites after the loop: the worker may add them. Bars only
    /// grow; publishing fewer than before is ignored. Returns the bar to publish at next (the
    /// loop keeps it in a local: reading a class's stored property costs an exclusivity check).
    @usableFromInline
    func publish(_ bars: Int) -> Int {
        release(Swift.min(bars, count - 1))
        return bars + Self.publicationStep
    }

    /// Publishes the whole curve, waits for the worker to add it, and returns the finished pass.
    @usableFromInline
    func finish() -> EquityCurvePass {
        release(count)
        // The last stretch is short: spin for it rather than sleep and be woken.
        if !Self.spin(until: { finished.load(ordering: .acquiring) }) { done.wait() }
        return pass
    }

    /// Stops the worker without finishing the pass and waits for it to leave, for a loop that
    /// ends with an error: the curve's memory must outlive every read of it.
    @usableFromInline
    func cancel() {
        cancelled.store(true, ordering: .sequentiallyConsistent)
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
        if !Self.spin(until: { finished.load(ordering: .acquiring) }) { done.wait() }
    }

    private func release(_ bars: Int) {
        published.store(bars, ordering: .sequentiallyConsistent)
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
    }

    private func work() {
        // Fresh pages are faulted (and zeroed by the kernel) here rather than in the loop's first
        // write to each. Faulting in changes no contents, so it may overlap the loop's writes.
        Self.populateInTurns(prefault)
        for stream in streams { stream.fillToEnd { !cancelled.load(ordering: .acquiring) } }
        let bars = UnsafeBufferPointer(start: curve, count: count)
        var added = 0
        // Invariant: the pass holds bars 0..<added, every one final when it was added.
        while added < count, !cancelled.load(ordering: .acquiring) {
            var ready = published.load(ordering: .acquiring)
            if ready <= added,
               !Self.spin(until: { published.load(ordering: .acquiring) > added || cancelled.load(ordering: .acquiring) }) {
                // Sleep, unless a publication (or a cancellation) came after the flag was set (no
                // lost wake-up: `release` and `cancel` store, then read the flag; this sets the
                // flag, then reads).
                sleeping.store(true, ordering: .sequentiallyConsistent)
                if published.load(ordering: .sequentiallyConsistent) <= added, !cancelled.load(ordering: .sequentiallyConsistent) {
                    wake.wait()
                } else if !sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                    wake.wait()   // the loop cleared the flag first and signalled: take the signal
                }
                continue
            }
            ready = published.load(ordering: .acquiring)
            guard ready > added else { continue }   // woken by a cancellation
            pass.add(bars, upTo: ready)
            added = ready
        }
        Self.liveWorkers.subtract(1, ordering: .relaxed)
        finished.store(true, ordering: .releasing)
        done.signal()
    }

    /// Faults in `regions` a 2 MiB page of each at a time, in turn: the loop writes all of them
    /// from its first bars on, so the first page of each is wanted before the rest of any.
    /// (Region by region, the loop took the faults of the later regions' first pages itself.)
    static func populateInTurns(_ regions: [UnsafeRawBufferPointer]) {
        let step = UInt(2 << 20)
        var cursors = regions.map { UInt(bitPattern: $0.baseAddress) }
        var left = true
        while left {
            left = false
            for (k, region) in regions.enumerated() {
                let end = UInt(bitPattern: region.baseAddress) + UInt(region.count)
                guard cursors[k] < end, let start = UnsafeRawPointer(bitPattern: cursors[k]) else { continue }
                // To the next 2 MiB boundary: chunks of one region meet on page boundaries.
                let next = Swift.min(end, (cursors[k] / step + 1) * step)
                MemoryAdvice.populate(start, byteCount: Int(next - cursors[k]))
                cursors[k] = next
                left = left || next < end
            }
        }
    }

    /// Spins until `condition` holds (true) or ``spinNanoseconds`` have passed (false).
    private static func spin(until condition: () -> Bool) -> Bool {
        var spins = 0
        var deadline: UInt64 = 0
        while !condition() {
            colonnade_spin_pause()
            spins += 1
            if spins & 255 == 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                if deadline == 0 {
                    deadline = now + spinNanoseconds
                } else if now >= deadline {
                    return false
                }
            }
        }
        return true
    }
}
