/// A contiguous, 64-byte-aligned, copy-on-write column of trivially copyable values.
///
/// `Column` is the unit of storage in Colonnade: every field of a ``BarSeries`` and every
/// indicator output is one. It is a value type: copies share one buffer until one of them is
/// mutated (copy-on-write), and slicing (`column[a..<b]`) returns a `Column` that shares the
/// parent's buffer without copying. A slice keeps its parent's indices, like `ArraySlice`.
///
/// Kernels read and write through ``withUnsafeBufferPointer(_:)`` and
/// ``withUnsafeMutableBufferPointer(_:)``; the base address of a column that is not a slice is
/// aligned to ``columnAlignment`` bytes.
///
/// Missing values in floating-point columns are NaN.
///
/// Complexity: indexing and slicing O(1); `append` amortized O(1); the first mutation of a shared
/// column O(n).
public struct Column<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline var storage: ColumnStorage<Element>
    /// The column's indices. A slice keeps its parent's indices.
    @usableFromInline var bounds: Range<Int>
    /// The index that `storage.base[0]` holds: physical position = index - offset.
    @usableFromInline var offset: Int

    @usableFromInline
    init(storage: ColumnStorage<Element>, bounds: Range<Int>, offset: Int = 0) {
        self.storage = storage
        self.bounds = bounds
        self.offset = offset
    }

    /// The address of the element at `index`.
    @inlinable
    func address(_ index: Int) -> UnsafeMutablePointer<Element> { storage.base + (index - offset) }

    /// The physical range of `storage` this column covers.
    @inlinable
    var physicalBounds: Range<Int> { (bounds.lowerBound - offset)..<(bounds.upperBound - offset) }

    /// An empty column with room for `capacity` elements before it reallocates.
    @inlinable
    public init(capacity: Int = 0) {
        self.init(storage: ColumnStorage(capacity: capacity), bounds: 0..<0)
    }

    /// A column of `count` copies of `value`.
    @inlinable
    public init(repeating value: Element, count: Int) {
        precondition(count >= 0, "Column count must not be negative")
        let storage = ColumnStorage<Element>(capacity: count, fillingCount: count)
        storage.base.initialize(repeating: value, count: count)
        storage.count = count
        self.init(storage: storage, bounds: 0..<count)
    }

    /// A column holding the elements of `elements`, in order.
    @inlinable
    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        let array = Array(elements)
        self.init(unsafeUninitializedCount: array.count) { buffer in
            _ = buffer.initialize(from: array)
        }
    }

    /// A column of `count` elements written by `initializer`, which must initialize every element.
    ///
    /// This is how kernels produce output without an intermediate array.
    @inlinable
    public init(
        unsafeUninitializedCount count: Int,
        initializingWith initializer: (inout UnsafeMutableBufferPointer<Element>) throws -> Void
    ) rethrows {
        precondition(count >= 0, "Column count must not be negative")
        let storage = ColumnStorage<Element>(capacity: count, fillingCount: count)
        var buffer = UnsafeMutableBufferPointer(start: storage.base, count: count)
        try initializer(&buffer)
        storage.count = count
        self.init(storage: storage, bounds: 0..<count)
    }

    /// Calls `body` with the column's elements as one contiguous buffer.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: address(bounds.lowerBound), count: bounds.count))
    }

    /// Calls `body` with the column's elements as one contiguous mutable buffer, copying first if
    /// the buffer is shared.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: address(bounds.lowerBound), count: bounds.count))
    }

    /// Appends `element`, growing geometrically. Appending to a slice first copies it.
    @inlinable
    public mutating func append(_ element: Element) {
        if !isKnownUniquelyReferenced(&storage) || physicalBounds.upperBound != storage.count
            || storage.count == storage.capacity {
            reallocate(minimumCapacity: Swift.max(bounds.count * 2, 16))
        }
        (storage.base + storage.count).initialize(to: element)
        storage.count += 1
        bounds = bounds.lowerBound..<(bounds.upperBound + 1)
    }

    /// Makes room for at least `minimumCapacity` elements in total.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > storage.capacity - physicalBounds.lowerBound || !isKnownUniquelyReferenced(&storage) {
            reallocate(minimumCapacity: minimumCapacity)
        }
    }

    /// A copy of this column in an aligned buffer of its own, indexed from zero.
    @inlinable
    public func compacted() -> Column {
        Column(storage: storage.copy(physicalBounds, capacity: bounds.count), bounds: 0..<bounds.count)
    }

    /// The elements as an `Array`, in order.
    @inlinable
    public var array: [Element] { withUnsafeBufferPointer { Array($0) } }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { reallocate(minimumCapacity: bounds.count) }
    }

    @inlinable
    mutating func reallocate(minimumCapacity: Int) {
        storage = storage.copy(physicalBounds, capacity: minimumCapacity)
        offset = bounds.lowerBound
    }
}

extension Column: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias SubSequence = Column
    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { bounds.lowerBound }
    @inlinable public var endIndex: Int { bounds.upperBound }
    @inlinable public var indices: Range<Int> { bounds }

    @inlinable
    public subscript(position: Int) -> Element {
        get {
            precondition(bounds.contains(position), "Column index \(position) out of range \(bounds)")
            return address(position).pointee
        }
        set {
            precondition(bounds.contains(position), "Column index \(position) out of range \(bounds)")
            makeUnique()
            address(position).pointee = newValue
        }
    }

    /// A slice sharing this column's buffer; no elements are copied.
    @inlinable
    public subscript(range: Range<Int>) -> Column {
        get {
            precondition(range.lowerBound >= bounds.lowerBound && range.upperBound <= bounds.upperBound,
                          "Column slice \(range) out of range \(bounds)")
            return Column(storage: storage, bounds: range, offset: offset)
        }
        set {
            precondition(range.count == newValue.count, "Column slice assignment must keep the length")
            makeUnique()
            newValue.withUnsafeBufferPointer { source in
                if let source = source.baseAddress { address(range.lowerBound).update(from: source, count: range.count) }
            }
        }
    }

    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }
}

extension Column: Equatable where Element: Equatable {
    /// Element-wise equality with `==` semantics: a NaN is not equal to itself.
    @inlinable
    public static func == (lhs: Column, rhs: Column) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

extension Column: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension Column: CustomStringConvertible {
    public var description: String {
        let head = prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Column<\(Element.self)>(count: \(count), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
