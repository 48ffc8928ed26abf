import ColumnStore
internal import CKernels

extension SMA {
    /// Where the simple average of `input` over `fast` bars crosses the one over `slow` bars:
    /// `above` at bar `t` when the fast average is strictly below the slow one at `t − 1` and
    /// strictly above it at `t`, `below` the reverse (backtesting.py's `crossover`), and the
    /// first bar at which each average has a value (nil when it never has one).
    ///
    /// The same bits as computing both columns with ``compute(_:period:)`` and comparing them
    /// (tested), without writing them: the two running totals go through one loop in blocks that
    /// stay in the L1 cache, and the division and comparison of a block run as vector operations
    /// (a C kernel). For a strategy that needs only the crossings of two averages, this is one
    /// pass over the input and no column of averages. ``CrossingsRun`` is the same computation a
    /// stretch of bars at a time.
    ///
    /// - Throws: ``IndicatorError`` for a period outside TA-Lib's range (1...100000).
    /// - Complexity: O(n) time, O(n / 64) memory for the result.
    public static func crossings(_ input: Column<Double>, fast: Int, slow: Int)
        throws(IndicatorError) -> (above: BitColumn, below: BitColumn, firstValue: (fast: Int?, slow: Int?)) {
        try crossings(input, fast: fast, slow: slow, build: 0)
    }

    /// ``crossings(_:fast:slow:)`` with the comparison build chosen (0 the best the CPU has, 1
    /// the portable C loop), for the tests that hold every build to the same bits.
    static func crossings(_ input: Column<Double>, fast: Int, slow: Int, build: Int32)
        throws(IndicatorError) -> (above: BitColumn, below: BitColumn, firstValue: (fast: Int?, slow: Int?)) {
        var run = try CrossingsRun(input, fast: fast, slow: slow, build: build)
        let n = input.count, wordCount = (n + 63) / 64
        var below = Column<UInt64>(unsafeUninitializedCount: wordCount) { _ in }
        let above = Column<UInt64>(unsafeUninitializedCount: wordCount) { above in
            below.withUnsafeMutableBufferPointer { below in
                guard let above = above.baseAddress, let below = below.baseAddress else { return }
                run.advance(through: n, above: above, below: below)
            }
        }
        return (BitColumn(words: above, count: n), BitColumn(words: below, count: n), run.firstValue)
    }

    /// ``crossings(_:fast:slow:)`` as a state machine that computes the crossing words a stretch
    /// of bars at a time, in order from bar 0: the same operations in the same order, so the same
    /// bits however the bars are split (tested).
    ///
    /// This is what lets the crossings be computed on one thread while another already reads the
    /// words that are done: after ``advance(through:above:below:)`` the words before
    /// ``finishedWords`` are final and never written again.
    ///
    /// The run reads its input through the column it keeps; the caller owns the word buffers and
    /// passes the same ones on every call.
    public struct CrossingsRun: @unchecked Sendable {
        /// Bars per block: the totals of a block stay in the L1 cache between the running sum and
        /// the vector comparison. A multiple of 64, so a block fills whole words.
        static let blockBars = 1024

        let input: Column<Double>
        let build: Int32
        var fastRun: SMARun, slowRun: SMARun
        /// The first bar that is a number (the runs count from it) and the first bar past both
        /// warm-ups (where one loop carries both totals).
        let begin: Int, steady: Int
        /// Whether bar `64w − 1` was strictly below / above, for the first word not yet written.
        var wasBelow: UInt64 = 0, wasAbove: UInt64 = 0

        /// Number of bars.
        public let count: Int
        /// Bars computed so far: a multiple of the 1,024-bar block, or ``count``.
        public private(set) var finishedBars = 0
        /// The first bar at which each average has a value, as far as the bars computed show.
        public private(set) var firstValue: (fast: Int?, slow: Int?) = (nil, nil)
        /// The input's log-return sums, once ``sumLogReturns(shift:)`` asked for them: eight
        /// doubles, Σb and Σb² four lanes each over bars `1..<finishedBars` (see
        /// `colonnade_market_return_lanes`), nil otherwise.
        public private(set) var logReturnLanes: [Double]?
        var logReturnShift = 0.0

        /// A run over `input`, nothing computed yet.
        ///
        /// - Throws: ``IndicatorError`` for a period outside TA-Lib's range (1...100000).
        public init(_ input: Column<Double>, fast: Int, slow: Int) throws(IndicatorError) {
            try self.init(input, fast: fast, slow: slow, build: 0)
        }

        init(_ input: Column<Double>, fast: Int, slow: Int, build: Int32) throws(IndicatorError) {
            _ = try SMA(period: fast)
            _ = try SMA(period: slow)
            self.input = input
            self.build = build
            self.count = input.count
            fastRun = SMARun(period: fast)
            slowRun = SMARun(period: slow)
            let n = input.count
            begin = input.withUnsafeBufferPointer { x in x.baseAddress.map { Batch.firstNumber($0, $0, $0, count: n) } ?? 0 }
            steady = begin + Swift.max(fast, slow) - 1
        }

        /// Whether the run reads `column`: the same memory, so the same values.
        public func reads(_ column: Column<Double>) -> Bool {
            column.withUnsafeBufferPointer { c in
                input.withUnsafeBufferPointer { $0.baseAddress == c.baseAddress && $0.count == c.count }
            }
        }

