import ColumnStore
internal import CKernels

/// Exponential moving average, TA-Lib `EMA(real, timeperiod=30)`.
///
/// Seeded with the simple average of the first `n` values (first output at `t = n - 1`), then
/// `ema = (x - ema) * k + ema` with `k = 2 / (n + 1)`, TA-Lib's formula and order, with the
/// multiply and the add fused into one rounding (`addingProduct`). That is what TA-Lib computes
/// wherever it runs its FMA build: its C library dispatches to one on every x86-64 CPU with FMA
/// (Haswell and later, all AMD Zen) and GCC fuses this line. Unfused, about one bar in ten
/// thousand of a cent-priced series, and far more on volatile ones, differs from TA-Lib in the
/// last bit (Fixtures/SYNTH.csv holds a series that shows it). The fused result is exactly
/// rounded, so it is the same on every machine, with or without an FMA instruction.
///
/// `EMA` with a custom `k` is the building block of DEMA, TEMA, TRIX, MACD and the price
/// oscillators, which all seed each stage the same way. Those chains step with `stageStep`,
/// `ema = x·k + ema·(1 - k)`: their parity with TA-Lib is to 1e-9, not to the bit, and in this
/// form the bar's term is off the recurrence, whose chain is one multiply and one add (6 cycles,
/// against 9 for subtract-multiply-add; a fused step would be a call to the C library's `fma`
/// in the baseline x86-64 build, which spills every other stage of a chain to memory).
///
/// Complexity: O(1) per bar.
public struct EMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    public let k: Double
    /// `1 - k`, for the chained stages' form (see `stageStep`).
    @usableFromInline let oneMinusK: Double
    @usableFromInline var value = 0.0
    @usableFromInline var count = 0

    /// - Throws: ``IndicatorError`` unless `1 <= period <= 100000`.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "ema")
        k = emaFactor(period)
        oneMinusK = 1.0 - k
    }

    /// An EMA stage with an explicit smoothing factor (MACD's fixed 0.15/0.075, for instance).
    @usableFromInline
    init(period: Int, k: Double) {
        self.period = period
        self.k = k
        oneMinusK = 1.0 - k
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { period - 1 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one value; returns the average, or NaN during warm-up.
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        count += 1
        if count > period {
            value = value.addingProduct(x - value, k)
            return value
        }
        return seed(x)
    }

    /// One step of a stage inside a chain (DEMA, TEMA, TRIX, MACD, APO, PPO): `step`'s seed, then
    /// `x·k + ema·(1 - k)`.
    @inlinable
    mutating func stageStep(_ x: Double) -> Double {
        count += 1
        if count > period {
            value = x * k + value * oneMinusK
            return value
        }
        return seed(x)
    }

    /// A stage past its warm-up inside a chain's steady loop (see `Batch.map(_:_:steadyWhen:_:steady:)`):
    /// `stageStep` without the counter.
    @inlinable
    mutating func steadyStageStep(_ x: Double) -> Double {
        value = x * k + value * oneMinusK
        return value
    }

    /// Warm-up: sums the first `period` values, then divides once.
    @inlinable
    mutating func seed(_ x: Double) -> Double {
        value += x
        guard count == period else { return .nan }
        value /= Double(period)
        return value
    }

    /// The EMA of a whole column.
    ///
    /// The warm-up runs ``update(_:)``'s state machine; the rest is one C loop
    /// (`colonnade_ema_fused`) that uses the CPU's fused multiply-add when it has one. Swift's
    /// baseline x86-64 build cannot emit that instruction, and the C library's `fma` it calls
    /// instead costs about 1.7 ns a bar more. The fused result is exactly rounded, so the batch
    /// and the streaming face give the same bits on any CPU.
    ///
    /// - Complexity: O(n).
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        var state = try EMA(period: period)
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two).
    static func fusedBatch(_ x: Column<Double>, _ state: inout EMA, allowHardware: Bool) -> Column<Double> {
        x.withUnsafeBufferPointer { input in
            Column(unsafeUninitializedCount: input.count) { out in
                // Leading NaNs are skipped, as in every batch (see `Batch`).
                var i = 0
                while i < input.count && input[i].isNaN { out[i] = .nan; i += 1 }
                while i < input.count && state.count < state.period { out[i] = state.step(input[i]); i += 1 }
                let rest = input.count - i
                guard rest > 0, let source = input.baseAddress, let target = out.baseAddress else { return }
                state.value = colonnade_ema_fused(source + i, target + i, rest, state.k, state.value, allowHardware ? 1 : 0)
                state.count += rest
            }
        }
    }
}
