/// A column of booleans packed 64 to a word: the form signals and masks take.
///
/// Bit `i` lives in word `i / 64` at bit `i % 64`. Bits past `count` in the last word are kept zero,
/// so word-wise operations (``trueCount``, `&`, `|`) need no tail handling.
///
/// Complexity: indexing O(1); `&`, `|`, `~`, ``trueCount`` and range extraction O(n / 64).
public struct BitColumn: Sendable, Equatable {
    /// The packed words; aligned and copy-on-write like every ``Column``.
    public private(set) var words: Column<UInt64>
    /// The number of bits.
    public let count: Int

    /// `count` bits, all `value`.
    public init(repeating value: Bool, count: Int) {
        precondition(count >= 0, "BitColumn count must not be negative")
        self.count = count
        words = Column(repeating: value ? ~0 : 0, count: (count + 63) / 64)
        clearTail()
    }

    /// `count` bits, bit `i` set when `isSet(i)`, packed a word at a time (no per-bit read-modify-write).
    ///
    /// Complexity: O(count) calls of `isSet`, in ascending order.
    @inlinable
    public init(count: Int, where isSet: (Int) throws -> Bool) rethrows {
        precondition(count >= 0, "BitColumn count must not be negative")
        let words = try Column<UInt64>(unsafeUninitializedCount: (count + 63) / 64) { words in
            for w in words.indices {
                let first = w << 6
                var word: UInt64 = 0
                for bit in 0..<Swift.min(64, count - first) where try isSet(first + bit) {
                    word |= 1 << UInt64(bit)
                }
                words[w] = word
            }
        }
        self.init(words: words, count: count)
    }

    /// `count` bits packed in `words` (bit `i` in word `i / 64` at bit `i % 64`): how kernels that
    /// build whole words hand them over. Bits past `count` in the last word are cleared.
    ///
    /// - Precondition: `words.count == (count + 63) / 64`.
    public init(words: Column<UInt64>, count: Int) {
        precondition(count >= 0 && words.count == (count + 63) / 64,
                     "BitColumn of \(count) bits needs \((count + 63) / 64) words, got \(words.count)")
        self.words = words
        self.count = count
        clearTail()
    }

    /// The bits of `bools`, in order.
    public init<S: Sequence>(_ bools: S) where S.Element == Bool {
        let array = Array(bools)
        self.init(repeating: false, count: array.count)
        for (i, bit) in array.enumerated() where bit { self[i] = true }
    }

    /// The bit at `index`.
    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "BitColumn index \(index) out of range 0..<\(count)")
            return words[index >> 6] & (1 << UInt64(index & 63)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "BitColumn index \(index) out of range 0..<\(count)")
            let mask: UInt64 = 1 << UInt64(index & 63)
            if newValue { words[index >> 6] |= mask } else { words[index >> 6] &= ~mask }
        }
    }

    /// The bits in `range`, as a new column indexed from zero.
    public subscript(range: Range<Int>) -> BitColumn {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "BitColumn slice \(range) out of range 0..<\(count)")
        var result = BitColumn(repeating: false, count: range.count)
        for i in range where self[i] { result[i - range.lowerBound] = true }
        return result
    }

    /// How many bits are set.
    public var trueCount: Int {
        words.withUnsafeBufferPointer { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
    }

    /// The indices of the set bits, ascending.
    public var trueIndices: [Int] {
        var result: [Int] = []
        words.withUnsafeBufferPointer { words in
            for (w, word) in words.enumerated() {
                var bits = word
                while bits != 0 {
                    result.append(w << 6 | bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
        }
        return result
    }

    /// The bits as an array of `Bool`.
    public var array: [Bool] { (0..<count).map { self[$0] } }

    /// Bars set in both (lengths must match; a mismatch is a programming error and traps).
    public static func & (lhs: BitColumn, rhs: BitColumn) -> BitColumn { lhs.combined(with: rhs, &) }
    /// Bars set in either (lengths must match; a mismatch is a programming error and traps).
    public static func | (lhs: BitColumn, rhs: BitColumn) -> BitColumn { lhs.combined(with: rhs, |) }
    /// Bars not set.
    public static prefix func ~ (operand: BitColumn) -> BitColumn {
        var result = operand
        result.words.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = ~$0[i] } }
        result.clearTail()
        return result
    }

    private func combined(with other: BitColumn, _ op: (UInt64, UInt64) -> UInt64) -> BitColumn {
        precondition(count == other.count, "BitColumn lengths differ: \(count) and \(other.count)")
        var result = self
        other.words.withUnsafeBufferPointer { rhs in
            result.words.withUnsafeMutableBufferPointer { out in
                for i in out.indices { out[i] = op(out[i], rhs[i]) }
            }
        }
        return result
    }

    private mutating func clearTail() {
        let tail = count & 63
        guard tail != 0 else { return }
        words[words.endIndex - 1] &= (1 << UInt64(tail)) - 1
    }
}
