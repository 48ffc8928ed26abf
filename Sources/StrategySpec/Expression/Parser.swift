/// Recursive-descent parser for the expression grammar (docs/expressions.md).
///
/// Every parse function returns the tree it built and that tree's depth, so the depth limit
/// bounds the tree itself (left-deep chains such as `a + b + c + ...` included), not only the
/// parser's recursion: every later pass over the tree recurses at most `maximumDepth` levels.
struct Parser {
    private let tokens: [Token]
    private let source: String
    private let limits: ExpressionLimits
    private var position = 0
    private var nodes = 0
    /// How many parentheses, brackets, argument lists and prefix operators enclose the token being
    /// parsed: checked before recursing, so deeply nested text fails fast instead of exhausting the stack.
    private var level = 0

    private typealias Parsed = (syntax: Syntax, depth: Int)

    static let keywords: Set<String> = ["and", "or", "not", "true", "false", "crosses_above", "crosses_below"]

    static func parse(_ source: String, limits: ExpressionLimits) throws(ExpressionError) -> Syntax {
        guard source.utf8.count <= limits.maximumLength else {
            throw ExpressionError(.tooLong(length: source.utf8.count, limit: limits.maximumLength), at: nil, in: source)
        }
        var parser = Parser(tokens: try Lexer.tokens(of: source), source: source, limits: limits)
        if parser.current.kind == .end {
            throw parser.error(.unexpectedToken(found: "nothing", expected: "an expression"), at: parser.current.range)
        }
        let tree = try parser.expression()
        guard parser.current.kind == .end else {
            throw parser.error(.unexpectedToken(found: parser.current.quoted, expected: parser.expectedAfterOperand()), at: parser.current.range)
        }
        return tree.syntax
    }

    private init(tokens: [Token], source: String, limits: ExpressionLimits) {
        self.tokens = tokens
        self.source = source
        self.limits = limits
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if token.kind != .end { position += 1 }
        return token
    }

    private func error(_ kind: ExpressionError.Kind, at range: SourceRange) -> ExpressionError {
        ExpressionError(kind, at: range, in: source)
    }

    private func isKeyword(_ word: String) -> Bool { current.kind == .identifier(word) }

    /// What may follow a complete operand, for messages.
    private func expectedAfterOperand() -> String { "an operator, \"and\", \"or\" or the end of the expression" }

    /// Counts a node and checks the depth of the tree that has it at its root.
    private mutating func node(_ syntax: Syntax, depth: Int) throws(ExpressionError) -> Parsed {
        nodes += 1
        guard nodes <= limits.maximumNodes else { throw error(.tooManyNodes(limit: limits.maximumNodes), at: syntax.range) }
        guard depth <= limits.maximumDepth else { throw error(.nestedTooDeeply(limit: limits.maximumDepth), at: syntax.range) }
        return (syntax, depth)
    }

    // expression := and ("or" and)*
    private mutating func expression() throws(ExpressionError) -> Parsed {
        var left = try conjunction()
        while isKeyword("or") {
            let op = advance()
            let right = try conjunction()
            left = try node(.binary(.or, left.syntax, right.syntax, operatorRange: op.range, .spanning(left.syntax.range, right.syntax.range)),
                            depth: Swift.max(left.depth, right.depth) + 1)
        }
        return left
    }

    // and := negation ("and" negation)*
    private mutating func conjunction() throws(ExpressionError) -> Parsed {
        var left = try negation()
        while isKeyword("and") {
            let op = advance()
            let right = try negation()
            left = try node(.binary(.and, left.syntax, right.syntax, operatorRange: op.range, .spanning(left.syntax.range, right.syntax.range)),
                            depth: Swift.max(left.depth, right.depth) + 1)
        }
        return left
    }

    // negation := "not" negation | comparison
    private mutating func negation() throws(ExpressionError) -> Parsed {
        guard isKeyword("not") else { return try comparison() }
        let op = advance()
        try descend(at: op.range)
        defer { level -= 1 }
        let operand = try negation()
        return try node(.not(operand.syntax, .spanning(op.range, operand.syntax.range)), depth: operand.depth + 1)
    }

    // comparison := additive (comparison-operator additive)?   -- comparisons do not chain
    private mutating func comparison() throws(ExpressionError) -> Parsed {
        let left = try additive()
        guard let op = comparisonOperator() else { return left }
        let opToken = advance()
        let right = try additive()
        if comparisonOperator() != nil {
            throw error(.unexpectedToken(found: current.quoted,
                                         expected: "\"and\", \"or\" or the end (comparisons do not chain: write a < b and b < c)"),
                        at: current.range)
        }
        return try node(.binary(op, left.syntax, right.syntax, operatorRange: opToken.range, .spanning(left.syntax.range, right.syntax.range)),
                        depth: Swift.max(left.depth, right.depth) + 1)
    }

    private func comparisonOperator() -> Syntax.BinaryOperator? {
        switch current.kind {
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .identifier("crosses_above"): return .crossesAbove
        case .identifier("crosses_below"): return .crossesBelow
        default: return nil
        }
    }

