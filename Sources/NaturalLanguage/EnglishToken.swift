/// One word, number or mark of an English description, with where it came from.
struct EnglishToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A word in lower case, apostrophes removed ("it's" → "its").
        case word(String)
        /// A plain number: `10`, `1.5`, `5,000`, or a number word ("ten").
        case number(Double)
        /// A number written with `%`: `3%` is `percent(3)`.
        case percent(Double)
        /// An amount written with `$`: `$5,000` is `money(5000)`.
        case money(Double)
        /// `,` `.` `;` `:` `(` `)` `>` `<` `=`
        case mark(Character)
    }

    var kind: Kind
    /// Character offsets into the description, `start..<end`.
    var start: Int
    var end: Int

    var word: String? {
        if case .word(let text) = kind { return text }
        return nil
    }

    var number: Double? {
        if case .number(let value) = kind { return value }
        return nil
    }

    func isMark(_ mark: Character) -> Bool { kind == .mark(mark) }
}

/// Splits a description into tokens. Letters make words (hyphens and apostrophes inside a word
/// split or vanish: "10-day" is `10`, `day`; "stop-loss" is `stop`, `loss`), digits make numbers
/// (a thousands comma is part of the number: "5,000"), `%` after a number makes a percentage and
/// `$` before one an amount, and "1.5x" is `1.5`, `times`. Number words up to "hundred" count
/// as numbers.
///
/// - Throws: ``TranslationError`` for a character no description needs (quoting it).
func tokenize(_ text: String) throws(TranslationError) -> [EnglishToken] {
    let scalars = Array(text.unicodeScalars)
    var tokens: [EnglishToken] = []
    var i = 0
    func isLetter(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic }
    func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    while i < scalars.count {
        let s = scalars[i]
        if s.properties.isWhitespace || s == "-" || s == "\"" || s == "'" || s == "\u{2019}" || s == "!" || s == "?" {
            i += 1
            continue
        }
        let start = i
        if isDigit(s) || (s == "." && i + 1 < scalars.count && isDigit(scalars[i + 1])) || s == "$" {
            let money = s == "$"
            if money { i += 1 }
            var digits = ""
            while i < scalars.count {
                let c = scalars[i]
                if isDigit(c) {
                    digits.unicodeScalars.append(c)
                } else if c == "." && i + 1 < scalars.count && isDigit(scalars[i + 1]) && !digits.contains(".") {
                    digits.append(".")
                } else if c == "," && i + 3 < scalars.count && (1...3).allSatisfy({ isDigit(scalars[i + $0]) })
                            && !(i + 4 < scalars.count && isDigit(scalars[i + 4])) && !digits.isEmpty && !digits.contains(".") {
                    // A thousands separator: exactly three digits follow.
                } else {
                    break
                }
                i += 1
            }
            guard let value = Double(digits), value.isFinite, digits.count <= 15 else {
                throw TranslationError(.unreadableNumber, phrase: String(String.UnicodeScalarView(scalars[start..<Swift.max(i, start + 1)])),
                                       offset: start)
            }
            if money {
                tokens.append(EnglishToken(kind: .money(value), start: start, end: i))
            } else if i < scalars.count, scalars[i] == "%" {
                i += 1
                tokens.append(EnglishToken(kind: .percent(value), start: start, end: i))
            } else {
                tokens.append(EnglishToken(kind: .number(value), start: start, end: i))
                // "1.5x", "2×": times.
                if i < scalars.count, scalars[i] == "x" || scalars[i] == "X" || scalars[i] == "×",
                   !(i + 1 < scalars.count && isLetter(scalars[i + 1])) {
                    tokens.append(EnglishToken(kind: .word("times"), start: i, end: i + 1))
                    i += 1
                }
            }
            continue
        }
        if isLetter(s) {
            var word = ""
            while i < scalars.count {
                let c = scalars[i]
                if isLetter(c) || isDigit(c) {
                    word.unicodeScalars.append(c)
                } else if (c == "'" || c == "\u{2019}") && i + 1 < scalars.count && isLetter(scalars[i + 1]) {
                    // "it's" → "its", "don't" → "dont"
                } else {
                    break
                }
                i += 1
            }
            let lower = word.lowercased()
            if let value = numberWords[lower] {
                tokens.append(EnglishToken(kind: .number(value), start: start, end: i))
            } else {
                tokens.append(EnglishToken(kind: .word(lower), start: start, end: i))
            }
            continue
        }
        if ",.;:()<>=".unicodeScalars.contains(s) {
            tokens.append(EnglishToken(kind: .mark(Character(s)), start: start, end: i + 1))
            i += 1
            continue
        }
        if s == "×" || s == "*" {
            tokens.append(EnglishToken(kind: .word("times"), start: start, end: i + 1))
            i += 1
            continue
        }
        throw TranslationError(.unexpectedCharacter, phrase: String(Character(s)), offset: start)
    }
    return tokens
}

/// Number words a description may use instead of digits.
let numberWords: [String: Double] = [
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
]
