import Indicators

/// The functions an expression can call: every indicator of ``IndicatorCatalog`` by its name, and
/// the signal functions of the language.
enum ExpressionFunctions {
    /// The language's own functions, with a usage example for messages.
    static let signals: [String: String] = [
        "crosses_above": "crosses_above(ema(close, 50), ema(close, 200))",
        "crosses_below": "crosses_below(close, sma(close, 20))",
        "rising": "rising(close, 3)",
        "falling": "falling(rsi(close, 14), 2)",
        "highest": "highest(high, 20)",
        "lowest": "lowest(low, 20)",
        "bars_since": "bars_since(close > open)",
        "abs": "abs(close - open)",
    ]

    static func indicator(_ name: String) -> IndicatorDefinition? {
        try? IndicatorCatalog.definition(named: name)
    }

    static func isFunction(_ name: String) -> Bool { signals[name] != nil || indicator(name) != nil }

    static func usage(of name: String) -> String {
        if let example = signals[name] { return example }
        guard let definition = indicator(name) else { return "\(name)(...)" }
        let inputs = definition.inputs.count == 1 ? ["close"] : []
        let parameters = definition.parameters.map { $0.isInteger ? String(Int($0.defaultValue)) : String($0.defaultValue) }
        return "\(name)(" + (inputs + parameters).joined(separator: ", ") + ")"
    }

    /// Every name a function call may use (for suggestions).
    static var allNames: [String] { Array(signals.keys) + IndicatorCatalog.all.map(\.name) }

    /// The index of the output `name` chooses: TA-Lib's output name, or its short form (`signal`
    /// for `macdsignal`, `upper` for `upperband`, `k` for `slowk`/`fastk`, `up` for `aroonup`).
    static func outputIndex(_ name: String, of definition: IndicatorDefinition) -> Int? {
        let wanted = name.lowercased()
        return definition.outputs.firstIndex { output in
            output == wanted || shortNames(of: output, indicator: definition.name).contains(wanted)
        }
    }

    /// The names `outputIndex` accepts for each output, short ones first (for messages).
    static func outputNames(of definition: IndicatorDefinition) -> [String] {
        definition.outputs.map { shortNames(of: $0, indicator: definition.name).first ?? $0 }
    }

    private static func shortNames(of output: String, indicator: String) -> [String] {
        switch output {
        case "macdsignal": return ["signal"]
        case "macdhist": return ["hist", "histogram"]
        case "upperband": return ["upper"]
        case "middleband": return ["middle"]
        case "lowerband": return ["lower"]
        case "slowk", "fastk": return ["k"]
        case "slowd", "fastd": return ["d"]
        case "aroonup": return ["up"]
        case "aroondown": return ["down"]
        default: return []
        }
    }

    /// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        let limit = Swift.max(1, name.count / 3)
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let distance = editDistance(name.lowercased(), candidate.lowercased())
            if distance <= limit && distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap of two
    /// neighbouring letters as one edit (optimal string alignment), so `clsoe` is one edit from
    /// `close`. Names are short: O(|a|·|b|) is nothing.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard !a.isEmpty, !b.isEmpty else { return Swift.max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
