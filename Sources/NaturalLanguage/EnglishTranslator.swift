import StrategySpec

/// Turns an English description of a strategy into a `StrategySpec`, deterministically and
/// without a network.
///
/// It reads the phrasings traders use: indicators with their periods written many ways ("the
/// 10-day simple moving average", "SMA(10)", "10 period SMA", "RSI 14"), crosses ("crosses
/// above/over/below/under"), comparisons ("is above", "is at least"), breakouts, gaps, volume
/// against its average, stop-loss, take-profit and trailing-stop phrases, holding periods, sizes,
/// long and short rules, and screens ("find stocks that …"). Every phrase it uses appears in the
/// ``Translation/explanations``; words it cannot place are an error that quotes them, never a
/// guess. The vague words it does accept resolve to documented defaults that the explanation
/// names (docs/english.md).
///
/// Complexity: linear in the length of the description, which is limited to ``maximumLength``.
public struct EnglishTranslator: Sendable {
    /// The longest description read, in characters.
    public static let maximumLength = 2_000
    /// "High volume": volume above this multiple of its average …
    public static let highVolumeMultiple = 1.5
    /// … over this many bars (also the period of an average named without one).
    public static let volumeAveragePeriod = 20
    /// Bars a screen ("find stocks that …") holds each trade when the description gives no exit.
    public static let screenHoldingBars = 5

    /// A translator; it holds no state, so one can serve any number of descriptions.
    public init() {}

    /// The spec the description asks for, and what each phrase produced.
    ///
    /// - Throws: ``TranslationError`` quoting the words it could not place, an incomplete phrase
    ///   (an average without a period), a description without an entry rule, or a spec that is
    ///   not valid (a size out of range).
    public func translate(_ description: String) throws(TranslationError) -> Translation {
        guard description.unicodeScalars.count <= Self.maximumLength else {
            throw TranslationError(.tooLong(limit: Self.maximumLength), phrase: "", offset: nil)
        }
        var parser = try EnglishParser(description)
        guard !parser.tokens.isEmpty else {
            throw TranslationError(.missingRule("the description is empty: say when to buy (or short), e.g. \"buy when RSI crosses above 30\""),
                                   phrase: "", offset: nil)
        }
        try parser.parse()
        let rules = parser.rules
        if rules[.longExit] != nil, rules[.longEntry] == nil {
            throw TranslationError(.missingRule("an exit for long positions but no rule to buy: say when to buy, or use \"short\" and \"cover\""),
                                   phrase: "", offset: nil)
        }
        if rules[.shortExit] != nil, rules[.shortEntry] == nil {
            throw TranslationError(.missingRule("a rule to cover but none to short: say when to short"), phrase: "", offset: nil)
        }
        guard rules[.longEntry] != nil || rules[.shortEntry] != nil else {
            throw TranslationError(.missingRule("no entry rule: say when to buy (or short), e.g. \"buy when RSI crosses above 30\""),
                                   phrase: "", offset: nil)
        }
        var spec = StrategySpec(name: Self.name(parser.heading), description: description)
        if let entry = rules[.longEntry] { spec.long = StrategySpec.Rules(entry: entry, exit: rules[.longExit]) }
        if let entry = rules[.shortEntry] { spec.short = StrategySpec.Rules(entry: entry, exit: rules[.shortExit]) }
        spec.sizing = parser.sizing
        spec.risk = parser.risk
        do {
            _ = try spec.compiled()
        } catch {
            throw TranslationError(.invalidSpec(error.description), phrase: "", offset: nil)
        }
        return Translation(spec: spec, explanations: parser.explanations)
    }

    /// A spec name from the heading, else "described".
    static func name(_ heading: String?) -> String {
        guard let heading else { return "described" }
        let words = heading.lowercased().split { !$0.isLetter && !$0.isNumber }
        return words.isEmpty ? "described" : words.prefix(8).joined(separator: "-")
    }
}
