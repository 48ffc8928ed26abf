import Indicators

/// A problem with an expression: what is wrong and where.
///
/// Every way an expression's text can be wrong — a character the language does not have, a
/// misplaced token, an unknown name, a value of the wrong type, a look-ahead lag, an indicator
/// parameter out of range, text past a limit — surfaces as an `ExpressionError` pointing at the
/// line and column. ``description`` quotes the line with a caret under the place:
///
/// ```
/// line 1, column 5: unknown name "clsoe" (did you mean "close"?)
///   sma(clsoe, 20) > close
///       ^~~~~
/// ```
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The text is longer than ``ExpressionLimits/maximumLength``.
        case tooLong(length: Int, limit: Int)
        /// Parentheses, calls and operators nest deeper than ``ExpressionLimits/maximumDepth``.
        case nestedTooDeeply(limit: Int)
        /// More operators, calls and operands than ``ExpressionLimits/maximumNodes``.
        case tooManyNodes(limit: Int)
        /// A plan would hold more steps than ``ExpressionLimits/maximumPlanSteps``.
        case planTooLarge(limit: Int)
        /// A character the language does not use; `hint` says what to write instead, if known.
        case unexpectedCharacter(String, hint: String?)
        case malformedNumber(String)
        /// A token where the grammar wants something else.
        case unexpectedToken(found: String, expected: String)
        /// A name that is neither a bar column nor a parameter.
        case unknownName(String, suggestion: String?)
        case unknownFunction(String, suggestion: String?)
        /// A column or parameter written as a call: `close(1)`.
        case notAFunction(String)
        /// A function named without its argument list: `sma > 3`.
        case functionNotCalled(String, usage: String)
        case wrongArgumentCount(function: String, expected: String, found: Int)
        /// An indicator given some but not all of its input series.
        case wrongInputCount(function: String, inputs: [String], found: Int)
        /// A value of one type where another is needed (`"close and volume"`: numbers where
        /// conditions are needed).
        case typeMismatch(expected: String, found: String, context: String)
        /// An indicator parameter, window or lag that is not a constant (a number, a parameter, or
        /// arithmetic on them).
        case notConstant(context: String)
        /// A lag that is negative (it would read the future), fractional or too large.
        case invalidLag(Double, reason: String)
        /// A window length (`rising`, `highest`, ...) that is not a whole number ≥ 1.
        case invalidWindow(function: String, value: Double, range: String)
        /// The indicator refused its parameters.
        case indicator(IndicatorError)
        /// An indicator with several outputs used without choosing one: `macd(close).signal`.
        case outputNotChosen(function: String, outputs: [String])
        case unknownOutput(function: String, name: String, outputs: [String])
        /// `.name` after something that has no outputs to choose from.
        case outputOfNonIndicator(String)
        /// The data lacks a column the expression reads (found when the plan is evaluated).
        case missingColumn(String)
    }

    /// What is wrong.
    public var kind: Kind
    /// Where in the text; `nil` for problems with the text as a whole.
    public var range: SourceRange?
    /// The expression's text, kept to quote the offending line.
    public var source: String

    public init(_ kind: Kind, at range: SourceRange?, in source: String) {
        self.kind = kind
        self.range = range
        self.source = source
    }

    /// The message without the location and the quoted line.
    public var message: String {
        switch kind {
        case .tooLong(let length, let limit): return "expression is \(length) characters long; the limit is \(limit)"
        case .nestedTooDeeply(let limit): return "expression nests more than \(limit) levels deep"
        case .tooManyNodes(let limit): return "expression has more than \(limit) operators, calls and operands"
        case .planTooLarge(let limit): return "the expressions together need more than \(limit) computation steps"
        case .unexpectedCharacter(let text, let hint):
            return "unexpected character \"\(text)\"" + (hint.map { " (\($0))" } ?? "")
        case .malformedNumber(let text): return "malformed number \"\(text)\""
        case .unexpectedToken(let found, let expected): return "expected \(expected), found \(found)"
        case .unknownName(let name, let suggestion):
            return "unknown name \"\(name)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? " (not a bar column or a parameter)")
        case .unknownFunction(let name, let suggestion):
            return "unknown function \"\(name)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
        case .notAFunction(let name): return "\"\(name)\" is not a function; write \(name)[n] for its value n bars ago"
        case .functionNotCalled(let name, let usage): return "\"\(name)\" is a function; call it, e.g. \(usage)"
        case .wrongArgumentCount(let function, let expected, let found):
            return "\(function) takes \(expected), got \(found) argument\(found == 1 ? "" : "s")"
        case .wrongInputCount(let function, let inputs, let found):
            return "\(function) reads \(inputs.joined(separator: ", ")): give all \(inputs.count) as series before its parameters, or none to read those bar columns; got \(found) series"
        case .typeMismatch(let expected, let found, let context): return "\(context) needs \(expected), found \(found)"
        case .notConstant(let context): return "\(context) must be a constant: a number, a parameter, or arithmetic on them"
        case .invalidLag(let value, let reason): return "lag [\(formatted(value))] \(reason)"
        case .invalidWindow(let function, let value, let range):
            return "\(function): window \(formatted(value)) must be a whole number in \(range)"
        case .indicator(let error): return error.description
        case .outputNotChosen(let function, let outputs):
            return "\(function) has several outputs; choose one with " + outputs.map { ".\($0)" }.joined(separator: ", ")
        case .unknownOutput(let function, let name, let outputs):
            return "\(function) has no output \"\(name)\"; its outputs are " + outputs.map { ".\($0)" }.joined(separator: ", ")
        case .outputOfNonIndicator(let name): return "\".\(name)\" chooses an output of an indicator with several outputs; this value has none"
        case .missingColumn(let name): return "the data has no column \"\(name)\""
        }
    }

    /// `line L, column C: message`, then the line quoted with a caret under the place.
    public var description: String {
        guard let range else { return message }
        var text = "\(range.start): \(message)"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if range.start.line >= 1 && range.start.line <= lines.count {
            let line = lines[range.start.line - 1]
            let width = range.end.line == range.start.line ? Swift.max(1, range.end.column - range.start.column) : 1
            text += "\n  \(line)\n  " + String(repeating: " ", count: range.start.column - 1) + "^" + String(repeating: "~", count: width - 1)
        }
        return text
    }

    private func formatted(_ value: Double) -> String {
        value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
