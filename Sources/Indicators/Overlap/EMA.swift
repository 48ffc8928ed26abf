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
/// oscillators, which all seed and step each stage the same way, as TA-Lib does: with the fused
/// step, they too equal TA-Lib's to the bit. Their batches run in C (`colonnade_dema_fused` and
/// its siblings) for the reason given at ``compute(_:period:)``.
///
/// Complexity: O(1) per bar.
public struct EMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    public let k: Double
    @usableFromInline var value = 0.0
    @usableFromInline var count = 0

    /// - Throws: ``IndicatorError`` unless `1 <= period <= 100000`.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "ema")
        k = emaFactor(period)
    }

    /// An EMA stage with an explicit smoothing factor (MACD's fixed 0.15/0.075, for instance).
    @usableFromInline
    init(period: Int, k: Double) {
        self.period = period
        self.k = k
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
        Batch.map(x, &state, steadyWhen: \.isSeeded, { $0.step($1) }) { state, source, target, count in
            state.value = colonnade_ema_fused(source, target, count, state.k, state.value, allowHardware ? 1 : 0)
            state.count += count
        }
    }

    /// The seed is in: every further step is the fused recurrence.
    @inlinable var isSeeded: Bool { count >= period }
}
