import StrategySpec

/// A value a description names: an expression and whether it is a condition.
struct Phrase: Sendable, Equatable {
    var expression: String
    /// For "its 20-day average": the series "its" refers to.
    var series: String?
}

/// The recursive-descent reader behind ``EnglishTranslator``: one pass over the tokens, clause
/// by clause, recording what each phrase produced.
struct EnglishParser {
    enum Slot: String { case longEntry = "$.long.entry", longExit = "$.long.exit", shortEntry = "$.short.entry", shortExit = "$.short.exit" }

    let scalars: [Unicode.Scalar]
    var tokens: [EnglishToken]
    var i = 0
    var explanations: [Translation.Explanation] = []

    var rules: [Slot: String] = [:]
    var risk = StrategySpec.RiskRules()
    var sizing: StrategySpec.Sizing = .allIn
    var heading: String?
    /// The subject and object of the last comparison, for "sell when it crosses below".
    var lastSubject: Phrase?
    var lastObject: Phrase?

    init(_ text: String) throws(TranslationError) {
        scalars = Array(text.unicodeScalars)
        tokens = try tokenize(text)
    }

    // MARK: - Reading tokens

    func word(_ offset: Int = 0) -> String? { i + offset < tokens.count ? tokens[i + offset].word : nil }

    var atEnd: Bool { i >= tokens.count }

    /// Consumes `words` if they come next, in order.
    mutating func accept(_ words: String...) -> Bool { accept(words) }

    mutating func accept(_ words: [String]) -> Bool {
        guard i + words.count <= tokens.count else { return false }
        for (k, w) in words.enumerated() where tokens[i + k].word != w { return false }
        i += words.count
        return true
    }

    /// Consumes the longest of `options` that comes next; returns it.
    mutating func acceptLongest(_ options: [[String]]) -> [String]? {
        for option in options.sorted(by: { $0.count > $1.count }) where accept(option) { return option }
        return nil
    }

    mutating func acceptMark(_ mark: Character) -> Bool {
        guard i < tokens.count, tokens[i].isMark(mark) else { return false }
        i += 1
        return true
    }

    /// The description's text from token `a` up to (not including) token `b`.
    func text(_ a: Int, _ b: Int) -> String {
        guard a < b, a < tokens.count else { return "" }
        let end = tokens[Swift.min(b, tokens.count) - 1].end
        return String(String.UnicodeScalarView(scalars[tokens[a].start..<end]))
    }

    mutating func explain(_ from: Int, _ meaning: String, defaultUsed: String? = nil) {
        explanations.append(Translation.Explanation(phrase: text(from, i), meaning: meaning, defaultUsed: defaultUsed))
    }

    /// The words from token `from` to the end of the clause (the next `.`, `;` or `,`), quoted in errors.
    func clause(from: Int) -> String {
        var end = from
        while end < tokens.count, !(tokens[end].isMark(".") || tokens[end].isMark(";") || tokens[end].isMark(",")) { end += 1 }
        return text(from, Swift.max(end, from + 1))
    }

    func failure(_ expected: String, at position: Int? = nil) -> TranslationError {
        let at = position ?? i
        guard at < tokens.count else {
            return TranslationError(.notUnderstood(expected: expected), phrase: text(Swift.max(0, tokens.count - 3), tokens.count),
                                    offset: tokens.isEmpty ? nil : tokens[Swift.max(0, tokens.count - 3)].start)
        }
        return TranslationError(.notUnderstood(expected: expected), phrase: clause(from: at), offset: tokens[at].start)
    }

    // MARK: - The description

