import NaturalLanguage
import StrategySpec
import Testing

@Suite struct TranslationErrorTests {
    func error(_ text: String) -> TranslationError? {
        do {
            _ = try EnglishTranslator().translate(text)
            return nil
        } catch {
            return error
        }
    }

    /// Words it cannot place are quoted with where they start, never guessed around.
    @Test func nonsenseIsQuoted() throws {
        let moon = try #require(error("buy when the moon is full"))
        #expect(moon.phrase == "the moon is full" && moon.offset == 9)
        #expect(moon.description.hasPrefix("could not understand \"the moon is full\" (character 10): expected a condition"))

        let dance = try #require(error("Buy when RSI crosses above 30 and then dance. Sell when RSI crosses below 70."))
        #expect(dance.phrase == "dance")
        let verb = try #require(error("Purchase when RSI crosses above 30"))
        #expect(verb.phrase == "Purchase when RSI crosses above 30")
        let predicate = try #require(error("Buy when the 10-day SMA wobbles"))
        #expect(predicate.phrase == "wobbles" && predicate.description.contains("crosses above"))
        let elided = try #require(error("Buy when it crosses above 30"))
        #expect(elided.phrase.hasPrefix("it") && elided.description.contains("refer to"))
    }

    @Test func incompleteAndMissingPieces() throws {
        let period = try #require(error("Buy when the close crosses above the moving average"))
        #expect(period.phrase == "moving average" && period.description.contains("give its period"))
        let exitOnly = try #require(error("Sell when RSI is above 70"))
        #expect(exitOnly.kind == .missingRule("an exit for long positions but no rule to buy: say when to buy, or use \"short\" and \"cover\""))
        let coverOnly = try #require(error("Cover when RSI is below 30"))
        #expect(coverOnly.description.contains("none to short"))
        #expect(error("")?.description.contains("empty") == true)
        #expect(error("   ")?.description.contains("empty") == true)
        let stop = try #require(error("Buy when RSI crosses above 30 with a stop loss"))
        #expect(stop.description.contains("a distance for the stop"))
        let macd = try #require(error("Buy when MACD(12) crosses above its signal line"))
        #expect(macd.description.contains("all three periods"))
        let hold = try #require(error("Buy when RSI crosses above 30 and sell after 2.5 days"))
        #expect(hold.description.contains("whole number of bars"))
        let riskWithoutStop = try #require(error("Risk 1% per trade. Buy when RSI crosses above 30."))
        #expect(riskWithoutStop.description.contains("riskPercent sizes from the stop-loss"))
    }

    /// Hostile inputs fail cleanly: very long text, huge or malformed numbers, odd characters,
    /// deep parentheses.
    @Test func hostileInputsAreRefused() throws {
        let long = String(repeating: "buy when RSI crosses above 30 and ", count: 100)
        #expect(error(long)?.kind == .tooLong(limit: EnglishTranslator.maximumLength))
        #expect(error("Buy when the 99999999999999999999-day SMA crosses above 30")?.kind == .unreadableNumber)
        #expect(error("Buy when the 1000000-day SMA crosses above 30")?.description.contains("whole number") == true)
        #expect(error("Buy when RSI crosses above 30 🚀")?.kind == .unexpectedCharacter)
        let nested = "Buy when SMA" + String(repeating: "(", count: 500) + "10" + String(repeating: ")", count: 500) + " crosses above 30"
        #expect(error(nested) != nil)
        // Arbitrary text never traps: every prefix of a valid description either translates or throws.
        let text = "Buy 100 shares when the 10-day SMA crosses above the 20-day SMA with a 5% stop loss, sell after 10 days"
        for end in text.indices {
            _ = error(String(text[..<end]))
        }
    }

    /// The explanation names the defaults it used.
    @Test func defaultsAreExplained() throws {
        let translation = try EnglishTranslator().translate("Find stocks that gap up by more than 3% with high volume")
        let defaults = translation.explanations.compactMap(\.defaultUsed)
        #expect(defaults.contains("high volume means volume above 1.5 times its 20-bar average"))
        #expect(defaults.contains { $0.hasPrefix("a screen is tested by buying at the next open and holding 5 bars") })
        let rsi = try EnglishTranslator().translate("Buy when RSI crosses above 30")
        #expect(rsi.explanations.contains { $0.phrase == "RSI" && $0.defaultUsed == "RSI over 14 bars, TA-Lib's default" })
        let atr = try EnglishTranslator().translate("Buy when RSI crosses above 30 with a stop loss at 2 ATR and a take profit at 3 ATR(10)")
        #expect(atr.spec.risk == .init(stopLoss: .atr(multiple: 2, period: 14), takeProfit: .atr(multiple: 3, period: 10)))
        #expect(atr.explanations.filter { $0.defaultUsed == "ATR over 14 bars" }.map(\.phrase) == ["with a stop loss at 2 ATR"])
        #expect(rsi.explanationText.contains("\"Buy when RSI crosses above 30\" → $.long.entry: rsi(close, 14) crosses_above 30"))
    }

    /// "the stock", "the price", "the close" all name the close.
    @Test func theStockIsTheClose() throws {
        for subject in ["the stock", "the price", "the close", "the stock price", "the closing price", "price"] {
            let spec = try EnglishTranslator().translate("Buy when \(subject) is above the 50-day SMA").spec
            #expect(spec.long?.entry == "close > sma(close, 50)", "\(subject)")
        }
    }

    /// A translated spec is a valid spec: it survives JSON and compiles.
    @Test func translationsAreValidSpecs() throws {
        for text in ["Buy when the 10-day SMA crosses above the 20-day SMA with a 2 ATR stop loss and a 8% trailing stop, sell after 20 days",
                     "Short when the RSI crosses below 70 and cover when it crosses below 30; risk 1% per trade with a 5% stop"] {
            let spec = try EnglishTranslator().translate(text).spec
            #expect(try StrategySpec(json: spec.json) == spec)
        }
    }
}
