import ColumnStore
internal import CKernels

/// Entry and exit signals for one instrument, one bit per bar: the input of the signal fast path
/// (``SignalBacktest``) and, through ``RuleStrategy/init(signals:size:warmUpBars:)-(TradeSignals,_,_)``, of the event engine.
///
/// The rules that turn signals into orders are ``RuleStrategy``'s. At each bar, in this order:
/// - a long position closes on a long exit, and in ``TradeDirection/longShort`` also on a short entry;
/// - a short position closes on a short exit or a long entry;
/// - then, when flat or just closed, a long entry buys and (long-short only) a short entry sells.
///
/// With a holding limit (``maxBarsHeld``), a position also closes at the first bar it has been
/// held for that many bars, whatever the signals say; that bar's entry signal may then open the
/// next position.
///
/// A signal at bar `t` fills at the open of `t + 1`. An entry while already in a position in its
/// direction is ignored (no pyramiding).
public struct TradeSignals: Sendable, Equatable {
    /// Bars at which a long entry is wanted.
    public var longEntries: BitColumn {
        get { stream?.columns.above ?? storedLongEntries }
        set {
            settle()
            storedLongEntries = newValue
        }
    }
    /// Bars at which the long position should close.
    public var longExits: BitColumn {
        get { stream?.columns.below ?? storedLongExits }
        set {
            settle()
            storedLongExits = newValue
        }
    }
    var storedLongEntries: BitColumn
    var storedLongExits: BitColumn
    /// Long entries (crossings above) and exits (below) still being computed, as
    /// ``SMACross/longOnlySignals(for:)`` returns them: the fast path reads them as they are
    /// done, while its worker computes the rest; reading a column here waits for all of it.
    var stream: CrossingStream?
    /// Empty (all clear) when the signals trade the long side only.
    public var shortEntries: BitColumn
    /// Bars at which the short position should close.
    public var shortExits: BitColumn
    /// Long only, or long and short (then the short columns are read too).
    public var direction: TradeDirection
    /// A holding limit: a position whose trade filled at bar `e` is closed at market at the open of
    /// `e + maxBarsHeld` unless a signal closed it earlier (its decision is at bar
    /// `e + maxBarsHeld − 1`, the trade's entry bar counted as the first bar held). At least 1;
    /// nil for none.
    public var maxBarsHeld: Int?
    /// How entries and exits are placed and trades protected: market orders without a bracket by
    /// default; priced entries and exits, stop-loss, take-profit and trailing stops otherwise.
    public var orderRules = OrderRules()

    /// Long-only signals: `entries` buy when flat, `exits` close the long position.
    ///
    /// - Throws: ``BacktestError/invalidSignals(_:)`` when the columns differ in length.
    public init(entries: BitColumn, exits: BitColumn) throws(BacktestError) {
        try self.init(longEntries: entries, longExits: exits, shortEntries: BitColumn(repeating: false, count: entries.count),
                      shortExits: BitColumn(repeating: false, count: entries.count), direction: .longOnly)
    }

    /// Long and short signals on one instrument; with `direction` `.longOnly` the short columns are ignored.
    ///
    /// - Throws: ``BacktestError/invalidSignals(_:)`` when the columns differ in length.
    public init(longEntries: BitColumn, longExits: BitColumn, shortEntries: BitColumn, shortExits: BitColumn,
                direction: TradeDirection = .longShort) throws(BacktestError) {
        let count = longEntries.count
        for (name, column) in [("longExits", longExits), ("shortEntries", shortEntries), ("shortExits", shortExits)]
        where column.count != count {
            throw BacktestError.invalidSignals("\(name) has \(column.count) bars, longEntries has \(count)")
        }
        self.storedLongEntries = longEntries
        self.storedLongExits = longExits
        self.shortEntries = shortEntries
        self.shortExits = shortExits
        self.direction = direction
    }

    /// Long-only signals whose entries are `stream`'s crossings above and exits its crossings below.
    init(streaming stream: CrossingStream) {
        let silent = BitColumn(repeating: false, count: stream.count)
        self.init(storedLongEntries: silent, storedLongExits: silent, stream: stream, shortEntries: silent, shortExits: silent,
                  direction: .longOnly)
    }

    private init(storedLongEntries: BitColumn, storedLongExits: BitColumn, stream: CrossingStream?, shortEntries: BitColumn,
                 shortExits: BitColumn, direction: TradeDirection) {
        self.storedLongEntries = storedLongEntries
        self.storedLongExits = storedLongExits
        self.stream = stream
        self.shortEntries = shortEntries
        self.shortExits = shortExits
        self.direction = direction
    }

    /// Replaces a stream by its finished columns.
    private mutating func settle() {
        guard let stream else { return }
        (storedLongEntries, storedLongExits) = stream.columns
        self.stream = nil
    }

