#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hints to the operating system about large buffers the package fills once per run.
public enum MemoryAdvice {
    /// Asks for the whole 2 MiB pages inside `[start, start + byteCount)` to be backed by
    /// transparent huge pages (Linux; elsewhere, or below 4 MiB, nothing). Call it before the
    /// memory is first written: a fresh 8 MB buffer otherwise takes some 2,000 page faults as it
    /// is filled, each a trip into the kernel, which on a million-bar backtest cost more than the
    /// arithmetic that fills the buffer. A hint only: the contents and their lifetime are unchanged.
    public static func preferHugePages(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= hugePageThreshold else { return }
        let first = (UInt(bitPattern: start) + UInt(hugePageSize) - 1) / UInt(hugePageSize) * UInt(hugePageSize)
        let end = (UInt(bitPattern: start) + UInt(byteCount)) / UInt(hugePageSize) * UInt(hugePageSize)
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, Int(end - first), 14 /* MADV_HUGEPAGE */)
        #endif
    }

    /// Maps the pages inside `[start, start + byteCount)` writable now, without writing them
    /// (Linux `MADV_POPULATE_WRITE`; elsewhere, or on an older kernel, nothing): the faults, and
    /// the kernel's zeroing of fresh pages, happen on the calling thread instead of on the first
    /// write. For a helper thread preparing memory another thread is about to fill. The contents
    /// are unchanged, so it may run while that thread writes.
    public static func populate(_ start: UnsafeRawPointer, byteCount: Int) {
        #if os(Linux)
        let pageSize = 4096
        let first = (UInt(bitPattern: start) + UInt(pageSize) - 1) / UInt(pageSize) * UInt(pageSize)
        let end = (UInt(bitPattern: start) + UInt(byteCount)) / UInt(pageSize) * UInt(pageSize)
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, Int(end - first), 23 /* MADV_POPULATE_WRITE */)
        #endif
    }
}

extension Array where Element: BitwiseCopyable {
    /// `count` copies of `value`, in memory advised as huge pages before it is first written
    /// (``MemoryAdvice/preferHugePages(_:byteCount:)``): for the per-bar arrays a run fills.
    @inlinable
    public init(hugePagesRepeating value: Element, count: Int) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                MemoryAdvice.preferHugePages(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Element>.stride)
                buffer.initialize(repeating: value)
            }
            initialized = count
        }
    }
}

extension Array where Element: BitwiseCopyable {
    /// `count` elements whose values are left as the memory holds them, in memory advised as huge
    /// pages: for a per-bar array a run writes in full before anything reads it, which spares a
    /// pass that writes every element only to have it overwritten.
    @inlinable
    public init(hugePagesUninitializedCount count: Int) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                MemoryAdvice.preferHugePages(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Element>.stride)
            }
            initialized = count
        }
    }
}

extension Array {
    /// The reserved room past the last element, as raw memory (empty when there is none): for
    /// ``MemoryAdvice/populate(_:byteCount:)`` on another thread. Valid until the array grows
    /// or is freed.
    public var unwrittenCapacity: UnsafeRawBufferPointer {
        withUnsafeBufferPointer { elements in
            guard let base = elements.baseAddress, capacity > count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return UnsafeRawBufferPointer(start: UnsafeRawPointer(base + count), count: (capacity - count) * MemoryLayout<Element>.stride)
        }
    }

    /// Appends `element`; a list of at least `hugeFrom` elements that is full first moves to room
    /// for twice as many, advised as huge pages before anything is written there (a long
    /// record list grown by the standard library's doubling takes a fault on every fresh 4 KiB
    /// page). Amortized O(1).
    @inlinable
    public mutating func appendGrowingIntoHugePages(_ element: Element, hugeFrom: Int = 4_096) {
        if count == capacity, count >= hugeFrom {
            var grown: [Element] = []
            grown.reserveCapacityAdvisingHugePages(2 * count)
            grown.append(contentsOf: self)
            self = grown
        }
        append(element)
    }

    /// Reserves room for at least `capacity` elements and advises the room not yet written as
    /// huge pages (for a record list about to grow to a known size).
    @inlinable
    public mutating func reserveCapacityAdvisingHugePages(_ capacity: Int) {
        reserveCapacity(capacity)
        let used = count, room = self.capacity - count
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            MemoryAdvice.preferHugePages(UnsafeMutableRawPointer(base + used), byteCount: room * MemoryLayout<Element>.stride)
        }
    }
}