    mutating func parse() throws(TranslationError) {
        // "Buy oversold, sell overbought: RSI crosses above 30 to enter, …": what comes before a
        // colon that is followed by rules is a heading.
        if let colon = tokens.firstIndex(where: { $0.isMark(":") }), colon > 0, colon + 1 < tokens.count {
            heading = text(0, colon)
            i = colon
            explanations.append(Translation.Explanation(phrase: heading!, meaning: "$.name: a heading; the rules follow the colon"))
        }
        while !atEnd {
            if acceptMark(",") || acceptMark(".") || acceptMark(";") || acceptMark(":") || acceptMark(")")
                || accept("and") || accept("then") || accept("also") || accept("but") || accept("otherwise") {
                continue
            }
            try clause()
        }
    }

    /// One instruction: a rule, a risk rule, a size or a holding period.
    mutating func clause() throws(TranslationError) {
        let start = i
        if try riskPhrase() { return }
        if try sizePhrase() { return }
        if try holdPhrase() { return }
        if let slot = actionVerb() {
            try ruleBody(slot, from: start)
            return
        }
        if try screen() { return }
        // "RSI crosses above 30 to enter": the condition first, the action after.
        if startsCondition() {
            let condition = try self.condition()
            if accept("to", "enter") || accept("to", "buy") || accept("to", "go", "long") {
                record(.longEntry, condition, from: start)
            } else if accept("to", "exit") || accept("to", "sell") || accept("to", "close") {
                record(.longExit, condition, from: start)
            } else if accept("to", "short") || accept("to", "go", "short") {
                record(.shortEntry, condition, from: start)
            } else if accept("to", "cover") {
                record(.shortExit, condition, from: start)
            } else {
                throw failure("what to do when it holds: \"to enter\" or \"to exit\" (or start with \"buy when\", \"sell when\")", at: start)
            }
            return
        }
        throw failure("an instruction such as \"buy when …\", \"sell when …\", \"short when …\", \"cover when …\", "
            + "a stop-loss, a take-profit, a size or \"sell after N days\"")
    }

    /// Buy, sell, short or cover, in their usual phrasings.
    mutating func actionVerb() -> Slot? {
        if acceptLongest([["sell", "short"], ["go", "short"], ["short"], ["enter", "short"], ["open", "a", "short", "position"],
                          ["enter", "a", "short", "position"], ["short", "sell"]]) != nil { return .shortEntry }
        if acceptLongest([["cover"], ["buy", "to", "cover"], ["cover", "the", "short"], ["exit", "short"], ["exit", "the", "short"],
                          ["close", "the", "short"]]) != nil { return .shortExit }
        if acceptLongest([["buy"], ["go", "long"], ["enter", "long"], ["enter"], ["open", "a", "long", "position"],
                          ["enter", "a", "long", "position"], ["buy", "the", "stock"], ["long"]]) != nil { return .longEntry }
        if acceptLongest([["sell"], ["exit"], ["close"], ["get", "out"], ["exit", "long"], ["exit", "the", "position"],
                          ["close", "the", "position"], ["sell", "the", "position"], ["exit", "the", "trade"], ["close", "the", "trade"],
                          ["sell", "everything"], ["close", "out"]]) != nil { return .longExit }
        return nil
    }

    /// After the verb: an optional size, then "when/if …", "after N days", or an adjective.
    mutating func ruleBody(_ slot: Slot, from start: Int) throws(TranslationError) {
        if slot == .longEntry || slot == .shortEntry { _ = try inlineSize() }
        _ = accept("it") || accept("the", "stock") || accept("shares") || accept("the", "shares") || accept("the", "position")
        if slot == .longExit || slot == .shortExit, accept("after") || accept("in") {
            let bars = try duration(from: start)
            setMaxBars(bars, from: start)
            return
        }
        if acceptLongest([["when"], ["if"], ["once"], ["as", "soon", "as"], ["whenever"], ["on"], ["where"], ["while"]]) != nil {
            let condition = try self.condition()
            record(slot, condition, from: start)
            return
        }
        if let adjective = try adjectiveCondition() {
            record(slot, adjective, from: start)
            return
        }
        throw failure("\"when\" or \"if\" and a condition, e.g. \"when the 10-day SMA crosses above the 20-day SMA\"")
    }

