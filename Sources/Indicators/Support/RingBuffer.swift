/// Heap slots for a ``RingBuffer``.
@usableFromInline
final class RingStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Double>
    @usableFromInline let count: Int

    @usableFromInline
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: .nan, count: count)
    }

    @usableFromInline
    func copy() -> RingStorage {
        let new = RingStorage(count: count)
        new.base.update(from: base, count: count)
        return new
    }

    deinit { base.deallocate() }
}

/// Heap slots of integers (positions), the companion of ``RingStorage``.
@usableFromInline
final class IndexStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Int>
    @usableFromInline let count: Int

    @usableFromInline
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
    }

    @usableFromInline
    func copy() -> IndexStorage {
        let new = IndexStorage(count: count)
        new.base.update(from: base, count: count)
        return new
    }

    deinit { base.deallocate() }
}

/// The recent values of a stream, addressed by their absolute position in the stream.
///
/// Capacity is rounded up to a power of two so positions map to slots with a mask. A value stays
/// readable until `capacity` newer values have been written after it; callers keep their own
/// window bounds.
///
/// Reads and writes are **unchecked**: the slots are shared between copies until
/// ``makeUnique()`` is called. Every indicator's public `update` calls `makeUnique()` on its
/// rings before stepping, which gives indicator states value semantics; batch kernels step a
/// state they created locally, which is unique by construction, and so skip the check
/// (a uniqueness check per write measured ~2.9 ns/bar, more than an SMA step itself).
@usableFromInline
struct RingBuffer: Sendable {
    @usableFromInline var storage: RingStorage
    @usableFromInline let mask: Int

    @inlinable
    init(capacity: Int) {
        var size = 1
        while size < Swift.max(capacity, 1) { size <<= 1 }
        storage = RingStorage(count: size)
        mask = size - 1
    }

    @inlinable
    subscript(position: Int) -> Double {
        get { storage.base[position & mask] }
        nonmutating set { storage.base[position & mask] = newValue }
    }

    /// Gives this ring slots of its own if a copy of the state shares them.
    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}

/// TA-Lib's "is zero" test: |v| < 1e-14 (`TA_IS_ZERO`).
@inlinable @inline(__always)
func isZero(_ v: Double) -> Bool { -0.00000000000001 < v && v < 0.00000000000001 }

/// TA-Lib's `TA_IS_ZERO_OR_NEG`: v < 1e-14.
@inlinable @inline(__always)
func isZeroOrNegative(_ v: Double) -> Bool { v < 0.00000000000001 }

/// TA-Lib's `PER_TO_K`: the EMA smoothing factor 2 / (period + 1).
@inlinable @inline(__always)
func emaFactor(_ period: Int) -> Double { 2.0 / Double(period + 1) }
