#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Faults in the pages of fresh large column buffers on a helper thread while the thread that
/// allocated them fills them.
///
/// A kernel that writes a fresh 80 MB column pays the operating system's page faults, and its
/// zeroing of every page, on its own thread: about 0.6–1 ns of a 2–10 ns/bar kernel on this
/// project's machine. Handed to this faulter, the zeroing runs on another core
/// (`MADV_POPULATE_WRITE`, which maps the pages writable without touching their contents),
/// ahead of the writer whenever it zeroes faster than the writer writes; the writer then finds
/// them mapped. Linux only (elsewhere nothing is handed over). It never changes a
/// value: populating a page that is already mapped does nothing, and a writer that gets ahead of
/// the faulter faults its page itself, as it would without it.
///
/// One thread serves every request, a 2 MiB chunk at a time, in turn across the pending buffers
/// (the outputs of one kernel are written side by side). It starts with the first request and
/// exits after a second without one. A buffer is withdrawn before it is freed: a request not yet
/// done is dropped, and the free waits for the chunk in progress, if it is this buffer's
/// (a fraction of a millisecond).
final class PageFaulter: @unchecked Sendable {
    static let shared = PageFaulter()

    /// One buffer to fault in, and how far the faulter has come.
    private struct Request {
        let start: UnsafeMutableRawPointer
        let byteCount: Int
        var faulted: Int
    }

    private static let chunk = 2 << 20
    private static let idleSeconds = 1

    // All below guarded by `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Signalled when a request arrives (the worker waits on it).
    private let work: UnsafeMutablePointer<pthread_cond_t>
    /// Broadcast when a chunk is done (a withdrawing thread waits on it).
    private let chunkDone: UnsafeMutablePointer<pthread_cond_t>
    private var pending: [Request] = []
    private var turn = 0
    /// The buffer whose chunk the worker is populating, lock released.
    private var inProgress: UnsafeMutableRawPointer?
    private var workerRunning = false

    private init() {
        mutex = .allocate(capacity: 1)
        work = .allocate(capacity: 1)
        chunkDone = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(work, nil)
        pthread_cond_init(chunkDone, nil)
    }

    /// Whether a helper can run beside the caller at all: Linux, with more than one processor online.
    static let hasSpareProcessor: Bool = {
        #if os(Linux)
        return sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1
        #else
        return false // `MemoryAdvice.populate` does nothing there: no thread to start for it.
        #endif
    }()

    /// Queues `[start, start + byteCount)` to be faulted in. Returns false (and queues nothing) when
    /// no helper thread could be started; the caller then faults its pages itself, as usual.
    func submit(_ start: UnsafeMutableRawPointer, byteCount: Int) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if !workerRunning {
            guard startWorker() else { return false }
            workerRunning = true
        }
        pending.append(Request(start: start, byteCount: byteCount, faulted: 0))
        pthread_cond_signal(work)
        return true
    }

    /// Drops the request for the buffer at `start`, if any, and returns once the faulter no longer
    /// touches it. Call before freeing a buffer passed to ``submit(_:byteCount:)``.
    func withdraw(_ start: UnsafeMutableRawPointer) {
        pthread_mutex_lock(mutex)
        if let index = pending.firstIndex(where: { $0.start == start }) { pending.remove(at: index) }
        while inProgress == start { pthread_cond_wait(chunkDone, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// The number of buffers not yet fully faulted in (for tests).
    var pendingCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return pending.count
    }

    /// Whether the helper thread is alive (for tests).
    var isWorkerRunning: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return workerRunning
    }

    private func startWorker() -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // The default stack size: a small one fails (EINVAL) where a process's static TLS is large.
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, &attributes, { context in
            let faulter = Unmanaged<PageFaulter>.fromOpaque(context!).takeRetainedValue()
            faulter.run()
            return nil
        }, context)
        if created != 0 {
            Unmanaged<PageFaulter>.fromOpaque(context).release()
            return false
        }
        return true
    }

    /// The worker: one chunk of the next pending buffer in turn, until idle for a second.
    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            if pending.isEmpty {
                var deadline = timespec()
                clock_gettime(CLOCK_REALTIME, &deadline)
                deadline.tv_sec += Self.idleSeconds
                let waited = pthread_cond_timedwait(work, mutex, &deadline)
                if pending.isEmpty {
                    if waited == ETIMEDOUT { break }
                    continue
                }
            }
            turn %= pending.count
            let request = pending[turn]
            let length = min(Self.chunk, request.byteCount - request.faulted)
            inProgress = request.start
            pthread_mutex_unlock(mutex)

            MemoryAdvice.populate(request.start + request.faulted, byteCount: length)

            pthread_mutex_lock(mutex)
            inProgress = nil
            pthread_cond_broadcast(chunkDone)
            // The request may have been withdrawn (and others added) meanwhile: find it again.
            if let index = pending.firstIndex(where: { $0.start == request.start }) {
                pending[index].faulted += length
                if pending[index].faulted >= pending[index].byteCount {
                    pending.remove(at: index)
                } else {
                    turn = index + 1
                }
            }
        }
        workerRunning = false
        pthread_mutex_unlock(mutex)
    }
}

extension MemoryAdvice {
    private static let helperFaulting = Atomic<Bool>(true)

    /// Whether fresh column buffers of 4 MiB or more that are filled as they are created (kernel
    /// outputs, copies, repeated values) have their pages faulted in on a helper thread while the
    /// creating thread writes them. On by default where more than one processor is online; the
    /// values are the same either way. Turn it off to keep every page fault on the writing thread
    /// (e.g. when every core is already busy with other work).
    public static var faultsInFreshColumnsOnHelperThread: Bool {
        get { helperFaulting.load(ordering: .relaxed) }
        set { helperFaulting.store(newValue, ordering: .relaxed) }
    }
}
