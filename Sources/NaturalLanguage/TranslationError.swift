/// Why a description could not be turned into a spec, quoting the words at fault.
///
/// ```
/// could not understand "the moon is full" (character 10): expected a condition such as
/// "the 10-day SMA crosses above the 20-day SMA"
/// ```
public struct TranslationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Words the translator cannot place; `expected` says what it was looking for there.
        case notUnderstood(expected: String)
        /// A character no description needs.
        case unexpectedCharacter
        /// A number that is not one (too long, or malformed).
        case unreadableNumber
        /// A phrase that is understood but incomplete or out of range ("the moving average" without a period).
        case incomplete(String)
        /// The description as a whole lacks something: no entry rule, an exit without an entry.
        case missingRule(String)
        /// The description is longer than ``EnglishTranslator/maximumLength`` characters.
        case tooLong(limit: Int)
        /// The spec the words describe is not valid (a parameter out of range, say).
        case invalidSpec(String)
    }

    /// What kept the words from becoming a spec.
    public var kind: Kind
    /// The words at fault, as written (empty when the problem is the description as a whole).
    public var phrase: String
    /// Character offset of the phrase in the description (Unicode scalars), nil for the whole.
    public var offset: Int?

    public init(_ kind: Kind, phrase: String, offset: Int?) {
        self.kind = kind
        self.phrase = phrase
        self.offset = offset
    }

    public var description: String {
        let place = offset.map { " (character \($0 + 1))" } ?? ""
        switch kind {
        case .notUnderstood(let expected):
            return "could not understand \"\(phrase)\"\(place): expected \(expected)"
        case .unexpectedCharacter:
            return "unexpected character \"\(phrase)\"\(place)"
        case .unreadableNumber:
            return "could not read the number \"\(phrase)\"\(place)"
        case .incomplete(let message):
            return "\"\(phrase)\"\(place): \(message)"
        case .missingRule(let message):
            return message
        case .tooLong(let limit):
            return "the description is longer than \(limit) characters"
        case .invalidSpec(let message):
            return (phrase.isEmpty ? "" : "\"\(phrase)\"\(place): ") + message
        }
    }
}
