/// Conditions: comparisons, crosses, gaps, breakouts and the words traders use for them.
extension EnglishParser {
    /// Words that begin a new instruction, so an "and" before them ends the condition.
    static let instructionStarts: Set<String> = ["buy", "sell", "short", "cover", "exit", "close", "go", "enter", "get", "hold",
                                                 "invest", "use", "risk", "allocate", "set", "place", "with", "take", "trailing",
                                                 "stop", "find", "identify", "then", "open"]

    /// True when the next words begin a condition rather than an instruction.
    func startsCondition() -> Bool {
        guard let token = tokens[safe: i] else { return false }
        if case .number = token.kind { return true }
        guard let w = token.word else { return token.isMark("(") }
        if ["crosses", "cross", "crossed", "rises", "falls", "drops", "is", "gaps", "breaks", "closes"].contains(w) { return lastSubject != nil }
        return !Self.instructionStarts.contains(w)
    }

    /// `a or b or …`, each `a and b and …`.
    mutating func condition() throws(TranslationError) -> String {
        var alternatives = [try conjunction()]
        while word() == "or", !Self.instructionStarts.contains(word(1) ?? "") {
            i += 1
            alternatives.append(try conjunction())
        }
        return alternatives.count == 1 ? alternatives[0] : alternatives.map { "(\($0))" }.joined(separator: " or ")
    }

    mutating func conjunction() throws(TranslationError) -> String {
        var parts = [try atom()]
        while true {
            let save = i
            if (word() == "and" || word() == "but" || word() == "while" || word() == "with"), !isRiskAhead(1) {
                let joiner = word()!
                i += 1
                _ = accept("when") || accept("if") || accept("the", "stock")
                if joiner != "with", let next = word(), Self.instructionStarts.contains(next) {
                    i = save
                    break
                }
                parts.append(try atom())
            } else {
                break
            }
        }
        return parts.count == 1 ? parts[0] : parts.map { Self.parenthesized($0) }.joined(separator: " and ")
    }

    /// True when a stop-loss, take-profit or trailing stop is named within the next few words.
    func isRiskAhead(_ offset: Int) -> Bool {
        for k in offset..<(offset + 5) {
            guard let w = word(k) else { continue }
            if ["stop", "stoploss", "trailing", "profit", "target", "take"].contains(w) { return true }
        }
        return false
    }

    /// One comparison, cross, gap, breakout or adjective.
    mutating func atom() throws(TranslationError) -> String {
        let start = i
        if accept("not") {
            let inner = try atom()
            return "not \(Self.parenthesized(inner))"
        }
        if let adjective = try adjectiveCondition() { return adjective }
        if let special = try gapOrBreakout(subjectStart: start) { return special }

        // The subject, or the last one when the sentence leaves it out ("… and sell when it crosses below").
        var subject: Phrase
        if accept("it") || accept("they") {
            guard let last = lastSubject else { throw failure("something for \"it\" to refer to, e.g. \"the 10-day SMA\"", at: start) }
            subject = last
        } else if let named = try operand() {
            subject = named
        } else if let last = lastSubject, startsPredicate() {
            subject = last
        } else {
            throw failure("a condition such as \"the 10-day SMA crosses above the 20-day SMA\" or \"RSI is below 30\"")
        }
        // "the stock gaps up …", "price breaks above …"
        if let special = try gapOrBreakout(subjectStart: start, subject: subject) { return special }

        let predicateStart = i
        if let direction = crossVerb() {
            let verbEnd = i
            let object = try self.object(of: subject, expected: "what it crosses, e.g. \"the 20-day SMA\" or \"30\"")
            explanations.append(Translation.Explanation(phrase: text(predicateStart, verbEnd),
                                                        meaning: direction + (direction == "crosses_above" ? " (below on the bar before, above on this one)"
                                                                                                           : " (above on the bar before, below on this one)")))
            return "\(subject.expression) \(direction) \(object.expression)"
        }
        if let comparator = comparisonWord() {
            let object = try self.object(of: subject, expected: "what it is compared with, e.g. \"the 50-day SMA\" or \"30\"")
            return "\(subject.expression) \(comparator) \(object.expression)"
        }
        if let trend = try trendWord(subject) { return trend }
        throw failure("\"crosses above\", \"crosses below\", \"is above\", \"is below\" or another comparison")
    }

