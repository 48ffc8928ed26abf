import ColumnStore
internal import CKernels

/// Moving average convergence/divergence, TA-Lib `MACD(real, fastperiod=12, slowperiod=26, signalperiod=9)`.
///
/// `macd = EMA_fast - EMA_slow`, `signal = EMA_signal(macd)`, `hist = macd - signal`. As in
/// TA-Lib, the fast EMA is seeded `slow - fast` bars late so both averages produce their first
/// value on the same bar, and all three outputs start at `(slow - 1) + (signal - 1)`.
/// A fast period above the slow one is swapped, as TA-Lib does.
public struct MACD: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var macd: Double
        public var signal: Double
        public var histogram: Double
        @inlinable public init(macd: Double, signal: Double, histogram: Double) {
            self.macd = macd; self.signal = signal; self.histogram = histogram
        }
    }

    public let fastPeriod: Int
    public let slowPeriod: Int
    public let signalPeriod: Int
    @usableFromInline var fast: EMA
    @usableFromInline var slow: EMA
    @usableFromInline var signal: EMA
    @usableFromInline var count = 0

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(fastPeriod: Int = 12, slowPeriod: Int = 26, signalPeriod: Int = 9) throws(IndicatorError) {
        var f = try Check.period(fastPeriod, "fastperiod", of: "macd")
        var s = try Check.period(slowPeriod, "slowperiod", of: "macd")
        let g = try Check.period(signalPeriod, "signalperiod", in: 1...100_000, of: "macd")
        if s < f { swap(&f, &s) }
        self.fastPeriod = f; self.slowPeriod = s; self.signalPeriod = g
        fast = EMA(period: f, k: emaFactor(f))
        slow = EMA(period: s, k: emaFactor(s))
        signal = EMA(period: g, k: emaFactor(g))
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { slowPeriod - 1 + signalPeriod - 1 }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(_ x: Double) -> Value {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Value {
        let t = count
        count += 1
        let slowValue = slow.step(x)
        guard t >= slowPeriod - fastPeriod else { return Value(macd: .nan, signal: .nan, histogram: .nan) }
        let fastValue = fast.step(x)
        guard t >= slowPeriod - 1 else { return Value(macd: .nan, signal: .nan, histogram: .nan) }
        let macd = fastValue - slowValue
        let signalValue = signal.step(macd)
        guard signal.count >= signalPeriod else { return Value(macd: .nan, signal: .nan, histogram: .nan) }
        return Value(macd: macd, signal: signalValue, histogram: macd - signalValue)
    }

    /// `(macd, macdsignal, macdhist)` of a whole column.
    public static func compute(_ x: Column<Double>, fastPeriod: Int = 12, slowPeriod: Int = 26,
                               signalPeriod: Int = 9) throws(IndicatorError) -> (macd: Column<Double>, signal: Column<Double>, histogram: Column<Double>) {
        var state = try MACD(fastPeriod: fastPeriod, slowPeriod: slowPeriod, signalPeriod: signalPeriod)
        return fusedBatch(x, &state, allowHardware: true)
    }

    /// The batch loop, with the hardware build allowed or not (tests compare the two): the state
    /// machine through the warm-up, then the three averages in C (`colonnade_macd_fused`).
    static func fusedBatch(_ x: Column<Double>, _ state: inout MACD, allowHardware: Bool)
        -> (macd: Column<Double>, signal: Column<Double>, histogram: Column<Double>) {
        let n = x.count
        // Written once each: NaN through the leading NaNs, the state machine's values through the
        // warm-up, then the C loop's.
        let outputs = (0..<3).map { _ in Column<Double>(unsafeUninitializedCount: n) { _ in } }
        let bases = outputs.map { column in column.withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress) } }
        withExtendedLifetime(outputs) {
            x.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let line = bases[0], let signal = bases[1], let histogram = bases[2] else { return }
                var i = 0
                while i < n && input[i].isNaN { line[i] = .nan; signal[i] = .nan; histogram[i] = .nan; i += 1 }
                while i < n && state.signal.count < state.signalPeriod {
                    let value = state.step(input[i])
                    line[i] = value.macd; signal[i] = value.signal; histogram[i] = value.histogram
                    i += 1
                }
                guard i < n else { return }
                let count = n - i
                var stages = [state.fast.value, state.slow.value, state.signal.value]
                colonnade_macd_fused(source + i, line + i, signal + i, histogram + i, count, state.fast.k, state.slow.k,
                                     state.signal.k, &stages, allowHardware ? 1 : 0)
                state.fast.value = stages[0]; state.slow.value = stages[1]; state.signal.value = stages[2]
                state.fast.count += count; state.slow.count += count; state.signal.count += count; state.count += count
            }
        }
        return (outputs[0], outputs[1], outputs[2])
    }
}
