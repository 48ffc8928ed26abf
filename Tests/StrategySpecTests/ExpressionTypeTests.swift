import ColumnStore
import Indicators
import StrategySpec
import Testing

@Suite struct ExpressionTypeTests {
    @Test func valuesMustHaveTheRightType() throws {
        #expect(compileError("close + (open > 3)", as: .series)?.kind
            == .typeMismatch(expected: "numbers or series", found: "a condition", context: "\"+\""))
        #expect(compileError("close and open")?.kind == .typeMismatch(expected: "a condition", found: "a series", context: "\"and\""))
        #expect(compileError("not close")?.kind == .typeMismatch(expected: "a condition", found: "a series", context: "\"not\""))
        #expect(compileError("-(close > open)", as: .series)?.kind
            == .typeMismatch(expected: "a number or a series", found: "a condition", context: "\"-\""))
        #expect(compileError("sma(close, 20)", as: .condition)?.kind
            == .typeMismatch(expected: "a condition", found: "a series", context: "the expression"))
        #expect(compileError("close > open", as: .series)?.kind
            == .typeMismatch(expected: "a series", found: "a condition", context: "the expression"))
        #expect(compileError("bars_since(close)", as: .series)?.kind
            == .typeMismatch(expected: "a condition", found: "a series", context: "bars_since"))
        #expect(compileError("rising(close > open, 2)")?.kind
            == .typeMismatch(expected: "a series", found: "a condition", context: "rising"))
        #expect(compileError("sma(close > open, 2)", as: .series)?.kind
            == .typeMismatch(expected: "a series or a number", found: "a condition", context: "sma"))
        // The type error points at the operand, not at the operator.
        #expect(compileError("close > open and volume")?.range?.start.column == 18)
    }

    @Test func namesAndFunctions() throws {
        #expect(compileError("vix > 20")?.kind == .unknownName("vix", suggestion: nil))
        #expect(compileError("clos > 20")?.kind == .unknownName("clos", suggestion: "close"))
        #expect(compileError("Close > 20")?.kind == .unknownName("Close", suggestion: "close"))
        #expect(compileError("smaa(close, 3) > 1")?.kind == .unknownFunction("smaa", suggestion: "sma"))
        #expect(compileError("frobnicate(close) > 1")?.kind == .unknownFunction("frobnicate", suggestion: nil))
        #expect(compileError("close(1) > 1")?.kind == .notAFunction("close"))
        #expect(compileError("sma > 3")?.kind == .functionNotCalled("sma", usage: "sma(close, 30)"))
        #expect(compileError("atr > 3")?.kind == .functionNotCalled("atr", usage: "atr(14)"))
        #expect(compileError("crosses_above")?.kind == .functionNotCalled("crosses_above", usage: "crosses_above(ema(close, 50), ema(close, 200))"))
        let scope = ExpressionScope(columns: ExpressionScope.barColumns + ["vix"], parameters: ["fast": 10])
        #expect(compileError("vix > 20 and sma(close, fast) > close", scope: scope) == nil)
        #expect(compileError("fast(3) > 1", scope: scope)?.kind == .notAFunction("fast"))
        #expect(compileError("fsat > 1", scope: scope)?.kind == .unknownName("fsat", suggestion: "fast"))
    }

    @Test func lagsNeverReadTheFuture() throws {
        let lookAhead = try #require(compileError("close[-1] > close"))
        #expect(lookAhead.kind == .invalidLag(-1, reason: "would read a future bar; lags count bars back and must be 0 or more"))
        #expect(lookAhead.range?.start.column == 6 && lookAhead.range?.end.column == 10)
        #expect(compileError("close[0 - 2] > close")?.kind == .invalidLag(-2, reason: "would read a future bar; lags count bars back and must be 0 or more"))
        #expect(compileError("close[n] > close", scope: ExpressionScope(parameters: ["n": -3]))?.kind
            == .invalidLag(-3, reason: "would read a future bar; lags count bars back and must be 0 or more"))
        #expect(compileError("close[1.5] > close")?.kind == .invalidLag(1.5, reason: "must be a whole number of bars"))
        #expect(compileError("close[volume] > close")?.kind == .notConstant(context: "a lag"))
        #expect(compileError("close[2000000] > close")?.kind == .invalidLag(2_000_000, reason: "is more than the limit of 1000000 bars"))
        #expect(compileError("close[1] > close[n]", scope: ExpressionScope(parameters: ["n": 2])) == nil)
    }

    @Test func indicatorArguments() throws {
        #expect(compileError("sma(close, close) > 1")?.kind == .notConstant(context: "sma: timeperiod"))
        #expect(compileError("sma(close, 0) > 1")?.kind
            == .indicator(IndicatorError("sma", .parameterOutOfRange(parameter: "timeperiod", value: 0, range: "1...100000"))))
        #expect(compileError("sma(close, 2.5) > 1")?.kind == .indicator(IndicatorError("sma", .notAnInteger(parameter: "timeperiod", value: 2.5))))
        #expect(compileError("rsi(close, 14, 3) > 1")?.kind == .indicator(IndicatorError("rsi", .wrongParameterCount(expected: 0...1, found: 2))))
        #expect(compileError("atr(high, 14) > 1")?.kind == .wrongInputCount(function: "atr", inputs: ["high", "low", "close"], found: 1))
        #expect(compileError("atr(high, low, close, 14) > 1") == nil)
        #expect(compileError("atr(14) > 1") == nil)
        #expect(compileError("sma(20) > 1") == nil)
        #expect(compileError("sma(close, 20, close) > 1")?.kind == .notConstant(context: "sma: a parameter"))
        #expect(compileError("mfi(14) > 50", scope: ExpressionScope(columns: ["open", "high", "low", "close"]))?.kind == .missingColumn("volume"))
    }

    @Test func severalOutputsMustBeChosen() throws {
        #expect(compileError("macd(close, 12, 26, 9) > 0")?.kind
            == .outputNotChosen(function: "macd", outputs: ["macd", "signal", "hist"]))
        #expect(compileError("macd(close)", as: .series)?.kind == .outputNotChosen(function: "macd", outputs: ["macd", "signal", "hist"]))
        #expect(compileError("macd(close)[1].signal > 0")?.kind == .outputNotChosen(function: "macd", outputs: ["macd", "signal", "hist"]))
        #expect(compileError("sma(macd(close), 3) > 0")?.kind == .outputNotChosen(function: "macd", outputs: ["macd", "signal", "hist"]))
        #expect(compileError("macd(close).sig > 0")?.kind == .unknownOutput(function: "macd", name: "sig", outputs: ["macd", "signal", "hist"]))
        #expect(compileError("close.signal > 0")?.kind == .outputOfNonIndicator("signal"))
        #expect(compileError("bbands(close).upper > close and stoch().k > stoch().slowd and aroon(14).up > 50") == nil)
    }

    @Test func windows() throws {
        #expect(compileError("rising(close, 0)")?.kind == .invalidWindow(function: "rising", value: 0, range: "1...1000000"))
        #expect(compileError("highest(close, 2.5) > 1")?.kind == .invalidWindow(function: "highest", value: 2.5, range: "1...100000"))
        #expect(compileError("highest(close, volume) > 1")?.kind == .notConstant(context: "the window of highest"))
        #expect(compileError("rising(close, 1, 2)")?.kind == .wrongArgumentCount(function: "rising", expected: "a series and an optional number of bars", found: 3))
        #expect(compileError("crosses_above(close)")?.kind
            == .wrongArgumentCount(function: "crosses_above", expected: "2 arguments (two series, or a series and a number)", found: 1))
    }

    @Test func aFailedAddLeavesThePlanAsItWas() throws {
        var plan = ExpressionPlan()
        try plan.add("sma(close, 10) > close", as: .condition)
        let steps = plan.stepCount
        #expect(throws: ExpressionError.self) { try plan.add("sma(close, 20) > sma(close, 0)", as: .condition) }
        #expect(plan.stepCount == steps)
    }

    @Test func missingColumnsAreFoundWhenEvaluated() throws {
        var plan = ExpressionPlan(scope: ExpressionScope(columns: ExpressionScope.barColumns + ["vix"]))
        try plan.add("close > 1 and\n vix > 20", as: .condition)
        let series = bars(closes: [1, 2, 3])
        let error = try #require(throws: ExpressionError.self) { try plan.evaluate(on: series) }
        #expect(error.kind == .missingColumn("vix"))
        #expect(error.range?.start.line == 2 && error.range?.start.column == 2)

        var volumePlan = ExpressionPlan()
        try volumePlan.add("obv() > 0", as: .condition)
        let noVolume = try BarSeries(time: [0, 1], open: [1, 1], high: [1, 1], low: [1, 1], close: [1, 1])
        let volumeError = try #require(throws: ExpressionError.self) { try volumePlan.evaluate(on: noVolume) }
        #expect(volumeError.kind == .indicator(IndicatorError("obv", .missingInput("volume"))))
    }
}
