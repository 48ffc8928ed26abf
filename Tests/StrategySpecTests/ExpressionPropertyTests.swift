import ColumnStore
import StrategySpec
import Testing

/// Random expressions from the grammar (a small deterministic generator).
struct ExpressionGenerator {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
    }

    mutating func series(_ depth: Int) -> String {
        let leaf = ["close", "open", "high", "low", "volume", "(high + low) / 2"]
        if depth == 0 { return leaf[next(leaf.count)] }
        switch next(12) {
        case 0: return "sma(\(series(depth - 1)), \(2 + next(9)))"
        case 1: return "ema(\(series(depth - 1)), \(2 + next(9)))"
        case 2: return "rsi(\(series(depth - 1)), \(2 + next(12)))"
        case 3: return "\(series(depth - 1))[\(next(4))]"
        case 4: return "(\(series(depth - 1)) \(["+", "-", "*", "/"][next(4)]) \(series(depth - 1)))"
        case 5: return "highest(\(series(depth - 1)), \(1 + next(6)))"
        case 6: return "lowest(\(series(depth - 1)), \(1 + next(6)))"
        case 7: return "macd(\(series(depth - 1)), 3, 7, 2).\(["macd", "signal", "hist"][next(3)])"
        case 8: return "bars_since(\(condition(depth - 1)))"
        case 9: return "atr(\(2 + next(6)))"
        case 10: return "abs(\(series(depth - 1)) - \(series(depth - 1)))"
        default: return leaf[next(leaf.count)]
        }
    }

    mutating func condition(_ depth: Int) -> String {
        let comparison = ["<", "<=", ">", ">=", "==", "!="]
        if depth == 0 { return "close \(comparison[next(comparison.count)]) open" }
        switch next(7) {
        case 0: return "\(series(depth - 1)) crosses_above \(series(depth - 1))"
        case 1: return "crosses_below(\(series(depth - 1)), \(series(depth - 1)))"
        case 2: return "(\(condition(depth - 1)) \(["and", "or"][next(2)]) \(condition(depth - 1)))"
        case 3: return "not \(condition(depth - 1))"
        case 4: return "\(["rising", "falling"][next(2)])(\(series(depth - 1)), \(1 + next(3)))"
        case 5: return "(\(condition(depth - 1)))[\(next(3))]"
        default: return "\(series(depth - 1)) \(comparison[next(comparison.count)]) \(series(depth - 1))"
        }
    }
}

@Suite struct ExpressionPropertyTests {
    /// No look-ahead: the values at bars 0...t never change when bars after t are removed, for
    /// random expressions over random bars.
    @Test func truncatingTheFutureNeverChangesThePast() throws {
        let full = BarSeries.synthetic(count: 400, seed: 11)
        var generator = ExpressionGenerator(state: 0x5EED)
        for _ in 0..<150 {
            // The generator is typed: its conditions and series compile as such.
            let isCondition = generator.next(2) == 0
            let source = isCondition ? generator.condition(3) : generator.series(3)
            var plan = ExpressionPlan(scope: ExpressionScope(series: full))
            let output = try plan.add(source, as: isCondition ? .condition : .series)
            let whole = try plan.evaluate(on: full)[output]
            for cut in [1, 37, 150, 399] {
                let prefix = try plan.evaluate(on: full[0..<cut])[output]
                #expect(sameValues(prefix, Column(whole[0..<cut])), "\(source) differs on the first \(cut) bars")
            }
        }
    }

    /// Compiling expressions together (sharing steps) gives each the same values as alone, and
    /// evaluating twice gives the same bits.
    @Test func sharingStepsChangesNoValue() throws {
        let series = BarSeries.synthetic(count: 300, seed: 3)
        var generator = ExpressionGenerator(state: 0xBEEF)
        var shared = ExpressionPlan()
        var alone: [(PlanOutput, Column<Double>)] = []
        for _ in 0..<60 {
            let source = generator.condition(3)
            var single = ExpressionPlan()
            let own = try single.add(source, as: .condition)
            let output = try shared.add(source, as: .condition)
            alone.append((output, try single.evaluate(on: series)[own]))
        }
        let first = try shared.evaluate(on: series), second = try shared.evaluate(on: series)
        for (output, values) in alone {
            #expect(sameValues(first[output], values))
            #expect(sameValues(second[output], values))
        }
    }

    /// Random text never traps: it parses and compiles, or it throws an `ExpressionError` whose
    /// location lies inside the text.
    @Test func randomTextNeverTraps() {
        let pieces = ["close", "sma(", "rsi", "(", ")", "[", "]", ",", ".", "signal", "1", "-1", "2.5", "3%", "+", "-", "*", "/",
                      "<", ">=", "==", "and", "or", "not", "crosses_above", "macd(close)", "\n", " ", "é", "=", "&&", "1e", "bars_since("]
        var generator = ExpressionGenerator(state: 0xF00D)
        for _ in 0..<3_000 {
            let source = (0..<(1 + generator.next(14))).map { _ in pieces[generator.next(pieces.count)] }.joined(separator: generator.next(2) == 0 ? " " : "")
            var plan = ExpressionPlan()
            do {
                try plan.add(source, as: generator.next(2) == 0 ? .condition : .series)
            } catch {
                if let range = error.range {
                    #expect(range.start.offset <= source.utf8.count && range.end.offset <= source.utf8.count, "\(source)")
                }
                #expect(!error.description.isEmpty)
            }
        }
    }
}
