/// A problem with an indicator request: an unknown name, a wrong number of parameters, a value
/// outside the accepted range, or inputs that do not line up.
public struct IndicatorError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unknownIndicator(String)
        case wrongParameterCount(expected: ClosedRange<Int>, found: Int)
        case parameterOutOfRange(parameter: String, value: Double, range: String)
        case notAnInteger(parameter: String, value: Double)
        case malformedSpec(String)
        case inputLengthMismatch(expected: Int, found: Int)
        case missingInput(String)
        case wrongInputCount(expected: Int, found: Int)
    }

    /// The indicator's TA-Lib name in lower case (empty when the name itself is the problem).
    public var indicator: String
    public var kind: Kind

    public init(_ indicator: String, _ kind: Kind) {
        self.indicator = indicator
        self.kind = kind
    }

    public var description: String {
        let name = indicator.isEmpty ? "" : "\(indicator): "
        switch kind {
        case .unknownIndicator(let text): return "unknown indicator \"\(text)\" (run `colonnade indicators --list` for the names)"
        case .wrongParameterCount(let expected, let found):
            let plural = expected.upperBound == 1 ? "" : "s"
            if expected.upperBound == 0 { return "\(name)takes no parameters, got \(found)" }
            if expected.lowerBound == 0 { return "\(name)takes at most \(expected.upperBound) parameter\(plural), got \(found)" }
            return "\(name)takes \(expected.lowerBound) to \(expected.upperBound) parameters, got \(found)"
        case .parameterOutOfRange(let parameter, let value, let range):
            return "\(name)\(parameter) = \(format(value)) is outside \(range)"
        case .notAnInteger(let parameter, let value): return "\(name)\(parameter) = \(format(value)) must be a whole number"
        case .malformedSpec(let text): return "\(name)malformed indicator spec \"\(text)\" (expected NAME or NAME:P1,P2,...)"
        case .inputLengthMismatch(let expected, let found): return "\(name)input columns differ in length (\(expected) and \(found))"
        case .missingInput(let field): return "\(name)needs the \(field) column, which the data does not have"
        case .wrongInputCount(let expected, let found): return "\(name)takes \(expected) input column\(expected == 1 ? "" : "s"), got \(found)"
        }
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Validation shared by every indicator initializer.
@usableFromInline
enum Check {
    /// A whole-number period within `range` (TA-Lib's limits unless stated).
    @usableFromInline
    static func period(_ value: Int, _ name: String, in range: ClosedRange<Int> = 2...100_000, of indicator: String) throws(IndicatorError) -> Int {
        guard range.contains(value) else {
            throw IndicatorError(indicator, .parameterOutOfRange(parameter: name, value: Double(value), range: "\(range.lowerBound)...\(range.upperBound)"))
        }
        return value
    }

    /// A finite real parameter within `range`.
    @usableFromInline
    static func real(_ value: Double, _ name: String, in range: ClosedRange<Double>, of indicator: String) throws(IndicatorError) -> Double {
        guard value.isFinite, range.contains(value) else {
            throw IndicatorError(indicator, .parameterOutOfRange(parameter: name, value: value, range: "\(range.lowerBound)...\(range.upperBound)"))
        }
        return value
    }
}
