/// A problem with a strategy spec: the JSON path of the offending value and what is wrong with it.
///
/// ```
/// $.long.entry: line 1, column 5: unknown name "clsoe" (did you mean "close"?)
/// ```
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The text is not JSON.
        case invalidJSON(String)
        case unsupportedVersion(Int)
        case missingKey
        /// A key the spec does not have; `suggestion` is the likely intended one.
        case unknownKey(suggestion: String?)
        case wrongType(expected: String, found: String)
        /// A value of the right type that is not allowed (out of range, a duplicate name, ...).
        case invalidValue(String)
        /// An expression that does not parse or type-check.
        case expression(ExpressionError)
    }

    /// Where: a JSON path such as `$.parameters[1].default` or `$.long.entry`.
    public var path: String
    /// What is wrong.
    public var kind: Kind

    public init(path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .invalidJSON(let detail): return "\(path): not valid JSON: \(detail)"
        case .unsupportedVersion(let version):
            return "\(path): version \(version) is not one this Colonnade reads (it reads version \(StrategySpec.currentVersion))"
        case .missingKey: return "\(path): is required"
        case .unknownKey(let suggestion): return "\(path): unknown key" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
        case .wrongType(let expected, let found): return "\(path): expected \(expected), found \(found)"
        case .invalidValue(let message): return "\(path): \(message)"
        case .expression(let error): return "\(path): \(error.description)"
        }
    }
}
