import ColumnStore
internal import CKernels

/// Kaufman adaptive moving average, TA-Lib `KAMA(real, timeperiod=30)`.
///
/// Efficiency ratio `er = |x[t] - x[t-n]| / Σ|x[i] - x[i-1]|` over the last `n` changes (1 when
/// the sum is zero or not above the signed change, as TA-Lib does), smoothing constant
/// `sc = (er·(2/3 - 2/31) + 2/31)²`, then `kama += (x - kama)·sc`, seeded with `x[n-1]`.
/// First value at `t = n`.
public struct KAMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline static let constMax = 2.0 / (30.0 + 1.0)
    @usableFromInline static let constDiff = 2.0 / (2.0 + 1.0) - constMax
    @usableFromInline var sumROC1 = 0.0
    @usableFromInline var kama = 0.0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "kama")
        window = RingBuffer(capacity: period + 2)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period == 1 ? 0 : period }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        window.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let t = count
        count += 1
        window[t] = x
        if period == 1 { return x }
        if t < period { return .nan }
        let leaving = window[t - period]
        if t == period {
            for j in 0..<period { sumROC1 += Swift.abs(window[j] - window[j + 1]) }
            kama = window[t - 1]
        } else {
            sumROC1 -= Swift.abs(window[t - period - 1] - leaving)
            sumROC1 += Swift.abs(x - window[t - 1])
        }
        kama = Self.next(kama, x: x, periodROC: x - leaving, sumROC1: sumROC1)
        return kama
    }

    /// The adaptive step, shared by `step` and the batch loop.
    @inlinable @inline(__always)
    static func next(_ kama: Double, x: Double, periodROC: Double, sumROC1: Double) -> Double {
        let efficiency = sumROC1 <= periodROC || isZero(sumROC1) ? 1.0 : Swift.abs(periodROC / sumROC1)
        var smoothing = KAMA.constMax.addingProduct(efficiency, KAMA.constDiff)
        smoothing *= smoothing
        return kama.addingProduct(x - kama, smoothing)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try KAMA(period: period)
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two): the state
    /// machine through its seed (`t == period`; all of it at period 1), then the adaptive step in
    /// C, reading the window from the input. The state is left where the C loop began: its ring
    /// does not hold the later window, so it is not continued past a batch.
    static func fusedBatch(_ x: Column<Double>, _ state: inout KAMA, allowHardware: Bool) -> Column<Double> {
        Batch.map(x, &state, steadyWhen: { $0.period > 1 && $0.count > $0.period }, { $0.step($1) }) { state, source, target, count in
            var values = [state.kama, state.sumROC1]
            colonnade_kama_fused(source, target, count, state.period, KAMA.constDiff, KAMA.constMax, &values, allowHardware ? 1 : 0)
        }
    }
}
