import ColumnStore
import Execution

/// The position an instrument should hold, one value per bar: the other form of the signal fast
/// path's input (`SignalBacktest.run(_:warmUpBars:)`), and, through
/// ``TargetPositionStrategy``, of the event engine.
///
/// At a bar `t` whose value is a number the account orders the difference between that target
/// and the position it holds after bar `t`'s fills, a market order filled at the open of `t + 1`.
/// NaN leaves the position, and any order still working for it, as it is. A target equal to the
/// position orders nothing. So a column that repeats one value on every bar rebalances on every
/// bar (an equity fraction drifts with the price); a column that is NaN except where the target
/// changes trades only there.
public struct TargetPositions: Sendable, Equatable {
    /// What a target counts.
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        /// Signed units of the instrument, negative for a short; a whole number of lots.
        case units
        /// A signed fraction of the account's equity at the decision bar's close, valued at that
        /// bar's close: `trunc(f · equity / close)` units, rounded toward zero to whole lots.
        /// At most the account's leverage in magnitude (1 without margin).
        case equityFraction = "equity-fraction"
    }

    /// The target at each bar; NaN where the position is left alone.
    public var values: Column<Double>
    /// Whether the values are units or fractions of equity.
    public var measure: Measure

    /// Targets of `measure`, one per bar.
    public init(_ values: Column<Double>, measure: Measure) {
        self.values = values
        self.measure = measure
    }

    /// Signed unit targets, one per bar (NaN: hold).
    public static func units(_ values: Column<Double>) -> TargetPositions { TargetPositions(values, measure: .units) }

    /// Signed fractions of equity, one per bar (NaN: hold).
    public static func equityFractions(_ values: Column<Double>) -> TargetPositions {
        TargetPositions(values, measure: .equityFraction)
    }

    /// Number of bars.
    public var count: Int { values.count }

    /// The bars that carry a target (the values that are not NaN).
    ///
    /// Complexity: O(n).
    public var decisionBars: BitColumn {
        values.withUnsafeBufferPointer { v in BitColumn(count: v.count) { !v[$0].isNaN } }
    }

    /// The first value an account with `lotSize` and `leverage` cannot take, or nil: an infinite
    /// target, a unit target that is not a whole number of lots, or a fraction beyond the leverage.
    ///
    /// Complexity: O(n).
    public func firstProblem(lotSize: Double, leverage: Double) -> (bar: Int, message: String)? {
        values.withUnsafeBufferPointer { v in
            for (bar, target) in v.enumerated() where !target.isNaN {
                guard target.isFinite else { return (bar, "target \(target) is not a finite number (NaN holds the position)") }
                switch measure {
                case .units:
                    let lots = target / lotSize
                    if Swift.abs(lots - lots.rounded()) > 1e-9 * Swift.max(1, Swift.abs(lots)) {
                        return (bar, "target \(target) units is not a whole number of lots (lot size \(lotSize))")
                    }
                case .equityFraction:
                    if Swift.abs(target) > leverage * (1 + 1e-12) {
                        return (bar, "target \(target) of equity exceeds the account's leverage \(leverage) "
                                + "(a fraction: 0.5 is half of equity)")
                    }
                }
            }
            return nil
        }
    }
}

/// Why a ``TargetPositionStrategy`` cannot run: targets that do not fit the instruments, a value
/// the account cannot take, or an account setting under which targets would not mean what they say.
public struct TargetPositionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The instrument (index in the backtest) whose targets are at fault; nil for the account.
    public var instrument: Int?
    /// The bar of the value at fault, if one is.
    public var bar: Int?
    /// The problem in words, with the values involved.
    public var message: String

    public init(instrument: Int?, bar: Int?, _ message: String) {
        self.instrument = instrument
        self.bar = bar
        self.message = message
    }

    public var description: String {
        let place = [instrument.map { "instrument \($0)" }, bar.map { "bar \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return place.isEmpty ? "target positions: \(message)" : "target positions (\(place)): \(message)"
    }
}