    /// Puts `condition` in `slot` (a second condition for the same slot is or-ed with the first).
    mutating func record(_ slot: Slot, _ condition: String, from start: Int) {
        if let existing = rules[slot] {
            rules[slot] = "(\(existing)) or (\(condition))"
            explain(start, "\(slot.rawValue): or-ed with the rule before: \(condition)")
        } else {
            rules[slot] = condition
            explain(start, "\(slot.rawValue): \(condition)")
        }
    }

    mutating func setMaxBars(_ bars: Int, from start: Int) {
        risk.maxBarsHeld = bars
        explain(start, "$.risk.maxBarsHeld: \(bars) (a trade leaves at the open \(bars) bar\(bars == 1 ? "" : "s") after it entered)")
    }

    // MARK: - Screens

    /// "Find stocks that gap up by more than 3% with high volume": a long entry on the
    /// condition, held for a default number of bars unless the description says otherwise.
    mutating func screen() throws(TranslationError) -> Bool {
        let start = i
        guard acceptLongest([["find"], ["identify"], ["scan", "for"], ["screen", "for"], ["show", "me"], ["look", "for"], ["search", "for"]]) != nil
        else { return false }
        _ = accept("all")
        var adjectives: [String] = []
        while let adjective = try adjectiveCondition() { adjectives.append(adjective) }
        guard acceptLongest([["stocks"], ["stock"], ["symbols"], ["shares"], ["names"], ["equities"], ["tickers"], ["days"], ["bars"]]) != nil else {
            throw failure("what to find, e.g. \"stocks that gap up more than 3%\"")
        }
        var conditions: [String] = []
        if acceptLongest([["that"], ["which"], ["with"], ["where"], ["whose"], ["when"], ["having"]]) != nil {
            _ = accept("are") || accept("have")
            conditions.append(try condition())
        }
        // An adjective that restates the explicit condition ("oversold stocks with RSI below 30") adds nothing.
        for adjective in adjectives where !conditions.contains(adjective) { conditions.append(adjective) }
        guard !conditions.isEmpty else { throw failure("a condition, e.g. \"stocks with RSI below 30\"") }
        record(.longEntry, conditions.count == 1 ? conditions[0] : conditions.map { Self.parenthesized($0) }.joined(separator: " and "),
               from: start)
        if risk.maxBarsHeld == nil {
            risk.maxBarsHeld = EnglishTranslator.screenHoldingBars
            explanations.append(Translation.Explanation(
                phrase: text(start, start + 1),
                meaning: "$.risk.maxBarsHeld: \(EnglishTranslator.screenHoldingBars)",
                defaultUsed: "a screen is tested by buying at the next open and holding \(EnglishTranslator.screenHoldingBars) bars; "
                    + "say \"sell after N days\" to change it"))
        }
        return true
    }

    static func parenthesized(_ expression: String) -> String {
        expression.contains(" or ") || expression.contains(" and ") ? "(\(expression))" : expression
    }

    // MARK: - Risk, size, holding period

