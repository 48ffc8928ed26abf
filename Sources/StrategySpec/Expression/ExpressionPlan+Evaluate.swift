import ColumnStore
import Indicators

/// The columns a plan computed over one series.
public struct PlanValues: Sendable {
    /// Every step's outputs, by step index.
    let columns: [[Column<Double>]]
    /// The number of bars.
    public let count: Int
    /// The bars before every indicator value the plan uses exists: the most leading NaNs of any
    /// indicator output, or of a value computed from one by arithmetic or a lag (`sma(close, 20)[1]`
    /// has 20). Conditions, `bars_since` and the bar columns do not count: their NaNs say
    /// "unknown" or "never yet", not "warming up". This is where backtesting.py starts calling
    /// `next()` (one bar after the first at which all indicators have values), and where a spec's
    /// strategy makes its first decision.
    public let warmUpBars: Int

    /// An expression's values, one per bar: numbers for a series; 1, 0 or NaN (unknown) for a condition.
    public subscript(output: PlanOutput) -> Column<Double> { columns[output.ref.step][output.ref.output] }

    /// Where a condition holds (is 1); false where it is false or unknown.
    public func truth(_ output: PlanOutput) -> BitColumn {
        self[output].withUnsafeBufferPointer { values in BitColumn(count: values.count) { values[$0] == 1 } }
    }
}

extension ExpressionPlan {
    /// Runs every step once over `series`, in dependency order.
    ///
    /// - Throws: ``ExpressionError`` (pointing at the expression that asked for it) when the
    ///   series lacks a column the plan reads, or an indicator needs volume and the series has none.
    /// - Complexity: O(steps × bars), plus each indicator's own cost.
    public func evaluate(on series: BarSeries) throws(ExpressionError) -> PlanValues {
        let n = series.count
        var columns: [[Column<Double>]] = []
        columns.reserveCapacity(steps.count)
        var warmUp = 0
        var isIndicatorValue: [Bool] = []
        for (index, step) in steps.enumerated() {
            columns.append(try evaluate(step, index: index, computed: columns, series: series, count: n))
            let counts: Bool
            switch step {
            case .indicator, .highest, .lowest: counts = true
            case .arithmetic, .negate, .absolute, .lag: counts = step.inputs.contains { isIndicatorValue[$0.step] }
            default: counts = false
            }
            isIndicatorValue.append(counts)
            if counts {
                for column in columns[index] {
                    let leading = column.withUnsafeBufferPointer { $0.firstIndex { !$0.isNaN } ?? $0.count }
                    warmUp = Swift.max(warmUp, leading)
                }
            }
        }
        return PlanValues(columns: columns, count: n, warmUpBars: warmUp)
    }

    private func evaluate(_ step: PlanStep, index: Int, computed: [[Column<Double>]], series: BarSeries,
                          count n: Int) throws(ExpressionError) -> [Column<Double>] {
        func column(_ ref: ColumnRef) -> Column<Double> { computed[ref.step][ref.output] }
        func failure(_ kind: ExpressionError.Kind) -> ExpressionError {
            ExpressionError(kind, at: origins[index].range, in: origins[index].source)
        }
        switch step {
        case .column(let name):
            guard let values = series.column(named: name) else { throw failure(.missingColumn(name)) }
            return [values]
        case .broadcast(let value):
            return [Column(repeating: value, count: n)]
        case .indicator(let name, let inputs, let parameters):
            let definition = ExpressionFunctions.indicator(name)!
            for (field, ref) in zip(definition.inputs, inputs) where field == .volume && steps[ref.step] == .column("volume") {
                let volume = column(ref)
                if !volume.isEmpty && volume.allSatisfy(\.isNaN) { throw failure(.indicator(IndicatorError(name, .missingInput("volume")))) }
            }
            do {
                return try definition.evaluate(inputs: inputs.map(column), parameters: parameters)
            } catch {
                throw failure(.indicator(error))
            }
        case .arithmetic(let op, let a, let b):
            switch op {
            case .add: return [ExpressionKernels.map(a, b, column, count: n) { $0 + $1 }]
            case .subtract: return [ExpressionKernels.map(a, b, column, count: n) { $0 - $1 }]
            case .multiply: return [ExpressionKernels.map(a, b, column, count: n) { $0 * $1 }]
            case .divide: return [ExpressionKernels.map(a, b, column, count: n) { $0 / $1 }]
            }
        case .negate(let a):
            return [ExpressionKernels.map(column(a)) { -$0 }]
        case .absolute(let a):
            return [ExpressionKernels.map(column(a)) { Swift.abs($0) }]
        case .compare(let op, let a, let b):
            return [ExpressionKernels.map(a, b, column, count: n) { ExpressionKernels.compare(op, $0, $1) }]
        case .and(let a, let b):
            return [ExpressionKernels.map(.column(a), .column(b), column, count: n, ExpressionKernels.and)]
        case .or(let a, let b):
            return [ExpressionKernels.map(.column(a), .column(b), column, count: n, ExpressionKernels.or)]
        case .not(let a):
            return [ExpressionKernels.map(column(a)) { $0.isNaN ? .nan : 1 - $0 }]
        case .lag(let a, let bars):
            return [ExpressionKernels.lag(column(a), bars: bars)]
        case .crossesAbove(let a, let b), .crossesBelow(let a, let b):
            let above: Bool
            if case .crossesAbove = step { above = true } else { above = false }
            func materialized(_ operand: Operand) -> Column<Double> {
                switch operand {
                case .column(let ref): return column(ref)
                case .constant(let value): return Column(repeating: value, count: n)
                }
            }
            return [ExpressionKernels.crossings(materialized(a), materialized(b), above: above)]
        case .rising(let a, let bars):
            return [ExpressionKernels.monotone(column(a), bars: bars, rising: true)]
        case .falling(let a, let bars):
            return [ExpressionKernels.monotone(column(a), bars: bars, rising: false)]
        case .highest(let a, let bars), .lowest(let a, let bars):
            let isHighest: Bool
            if case .highest = step { isHighest = true } else { isHighest = false }
            do {
                return [isHighest ? try MAX.compute(column(a), period: bars) : try MIN.compute(column(a), period: bars)]
            } catch {
                throw failure(.indicator(error))
            }
        case .barsSince(let a):
            return [ExpressionKernels.barsSince(column(a))]
        }
    }
}
