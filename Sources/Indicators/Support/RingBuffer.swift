/// The last `capacity` values of a stream, addressed by their absolute position in the stream.
///
/// Capacity is rounded up to a power of two so positions map to slots with a mask. A value
/// stays readable until `capacity` newer values have been written after it; reading an older
/// position returns whatever has overwritten its slot, so callers keep their own window bounds.
@usableFromInline
struct RingBuffer: Sendable {
    @usableFromInline var slots: [Double]
    @usableFromInline let mask: Int

    @inlinable
    init(capacity: Int) {
        var size = 1
        while size < Swift.max(capacity, 1) { size <<= 1 }
        slots = [Double](repeating: .nan, count: size)
        mask = size - 1
    }

    @inlinable
    subscript(position: Int) -> Double {
        get { slots.withUnsafeBufferPointer { $0[position & mask] } }
        set { slots.withUnsafeMutableBufferPointer { $0[position & mask] = newValue } }
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
