import ColumnStore
import Indicators

extension ExpressionPlan {
    /// Every indicator the plan computes, each output with a label as it would be written
    /// (`sma(close, 10)`, `macd(close, 12, 26, 9).signal`), in the order the plan computes them:
    /// what a chart of the strategy shows. An input that is itself computed is labelled `…`.
    ///
    /// - Complexity: O(steps); the columns are shared with `values`, not copied.
    public func indicatorColumns(_ values: PlanValues) -> [(label: String, values: Column<Double>)] {
        var out: [(label: String, values: Column<Double>)] = []
        for (index, step) in steps.enumerated() {
            guard case .indicator(let name, let inputs, let parameters) = step,
                  let definition = ExpressionFunctions.indicator(name) else { continue }
            let inputLabels: [String] = definition.inputs.count == 1 ? inputs.map { ref in
                if case .column(let column) = steps[ref.step] { return column }
                return "…"
            } : []
            let numbers = parameters.map { $0 == $0.rounded() && Swift.abs($0) < 1e15 ? String(Int64($0)) : String($0) }
            let call = "\(name)(" + (inputLabels + numbers).joined(separator: ", ") + ")"
            let outputNames = ExpressionFunctions.outputNames(of: definition)
            for output in definition.outputs.indices {
                out.append((definition.outputs.count > 1 ? "\(call).\(outputNames[output])" : call, values.columns[index][output]))
            }
        }
        return out
    }
}

extension CompiledSpec {
    /// The indicators the spec computes over `bars`, labelled (see
    /// ``ExpressionPlan/indicatorColumns(_:)``): for charts of a run.
    ///
    /// - Throws: ``SpecError`` when the bars lack a column the spec reads.
    public func indicatorColumns(on bars: BarSeries) throws(SpecError) -> [(label: String, values: Column<Double>)] {
        let (values, _) = try evaluate(on: bars)
        return plan.indicatorColumns(values)
    }
}
