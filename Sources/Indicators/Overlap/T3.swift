import ColumnStore
internal import CKernels

/// Tillson T3, TA-Lib `T3(real, timeperiod=5, vfactor=0.7)`.
///
/// Six chained EMAs `e1...e6` (`e = k·x + (1-k)·e`, `k = 2/(n+1)`), each seeded with the simple
/// average of its first `n` inputs, combined as `c1·e6 + c2·e5 + c3·e4 + c4·e3` with
/// `c1 = -v³`, `c2 = 3v² + 3v³`, `c3 = -6v² - 3v - 3v³`, `c4 = 1 + 3v + v³ + 3v²`.
/// First value at `6(n-1)`.
///
/// Both sums are computed as TA-Lib's FMA build contracts them, which makes T3 bit-identical to
/// TA-Lib: each stage is `fma(1-k, e, k·x)` and the combination
/// `fma(c4, e3, fma(c3, e4, fma(c1, e6, c2·e5)))`. The stream uses `addingProduct`; the batch runs
/// its steady state in C with the CPU's fused multiply-add (`colonnade_t3_fused`), or the C
/// library's `fma` on a CPU without one. All round once per operation, so they agree to the bit.
///
/// Complexity: O(1) per bar.
public struct T3: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    public let volumeFactor: Double
    @usableFromInline let k: Double
    @usableFromInline let oneMinusK: Double
    @usableFromInline let c1, c2, c3, c4: Double
    @usableFromInline var e1 = T3Stage(), e2 = T3Stage(), e3 = T3Stage(), e4 = T3Stage(), e5 = T3Stage(), e6 = T3Stage()

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 5, volumeFactor: Double = 0.7) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "t3")
        let v = try Check.real(volumeFactor, "vfactor", in: 0...1, of: "t3")
        self.volumeFactor = v
        k = 2.0 / (Double(period) + 1.0)
        oneMinusK = 1.0 - k
        let v2 = v * v
        c1 = -v2 * v
        c2 = 3.0 * (v2 - c1)
        c3 = -6.0 * v2 - 3.0 * (v - c1)
        c4 = 1.0 + 3.0 * v - c1 + 3.0 * v2
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 6 * (period - 1) }

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
        guard let v1 = e1.feed(x, period: period, k: k, oneMinusK: oneMinusK),
              let v2 = e2.feed(v1, period: period, k: k, oneMinusK: oneMinusK),
              let v3 = e3.feed(v2, period: period, k: k, oneMinusK: oneMinusK),
              let v4 = e4.feed(v3, period: period, k: k, oneMinusK: oneMinusK),
              let v5 = e5.feed(v4, period: period, k: k, oneMinusK: oneMinusK),
              let v6 = e6.feed(v5, period: period, k: k, oneMinusK: oneMinusK) else { return .nan }
        return combine(v3, v4, v5, v6)
    }

    /// `c1·e6 + c2·e5 + c3·e4 + c4·e3`, fused as TA-Lib's FMA build computes it.
    @inlinable
    func combine(_ v3: Double, _ v4: Double, _ v5: Double, _ v6: Double) -> Double {
        (c2 * v5).addingProduct(c1, v6).addingProduct(c3, v4).addingProduct(c4, v3)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 5, volumeFactor: Double = 0.7) throws(IndicatorError) -> Column<Double> {
        var state = try T3(period: period, volumeFactor: volumeFactor)
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two): the state
    /// machine through its warm-up, then the six stages in C.
    static func fusedBatch(_ x: Column<Double>, _ state: inout T3, allowHardware: Bool) -> Column<Double> {
        Batch.map(x, &state, steadyWhen: { $0.e6.count >= $0.period }, { $0.step($1) }) { state, source, target, count in
            let coefficients = [state.k, state.oneMinusK, state.c1, state.c2, state.c3, state.c4]
            var stages = [state.e1.value, state.e2.value, state.e3.value, state.e4.value, state.e5.value, state.e6.value]
            colonnade_t3_fused(source, target, count, coefficients, &stages, allowHardware ? 1 : 0)
            state.e1.value = stages[0]; state.e2.value = stages[1]; state.e3.value = stages[2]
            state.e4.value = stages[3]; state.e5.value = stages[4]; state.e6.value = stages[5]
            // The counters only mark the warm-up as over; keep them moving as `step` would.
            state.e1.count += count; state.e2.count += count; state.e3.count += count
            state.e4.count += count; state.e5.count += count; state.e6.count += count
        }
    }
}

/// One EMA stage of T3: seeded with the mean of its first `period` inputs, then `k·x + (1-k)·e`
/// as one fused step, `fma(1-k, e, k·x)`.
@usableFromInline
struct T3Stage: Sendable {
    @usableFromInline var value = 0.0
    @usableFromInline var count = 0

    @inlinable init() {}

    /// The stage's value after `x`, or nil while it is still collecting its seed.
    @inlinable
    mutating func feed(_ x: Double, period: Int, k: Double, oneMinusK: Double) -> Double? {
        count += 1
        if count > period {
            value = (k * x).addingProduct(oneMinusK, value)
            return value
        }
        value += x
        guard count == period else { return nil }
        value /= Double(period)
        return value
    }
}