    /// "with a 5% stop loss", "stop-loss at 2 ATR", "take profit at 10%", "a 8% trailing stop".
    mutating func riskPhrase() throws(TranslationError) -> Bool {
        let start = i
        _ = acceptLongest([["with"], ["use"], ["using"], ["set"], ["place"], ["and"], ["put"]])
        _ = accept("a") || accept("an")
        // A distance may come first: "a 5% stop loss".
        let leading = try distance()
        let kind: WritableKeyPath<StrategySpec.RiskRules, StrategySpec.PriceDistance?>
        let name: String
        if acceptLongest([["trailing", "stop", "loss"], ["trailing", "stop"], ["trailing", "stops"], ["trail"]]) != nil {
            (kind, name) = (\.trailingStop, "trailingStop")
        } else if acceptLongest([["stop", "loss"], ["stoploss"], ["stop", "losses"], ["protective", "stop"], ["stop"]]) != nil {
            (kind, name) = (\.stopLoss, "stopLoss")
        } else if acceptLongest([["take", "profit"], ["take", "profits"], ["takeprofit"], ["profit", "target"], ["target"],
                                 ["profit", "taking"]]) != nil {
            (kind, name) = (\.takeProfit, "takeProfit")
        } else {
            i = start
            return false
        }
        var value = leading
        if value == nil {
            _ = acceptLongest([["of"], ["at"], ["set", "at"], ["is"], ["to"]])
            value = try distance()
        }
        guard let value else { throw failure("a distance for the \(name == "takeProfit" ? "take-profit" : "stop"): \"5%\", \"$2\" or \"2 ATR\"") }
        _ = acceptLongest([["below", "the", "entry"], ["below", "entry"], ["above", "the", "entry"], ["above", "entry"], ["from", "the", "entry"],
                           ["from", "entry"], ["from", "the", "entry", "price"], ["below", "the", "entry", "price"],
                           ["above", "the", "entry", "price"], ["below", "the", "high"], ["below", "the", "highest", "price"]])
        risk[keyPath: kind] = value.distance
        explain(start, "$.risk.\(name): \(value.distance)", defaultUsed: value.defaultUsed)
        return true
    }

    /// `5%` → percent, `$2` or `2 points` → amount, `2 ATR`, `2x ATR(10)`, `2 times the ATR` → ATR
    /// multiple, with the default it used (an ATR without a period is over 14 bars).
    mutating func distance() throws(TranslationError) -> (distance: StrategySpec.PriceDistance, defaultUsed: String?)? {
        guard i < tokens.count else { return nil }
        switch tokens[i].kind {
        case .percent(let p):
            i += 1
            return (.percent(p), nil)
        case .money(let amount):
            i += 1
            return (.amount(amount), nil)
        case .number(let n):
            let save = i
            i += 1
            _ = accept("times") || accept("x")
            _ = accept("the")
            if acceptLongest([["atr"], ["atrs"], ["average", "true", "range"], ["average", "true", "ranges"]]) != nil {
                var period: Double?
                if acceptMark("(") {
                    guard let p = tokens[safe: i]?.number else { throw failure("the ATR's period, e.g. ATR(14)") }
                    i += 1
                    guard acceptMark(")") else { throw failure("\")\" after the ATR's period") }
                    period = p
                }
                let bars = period ?? Double(StrategySpec.PriceDistance.defaultATRPeriod)
                guard bars == bars.rounded(), bars >= 1, bars <= 100_000 else {
                    throw TranslationError(.incomplete("the ATR period must be a whole number of bars"), phrase: text(save, i), offset: tokens[save].start)
                }
                return (.atr(multiple: n, period: Int(bars)), period == nil ? "ATR over 14 bars" : nil)
            }
            if acceptLongest([["points"], ["point"], ["dollars"], ["dollar"]]) != nil { return (.amount(n), nil) }
            i = save
            return nil
        default:
            return nil
        }
    }

    /// "buy 100 shares", "buy $5,000 worth", "buy with 10% of equity" (after the verb).
    mutating func inlineSize() throws(TranslationError) -> Bool {
        let start = i
        if let n = tokens[safe: i]?.number, [["shares"], ["share"], ["units"], ["unit"], ["contracts"], ["lots"]].contains(where: { tokens[safe: i + 1]?.word == $0[0] }) {
            i += 2
            sizing = .units(n)
            explain(start, "$.sizing: units \(Vocabulary.format(n))")
            return true
        }
        if case .money(let amount) = tokens[safe: i]?.kind {
            i += 1
            _ = accept("worth") || accept("of", "stock") || accept("worth", "of", "stock") || accept("of", "it")
            sizing = .notional(amount)
            explain(start, "$.sizing: notional \(Vocabulary.format(amount))")
            return true
        }
        if accept("with") || accept("using") {
            if try percentOfEquity(from: start) { return true }
            i = start
        }
        return false
    }

