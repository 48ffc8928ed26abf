extension BitColumn {
    /// The crossings of two series from their comparison masks, 64 bars a word: bit `k` of
    /// `lessThan[w]` says series `a` is strictly below `b` at bar `64w + k`, of `greaterThan[w]`
    /// strictly above (both clear where either is NaN). A crossing above at `t` is "above" at `t`
    /// and "below" at `t − 1`; below is the reverse. Bar 0 never crosses. The words are rewritten
    /// in place: `greaterThan` becomes the crossings above, `lessThan` the crossings below.
    ///
    /// - Precondition: both hold `(count + 63) / 64` words, with the bits past `count` clear.
    /// - Complexity: O(count / 64): a shift and an and per word, a bit carried between words.
    public static func crossings(fromLessThan lessThan: consuming Column<UInt64>, greaterThan: consuming Column<UInt64>,
                                 count: Int) -> (above: BitColumn, below: BitColumn) {
        precondition(lessThan.count == (count + 63) / 64 && greaterThan.count == lessThan.count,
                     "comparison masks of \(count) bars need \((count + 63) / 64) words, got \(lessThan.count) and \(greaterThan.count)")
        lessThan.withUnsafeMutableBufferPointer { lt in
            greaterThan.withUnsafeMutableBufferPointer { gt in
                // Carried between words: whether bar 64w − 1 was strictly below / above.
                var wasBelow: UInt64 = 0, wasAbove: UInt64 = 0
                for w in lt.indices {
                    let below = lt[w], above = gt[w]
                    gt[w] = above & (below << 1 | wasBelow)
                    lt[w] = below & (above << 1 | wasAbove)
                    wasBelow = below >> 63
                    wasAbove = above >> 63
                }
            }
        }
        return (BitColumn(words: greaterThan, count: count), BitColumn(words: lessThan, count: count))
    }
}