    /// What a cross or comparison is against: the words that follow, or the last object when the
    /// sentence leaves it out ("sell when it crosses below"). Remembers both for the next ellipsis.
    mutating func object(of subject: Phrase, expected: String) throws(TranslationError) -> Phrase {
        let object: Phrase
        if let named = try operand(its: subject) {
            object = named
        } else if let last = lastObject {
            object = last
        } else {
            throw failure(expected)
        }
        lastSubject = subject
        lastObject = object
        return object
    }

    func startsPredicate() -> Bool {
        guard let w = word() else { return false }
        return ["crosses", "cross", "crossed", "crossing", "rises", "falls", "drops", "is", "are", "moves", "climbs", "dips", "goes",
                "above", "below", "over", "under", "closes", "stays", "remains", "exceeds", "greater", "less"].contains(w)
    }

    /// `crosses_above` or `crosses_below`, for "crosses above/over", "rises above", "falls below", …
    mutating func crossVerb() -> String? {
        let start = i
        _ = accept("has") || accept("just")
        if acceptLongest([["crosses", "above"], ["crosses", "over"], ["cross", "above"], ["cross", "over"], ["crossed", "above"],
                          ["crossed", "over"], ["crossing", "above"], ["crosses", "back", "above"], ["rises", "above"], ["moves", "above"],
                          ["climbs", "above"], ["goes", "above"], ["breaks", "above"], ["crosses", "up", "through"], ["crosses", "up"],
                          ["rise", "above"], ["move", "above"]]) != nil {
            return "crosses_above"
        }
        if acceptLongest([["crosses", "below"], ["crosses", "under"], ["cross", "below"], ["cross", "under"], ["crossed", "below"],
                          ["crossed", "under"], ["crossing", "below"], ["crosses", "back", "below"], ["falls", "below"], ["drops", "below"],
                          ["moves", "below"], ["dips", "below"], ["goes", "below"], ["breaks", "below"], ["crosses", "down", "through"],
                          ["crosses", "down"], ["fall", "below"], ["drop", "below"], ["move", "below"]]) != nil {
            return "crosses_below"
        }
        i = start
        return nil
    }

    /// `>`, `<`, `>=` or `<=` for "is above", "is greater than", "is at least", "closes above", …
    mutating func comparisonWord() -> String? {
        let start = i
        _ = acceptLongest([["is"], ["are"], ["was"], ["stays"], ["remains"], ["closes"], ["trades"], ["closed"], ["is", "still"]])
        if acceptLongest([["at", "least"], ["greater", "than", "or", "equal", "to"], ["no", "less", "than"], ["not", "below"]]) != nil
            || (acceptMark(">") && acceptMark("=")) {
            return ">="
        }
        if acceptLongest([["at", "most"], ["less", "than", "or", "equal", "to"], ["no", "more", "than"], ["not", "above"]]) != nil
            || (acceptMark("<") && acceptMark("=")) {
            return "<="
        }
        if acceptLongest([["above"], ["over"], ["greater", "than"], ["higher", "than"], ["more", "than"], ["bigger", "than"],
                          ["larger", "than"], ["exceeds"], ["exceed"]]) != nil || acceptMark(">") {
            return ">"
        }
        if acceptLongest([["below"], ["under"], ["less", "than"], ["lower", "than"], ["smaller", "than"], ["beneath"]]) != nil
            || acceptMark("<") {
            return "<"
        }
        i = start
        return nil
    }

    /// "is rising", "has been falling for 3 days".
    mutating func trendWord(_ subject: Phrase) throws(TranslationError) -> String? {
        let start = i
        _ = accept("is") || accept("has", "been") || accept("keeps")
        let function: String
        if accept("rising") || accept("increasing") || accept("going", "up") {
            function = "rising"
        } else if accept("falling") || accept("decreasing") || accept("going", "down") || accept("declining") {
            function = "falling"
        } else {
            i = start
            return nil
        }
        var bars = 1
        if accept("for") {
            bars = try duration(from: start)
        }
        return "\(function)(\(subject.expression), \(bars))"
    }

