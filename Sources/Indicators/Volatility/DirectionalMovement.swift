import ColumnStore

/// Wilder's smoothed +DM, -DM and true range, as TA-Lib's PLUS_DI, MINUS_DI, DX and ADX keep them:
/// bars 1...n-1 are summed, then from bar n on each sum decays by `1/n` before the bar is added,
/// computed as `s·(1 - 1/n) + x` (TA-Lib writes `s - s/n + x`: a division on the recurrence's chain;
/// within 1e-9 of it). Whether a bar adds to +DM or -DM is a coin toss on real prices, so the
/// amount is masked rather than branched on (adding a 0 leaves a sum's bits unchanged).
@usableFromInline
struct DirectionalMovement: Sendable {
    @usableFromInline let period: Int
    @usableFromInline let decay: Double
    @usableFromInline let reciprocal: Double
    @usableFromInline var plusDM = 0.0
    @usableFromInline var minusDM = 0.0
    @usableFromInline var trueRange = 0.0
    @usableFromInline var previousHigh = 0.0
    @usableFromInline var previousLow = 0.0
    @usableFromInline var previousClose = 0.0
    @usableFromInline var count = 0

    @inlinable init(period: Int) {
        self.period = period
        reciprocal = 1.0 / Double(period)
        decay = 1.0 - reciprocal
    }

    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Int {
        let t = count
        count += 1
        defer { previousHigh = high; previousLow = low; previousClose = close }
        if t == 0 { return t }
        let diffP = high - previousHigh
        let diffM = previousLow - low
        let tr = Indicators.trueRange(high: high, low: low, previousClose: previousClose)
        let plus = masked(diffP, keep: diffP > 0 && diffP > diffM)
        let minus = masked(diffM, keep: diffM > 0 && diffP < diffM)
        if t >= period {
            plusDM = plusDM * decay + plus
            minusDM = minusDM * decay + minus
            trueRange = trueRange * decay + tr
        } else {
            plusDM += plus
            minusDM += minus
            trueRange += tr
        }
        return t
    }

    /// `(+DI, -DI)` in percent, or nil when the smoothed true range is zero.
    @inlinable
    var indices: (plus: Double, minus: Double)? {
        Self.indices(plusDM: plusDM, minusDM: minusDM, trueRange: trueRange)
    }

    /// DX from the current sums, or nil when it is undefined (zero range or zero DI sum).
    @inlinable
    var dx: Double? {
        Self.dx(plusDM: plusDM, minusDM: minusDM, trueRange: trueRange)
    }

    /// `(+DI, -DI)` in percent from smoothed sums, or nil when the true range is zero.
    @inlinable @inline(__always)
    static func indices(plusDM: Double, minusDM: Double, trueRange: Double) -> (plus: Double, minus: Double)? {
        isZero(trueRange) ? nil : (100.0 * (plusDM / trueRange), 100.0 * (minusDM / trueRange))
    }

    /// DX from smoothed sums, or nil when it is undefined (zero range or zero DI sum).
    @inlinable @inline(__always)
    static func dx(plusDM: Double, minusDM: Double, trueRange: Double) -> Double? {
        guard let (plus, minus) = indices(plusDM: plusDM, minusDM: minusDM, trueRange: trueRange) else { return nil }
        let total = minus + plus
        return isZero(total) ? nil : 100.0 * (Swift.abs(minus - plus) / total)
    }
}

