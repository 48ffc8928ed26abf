import ColumnStore

/// Donchian channel (not a TA-Lib function): `upper = highest high`, `lower = lowest low` over the
/// last `n` bars **including the current one**, `middle = (upper + lower) / 2`. First value at `n - 1`.
///
/// Because the current bar is inside its own channel, a breakout rule compares the close with the
/// previous bar's channel (`close > upper[1]`).
public struct Donchian: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var upper: Double
        public var middle: Double
        public var lower: Double
        @inlinable public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper; self.middle = middle; self.lower = lower
        }
    }
    @usableFromInline var highest: RollingExtreme<Highest, ValuesOnly>
    @usableFromInline var lowest: RollingExtreme<Lowest, ValuesOnly>

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 20) throws(IndicatorError) {
        let n = try Check.period(period, "timeperiod", in: 1...100_000, of: "donchian")
        highest = RollingExtreme<Highest, ValuesOnly>(period: n)
        lowest = RollingExtreme<Lowest, ValuesOnly>(period: n)
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { highest.period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        highest.makeUnique()
        lowest.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double) -> Value {
        makeUnique()
        return step(high: high, low: low)
    }

    @inlinable
    mutating func step(high: Double, low: Double) -> Value {
        let ready = highest.step(high)
        guard lowest.step(low), ready else { return Value(upper: .nan, middle: .nan, lower: .nan) }
        return Value(upper: highest.extreme, middle: (highest.extreme + lowest.extreme) / 2.0, lower: lowest.extreme)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, period: Int = 20) throws(IndicatorError)
    -> (upper: Column<Double>, middle: Column<Double>, lower: Column<Double>) {
        let state = try Donchian(period: period)
        let n = try Batch.checkLengths([high, low], "donchian")
        var upper = Column<Double>(repeating: .nan, count: n), middle = upper, lower = upper
        upper.withUnsafeMutableBufferPointer { u in
            middle.withUnsafeMutableBufferPointer { m in
                lower.withUnsafeMutableBufferPointer { l in
                    Batch.withInputs([high, low]) { h, lo, _, _ in
                        var begin = 0
                        while begin < n && (h[begin].isNaN || lo[begin].isNaN) { begin += 1 }
                        Batch.rollingExtremes(h, Highest.self, lo, Lowest.self, range: begin..<n, period: state.highest.period) { i, top, bottom in
                            u[i] = top; m[i] = (top + bottom) / 2.0; l[i] = bottom
                        }
                    }
                }
            }
        }
        return (upper, middle, lower)
    }
}

/// Keltner channel (not a TA-Lib function), the modern form: `middle = EMA(close, n)`,
/// `upper/lower = middle ± multiplier · ATR(atrPeriod)`, with ``EMA`` and ``ATR`` exactly as here.
/// Defaults 20, 2 and 10. First value when both the EMA and the ATR have one:
/// `max(n - 1, atrPeriod)`.
public struct Keltner: Sendable {
    /// One bar's outputs, named as TA-Lib names them (NaN during warm-up).
    public struct Value: Sendable, Equatable {
        public var upper: Double
        public var middle: Double
        public var lower: Double
        @inlinable public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper; self.middle = middle; self.lower = lower
        }
    }
    public let multiplier: Double
    @usableFromInline var average: EMA
    @usableFromInline var range: ATR

    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    public init(period: Int = 20, multiplier: Double = 2.0, atrPeriod: Int = 10) throws(IndicatorError) {
        average = try EMA(period: try Check.period(period, "timeperiod", in: 1...100_000, of: "keltner"))
        self.multiplier = try Check.real(multiplier, "multiplier", in: 0...1e6, of: "keltner")
        range = try ATR(period: try Check.period(atrPeriod, "atrperiod", in: 1...100_000, of: "keltner"))
    }

    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { Swift.max(average.period - 1, range.period) }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Value {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Value {
        let middle = average.step(close)
        let atr = range.step(high: high, low: low, close: close)
        guard !middle.isNaN, !atr.isNaN else { return Value(upper: .nan, middle: .nan, lower: .nan) }
        let width = multiplier * atr
        return Value(upper: middle + width, middle: middle, lower: middle - width)
    }

    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 20,
                               multiplier: Double = 2.0, atrPeriod: Int = 10) throws(IndicatorError)
    -> (upper: Column<Double>, middle: Column<Double>, lower: Column<Double>) {
        var state = try Keltner(period: period, multiplier: multiplier, atrPeriod: atrPeriod)
        let out = try Batch.map([high, low, close], &state, indicator: "keltner") { state, x, y, z, w -> SIMD3<Double> in
            let v = state.step(high: x, low: y, close: z)
            return SIMD3(v.upper, v.middle, v.lower)
        }
        return (out[0], out[1], out[2])
    }
}
