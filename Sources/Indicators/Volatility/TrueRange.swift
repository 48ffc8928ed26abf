import ColumnStore
internal import CKernels

/// True range of a bar given the previous close: the largest of `high - low`,
/// `|prevClose - high|` and `|low - prevClose|`, compared in TA-Lib's order.
@inlinable @inline(__always)
func trueRange(high: Double, low: Double, previousClose: Double) -> Double {
    var greatest = high - low
    let up = Swift.abs(previousClose - high)
    if up > greatest { greatest = up }
    let down = Swift.abs(low - previousClose)
    if down > greatest { greatest = down }
    return greatest
}

/// True range, TA-Lib `TRANGE(high, low, close)`. First value at `t = 1`.
public struct TRANGE: Sendable {
    @usableFromInline var previousClose = Double.nan
    @usableFromInline var count = 0

    /// Creates the state machine; it has no parameters and cannot fail.
    public init() {}
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 1 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        count += 1
        defer { previousClose = close }
        return count == 1 ? .nan : trueRange(high: high, low: low, previousClose: previousClose)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>) throws(IndicatorError) -> Column<Double> {
        let n = try Batch.checkLengths([high, low, close], "trange")
        return Batch.withInputs([high, low, close]) { h, l, c, _ in
            Column(unsafeUninitializedCount: n) { out in
                let begin = Batch.firstNumber(h, l, c, count: n)
                for i in 0..<Swift.min(n, begin + 1) { out[i] = .nan }
                // `step`'s value past its first bar, the previous close read from the input: no
                // state is carried, so the bars are independent, two at a time (TA-Lib's
                // comparisons in its order, lane by lane: `up > greatest` keeps `greatest` for
                // NaN, as the scalar `if` does).
                let first = Swift.min(n, begin + 1)
                guard let target = out.baseAddress else { return }
                Batch.pairs(n - first) { k in
                    let j = first + k
                    let high = Batch.pair(h + j), low = Batch.pair(l + j), previousClose = Batch.pair(c + j - 1)
                    var greatest = high - low
                    let up = Batch.magnitude(previousClose - high)
                    greatest.replace(with: up, where: up .> greatest)
                    let down = Batch.magnitude(low - previousClose)
                    greatest.replace(with: down, where: down .> greatest)
                    Batch.store(greatest, target + j)
                } single: { k in
                    let j = first + k
                    target[j] = trueRange(high: h[j], low: l[j], previousClose: c[j - 1])
                }
            }
        }
    }
}

/// Average true range, TA-Lib `ATR(high, low, close, timeperiod=14)`: the mean of the first `n`
/// true ranges (bars 1...n), then Wilder's smoothing in the form TA-Lib 0.8 computes it,
/// `atr = atr·(1 - 1/n) + tr·(1/n)`, with the multiply and the add fused into one rounding as
/// TA-Lib's FMA build fuses them: the bar's term is off the recurrence, whose chain is one fused
/// multiply-add (within 1e-15 of TA-Lib on the fixtures). The batch uses the CPU's instruction
/// where there is one, the stream `addingProduct`; both give the same bits. First value at
/// `t = n`; with `n = 1` it is the true range.
public struct ATR: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline let decay: Double
    @usableFromInline let reciprocal: Double
    @usableFromInline var range = TRANGE()
    @usableFromInline var value = 0.0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "atr")
        reciprocal = 1.0 / Double(period)
        decay = 1.0 - reciprocal
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let tr = range.step(high: high, low: low, close: close)
        let t = range.count - 1
        if t == 0 || period == 1 { return tr }
        if t > period {
            // One rounding, as TA-Lib's FMA build and the batch's kernel (`addingProduct` is the
            // C library's `fma` here, exact on any CPU).
            value = (tr * reciprocal).addingProduct(value, decay)
            return value
        }
        value += tr
        guard t == period else { return .nan }
        value *= reciprocal
        return value
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try ATR(period: period)
        let n = try Batch.checkLengths([high, low, close], "atr")
        return Batch.withInputs([high, low, close]) { h, l, c, _ in
            Column(unsafeUninitializedCount: n) { out in
                guard let out = out.baseAddress else { return }
                let begin = Batch.firstNumber(h, l, c, count: n)
                for i in 0..<begin { out[i] = .nan }
                fill(&state, h, l, c, begin..<n, into: out)
            }
        }
    }

    /// `step` over bars `range` (from the first bar where every input is a number, or where the
    /// previous range ended) into `out[range]`, NaN during warm-up. After the seed, the fused
    /// recurrence in C (`colonnade_atr_fused`: the CPU's fused multiply-add when it has one, the
    /// previous close read from the input), the same bits as `step`.
    static func fill(_ state: inout ATR, _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
                     _ range: Range<Int>, into out: UnsafeMutablePointer<Double>, allowHardware: Bool = true) {
        var j = range.lowerBound
        let end = range.upperBound
        while j < end && (state.period == 1 || state.range.count <= state.period) {
            out[j] = state.step(high: h[j], low: l[j], close: c[j])
            j += 1
        }
        guard j < end else { return }
        // Once steady, `step`'s counter no longer matters (the kernel reads the previous close
        // from the input), only the average does.
        state.value = colonnade_atr_fused(h + j, l + j, c + j, out + j, end - j, state.decay, state.reciprocal, state.value,
                                          allowHardware ? 1 : 0)
    }
}

/// Normalized ATR, TA-Lib `NATR(high, low, close, timeperiod=14)`: `100·ATR / close` (0 when the
/// close is zero). First value at `t = n`.
public struct NATR: Sendable {
    @usableFromInline var atr: ATR

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 14) throws(IndicatorError) {
        atr = try ATR(period: try Check.period(period, "timeperiod", in: 1...100_000, of: "natr"))
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { atr.period }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let value = atr.step(high: high, low: low, close: close)
        if value.isNaN { return .nan }
        return isZero(close) ? 0.0 : (value / close) * 100.0
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        let state = try NATR(period: period)
        let n = try Batch.checkLengths([high, low, close], "natr")
        return Batch.withInputs([high, low, close]) { h, l, c, _ in
            Column(unsafeUninitializedCount: n) { out in
                let begin = Batch.firstNumber(h, l, c, count: n)
                for i in 0..<begin { out[i] = .nan }
                // ATR into the output a block at a time, then the normalization in place while
                // the block is in L1, two bars at a time.
                guard let target = out.baseAddress else { return }
                var atr = state.atr
                Batch.blocks(begin, n) { lo, hi in
                    ATR.fill(&atr, h, l, c, lo..<hi, into: target)
                    Batch.pairs(hi - lo) { k in
                        let j = lo + k
                        let value = Batch.pair(target + j), close = Batch.pair(c + j)
                        let normalized = (value / close) * 100.0
                        Batch.store(normalized.replacing(with: 0, where: Batch.isZero(close) .& (value .== value)), target + j)
                    } single: { k in
                        let j = lo + k, value = target[j]
                        target[j] = value.isNaN ? .nan : (isZero(c[j]) ? 0.0 : (value / c[j]) * 100.0)
                    }
                }
            }
        }
    }
}