    public static func == (a: TradeSignals, b: TradeSignals) -> Bool {
        a.direction == b.direction && a.maxBarsHeld == b.maxBarsHeld && a.orderRules == b.orderRules
            && a.longEntries == b.longEntries && a.longExits == b.longExits
            && a.shortEntries == b.shortEntries && a.shortExits == b.shortExits
    }

    /// Number of bars.
    public var count: Int { stream?.count ?? storedLongEntries.count }

    /// Why the holding limit cannot be used, or nil when it can (none, or at least one bar).
    var maxBarsHeldProblem: String? {
        guard let limit = maxBarsHeld, limit < 1 else { return nil }
        return "maxBarsHeld must be at least 1 bar, is \(limit)"
    }

    /// The signals as the event engine's per-bar flags (the short flags cleared for long-only).
    ///
    /// Complexity: O(n), one pass over the four columns' words.
    public var table: SignalTable {
        let n = count, shorts: UInt64 = direction == .longShort ? 1 : 0
        return SignalTable(count: n) { flags in
            longEntries.words.withUnsafeBufferPointer { a in
            longExits.words.withUnsafeBufferPointer { b in
            shortEntries.words.withUnsafeBufferPointer { c in
            shortExits.words.withUnsafeBufferPointer { d in
                for w in 0..<(n + 63) / 64 {
                    let first = w << 6
                    let (wa, wb, wc, wd) = (a[w], b[w], c[w] & (0 &- shorts), d[w] & (0 &- shorts))
                    // Invariant: bar first + k takes bit k of each word, in the Flags' bit order.
                    for k in 0..<Swift.min(64, n - first) {
                        let s = UInt64(k)
                        flags[first + k] = UInt8(truncatingIfNeeded: (wa >> s & 1) | (wb >> s & 1) << 1 | (wc >> s & 1) << 2 | (wd >> s & 1) << 3)
                    }
                }
            }
            }
            }
            }
        }
    }
}

extension BitColumn {
    /// Bars at which `series` crosses above `other`: `series[t−1] < other[t−1]` and
    /// `series[t] > other[t]`, both strict as backtesting.py's `crossover` (the same test as
    /// ``SeriesView/crossesAbove(_:at:)-(SeriesView,_)``). Bar 0 and bars touching a NaN never cross.
    ///
    /// - Precondition: equal lengths (checked; a mismatch is a programming error, not user data).
    /// Complexity: O(n), one pass.
    public init(crossing series: Column<Double>, above other: Column<Double>) {
        self = BitColumn.crossings(of: series, and: other).above
    }

    /// Bars at which `series` crosses below `other` (strict on both bars; see ``init(crossing:above:)``).
    public init(crossing series: Column<Double>, below other: Column<Double>) {
        self = BitColumn.crossings(of: series, and: other).below
    }

    /// Both crossings of `series` and `other` in one pass: `above` where `series` crosses above
    /// `other`, `below` where it crosses below (strict on both bars, as ``init(crossing:above:)``).
    ///
    /// Complexity: O(n) with no branch per bar: the comparisons run as vector compares into bit
    /// masks (a C kernel, AVX where the CPU has it), and a crossing is "above" at `t` and "below"
    /// at `t − 1` (or the reverse), a shift and an and per 64 bars.
    public static func crossings(of series: Column<Double>, and other: Column<Double>) -> (above: BitColumn, below: BitColumn) {
        crossings(of: series, and: other, build: 0)
    }

    /// ``crossings(of:and:)`` with the comparison build chosen (`0` the best the CPU has, `1` the
    /// portable C loop, `2` SSE2): the tests hold every build to the same bits.
    static func crossings(of series: Column<Double>, and other: Column<Double>, build: Int32) -> (above: BitColumn, below: BitColumn) {
        precondition(series.count == other.count, "crossing columns differ in length: \(series.count) and \(other.count)")
        let n = series.count
        let wordCount = (n + 63) / 64
        var lessThan = Column<UInt64>(repeating: 0, count: wordCount)
        let greaterThan = Column<UInt64>(unsafeUninitializedCount: wordCount) { gt in
            lessThan.withUnsafeMutableBufferPointer { lt in
                series.withUnsafeBufferPointer { a in
                    other.withUnsafeBufferPointer { b in
                        guard let a = a.baseAddress, let b = b.baseAddress,
                              let lt = lt.baseAddress, let gt = gt.baseAddress else { return }
                        colonnade_compare_masks(a, b, n, lt, gt, build)
                    }
                }
            }
        }
        return BitColumn.crossings(fromLessThan: lessThan, greaterThan: greaterThan, count: n)
    }
}