        /// From now on, also sums the input's log returns less `shift` as the run goes (a
        /// backtest's beta needs them for the close, and computing them beside the running totals
        /// costs little: the totals are a chain of dependent additions that leaves the vector
        /// units idle). The bars already computed are summed now. The sums are the same bits as
        /// `colonnade_market_return_lanes` over bars `1..<finishedBars` in one call (tested).
        ///
        /// Complexity: O(``finishedBars``) now, then a little more per bar than without.
        public mutating func sumLogReturns(shift: Double) {
            var lanes = [Double](repeating: 0, count: 8)
            let (done, build) = (finishedBars, self.build)
            input.withUnsafeBufferPointer { x in
                guard let x = x.baseAddress else { return }
                lanes.withUnsafeMutableBufferPointer { colonnade_market_return_lanes(x, 1, done, shift, $0.baseAddress!, build) }
            }
            logReturnShift = shift
            logReturnLanes = lanes
        }

        /// Words of the result that are final: `finishedBars / 64`, rounded up at the end.
        public var finishedWords: Int { finishedBars == count ? (count + 63) / 64 : finishedBars / 64 }

        /// Whether ``firstValue`` is final. It is once both warm-ups are computed: a running total
        /// that is NaN when its window first fills stays NaN (NaN plus anything is NaN), so each
        /// average has its first value there or never.
        public var knowsFirstValues: Bool { finishedBars >= Swift.min(count, steady + 1) }

        /// Computes the bars from ``finishedBars`` up to `bar` (rounded up to a whole block, at
        /// most ``count``) and writes their words of crossings above to `above` and below to
        /// `below` (each holding `(count + 63) / 64` words; the same buffers on every call).
        ///
        /// Complexity: O(bars computed).
        public mutating func advance(through bar: Int, above: UnsafeMutablePointer<UInt64>, below: UnsafeMutablePointer<UInt64>) {
            let n = count, block = Self.blockBars
            let end = Swift.min(n, (Swift.max(bar, finishedBars) + block - 1) / block * block)
            guard finishedBars < end else { return }
            input.withUnsafeBufferPointer { x in
                guard let x = x.baseAddress else { return }
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * block) { scratch in
                    let fastTotals = scratch.baseAddress!, slowTotals = fastTotals + block
                    let start = x + begin
                    var lo = finishedBars
                    // Invariant: bars before `lo` are computed and their words written.
                    while lo < end {
                        let hi = Swift.min(end, lo + block)
                        let first = Swift.min(hi, Swift.max(lo, begin))
                        for i in lo..<first { fastTotals[i - lo] = .nan; slowTotals[i - lo] = .nan }
                        if lo >= steady, logReturnLanes != nil {
                            // The totals and the block's log-return sums side by side.
                            var totals = (fastRun.total, slowRun.total)
                            withUnsafeMutablePointer(to: &totals) { totals in
                                totals.withMemoryRebound(to: Double.self, capacity: 2) { totals in
                                    logReturnLanes!.withUnsafeMutableBufferPointer {
                                        colonnade_sma_pair_totals(start, lo - begin, hi - begin, fastRun.period - 1, slowRun.period - 1,
                                                                  totals, fastTotals, slowTotals, x, lo, hi, logReturnShift,
                                                                  $0.baseAddress!, build)
                                    }
                                }
                            }
                            (fastRun.total, slowRun.total) = totals
                        } else if lo >= steady {
                            SMARun.fillTotals(&fastRun, &slowRun, start, bars: lo - begin, hi - begin, into: fastTotals, slowTotals)
                        } else {
                            if first < hi {
                                fastRun.fillTotals(start, bars: first - begin, hi - begin, into: fastTotals + (first - lo))
                                slowRun.fillTotals(start, bars: first - begin, hi - begin, into: slowTotals + (first - lo))
                            }
                            if logReturnLanes != nil {
                                logReturnLanes!.withUnsafeMutableBufferPointer {
                                    colonnade_market_return_lanes(x, lo, hi, logReturnShift, $0.baseAddress!, build)
                                }
                            }
                        }
                        // The first values are a total over its divisor that is not NaN; a total
                        // is NaN exactly where its average is.
                        if firstValue.fast == nil, let k = (0..<(hi - lo)).first(where: { !fastTotals[$0].isNaN }) { firstValue.fast = lo + k }
                        if firstValue.slow == nil, let k = (0..<(hi - lo)).first(where: { !slowTotals[$0].isNaN }) { firstValue.slow = lo + k }
                        // The comparison masks of the block (less than into `below`, greater than
                        // into `above`), then the crossings from them in place.
                        let words = lo / 64
                        colonnade_compare_quotient_masks(fastTotals, fastRun.divisor, slowTotals, slowRun.divisor,
                                                         hi - lo, below + words, above + words, build)
                        for w in words..<(hi + 63) / 64 {
                            let lessThan = below[w], greaterThan = above[w]
                            above[w] = greaterThan & (lessThan << 1 | wasBelow)
                            below[w] = lessThan & (greaterThan << 1 | wasAbove)
                            wasBelow = lessThan >> 63
                            wasAbove = greaterThan >> 63
                        }
                        lo = hi
                    }
                }
            }
            finishedBars = end
        }
    }
}
