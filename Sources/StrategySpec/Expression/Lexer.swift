/// One token of an expression.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case identifier(String)
        case plus, minus, star, slash
        case less, lessEqual, greater, greaterEqual, equal, notEqual
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot
        case end
    }

    var kind: Kind
    var range: SourceRange
    /// The characters as written (for messages).
    var text: String

    /// How the token reads in an error message.
    var quoted: String { kind == .end ? "the end of the expression" : "\"\(text)\"" }
}

/// Splits an expression into tokens.
///
/// Numbers are decimal with an optional fraction and exponent (`20`, `1.5`, `2e-3`); a number
/// followed by `%` is a percentage (`3%` is 0.03). Names start with a letter or `_` and continue
/// with letters, digits and `_`; they are case-sensitive. Spaces, tabs and newlines separate
/// tokens. Anything else, including every character outside ASCII, is an error.
struct Lexer {
    private let bytes: [UInt8]
    private let source: String
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    private var location: SourceLocation { SourceLocation(line: line, column: index - lineStart + 1, offset: index) }

    static func tokens(of source: String) throws(ExpressionError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(ExpressionError) -> Token {
        skipSpace()
        let start = location
        guard index < bytes.count else { return Token(kind: .end, range: SourceRange(start: start, end: start), text: "") }
        let byte = bytes[index]
        if isDigit(byte) || (byte == UInt8(ascii: ".") && index + 1 < bytes.count && isDigit(bytes[index + 1])) {
            return try number(from: start)
        }
        if isLetter(byte) || byte == UInt8(ascii: "_") {
            while index < bytes.count && (isLetter(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_")) { index += 1 }
            return token(.identifier(text(from: start)), from: start)
        }
        index += 1
        let following: UInt8? = index < bytes.count ? bytes[index] : nil
        switch byte {
        case UInt8(ascii: "+"): return token(.plus, from: start)
        case UInt8(ascii: "-"): return token(.minus, from: start)
        case UInt8(ascii: "*"): return token(.star, from: start)
        case UInt8(ascii: "/"): return token(.slash, from: start)
        case UInt8(ascii: "("): return token(.leftParen, from: start)
        case UInt8(ascii: ")"): return token(.rightParen, from: start)
        case UInt8(ascii: "["): return token(.leftBracket, from: start)
        case UInt8(ascii: "]"): return token(.rightBracket, from: start)
        case UInt8(ascii: ","): return token(.comma, from: start)
        case UInt8(ascii: "."): return token(.dot, from: start)
        case UInt8(ascii: "<"):
            if following == UInt8(ascii: "=") { index += 1; return token(.lessEqual, from: start) }
            if following == UInt8(ascii: ">") { index += 1; return token(.notEqual, from: start) }
            return token(.less, from: start)
        case UInt8(ascii: ">"):
            if following == UInt8(ascii: "=") { index += 1; return token(.greaterEqual, from: start) }
            return token(.greater, from: start)
        case UInt8(ascii: "="):
            if following == UInt8(ascii: "=") { index += 1; return token(.equal, from: start) }
            throw unexpected(from: start, hint: "write == to compare")
        case UInt8(ascii: "!"):
            if following == UInt8(ascii: "=") { index += 1; return token(.notEqual, from: start) }
            throw unexpected(from: start, hint: "write not")
        case UInt8(ascii: "&"): throw unexpected(from: start, hint: "write and")
        case UInt8(ascii: "|"): throw unexpected(from: start, hint: "write or")
        case UInt8(ascii: "%"): throw unexpected(from: start, hint: "a percentage is a number followed by %, e.g. 3%")
        default:
            // Report a whole character, not one byte of it.
            index -= 1
            while true {
                index += 1
                if index >= bytes.count || bytes[index] & 0xC0 != 0x80 { break }
            }
            throw unexpected(from: start, hint: byte >= 0x80 ? "expressions are written in ASCII" : nil)
        }
    }

    private mutating func number(from start: SourceLocation) throws(ExpressionError) -> Token {
        while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            var look = index + 1
            if look < bytes.count && (bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-")) { look += 1 }
            if look < bytes.count && isDigit(bytes[look]) {
                index = look
                while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            }
        }
        // A name glued to a number ("20d", "1.5x") is a mistake, not two tokens.
        if index < bytes.count && (isLetter(bytes[index]) || bytes[index] == UInt8(ascii: "_") || bytes[index] == UInt8(ascii: ".")) {
            while index < bytes.count && (isLetter(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") || bytes[index] == UInt8(ascii: ".")) { index += 1 }
            throw ExpressionError(.malformedNumber(text(from: start)), at: SourceRange(start: start, end: location), in: source)
        }
        let digits = text(from: start)
        guard var value = Double(digits), value.isFinite else {
            throw ExpressionError(.malformedNumber(digits), at: SourceRange(start: start, end: location), in: source)
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: "%") {
            index += 1
            value /= 100
        }
        return token(.number(value), from: start)
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private func text(from start: SourceLocation) -> String {
        String(decoding: bytes[start.offset..<index], as: UTF8.self)
    }

    private func token(_ kind: Token.Kind, from start: SourceLocation) -> Token {
        Token(kind: kind, range: SourceRange(start: start, end: location), text: text(from: start))
    }

    private func unexpected(from start: SourceLocation, hint: String?) -> ExpressionError {
        ExpressionError(.unexpectedCharacter(text(from: start), hint: hint), at: SourceRange(start: start, end: location), in: source)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