    /// "oversold", "overbought", "high volume": documented defaults, explained.
    mutating func adjectiveCondition() throws(TranslationError) -> String? {
        let start = i
        _ = accept("is") || accept("are") || accept("it", "is") || accept("on")
        if accept("oversold") {
            explain(start, "rsi(close, 14) < 30", defaultUsed: "oversold means RSI(14) below 30")
            return "rsi(close, 14) < 30"
        }
        if accept("overbought") {
            explain(start, "rsi(close, 14) > 70", defaultUsed: "overbought means RSI(14) above 70")
            return "rsi(close, 14) > 70"
        }
        if acceptLongest([["high", "volume"], ["heavy", "volume"], ["strong", "volume"], ["unusual", "volume"], ["above", "average", "volume"],
                          ["rising", "volume"], ["big", "volume"], ["large", "volume"], ["a", "volume", "spike"], ["volume", "spike"]]) != nil {
            let expression = "volume > \(Vocabulary.format(EnglishTranslator.highVolumeMultiple)) * sma(volume, \(EnglishTranslator.volumeAveragePeriod))"
            explain(start, expression, defaultUsed: "high volume means volume above \(Vocabulary.format(EnglishTranslator.highVolumeMultiple)) times "
                + "its \(EnglishTranslator.volumeAveragePeriod)-bar average")
            return expression
        }
        i = start
        return nil
    }

