#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Analytics
import ColumnStore
import Dispatch
import Synchronization

/// Runs the statistics' pass over the equity curve (``EquityCurvePass``) on a second thread while
/// the bar loop is still writing the curve: the loop publishes how many bars are final, the
/// worker adds them to the pass, and when the run ends only the last stretch is left to add.
///
/// The pass is the same state machine, fed the same bars in the same order, as when it runs after
/// the loop on the loop's thread, so the statistics are bit for bit the same (tested): only the
/// time they cost the run changes. On a million-bar backtest that pass is about a fifth of the
/// run; on short curves, or with one processor, a second thread does not pay and the pass runs
/// after the loop (``start(curve:time:close:)`` returns nil).
///
/// Protocol: the loop writes bars, then ``publish(_:)`` the count of bars before which nothing
/// will be written again (release ordering; the worker reads them after an acquiring load), and
/// finally ``finish()`` once every bar is final, which waits for the worker and returns the pass.
@usableFromInline
final class CurvePassFeed: @unchecked Sendable {
    /// Curves shorter than this run the pass after the loop.
    static let minimumBars = 1 << 17
    /// Bars between publications: a few dozen wake-ups per million bars.
    @usableFromInline static let publicationStep = 1 << 15

    private let curve: UnsafePointer<Double>
    private let count: Int
    /// Written by the worker only, read by ``finish()`` after the worker has signalled `done`.
    private var pass: EquityCurvePass
    private let published = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    /// The loop publishes once it has passed this bar (the loop's thread only).
    @usableFromInline var nextPublication: Int

    /// Whether the machine has a second processor for the worker.
    static let hasSecondProcessor: Bool = sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1

    private init(curve: UnsafeBufferPointer<Double>, pass: EquityCurvePass) {
        self.curve = curve.baseAddress!
        self.count = curve.count
        self.pass = pass
        self.nextPublication = Self.publicationStep
    }

    /// Starts a worker for `curve` (every bar to be written by the loop before it is published),
    /// on the bars `time` with benchmark `close`; nil when the curve is short or there is one
    /// processor, and the pass should run after the loop.
    @usableFromInline
    static func start(curve: UnsafeMutableBufferPointer<Double>, time: Column<Int64>, close: Column<Double>) -> CurvePassFeed? {
        guard curve.count >= minimumBars, hasSecondProcessor else { return nil }
        let feed = CurvePassFeed(curve: UnsafeBufferPointer(curve), pass: EquityCurvePass(time: time, close: close))
        DispatchQueue.global(qos: .userInitiated).async { feed.work() }
        return feed
    }

    /// Bars `0..<bars` are final, except the last bar of the curve, which finalizing the open
    /// trades or running out of money rewrites after the loop: the worker may add them. Bars only
    /// grow; publishing fewer than before is ignored.
    @usableFromInline
    func publish(_ bars: Int) {
        release(Swift.min(bars, count - 1))
        nextPublication = bars + Self.publicationStep
    }

    /// Publishes the whole curve, waits for the worker to add it, and returns the finished pass.
    @usableFromInline
    func finish() -> EquityCurvePass {
        release(count)
        done.wait()
        return pass
    }

    private func release(_ bars: Int) {
        published.store(bars, ordering: .releasing)
        wake.signal()
    }

    private func work() {
        let bars = UnsafeBufferPointer(start: curve, count: count)
        var added = 0
        // Invariant: the pass holds bars 0..<added, every one final when it was added.
        while added < count {
            wake.wait()
            let ready = published.load(ordering: .acquiring)
            if ready > added {
                pass.add(bars, upTo: ready)
                added = ready
            }
        }
        done.signal()
    }
}
