/// A sum of one term per instrument with a fixed association: a complete binary tree over the
/// instrument indices, each node the sum of its two children.
///
/// Why: a portfolio's account reads its equity and its margin after every fill, and a fill
/// changes one instrument's term. Re-adding every instrument's term costs O(instruments) per
/// read; here a change costs O(log instruments) and a read O(1). The total depends only on the
/// terms, never on the order in which they changed, so runs stay reproducible bit for bit. With
/// one instrument the total is its term itself.
@usableFromInline
struct InstrumentSums: Sendable {
    /// Leaves at `width ..< width + count`, padded with zeros to `2 · width`; node `i` is
    /// `nodes[2i] + nodes[2i + 1]`; the root is node 1.
    @usableFromInline private(set) var nodes: ContiguousArray<Double>
    let width: Int

    /// `count` terms, all zero.
    init(count: Int) {
        var width = 1
        while width < count { width <<= 1 }
        self.width = width
        nodes = ContiguousArray(repeating: 0, count: 2 * width)
    }

    /// The sum of every term. O(1).
    @inlinable var total: Double { nodes[1] }

    /// Sets the term of instrument `k` and the sums above it. O(log instruments).
    mutating func set(_ k: Int, _ value: Double) {
        var i = width + k
        nodes[i] = value
        i >>= 1
        while i >= 1 {
            nodes[i] = nodes[2 * i] + nodes[2 * i + 1]
            i >>= 1
        }
    }

    /// Sets the term of instrument `k` without the sums above it: for many changes at once,
    /// followed by ``rebuild()``.
    mutating func setLeaf(_ k: Int, _ value: Double) { nodes[width + k] = value }

    /// Recomputes every sum from the terms. O(instruments).
    mutating func rebuild() {
        var i = width - 1
        while i >= 1 {
            nodes[i] = nodes[2 * i] + nodes[2 * i + 1]
            i -= 1
        }
    }
}
