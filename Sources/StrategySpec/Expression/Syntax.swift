/// The parsed form of an expression, before names are resolved and types checked.
indirect enum Syntax: Sendable, Equatable {
    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
        case and, or
        case crossesAbove = "crosses_above", crossesBelow = "crosses_below"

    }

    case number(Double, SourceRange)
    case boolean(Bool, SourceRange)
    case name(String, SourceRange)
    /// `function(arguments)`; the range covers the name through the closing parenthesis, and
    /// `nameRange` the name alone.
    case call(String, nameRange: SourceRange, arguments: [Syntax], SourceRange)
    case negate(Syntax, SourceRange)
    case not(Syntax, SourceRange)
    case binary(BinaryOperator, Syntax, Syntax, operatorRange: SourceRange, SourceRange)
    /// `value[lag]`: the lag is any constant expression; `lagRange` covers the brackets.
    case lag(Syntax, Syntax, lagRange: SourceRange, SourceRange)
    /// `value.output`.
    case output(Syntax, String, nameRange: SourceRange, SourceRange)

    var range: SourceRange {
        switch self {
        case .number(_, let r), .boolean(_, let r), .name(_, let r), .call(_, _, _, let r), .negate(_, let r),
             .not(_, let r), .binary(_, _, _, _, let r), .lag(_, _, _, let r), .output(_, _, _, let r):
            return r
        }
    }
}
