import Indicators

/// The functions an expression can call, one line each, for help texts and for the prompt a
/// language model is given (``ExpressionReference/functionLines``).
public enum ExpressionReference {
    /// One line per function: a call with its default arguments, what it is, and the outputs a
    /// multi-output indicator offers (`macd(close, 12, 26, 9): Moving Average Convergence/Divergence;
    /// outputs .macd, .signal, .hist`). Indicators first, in catalog order, then the signal
    /// functions in alphabetical order.
    public static var functionLines: [String] {
        let indicators = IndicatorCatalog.all.map { definition in
            let outputs = definition.outputs.count > 1
                ? "; outputs " + ExpressionFunctions.outputNames(of: definition).map { "." + $0 }.joined(separator: ", ")
                : ""
            return "\(ExpressionFunctions.usage(of: definition.name)): \(definition.summary)\(outputs)"
        }
        let signals = ExpressionFunctions.signals.keys.sorted().map { ExpressionFunctions.signals[$0]! }
        return indicators + signals
    }
}
