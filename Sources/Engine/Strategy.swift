import ColumnStore
import Execution

/// A trading strategy: a set-up hook that precomputes what it needs over all bars, and a per-bar
/// hook that decides.
///
/// The engine is generic over the strategy type and `@inlinable`, so a strategy defined in any
/// module is specialized into the loop (no dynamic dispatch per bar). Keep per-bar state in the
/// struct's stored properties.
///
/// Look-ahead is the strategy's responsibility in `prepare`: it sees every bar so that
/// indicators can be computed in one vectorized pass; an indicator value at bar `t` must depend
/// only on bars `0...t` (all of Colonnade's do). In `onBar(t, broker:)` read only index `t` and
/// earlier; orders submitted there fill from bar `t + 1`.
public protocol Strategy {
    /// Called once before the loop. Register every indicator the decisions depend on with
    /// ``StrategySetup/indicator(_:)`` so the loop starts after their warm-up.
    mutating func prepare(_ setup: inout StrategySetup) throws
    /// Called at each bar from the first bar after the warm-up, after the broker has filled
    /// the orders due on this bar and marked the account at its close.
    mutating func onBar(_ bar: Int, broker: inout Broker) throws
}

/// What a strategy sees while it prepares: the bars, and a register of indicators that sets
/// where the loop starts.
public struct StrategySetup: Sendable {
    /// The bars of each instrument, on one clock.
    public let instruments: [BarSeries]
    /// The bar at which the last registered indicator has its first value (backtesting.py's
    /// warm-up: the largest index of a first non-NaN value, 0 for an all-NaN series).
    public private(set) var warmUpBars: Int = 0

    public init(instruments: [BarSeries]) { self.instruments = instruments }

    /// The bars of the first (or only) instrument.
    public var bars: BarSeries { instruments[0] }

    /// Registers `values` as an indicator the strategy decides on and returns a fast read-only view of it.
    public mutating func indicator(_ values: Column<Double>) -> SeriesView {
        let firstValid = values.withUnsafeBufferPointer { $0.firstIndex { !$0.isNaN } } ?? 0
        warmUpBars = Swift.max(warmUpBars, firstValid)
        return SeriesView(values)
    }

    /// Requires at least `bars` bars before the first decision.
    public mutating func requireWarmUp(_ bars: Int) { warmUpBars = Swift.max(warmUpBars, bars) }
}

/// A read-only view of a column for per-bar reads without bounds checks in release builds.
///
/// Indexed from 0 whatever indices the column had. It keeps the column alive.
public struct SeriesView: @unchecked Sendable {
    @usableFromInline let column: Column<Double>
    @usableFromInline let base: UnsafePointer<Double>
    public let count: Int

    public init(_ column: Column<Double>) {
        self.column = column
        self.base = column.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
        self.count = column.count
    }

    /// The value at `index` (0-based).
    @inlinable public subscript(index: Int) -> Double {
        assert(index >= 0 && index < count, "SeriesView index \(index) out of range 0..<\(count)")
        return base[index]
    }

    /// True when this series is above `other` at `bar` and was below it at `bar − 1`; both
    /// comparisons strict, as backtesting.py's `crossover` (equal values on either bar: no cross).
    @inlinable public func crossesAbove(_ other: SeriesView, at bar: Int) -> Bool {
        bar >= 1 && self[bar - 1] < other[bar - 1] && self[bar] > other[bar]
    }

    /// True when this series is below `other` at `bar` and was above it at `bar − 1` (strict).
    @inlinable public func crossesBelow(_ other: SeriesView, at bar: Int) -> Bool {
        other.crossesAbove(self, at: bar)
    }

    /// Crosses above a constant level (strict on both bars).
    @inlinable public func crossesAbove(_ level: Double, at bar: Int) -> Bool {
        bar >= 1 && self[bar - 1] < level && self[bar] > level
    }

    /// Crosses below a constant level (strict on both bars).
    @inlinable public func crossesBelow(_ level: Double, at bar: Int) -> Bool {
        bar >= 1 && self[bar - 1] > level && self[bar] < level
    }
}
