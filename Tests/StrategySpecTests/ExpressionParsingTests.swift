import StrategySpec
import Testing

@Suite struct ExpressionParsingTests {
    private func constant(_ source: String, parameters: [String: Double] = [:]) throws -> Double {
        try ExpressionPlan(scope: ExpressionScope(parameters: parameters)).constant(ColumnExpression(source))
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try constant("1 + 2 * 3") == 7)
        #expect(try constant("(1 + 2) * 3") == 9)
        #expect(try constant("10 / 4 / 2") == 1.25)
        #expect(try constant("2 - 3 - 4") == -5)
        #expect(try constant("-2 * 3") == -6)
        #expect(try constant("- -2") == 2)
        #expect(try constant("+2") == 2)
        #expect(try constant("2 * -3") == -6)
    }

    @Test func numbersPercentagesAndParameters() throws {
        #expect(try constant("3%") == 0.03)
        #expect(try constant("150%") == 1.5)
        #expect(try constant("1.5e2") == 150)
        #expect(try constant("2E-3") == 0.002)
        #expect(try constant(".5") == 0.5)
        #expect(try constant("abs(-4)") == 4)
        #expect(try constant("2 * fast + 1", parameters: ["fast": 10]) == 21)
        #expect(try constant("slow[3]", parameters: ["slow": 20]) == 20)  // a constant is the same on every bar
    }

    @Test func whitespaceAndLinesAreFree() throws {
        #expect(try constant("  1 +\n\t2\r\n* 3 ") == 7)
    }

    @Test func errorsPointAtLineAndColumn() throws {
        let error = try #require(compileError("sma(clsoe, 20) > close"))
        #expect(error.kind == .unknownName("clsoe", suggestion: "close"))
        #expect(error.range?.start.line == 1 && error.range?.start.column == 5 && error.range?.end.column == 10)
        #expect(error.description == """
            line 1, column 5: unknown name "clsoe" (did you mean "close"?)
              sma(clsoe, 20) > close
                  ^~~~~
            """)

        let second = try #require(compileError("close > open and\n  volume >> 3"))
        #expect(second.kind == .unexpectedToken(found: "\">\"", expected: "a value (a number, a name, a call or \"(\")"))
        #expect(second.range?.start.line == 2 && second.range?.start.column == 11)
        #expect(second.description.hasSuffix("\n    volume >> 3\n" + String(repeating: " ", count: 12) + "^"))
    }

    @Test func charactersOtherLanguagesUseGetAHint() throws {
        #expect(compileError("close > open && volume > 0")?.kind == .unexpectedCharacter("&", hint: "write and"))
        #expect(compileError("close > open || volume > 0")?.kind == .unexpectedCharacter("|", hint: "write or"))
        #expect(compileError("close = open")?.kind == .unexpectedCharacter("=", hint: "write == to compare"))
        #expect(compileError("!(close > open)")?.kind == .unexpectedCharacter("!", hint: "write not"))
        #expect(compileError("close > 3 €")?.kind == .unexpectedCharacter("€", hint: "expressions are written in ASCII"))
        #expect(compileError("close > 3 €")?.range?.start.column == 11)
        #expect(compileError("close # comment")?.kind == .unexpectedCharacter("#", hint: nil))
        #expect(compileError("close > %3")?.kind == .unexpectedCharacter("%", hint: "a percentage is a number followed by %, e.g. 3%"))
        #expect(compileError("close != open") == nil)
        #expect(compileError("close <> open") == nil)
    }

    @Test func malformedText() throws {
        #expect(compileError("")?.kind == .unexpectedToken(found: "nothing", expected: "an expression"))
        #expect(compileError("   ")?.kind == .unexpectedToken(found: "nothing", expected: "an expression"))
        #expect(compileError("close > 20d")?.kind == .malformedNumber("20d"))
        #expect(compileError("close > 1.2.3")?.kind == .malformedNumber("1.2.3"))
        #expect(compileError("close > 1e")?.kind == .malformedNumber("1e"))
        #expect(compileError("sma(close, 20")?.kind == .unexpectedToken(found: "the end of the expression", expected: "\",\" or \")\" in the arguments of sma"))
        #expect(compileError("(close > open")?.kind == .unexpectedToken(found: "the end of the expression", expected: "\")\""))
        #expect(compileError("close[1 open")?.kind == .unexpectedToken(found: "\"open\"", expected: "\"]\" to close the lag"))
        #expect(compileError("close > open)")?.kind == .unexpectedToken(found: "\")\"", expected: "an operator, \"and\", \"or\" or the end of the expression"))
        #expect(compileError("close open")?.kind == .unexpectedToken(found: "\"open\"", expected: "an operator, \"and\", \"or\" or the end of the expression"))
        #expect(compileError("close > and")?.kind == .unexpectedToken(found: "\"and\"", expected: "a value"))
        #expect(compileError("macd(close).")?.kind == .unexpectedToken(found: "the end of the expression", expected: "an output name after \".\""))
        #expect(compileError("sma(close,)")?.kind == .unexpectedToken(found: "\")\"", expected: "a value (a number, a name, a call or \"(\")"))
    }

    @Test func comparisonsDoNotChain() throws {
        let error = try #require(compileError("1 < close < 2"))
        guard case .unexpectedToken(_, let expected) = error.kind else { Issue.record("\(error)"); return }
        #expect(expected.contains("comparisons do not chain"))
        #expect(error.range?.start.column == 11)
    }

    @Test func limitsStopHostileInput() throws {
        let limits = ExpressionLimits.default
        let long = "close > " + String(repeating: "1", count: limits.maximumLength)
        #expect(compileError(long)?.kind == .tooLong(length: long.utf8.count, limit: limits.maximumLength))

        // Deep nesting fails fast, without recursing through it (thousands of parentheses).
        let parens = String(repeating: "(", count: 4_900) + "close" + String(repeating: ")", count: 4_900)
        #expect(compileError(parens, as: .series)?.kind == .nestedTooDeeply(limit: limits.maximumDepth))
        let minus = String(repeating: "- ", count: 4_000) + "close"
        #expect(compileError(minus, as: .series)?.kind == .nestedTooDeeply(limit: limits.maximumDepth))
        let nots = String(repeating: "not ", count: 2_000) + "close > open"
        #expect(compileError(nots)?.kind == .nestedTooDeeply(limit: limits.maximumDepth))
        let calls = String(repeating: "abs(", count: 1_500) + "close" + String(repeating: ")", count: 1_500)
        #expect(compileError(calls, as: .series)?.kind == .nestedTooDeeply(limit: limits.maximumDepth))
        // A left-deep chain is as deep as it is long.
        let chain = Array(repeating: "close", count: 200).joined(separator: " + ")
        #expect(compileError(chain, as: .series)?.kind == .nestedTooDeeply(limit: limits.maximumDepth))
        let nested = String(repeating: "(", count: 60) + "close" + String(repeating: ")", count: 60)
        #expect(compileError(nested, as: .series) == nil)

        let small = ExpressionLimits(maximumNodes: 10)
        #expect(compileError("close > open and close > open and close > open", limits: small)?.kind == .tooManyNodes(limit: 10))
        let tight = ExpressionLimits(maximumPlanSteps: 3)
        #expect(compileError("close > open and high > low", limits: tight)?.kind == .planTooLarge(limit: 3))
    }
}
