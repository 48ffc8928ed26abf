import StrategySpec

/// What an English description became: the spec, and for every phrase the part of the spec it
/// produced.
public struct Translation: Sendable, Equatable {
    /// One phrase of the description and what it produced.
    public struct Explanation: Sendable, Equatable, CustomStringConvertible {
        /// The words as written.
        public var phrase: String
        /// Where in the spec (a JSON path such as `$.long.entry`, or a reading such as
        /// `sma(close, 10)`) and how.
        public var meaning: String
        /// Set when the phrase left something unsaid and a documented default filled it in
        /// ("high volume" → 1.5 × its 20-bar average).
        public var defaultUsed: String?

        public init(phrase: String, meaning: String, defaultUsed: String? = nil) {
            self.phrase = phrase
            self.meaning = meaning
            self.defaultUsed = defaultUsed
        }

        public var description: String {
            "\"\(phrase)\" → \(meaning)" + (defaultUsed.map { " (default: \($0))" } ?? "")
        }
    }

    public var spec: StrategySpec
    /// In the order the phrases appear.
    public var explanations: [Explanation]

    /// The explanation as lines of text.
    public var explanationText: String { explanations.map(\.description).joined(separator: "\n") }
}
