import ColumnStore

/// Wilder's average gain and loss, the shared core of ``RSI`` and ``CMO`` (TA-Lib's seeding:
/// the plain mean of the first `n` changes, then `avg = (avg·(n-1) + change) / n`, computed as
/// `avg·(1 - 1/n) + change·(1/n)` so that the bar's term stays off the recurrence's chain).
///
/// Two deliberate differences from TA-Lib's code, both within the 1e-9 parity tolerance: the
/// division by `n` is a multiplication by `1/n` (a division on the recurrence's dependency chain
/// costs ~13 cycles a bar), and the up/down split is branch-free (see `split`): price changes are
/// up or down at random, so a branch mispredicts half the time.
@usableFromInline
struct WilderGainLoss: Sendable {
    @usableFromInline let period: Int
    @usableFromInline let decay: Double
    @usableFromInline let reciprocal: Double
    @usableFromInline var previous = 0.0
    @usableFromInline var gain = 0.0
    @usableFromInline var loss = 0.0
    @usableFromInline var count = 0

    @inlinable init(period: Int) {
        self.period = period
        reciprocal = 1.0 / Double(period)
        decay = 1.0 - reciprocal
    }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// `(max(change, 0), max(-change, 0))` in arithmetic the compiler cannot turn into a branch:
    /// `(c + |c|) / 2` and `(|c| - c) / 2` are exact (a double plus itself, then a halving), so
    /// they equal the comparisons' results for every number. Written as comparisons, LLVM
    /// branched on the sign, and on prices that move up or down at random half of those branches
    /// mispredicted (about 2.5 ns a bar). A NaN change gives NaN to both averages, which then
    /// stay NaN, as TA-Lib's do.
    @inlinable
    static func split(_ change: Double) -> (up: Double, down: Double) {
        let magnitude = Swift.abs(change)
        return ((change + magnitude) * 0.5, (magnitude - change) * 0.5)
    }

    @inlinable
    mutating func step(_ x: Double) -> Bool {
        let t = count
        count += 1
        if t == 0 { previous = x; return false }
        let change = x - previous
        previous = x
        let (up, down) = Self.split(change)
        if t > period {
            gain = gain * decay + up * reciprocal
            loss = loss * decay + down * reciprocal
            return true
        }
        gain += up
        loss += down
        if t < period { return false }
        gain *= reciprocal
        loss *= reciprocal
        return true
    }

    /// Both averages are seeded: from here `steadyStep` does what `step` does.
    @inlinable var isSteady: Bool { count > period }

    /// `step` past the seed, without the counter (the batch's steady loop).
    @inlinable
    mutating func steadyStep(_ x: Double) {
        let change = x - previous
        previous = x
        let (up, down) = Self.split(change)
        gain = gain * decay + up * reciprocal
        loss = loss * decay + down * reciprocal
    }
}

/// Relative strength index, TA-Lib `RSI(real, timeperiod=14)`: `100·g / (g + l)` over Wilder's
/// average gain `g` and loss `l` (0 when both are zero). First value at `t = n`.
public struct RSI: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var core: WilderGainLoss

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "rsi")
        core = WilderGainLoss(period: period)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one value; false during warm-up (the first `n` values).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        guard core.step(x) else { return .nan }
        return current
    }

    /// The index from the current averages.
    @inlinable var current: Double {
        let total = core.gain + core.loss
        return isZero(total) ? 0.0 : 100.0 * (core.gain / total)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try RSI(period: period)
        return Batch.map(x, &state, steadyWhen: { $0.core.isSteady }, { $0.step($1) }, steady: { $0.core.steadyStep($1); return $0.current })
    }
}

/// Chande momentum oscillator, TA-Lib `CMO(real, timeperiod=14)`: `100·(g - l) / (g + l)` over
/// the same Wilder averages as RSI (TA-Lib's definition). First value at `t = n`.
public struct CMO: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var core: WilderGainLoss

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", of: "cmo")
        core = WilderGainLoss(period: period)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        guard core.step(x) else { return .nan }
        return current
    }

    /// The oscillator from the current averages.
    @inlinable var current: Double {
        let total = core.gain + core.loss
        return isZero(total) ? 0.0 : 100.0 * ((core.gain - core.loss) / total)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try CMO(period: period)
        return Batch.map(x, &state, steadyWhen: { $0.core.isSteady }, { $0.step($1) }, steady: { $0.core.steadyStep($1); return $0.current })
    }
}