    /// "10% of equity", "10% of the portfolio".
    mutating func percentOfEquity(from start: Int) throws(TranslationError) -> Bool {
        guard case .percent(let p) = tokens[safe: i]?.kind else { return false }
        let save = i
        i += 1
        guard accept("of") else { i = save; return false }
        _ = accept("the") || accept("my") || accept("our") || accept("total")
        guard acceptLongest([["equity"], ["portfolio"], ["capital"], ["account"], ["cash"], ["account", "equity"], ["money"]]) != nil else {
            i = save
            return false
        }
        sizing = .percentOfEquity(p)
        explain(start, "$.sizing: percentOfEquity \(Vocabulary.format(p))")
        _ = acceptLongest([["per", "trade"], ["on", "each", "trade"], ["in", "each", "trade"], ["per", "position"]])
        return true
    }

    /// "invest 10% of equity per trade", "use $5,000 per trade", "risk 1% per trade", "trade 100 shares".
    mutating func sizePhrase() throws(TranslationError) -> Bool {
        let start = i
        if accept("risk") || accept("risking") {
            guard case .percent(let p) = tokens[safe: i]?.kind else { i = start; return false }
            i += 1
            _ = accept("of", "equity") || accept("of", "the", "account") || accept("of", "capital") || accept("of", "the", "portfolio")
            _ = acceptLongest([["per", "trade"], ["on", "each", "trade"], ["each", "trade"]])
            sizing = .riskPercent(p)
            explain(start, "$.sizing: riskPercent \(Vocabulary.format(p)) (sized from the stop-loss)")
            return true
        }
        guard acceptLongest([["invest"], ["use"], ["allocate"], ["put"], ["trade"], ["size", "each", "trade", "at"], ["size", "positions", "at"]]) != nil
        else { return false }
        if try percentOfEquity(from: start) { return true }
        if case .money(let amount) = tokens[safe: i]?.kind {
            i += 1
            _ = acceptLongest([["per", "trade"], ["on", "each", "trade"], ["in", "each", "trade"], ["per", "position"]])
            sizing = .notional(amount)
            explain(start, "$.sizing: notional \(Vocabulary.format(amount))")
            return true
        }
        if let n = tokens[safe: i]?.number, ["shares", "share", "units", "contracts"].contains(tokens[safe: i + 1]?.word ?? "") {
            i += 2
            _ = acceptLongest([["per", "trade"], ["each", "time"], ["at", "a", "time"]])
            sizing = .units(n)
            explain(start, "$.sizing: units \(Vocabulary.format(n))")
            return true
        }
        i = start
        return false
    }

    /// "hold for 5 days", "hold for at most 10 bars", "exit after 5 days" (the latter via the verb).
    mutating func holdPhrase() throws(TranslationError) -> Bool {
        let start = i
        guard accept("hold") || accept("holding") else { return false }
        _ = accept("it") || accept("the", "position") || accept("positions") || accept("each", "trade") || accept("trades")
        _ = accept("for")
        _ = accept("at", "most") || accept("up", "to") || accept("no", "more", "than")
        let bars = try duration(from: start)
        setMaxBars(bars, from: start)
        return true
    }

    /// `N days` (weeks and months in trading days), as whole bars ≥ 1.
    mutating func duration(from start: Int) throws(TranslationError) -> Int {
        guard let n = tokens[safe: i]?.number else { throw failure("a number of days or bars, e.g. \"5 days\"") }
        i += 1
        guard let unit = word(), let perUnit = Vocabulary.units[unit] else { throw failure("a unit: days, bars, weeks or months") }
        i += 1
        _ = accept("later")
        let bars = n * perUnit
        guard bars == bars.rounded(), bars >= 1, bars <= 1_000_000 else {
            throw TranslationError(.incomplete("must come to a whole number of bars, 1 or more"), phrase: text(start, i), offset: tokens[start].start)
        }
        return Int(bars)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { index >= 0 && index < count ? self[index] : nil }
}