    /// "gaps up more than 3% at the open", "breaks above the highest high of the previous 20 bars",
    /// "makes a new 20-day high".
    mutating func gapOrBreakout(subjectStart start: Int, subject: Phrase? = nil) throws(TranslationError) -> String? {
        let save = i
        if subject == nil { _ = accept("the", "stock") || accept("it") || accept("price") || accept("the", "price") }
        if acceptLongest([["gaps"], ["gap"], ["gapped"], ["opens"]]) != nil {
            let up: Bool
            if accept("up") || accept("higher") { up = true } else if accept("down") || accept("lower") { up = false } else { i = save; return nil }
            _ = accept("by")
            var strict = true
            if acceptLongest([["at", "least"], ["no", "less", "than"]]) != nil { strict = false } else {
                _ = acceptLongest([["more", "than"], ["over"], ["greater", "than"]])
            }
            guard case .percent(let p) = tokens[safe: i]?.kind else { throw failure("the size of the gap in percent, e.g. \"3%\"") }
            i += 1
            _ = acceptLongest([["or", "more"], ["at", "the", "open"], ["on", "the", "open"], ["from", "the", "previous", "close"],
                               ["above", "the", "previous", "close"], ["below", "the", "previous", "close"], ["from", "yesterday"]])
            _ = acceptLongest([["at", "the", "open"], ["on", "the", "open"]])
            let factor = Vocabulary.format(up ? 1 + p / 100 : 1 - p / 100)
            let comparator = up ? (strict ? ">" : ">=") : (strict ? "<" : "<=")
            let expression = "open \(comparator) close[1] * \(factor)"
            explain(start, expression + " (the open against the previous close)")
            return expression
        }
        if acceptLongest([["breaks", "above"], ["breaks", "out", "above"], ["closes", "above"], ["breaks", "out", "of"], ["breaks", "out", "to"],
                          ["makes"], ["hits"], ["reaches"], ["sets"], ["breaks", "below"], ["closes", "below"], ["breaks", "down", "below"]]) != nil {
            let below = text(save, i).lowercased().contains("below")
            _ = accept("the") || accept("a")
            _ = accept("new")
            let extreme = below ? "lowest(low" : "highest(high"
            // "the highest high of the previous 20 bars"
            if acceptLongest([["highest", "high"], ["high"], ["lowest", "low"], ["low"], ["highest", "price"], ["lowest", "price"]]) != nil {
                guard acceptLongest([["of", "the", "previous"], ["of", "the", "last"], ["of", "the", "past"], ["of", "the", "prior"],
                                     ["over", "the", "previous"], ["over", "the", "last"], ["over", "the", "past"], ["in", "the", "last"],
                                     ["in", "the", "past"], ["of", "the", "preceding"]]) != nil else {
                    throw failure("the window, e.g. \"of the previous 20 bars\"")
                }
                let bars = try duration(from: start)
                let expression = "close \(below ? "<" : ">") \(extreme), \(bars))[1]"
                explain(start, expression + " (the close beyond the extreme of the \(bars) bars before it)")
                return expression
            }
            // "a new 20-day high", "the 52-week high"
            if let n = tokens[safe: i]?.number, let unit = word(1), let perUnit = Vocabulary.units[unit] {
                i += 2
                let bars = n * perUnit
                guard bars == bars.rounded(), bars >= 2 else { throw failure("a window of 2 bars or more") }
                guard acceptLongest([["high"], ["highs"], ["low"], ["lows"]]) != nil else { i = save; return nil }
                let isLow = text(i - 1, i).lowercased().hasPrefix("low")
                let expression = "close \(isLow ? "<" : ">") \(isLow ? "lowest(low" : "highest(high"), \(Int(bars)))[1]"
                explain(start, expression + " (the close beyond the extreme of the \(Int(bars)) bars before it)",
                        defaultUsed: perUnit == 1 ? nil : "a \(unit == "weeks" || unit == "week" ? "week" : unit.hasPrefix("month") ? "month" : "year") "
                            + "is \(Int(perUnit)) bars on daily data")
                return expression
            }
        }
        i = save
        return nil
    }

    // MARK: - Operands

    /// A value: a number, a bar column, an indicator with its periods, "its 20-day average",
    /// "1.5 times …". Nil (nothing consumed) when the next words are none of these.
    mutating func operand(its owner: Phrase? = nil) throws(TranslationError) -> Phrase? {
        let start = i
        // "1.5 times its 20-day average"
        if let n = tokens[safe: i]?.number, tokens[safe: i + 1]?.word == "times" {
            i += 2
            _ = accept("the")
            guard let inner = try operand(its: owner) else { throw failure("what the multiple applies to, e.g. \"its 20-day average\"") }
            return Phrase(expression: "\(Vocabulary.format(n)) * \(inner.expression)", series: inner.series)
        }
        if case .percent(let p) = tokens[safe: i]?.kind {
            i += 1
            return Phrase(expression: "\(Vocabulary.format(p))%")
        }
        // "its 20-day average", "its average", "the average volume"
        if accept("its") || accept("their") {
            let base = owner?.series ?? owner?.expression ?? lastSubject?.series ?? lastSubject?.expression
            guard let base else { throw failure("something for \"its\" to refer to", at: start) }
            if let period = try periodPrefix(), acceptLongest([["average"], ["moving", "average"], ["mean"]]) != nil {
                return Phrase(expression: "sma(\(base), \(period))")
            }
            if acceptLongest([["average"], ["moving", "average"]]) != nil {
                if let period = try periodSuffixWindow() { return Phrase(expression: "sma(\(base), \(period))") }
                explain(start, "sma(\(base), \(EnglishTranslator.volumeAveragePeriod))",
                        defaultUsed: "an average without a period is over \(EnglishTranslator.volumeAveragePeriod) bars")
                return Phrase(expression: "sma(\(base), \(EnglishTranslator.volumeAveragePeriod))")
            }
            // "its signal line": the signal line of the same MACD.
            if let macd = owner?.expression ?? lastSubject?.expression, macd.hasPrefix("macd("), macd.hasSuffix(".macd"),
               acceptLongest([["signal", "line"], ["signal"]]) != nil {
                let signal = String(macd.dropLast(".macd".count)) + ".signal"
                explain(start, signal)
                return Phrase(expression: signal)
            }
            // "its 20-day SMA": an indicator of that series.
            if let indicator = try indicatorPhrase(input: base) { return indicator }
            throw failure("what of it, e.g. \"its 20-day average\"", at: start)
        }
        _ = accept("the") || accept("a") || accept("an")
        if accept("average", "volume") {
            let period = try periodSuffixWindow() ?? EnglishTranslator.volumeAveragePeriod
            return Phrase(expression: "sma(volume, \(period))")
        }
        if let indicator = try indicatorPhrase(input: "close") { return indicator }
        // "the 20-day high": the highest high of the 20 bars before this one.
        if let n = tokens[safe: i]?.number, let unit = word(1), let perUnit = Vocabulary.units[unit],
           let extreme = word(2), ["high", "low"].contains(extreme) {
            let bars = n * perUnit
            guard bars == bars.rounded(), bars >= 2, bars <= 100_000 else { throw failure("a window of 2 bars or more") }
            i += 3
            let expression = extreme == "high" ? "highest(high, \(Int(bars)))[1]" : "lowest(low, \(Int(bars)))[1]"
            explain(start, expression + " (the extreme of the \(Int(bars)) bars before this one)",
                    defaultUsed: perUnit == 1 ? nil : "a \(unit.hasPrefix("week") ? "week" : unit.hasPrefix("month") ? "month" : "year") is \(Int(perUnit)) bars on daily data")
            return Phrase(expression: expression)
        }
        if let n = tokens[safe: i]?.number {
            i += 1
            return Phrase(expression: Vocabulary.format(n))
        }
        if let series = Vocabulary.series.first(where: { accept($0.0) })?.1 {
            // "price" alone, or "the close of the day"
            return Phrase(expression: series, series: series)
        }
        i = start
        return nil
    }

    /// "10-day", "14 period", "20 bar": the period before an indicator name.
    mutating func periodPrefix() throws(TranslationError) -> Int? {
        guard let n = tokens[safe: i]?.number, let unit = word(1), let perUnit = Vocabulary.units[unit] else { return nil }
        i += 2
        let bars = n * perUnit
        guard bars == bars.rounded(), bars >= 1, bars <= 100_000 else {
            throw TranslationError(.incomplete("a period must be a whole number of bars"), phrase: text(i - 2, i), offset: tokens[i - 2].start)
        }
        return Int(bars)
    }

    /// "over 20 days", "of the last 20 days", "(20)" after "average".
    mutating func periodSuffixWindow() throws(TranslationError) -> Int? {
        let save = i
        if acceptLongest([["over"], ["of"], ["over", "the", "last"], ["of", "the", "last"], ["over", "the", "past"], ["of", "the", "past"]]) != nil,
           let period = try periodPrefix() {
            return period
        }
        i = save
        return nil
    }

    /// An indicator by any of its names, with its periods before ("the 10-day SMA") or after
    /// ("SMA(10)", "SMA 10", "RSI 14") and an optional input ("of volume").
    mutating func indicatorPhrase(input defaultInput: String) throws(TranslationError) -> Phrase? {
        let start = i
        let prefix = try periodPrefix()
        // "10-period" may also come as "10 period" handled above; "the 10 and 20 day" is not supported.
        var matched: IndicatorWords?
        for words in Vocabulary.indicators {
            if acceptLongest(words.names) != nil { matched = words; break }
        }
        guard let indicator = matched else {
            i = start
            return nil
        }
        let nameEnd = i
        var periods: [Double] = prefix.map { [Double($0)] } ?? []
        if periods.isEmpty {
            if acceptMark("(") {
                while let n = tokens[safe: i]?.number {
                    periods.append(n)
                    i += 1
                    if !acceptMark(",") { break }
                }
                guard acceptMark(")") else { throw failure("\")\" to close the periods") }
            } else if let n = tokens[safe: i]?.number, Vocabulary.units[word(1) ?? ""] == nil, word(1) != "times" {
                // "RSI 14 crosses above 30", "SMA 50"
                periods.append(n)
                i += 1
            } else if let window = try periodSuffixWindow() {
                periods.append(Double(window))
            }
        }
        var input = defaultInput
        if accept("of") {
            _ = accept("the")
            guard let series = Vocabulary.series.first(where: { accept($0.0) })?.1 else { throw failure("a price or volume, e.g. \"of the close\"") }
            input = series
        }
        var note: String?
        if periods.isEmpty {
            guard let defaults = indicator.defaults else {
                throw TranslationError(.incomplete("give its period, e.g. \"the 20-day \(text(prefix == nil ? start : start + 2, nameEnd).lowercased())\""),
                                       phrase: text(start, nameEnd), offset: tokens[start].start)
            }
            periods = defaults
            note = indicator.defaultNote
        } else if periods.count == 1, indicator.periodCount == 3 {
            throw TranslationError(.incomplete("give all three periods, e.g. MACD(12, 26, 9), or none for those defaults"),
                                   phrase: text(start, i), offset: tokens[start].start)
        }
        guard periods.count == indicator.periodCount, periods.allSatisfy({ $0 == $0.rounded() && $0 >= 1 && $0 <= 100_000 }) else {
            throw TranslationError(.incomplete("takes \(indicator.periodCount) whole-number period\(indicator.periodCount == 1 ? "" : "s")"),
                                   phrase: text(start, i), offset: tokens[start].start)
        }
        let expression = indicator.expression(periods, input)
        explain(start, expression, defaultUsed: note)
        return Phrase(expression: expression, series: input == "volume" ? "volume" : nil)
    }
}
