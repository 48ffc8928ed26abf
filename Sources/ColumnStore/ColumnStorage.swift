#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte alignment of every column buffer: one cache line, and a multiple of every SIMD width
/// this package loads (16 bytes for SSE2, 32 for AVX2).
public let columnAlignment = 64

/// Buffers at least this large are backed by transparent huge pages where the OS allows it.
@usableFromInline let hugePageThreshold = 4 << 20
@usableFromInline let hugePageSize = 2 << 20

/// A fixed-capacity, 64-byte-aligned heap buffer of trivially copyable elements.
///
/// `ColumnStorage` is the reference half of ``Column``'s copy-on-write pair. It is never exposed
/// mutably outside a uniquely referenced `Column`, which is why it can be `@unchecked Sendable`.
@usableFromInline
final class ColumnStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let capacity: Int
    /// Elements `0..<count` are initialized.
    @usableFromInline var count: Int
    /// Whether ``PageFaulter`` may still be faulting in this buffer's pages.
    private let handedToFaulter: Bool

    /// A buffer with room for `capacity` elements, of which the caller is about to write the first
    /// `fillingCount` in one go: those pages are faulted in on a helper thread meanwhile when the
    /// buffer is large (see ``MemoryAdvice/faultsInFreshColumnsOnHelperThread``).
    @usableFromInline
    init(capacity: Int, fillingCount: Int = 0) {
        let capacity = Swift.max(capacity, 1)
        let (bytes, overflow) = capacity.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        precondition(!overflow, "Column capacity \(capacity) overflows the address space")
        var raw: UnsafeMutableRawPointer?
        // Large buffers are aligned to, and advised as, transparent huge pages (as numpy does):
        // a fresh 80 MB column otherwise costs ~20,000 page faults, more than most kernels that
        // fill it. Small ones are rounded to whole cache lines so SIMD tails stay in the block.
        let huge = bytes >= hugePageThreshold
        let alignment = huge ? hugePageSize : columnAlignment
        let rounded = (bytes + alignment - 1) / alignment * alignment
        guard posix_memalign(&raw, alignment, rounded) == 0, let raw else {
            fatalError("Column: cannot allocate \(rounded) bytes")
        }
        #if os(Linux)
        if huge { _ = madvise(raw, rounded, 14 /* MADV_HUGEPAGE */) }
        #endif
        let filledBytes = Swift.min(Swift.max(fillingCount, 0), capacity) * MemoryLayout<Element>.stride
        handedToFaulter = filledBytes >= hugePageThreshold && PageFaulter.hasSpareProcessor
            && MemoryAdvice.faultsInFreshColumnsOnHelperThread
            && PageFaulter.shared.submit(raw, byteCount: filledBytes)
        self.base = raw.bindMemory(to: Element.self, capacity: capacity)
        self.capacity = capacity
        self.count = 0
    }

    deinit {
        if handedToFaulter { PageFaulter.shared.withdraw(UnsafeMutableRawPointer(base)) }
        free(base)
    }


    /// A new storage holding a copy of `range` with room for `capacity` elements.
    @usableFromInline
    func copy(_ range: Range<Int>, capacity: Int) -> ColumnStorage {
        let new = ColumnStorage(capacity: Swift.max(capacity, range.count), fillingCount: range.count)
        new.base.update(from: base + range.lowerBound, count: range.count)
        new.count = range.count
        return new
    }
}
