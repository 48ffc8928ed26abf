/// A request for one indicator: `NAME` or `NAME:P1,P2,...`, e.g. `sma:20`, `macd:12,26,9`,
/// `bbands:20,2,2`, `obv`.
///
/// NAME is the TA-Lib function name in lower case; the parameters are TA-Lib's, in TA-Lib's order,
/// without the moving-average-type parameters (those keep TA-Lib's defaults). Omitted trailing
/// parameters take TA-Lib's defaults.
public struct IndicatorSpec: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var parameters: [Double]
    /// The text the spec was parsed from (or its canonical form).
    public var text: String

    public init(name: String, parameters: [Double] = []) {
        self.name = name.lowercased()
        self.parameters = parameters
        self.text = parameters.isEmpty ? self.name
            : self.name + ":" + parameters.map { $0 == $0.rounded() && Swift.abs($0) < 1e15 ? String(Int64($0)) : String($0) }.joined(separator: ",")
    }

    public var description: String { text }

    /// Parses `NAME[:P1,P2,...]`.
    /// - Throws: ``IndicatorError`` for an empty name, an empty or non-numeric parameter.
    public static func parse(_ text: String) throws(IndicatorError) -> IndicatorSpec {
        let trimmed = text.trimmingCharacters(in: " \t")
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]).lowercased()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw IndicatorError("", .malformedSpec(text))
        }
        var values: [Double] = []
        if parts.count == 2 {
            for piece in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let p = String(piece).trimmingCharacters(in: " \t")
                guard let value = Double(p), value.isFinite else { throw IndicatorError(name, .malformedSpec(text)) }
                values.append(value)
            }
        }
        var spec = IndicatorSpec(name: name, parameters: values)
        spec.text = trimmed
        return spec
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