    // additive := multiplicative (("+" | "-") multiplicative)*
    private mutating func additive() throws(ExpressionError) -> Parsed {
        var left = try multiplicative()
        while current.kind == .plus || current.kind == .minus {
            let opToken = advance()
            let right = try multiplicative()
            left = try node(.binary(opToken.kind == .plus ? .add : .subtract, left.syntax, right.syntax,
                                    operatorRange: opToken.range, .spanning(left.syntax.range, right.syntax.range)),
                            depth: Swift.max(left.depth, right.depth) + 1)
        }
        return left
    }

    // multiplicative := unary (("*" | "/") unary)*
    private mutating func multiplicative() throws(ExpressionError) -> Parsed {
        var left = try unary()
        while current.kind == .star || current.kind == .slash {
            let opToken = advance()
            let right = try unary()
            left = try node(.binary(opToken.kind == .star ? .multiply : .divide, left.syntax, right.syntax,
                                    operatorRange: opToken.range, .spanning(left.syntax.range, right.syntax.range)),
                            depth: Swift.max(left.depth, right.depth) + 1)
        }
        return left
    }

    // unary := "-" unary | "+" unary | postfix
    private mutating func unary() throws(ExpressionError) -> Parsed {
        if current.kind == .plus {
            let op = advance()
            try descend(at: op.range)
            defer { level -= 1 }
            return try unary()
        }
        guard current.kind == .minus else { return try postfix() }
        let op = advance()
        try descend(at: op.range)
        defer { level -= 1 }
        let operand = try unary()
        if case .number(let value, let range) = operand.syntax {
            // Fold the sign into the literal so "-1" is one number (and "[-1]" reads as a lag of -1).
            return try node(.number(-value, .spanning(op.range, range)), depth: 1)
        }
        return try node(.negate(operand.syntax, .spanning(op.range, operand.syntax.range)), depth: operand.depth + 1)
    }

    // postfix := primary ("[" expression "]" | "." name)*
    private mutating func postfix() throws(ExpressionError) -> Parsed {
        var value = try primary()
        while true {
            if current.kind == .leftBracket {
                let open = advance()
                let lag = try nested()
                let close = try expect(.rightBracket, "\"]\" to close the lag")
                let lagRange = SourceRange.spanning(open.range, close.range)
                value = try node(.lag(value.syntax, lag.syntax, lagRange: lagRange, .spanning(value.syntax.range, close.range)),
                                 depth: Swift.max(value.depth, lag.depth) + 1)
            } else if current.kind == .dot {
                _ = advance()
                guard case .identifier(let name) = current.kind else {
                    throw error(.unexpectedToken(found: current.quoted, expected: "an output name after \".\""), at: current.range)
                }
                let nameToken = advance()
                value = try node(.output(value.syntax, name, nameRange: nameToken.range, .spanning(value.syntax.range, nameToken.range)),
                                 depth: value.depth + 1)
            } else {
                return value
            }
        }
    }

    // primary := number | "true" | "false" | name | name "(" arguments? ")" | "(" expression ")"
    private mutating func primary() throws(ExpressionError) -> Parsed {
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return try node(.number(value, token.range), depth: 1)
        case .identifier("true"), .identifier("false"):
            _ = advance()
            return try node(.boolean(token.kind == .identifier("true"), token.range), depth: 1)
        case .identifier(let name):
            _ = advance()
            if current.kind == .leftParen { return try call(name, nameRange: token.range) }
            if Parser.keywords.contains(name) && name != "crosses_above" && name != "crosses_below" {
                throw error(.unexpectedToken(found: token.quoted, expected: "a value"), at: token.range)
            }
            return try node(.name(name, token.range), depth: 1)
        case .leftParen:
            _ = advance()
            let inner = try nested()
            _ = try expect(.rightParen, "\")\"")
            return inner
        default:
            throw error(.unexpectedToken(found: token.quoted, expected: "a value (a number, a name, a call or \"(\")"), at: token.range)
        }
    }

    private mutating func call(_ name: String, nameRange: SourceRange) throws(ExpressionError) -> Parsed {
        _ = advance()  // "("
        var arguments: [Syntax] = []
        var depth = 0
        if current.kind != .rightParen {
            while true {
                let argument = try nested()
                arguments.append(argument.syntax)
                depth = Swift.max(depth, argument.depth)
                if current.kind == .comma { _ = advance(); continue }
                break
            }
        }
        let close = try expect(.rightParen, "\",\" or \")\" in the arguments of \(name)")
        return try node(.call(name, nameRange: nameRange, arguments: arguments, .spanning(nameRange, close.range)), depth: depth + 1)
    }

    /// A parenthesized, bracketed or argument expression: one level deeper.
    private mutating func nested() throws(ExpressionError) -> Parsed {
        try descend(at: current.range)
        defer { level -= 1 }
        let inner = try expression()
        guard inner.depth + 1 <= limits.maximumDepth else {
            throw error(.nestedTooDeeply(limit: limits.maximumDepth), at: inner.syntax.range)
        }
        return (inner.syntax, inner.depth + 1)
    }

    /// Enters one more level of nesting, or refuses to.
    private mutating func descend(at range: SourceRange) throws(ExpressionError) {
        level += 1
        guard level <= limits.maximumDepth else { throw error(.nestedTooDeeply(limit: limits.maximumDepth), at: range) }
    }

    private mutating func expect(_ kind: Token.Kind, _ what: String) throws(ExpressionError) -> Token {
        guard current.kind == kind else { throw error(.unexpectedToken(found: current.quoted, expected: what), at: current.range) }
        return advance()
    }
}