/// Plus directional indicator, TA-Lib `PLUS_DI(high, low, close, timeperiod=14)`:
/// `100·(+DM_n / TR_n)` with Wilder smoothing (0 when `TR_n` is zero). First value at `t = n`.
public struct PLUS_DI: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var movement: DirectionalMovement
    public init(period: Int = 14) throws(IndicatorError) {
        movement = DirectionalMovement(period: try Check.period(period, "timeperiod", in: 1...100_000, of: "plus_di"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { movement.period }
    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds a bar; returns the bar index (0-based).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let previousHigh = movement.previousHigh, previousLow = movement.previousLow, previousClose = movement.previousClose
        let t = movement.step(high: high, low: low, close: close)
        if movement.period == 1 {
            // TA-Lib's period-1 path: this bar's +DM over this bar's true range, unsmoothed.
            guard t >= 1 else { return .nan }
            let diffP = high - previousHigh, diffM = previousLow - low
            let tr = trueRange(high: high, low: low, previousClose: previousClose)
            return diffP > 0 && diffP > diffM && !isZero(tr) ? diffP / tr : 0.0
        }
        guard t >= movement.period else { return .nan }
        return movement.indices?.plus ?? 0.0
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try PLUS_DI(period: period)
        return try Batch.mapHLC(high, low, close, &state, indicator: "plus_di", isSteady: { $0.movement.isSteady },
                                { $0.step(high: $1, low: $2, close: $3) }) { state, h, l, c, start, n, out in
            state.movement.directionalIndex(h, l, c, bars: start, n, into: out, minus: false)
        }
    }
}

/// Minus directional indicator, TA-Lib `MINUS_DI(high, low, close, timeperiod=14)`:
/// `100·(-DM_n / TR_n)` with Wilder smoothing (0 when `TR_n` is zero). First value at `t = n`.
public struct MINUS_DI: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var movement: DirectionalMovement
    public init(period: Int = 14) throws(IndicatorError) {
        movement = DirectionalMovement(period: try Check.period(period, "timeperiod", in: 1...100_000, of: "minus_di"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { movement.period }
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
        let previousHigh = movement.previousHigh, previousLow = movement.previousLow, previousClose = movement.previousClose
        let t = movement.step(high: high, low: low, close: close)
        if movement.period == 1 {
            guard t >= 1 else { return .nan }
            let diffP = high - previousHigh, diffM = previousLow - low
            let tr = trueRange(high: high, low: low, previousClose: previousClose)
            return diffM > 0 && diffP < diffM && !isZero(tr) ? diffM / tr : 0.0
        }
        guard t >= movement.period else { return .nan }
        return movement.indices?.minus ?? 0.0
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try MINUS_DI(period: period)
        return try Batch.mapHLC(high, low, close, &state, indicator: "minus_di", isSteady: { $0.movement.isSteady },
                                { $0.step(high: $1, low: $2, close: $3) }) { state, h, l, c, start, n, out in
            state.movement.directionalIndex(h, l, c, bars: start, n, into: out, minus: true)
        }
    }
}

/// Directional movement index, TA-Lib `DX(high, low, close, timeperiod=14)`:
/// `100·|+DI - -DI| / (+DI + -DI)`. Where undefined it repeats the previous value (0 on the first
/// bar), as TA-Lib does. First value at `t = n`.
public struct DX: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var movement: DirectionalMovement
    @usableFromInline var previous = 0.0
    public init(period: Int = 14) throws(IndicatorError) {
        movement = DirectionalMovement(period: try Check.period(period, "timeperiod", of: "dx"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { movement.period }
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
        let t = movement.step(high: high, low: low, close: close)
        guard t >= movement.period else { return .nan }
        if let dx = movement.dx { previous = dx }
        return previous
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try DX(period: period)
        return try Batch.mapHLC(high, low, close, &state, indicator: "dx", isSteady: { $0.movement.isSteady },
                                { $0.step(high: $1, low: $2, close: $3) }) { state, h, l, c, start, n, out in
            var previous = state.previous
            state.movement.dxBlocks(h, l, c, bars: start, n) { lo, hi, values, undefined in
                // Where DX is undefined the previous value repeats (rare: a predictable branch).
                var last = previous
                for k in 0..<(hi - lo) {
                    if undefined[k] == 0 { last = values[k] }
                    out[lo + k] = last
                }
                previous = last
            }
            state.previous = previous
        }
    }
}

/// Average directional index, TA-Lib `ADX(high, low, close, timeperiod=14)`: the mean of the DX
/// values of bars n...2n-1, then Wilder's `adx = (adx·(n-1) + dx) / n` (bars with undefined DX
/// leave it unchanged). First value at `2n - 1`.
public struct ADX: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var movement: DirectionalMovement
    @usableFromInline var value = 0.0
    public init(period: Int = 14) throws(IndicatorError) {
        movement = DirectionalMovement(period: try Check.period(period, "timeperiod", of: "adx"))
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { 2 * movement.period - 1 }
    /// Nothing to copy: this state holds no ring storage.
    @inlinable mutating func makeUnique() {}

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    /// Whether `step` is past its warm-up: the next bar takes the smoothing branch.
    @inlinable var isSteady: Bool { movement.count >= 2 * movement.period && movement.isSteady }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let t = movement.step(high: high, low: low, close: close)
        let n = movement.period
        guard t >= n else { return .nan }
        let dx = movement.dx
        if t < 2 * n - 1 {
            if let dx { value += dx }
            return .nan
        }
        if t == 2 * n - 1 {
            if let dx { value += dx }
            value /= Double(n)
            return value
        }
        // TA-Lib's `(adx·(n-1) + dx) / n` as `adx·(1-1/n) + dx·(1/n)`: no division on the chain.
        if let dx { value = value * movement.decay + dx * movement.reciprocal }
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
        var state = try ADX(period: period)
        return try Batch.mapHLC(high, low, close, &state, indicator: "adx", isSteady: { $0.isSteady },
                                { $0.step(high: $1, low: $2, close: $3) }) { state, h, l, c, start, n, out in
            var value = state.value
            let (decay, reciprocal) = (state.movement.decay, state.movement.reciprocal)
            state.movement.dxBlocks(h, l, c, bars: start, n) { lo, hi, values, undefined in
                // `step`'s smoothing; a bar with undefined DX leaves the average as it was. The
                // average is copied into the closure for the block: a captured variable would be
                // stored and reloaded every bar.
                var average = value
                for k in 0..<(hi - lo) {
                    if undefined[k] == 0 { average = average * decay + values[k] * reciprocal }
                    out[lo + k] = average
                }
                value = average
            }
            state.value = value
        }
    }
}

/// Average directional movement rating, TA-Lib `ADXR(high, low, close, timeperiod=14)`:
/// `(adx[t] + adx[t-(n-1)]) / 2`. First value at `3n - 2`.
public struct ADXR: Sendable {
    /// Creates the state machine with TA-Lib's parameters, in TA-Lib's order and with its defaults.
    ///
    /// - Throws: `IndicatorError` (`.parameterOutOfRange`) when a parameter is outside the range
    ///   TA-Lib accepts for it.
    @usableFromInline var adx: ADX
    @usableFromInline var history: RingBuffer
    public init(period: Int = 14) throws(IndicatorError) {
        adx = try ADX(period: try Check.period(period, "timeperiod", of: "adxr"))
        history = RingBuffer(capacity: period)
    }
    /// Inputs consumed before the first value (TA-Lib's lookback): the first `lookback` outputs
    /// are NaN.
    public var lookback: Int { adx.lookback + adx.movement.period - 1 }
    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        history.makeUnique()
    }

    /// Feeds one bar and returns the output (NaN during warm-up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        makeUnique()
        return step(high: high, low: low, close: close)
    }

    @inlinable
    mutating func step(high: Double, low: Double, close: Double) -> Double {
        let value = adx.step(high: high, low: low, close: close)
        let t = adx.movement.count - 1
        history[t] = value
        guard t >= lookback else { return .nan }
        return (value + history[t - (adx.movement.period - 1)]) / 2.0
    }
    /// The batch face: runs the same state machine as the streaming `update` over whole columns,
    /// so both give the same bits. The output is as long as the input; it is NaN for the first
    /// ``lookback`` bars after the first bar where every input is a number (leading NaNs are
    /// skipped, as TA-Lib's Python wrapper does).
    ///
    /// - Throws: `IndicatorError` for a parameter out of range, or input columns of different lengths.
    /// - Complexity: n steps of the state machine for n bars.
    public static func compute(high: Column<Double>, low: Column<Double>, close: Column<Double>, period: Int = 14) throws(IndicatorError) -> Column<Double> {
        var state = try ADXR(period: period)
        return try Batch.mapHLC(high, low, close, &state, indicator: "adxr",
                                isSteady: { $0.adx.isSteady && $0.adx.movement.count >= $0.lookback },
                                { $0.step(high: $1, low: $2, close: $3) }) { state, h, l, c, start, n, out in
            var value = state.adx.value
            let (decay, reciprocal) = (state.adx.movement.decay, state.adx.movement.reciprocal)
            let history = state.history, lag = state.adx.movement.period - 1
            var t = state.adx.movement.count
            state.adx.movement.dxBlocks(h, l, c, bars: start, n) { lo, hi, values, undefined in
                // ADX's smoothing, then the average with the ADX `n - 1` bars back (copies in
                // the closure, as for ADX).
                var (average, position) = (value, t)
                for k in 0..<(hi - lo) {
                    if undefined[k] == 0 { average = average * decay + values[k] * reciprocal }
                    history[position] = average
                    out[lo + k] = (average + history[position &- lag]) / 2.0
                    position &+= 1
                }
                (value, t) = (average, position)
            }
            state.adx.value = value
        }
    }
}
