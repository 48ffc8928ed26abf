#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Analytics
import ColumnStore
import Execution
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
    /// The stream that sums the market's log returns for the pass, if one reads the closes.
    let marketStream: CrossingStream?
    /// Memory the loop writes front to back (the curve, then the record lists' reserved room),
    /// which the worker faults in a little ahead of the writes.
    private let regions: [WriteAheadRegion]
    /// Per record room, the count of records the loop had written at its last publication.
    private let recordsWritten: UnsafeMutablePointer<Atomic<Int>>
    /// Per region, the address up to which the worker has faulted it in (worker only).
    private var faultedTo: [UInt]

    private init(curve: UnsafeBufferPointer<Double>, pass: EquityCurvePass, streams: [CrossingStream],
                 records: RecordRooms) {
        self.curve = curve.baseAddress!
        self.count = curve.count
        // A stream over the benchmark's closes sums their log returns beside its running totals,
        // where they cost little; the pass then sums only the equity's side.
        var pass = pass
        marketStream = streams.first { $0.sumLogReturns(ifInputIs: pass.close, shift: pass.marketShift) }
        if marketStream != nil { pass.expectMarketLanes() }
        self.pass = pass
        self.streams = streams
        regions = [WriteAheadRegion(UnsafeRawBufferPointer(curve), stride: MemoryLayout<Double>.stride)] + records.regions
        recordsWritten = .allocate(capacity: RecordRooms.capacity)
        for k in 0..<RecordRooms.capacity { (recordsWritten + k).initialize(to: Atomic(0)) }
        faultedTo = regions.map(\.start)
    }

    deinit {
        recordsWritten.deinitialize(count: RecordRooms.capacity)
        recordsWritten.deallocate()
    }

    /// Starts a worker for `curve` (every bar to be written by the loop before it is published),
    /// on the bars `time` with benchmark `close`; nil when the curve is short or there is one
    /// processor, and the pass should run after the loop.
    ///
    /// The worker fills `streams` (signals the loop reads as they are computed, see
    /// `CrossingStream`), then feeds the pass. Before, between and while waiting, it faults in
    /// the memory the loop is about to write: the curve and the reserved room of the record lists
    /// in `records`, up to ``faultAheadBytes`` past what the loop had written at its last
    /// publication (the kernel zeroes a fresh page on its first write: about 0.15 ms per MiB in
    /// huge pages here, 0.4 ms in 4 KiB ones; this moves that off the loop's thread, and faults
    /// in only the room a run writes, not all it reserved). Without a worker the loop fills the
    /// streams as it reads and takes its own faults.
    @usableFromInline
    static func start(curve: UnsafeMutableBufferPointer<Double>, time: Column<Int64>, close: Column<Double>,
                      streams: [CrossingStream] = [], records: RecordRooms) -> CurvePassFeed? {
        guard curve.count >= minimumBars, hasSecondProcessor else { return nil }
        let feed = CurvePassFeed(curve: UnsafeBufferPointer(curve), pass: EquityCurvePass(time: time, close: close),
                                 streams: streams, records: records)
        liveWorkers.add(1, ordering: .relaxed)
        DispatchQueue.global(qos: .userInitiated).async { feed.work() }
        return feed
    }

    /// Bars `0..<bars` are final, except the last bar of the curve, which finalizing the open
    /// trades or running out of money rewrites after the loop: the worker may add them. Bars only
    /// grow; publishing fewer than before is ignored. `records` are the counts written so far to
    /// each of the record lists whose room was given to ``start(curve:time:close:streams:records:)``,
    /// in the same order (the worker faults in ahead of them). Returns the bar to publish at next
    /// (the loop keeps it in a local: reading a class's stored property costs an exclusivity check).
    @usableFromInline
    func publish(_ bars: Int, records: RecordCounts) -> Int {
        recordsWritten[0].store(records.counts.0, ordering: .relaxed)
        recordsWritten[1].store(records.counts.1, ordering: .relaxed)
        recordsWritten[2].store(records.counts.2, ordering: .relaxed)
        release(Swift.min(bars, count - 1))
        return bars + Self.publicationStep
    }

    /// Publishes the whole curve, waits for the worker to add it, and returns the finished pass.
    @usableFromInline
    func finish() -> EquityCurvePass {
        release(count)
        // The last stretch is short: spin for it rather than sleep and be woken.
        if !Self.spin(until: { finished.load(ordering: .acquiring) }) { done.wait() }
        if let lanes = marketStream?.logReturnLanes { pass.supplyMarketLanes(lanes) }
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
        faultAhead()
        for stream in streams {
            stream.fillToEnd {
                faultAhead()
                return !cancelled.load(ordering: .acquiring)
            }
        }
        let bars = UnsafeBufferPointer(start: curve, count: count)
        var added = 0
        // Invariant: the pass holds bars 0..<added, every one final when it was added.
        while added < count, !cancelled.load(ordering: .acquiring) {
            faultAhead()
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

    /// How far past the loop's last published writes the worker faults in, in bytes: the loop
    /// writes at most a publication's bars (64 KiB of curve) and its records past that point.
    static let faultAheadBytes = 1 << 19

    /// Faults in each region up to ``faultAheadBytes`` past what the loop had written at its
    /// last publication, where it has not already. A few atomic loads when there is nothing to do.
    private func faultAhead() {
        for k in regions.indices {
            let written = k == 0 ? published.load(ordering: .relaxed) : recordsWritten[k - 1].load(ordering: .relaxed)
            let target = regions[k].faultTarget(written: written, ahead: Self.faultAheadBytes)
            guard target > faultedTo[k], let from = UnsafeRawPointer(bitPattern: faultedTo[k]) else { continue }
            MemoryAdvice.populate(from, byteCount: Int(target - faultedTo[k]))
            faultedTo[k] = target
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

/// Memory a run writes front to back, element `firstElement` of its list first, from `start`
/// (a page boundary at or after the memory's first byte, so that faulting in whole pages from
/// there never reaches before it) to `end`.
@usableFromInline
struct WriteAheadRegion {
    static let pageSize: UInt = 4096
    let start: UInt
    let end: UInt
    let stride: Int
    let firstElement: Int

    init(_ memory: UnsafeRawBufferPointer, stride: Int, firstElement: Int = 0) {
        let base = UInt(bitPattern: memory.baseAddress)
        start = base == 0 ? 0 : (base + Self.pageSize - 1) / Self.pageSize * Self.pageSize
        end = base == 0 ? 0 : Swift.max(start, base + UInt(memory.count))
        self.stride = stride
        self.firstElement = firstElement
    }

    /// The address to fault in up to once the list holds `written` elements: `ahead` bytes past
    /// the last written byte, rounded up to a page boundary, and never past `end`.
    func faultTarget(written: Int, ahead: Int) -> UInt {
        let bytes = UInt(Swift.max(0, written - firstElement)) * UInt(stride) + UInt(ahead)
        return Swift.min(end, (start + bytes + Self.pageSize - 1) / Self.pageSize * Self.pageSize)
    }
}

/// The reserved room past the end of a run's record lists (orders, fills, trades) when the loop
/// starts: the loop appends there, and the worker faults it in ahead of the appends. The room
/// stays valid only while the list keeps its storage; if the list outgrows it, faulting in the
/// old room is wasted work but harmless (faulting in changes no contents, and fails quietly on
/// memory no longer mapped).
@usableFromInline
struct RecordRooms {
    static let capacity = 3
    let regions: [WriteAheadRegion]

    /// The room past each list's last element, in the order ``RecordCounts`` gives their counts.
    @usableFromInline
    init(orders: [Order], fills: [Fill], trades: [Trade]) {
        regions = [WriteAheadRegion(orders.unwrittenCapacity, stride: MemoryLayout<Order>.stride, firstElement: orders.count),
                   WriteAheadRegion(fills.unwrittenCapacity, stride: MemoryLayout<Fill>.stride, firstElement: fills.count),
                   WriteAheadRegion(trades.unwrittenCapacity, stride: MemoryLayout<Trade>.stride, firstElement: trades.count)]
    }
}

/// How many records the lists of a loop's ``RecordRooms`` hold (the counts, not what was added).
@usableFromInline
struct RecordCounts {
    @usableFromInline var counts: (Int, Int, Int)

    @inlinable init(orders: Int, fills: Int, trades: Int) { counts = (orders, fills, trades) }
}
