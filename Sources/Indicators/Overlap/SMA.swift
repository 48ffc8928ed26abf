import ColumnStore

/// Simple moving average, TA-Lib `SMA(real, timeperiod=30)`.
///
/// `sma[t] = (x[t-n+1] + ... + x[t]) / n`, first value at `t = n - 1`.
///
/// The running sum is updated in TA-Lib's order (add the new value, divide, then subtract the
/// value leaving the window), so outputs are bit-identical to TA-Lib's: on cent-priced data two
/// averages can tie exactly, and a crossover decision depends on that.
///
/// Complexity: O(1) per bar.
public struct SMA: Sendable {
    /// The window length in bars (TA-Lib's `timeperiod`).
    public let period: Int
    @usableFromInline var sum = 0.0
    @usableFromInline var count = 0
    @usableFromInline var window: RingBuffer

    /// - Throws: ``IndicatorError`` unless `1 <= period <= 100000`.
    public init(period: Int = 30) throws(IndicatorError) {
        self.period = try Check.period(period, "timeperiod", in: 1...100_000, of: "sma")
        window = RingBuffer(capacity: period)
    }

    /// Bars of warm-up before the first value.
    public var lookback: Int { period - 1 }

    /// Gives this state storage of its own when a copy shares it (see ``RingBuffer``).
    @inlinable
    mutating func makeUnique() {
        window.makeUnique()
    }

    /// Feeds one value; returns the average, or NaN during warm-up.
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        makeUnique()
        return step(x)
    }

    @inlinable
    mutating func step(_ x: Double) -> Double {
        let i = count
        count += 1
        window[i] = x
        sum += x
        guard i >= period - 1 else { return .nan }
        let average = sum / Double(period)
        sum -= window[i - period + 1]
        return average
    }

    /// The SMA of a whole column.
    public static func compute(_ x: Column<Double>, period: Int = 30) throws(IndicatorError) -> Column<Double> {
        _ = try SMA(period: period)
        // The state machine's arithmetic over the input array (SMARun), without its ring buffer.
        return SMARun.column(x, period: period, totals: false)
    }
}
