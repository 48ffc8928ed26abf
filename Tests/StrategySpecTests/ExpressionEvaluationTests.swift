import ColumnStore
import Engine
import Indicators
import StrategySpec
import Testing

@Suite struct ExpressionEvaluationTests {
    let nan = Double.nan

    @Test func arithmeticAndComparisonBarByBar() throws {
        let series = bars(closes: [10, 12, 11, 15])  // opens: 10, 10, 12, 11
        #expect(sameValues(try evaluate("close - open", on: series), [0, 2, -1, 4]))
        #expect(sameValues(try evaluate("(close - open) / open * 100", on: series), [0, 20, -1.0 / 12 * 100, 4.0 / 11 * 100]))
        #expect(sameValues(try evaluate("2 * close", on: series), [20, 24, 22, 30]))
        #expect(sameValues(try evaluate("close > open", on: series, as: .condition), [0, 1, 0, 1]))
        #expect(sameValues(try evaluate("close >= 11", on: series, as: .condition), [0, 1, 1, 1]))
        #expect(sameValues(try evaluate("close == 11 or close != close", on: series, as: .condition), [0, 0, 1, 0]))
        #expect(sameValues(try evaluate("abs(open - close)", on: series), [0, 2, 1, 4]))
        #expect(sameValues(try evaluate("-close", on: series), [-10, -12, -11, -15]))
        #expect(sameValues(try evaluate("2 > 1", on: series, as: .condition), [1, 1, 1, 1]))
        #expect(sameValues(try evaluate("7", on: series), [7, 7, 7, 7]))
    }

    @Test func lagsShiftBack() throws {
        let series = bars(closes: [10, 12, 11, 15])
        #expect(sameValues(try evaluate("close[1]", on: series), [nan, 10, 12, 11]))
        #expect(sameValues(try evaluate("close[0]", on: series), [10, 12, 11, 15]))
        #expect(sameValues(try evaluate("close[3]", on: series), [nan, nan, nan, 10]))
        #expect(sameValues(try evaluate("close[9]", on: series), [nan, nan, nan, nan]))
        #expect(sameValues(try evaluate("close > close[1]", on: series, as: .condition), [nan, 1, 0, 1]))
        #expect(sameValues(try evaluate("(close > close[1])[1]", on: series, as: .condition), [nan, nan, 1, 0]))
    }

    /// Unknown (warm-up) values follow Kleene's logic, so negating a rule cannot make it fire early.
    @Test func unknownDuringWarmUpFollowsKleene() throws {
        let series = bars(closes: [10, 12, 11, 15])
        // close > close[1] is unknown, 1, 0, 1; close > 11 is 0, 1, 0, 1.
        #expect(sameValues(try evaluate("not (close > close[1])", on: series, as: .condition), [nan, 0, 1, 0]))
        #expect(sameValues(try evaluate("close > close[1] and close > 11", on: series, as: .condition), [0, 1, 0, 1]))
        #expect(sameValues(try evaluate("close > close[1] and close < 11", on: series, as: .condition), [nan, 0, 0, 0]))
        #expect(sameValues(try evaluate("close > close[1] or close < 11", on: series, as: .condition), [1, 1, 0, 1]))
        #expect(sameValues(try evaluate("close > close[1] or close > 11", on: series, as: .condition), [nan, 1, 0, 1]))
        #expect(sameValues(try evaluate("close > close[1] and true", on: series, as: .condition), [nan, 1, 0, 1]))
        #expect(sameValues(try evaluate("close > close[1] and false", on: series, as: .condition), [0, 0, 0, 0]))
        #expect(sameValues(try evaluate("close > close[1] or true", on: series, as: .condition), [1, 1, 1, 1]))
        var plan = ExpressionPlan()
        let rule = try plan.add("not (close > close[1])", as: .condition)
        let fires = try plan.evaluate(on: series).truth(rule)
        #expect((0..<fires.count).map { fires[$0] } == [false, false, true, false])
    }

    @Test func indicatorsEqualTheCatalog() throws {
        let goog = try Fixtures.bars("GOOG")
        let catalog = { (spec: String) throws -> [Column<Double>] in
            try IndicatorCatalog.evaluate(IndicatorSpec.parse(spec), on: goog).map(\.values)
        }
        #expect(sameValues(try evaluate("sma(close, 20)", on: goog), try catalog("sma:20")[0]))
        #expect(sameValues(try evaluate("sma(20)", on: goog), try catalog("sma:20")[0]))
        #expect(sameValues(try evaluate("sma(close)", on: goog), try catalog("sma")[0]))
        #expect(sameValues(try evaluate("atr(14)", on: goog), try catalog("atr:14")[0]))
        #expect(sameValues(try evaluate("atr(high, low, close, 14)", on: goog), try catalog("atr:14")[0]))
        #expect(sameValues(try evaluate("macd(close, 12, 26, 9).signal", on: goog), try catalog("macd:12,26,9")[1]))
        #expect(sameValues(try evaluate("macd(close).macdhist", on: goog), try catalog("macd")[2]))
        #expect(sameValues(try evaluate("bbands(close, 20, 2, 2).lower", on: goog), try catalog("bbands:20,2,2")[2]))
        #expect(sameValues(try evaluate("stoch(5, 3, 3).d", on: goog), try catalog("stoch:5,3,3")[1]))
        #expect(sameValues(try evaluate("aroon(14).up", on: goog), try catalog("aroon:14")[1]))
        #expect(sameValues(try evaluate("donchian(20).upper", on: goog), try catalog("donchian:20")[0]))
        #expect(sameValues(try evaluate("sma(close, fast)", on: goog, parameters: ["fast": 10]), try catalog("sma:10")[0]))
        // Indicators of indicators: the inner output's leading NaNs are skipped, as TA-Lib's wrapper does.
        let rsi = try RSI.compute(goog.close, period: 14)
        #expect(sameValues(try evaluate("sma(rsi(close, 14), 5)", on: goog), try SMA.compute(rsi, period: 5)))
        #expect(sameValues(try evaluate("ema(close - open, 3)", on: goog),
                           try EMA.compute(Column(zip(goog.close, goog.open).map { $0 - $1 }), period: 3)))
    }

    /// `crosses_above` fires exactly where the engine's crossing columns do (those decide the
    /// backtesting.py parity trades).
    @Test func crossingsMatchTheEngine() throws {
        let goog = try Fixtures.bars("GOOG")
        let fast = try SMA.compute(goog.close, period: 10), slow = try SMA.compute(goog.close, period: 20)
        let engine = BitColumn.crossings(of: fast, and: slow)
        var plan = ExpressionPlan()
        let above = try plan.add("sma(close, 10) crosses_above sma(close, 20)", as: .condition)
        let below = try plan.add("crosses_below(sma(close, 10), sma(close, 20))", as: .condition)
        let values = try plan.evaluate(on: goog)
        #expect(values.truth(above) == engine.above)
        #expect(values.truth(below) == engine.below)
        #expect(engine.above.trueCount > 40)
        #expect(plan.indicatorCount == 2)
    }

    @Test func crossingAConstantAndUnknownBars() throws {
        let series = bars(closes: [29, 31, 30, 30, 31, 29])
        // Strict on both bars: touching 30 and leaving is not a cross.
        #expect(sameValues(try evaluate("close crosses_above 30", on: series, as: .condition), [nan, 1, 0, 0, 0, 0]))
        #expect(sameValues(try evaluate("crosses_below(close, 30)", on: series, as: .condition), [nan, 0, 0, 0, 0, 1]))
        #expect(sameValues(try evaluate("30 crosses_below close", on: series, as: .condition), [nan, 1, 0, 0, 0, 0]))
        #expect(sameValues(try evaluate("close[1] crosses_above 30", on: series, as: .condition), [nan, nan, 1, 0, 0, 0]))
        #expect(sameValues(try evaluate("1 crosses_above 2", on: series, as: .condition), [0, 0, 0, 0, 0, 0]))
    }

    @Test func signalFunctionsMatchNaiveLoops() throws {
        let series = BarSeries.synthetic(count: 600, seed: 7)
        let close = Array(series.close)
        for bars in [1, 2, 3, 5] {
            let rising = (0..<close.count).map { t -> Double in
                guard t >= bars else { return nan }
                return (0..<bars).allSatisfy { close[t - $0] > close[t - $0 - 1] } ? 1 : 0
            }
            let falling = (0..<close.count).map { t -> Double in
                guard t >= bars else { return nan }
                return (0..<bars).allSatisfy { close[t - $0] < close[t - $0 - 1] } ? 1 : 0
            }
            #expect(sameValues(try evaluate("rising(close, \(bars))", on: series, as: .condition), rising))
            #expect(sameValues(try evaluate("falling(close, \(bars))", on: series, as: .condition), falling))
        }
        #expect(sameValues(try evaluate("rising(close)", on: series, as: .condition), try evaluate("close > close[1]", on: series, as: .condition)))
        for bars in [1, 2, 7, 20] {
            let highest = (0..<close.count).map { t in t + 1 < bars ? nan : close[(t + 1 - bars)...t].max()! }
            let lowest = (0..<close.count).map { t in t + 1 < bars ? nan : close[(t + 1 - bars)...t].min()! }
            #expect(sameValues(try evaluate("highest(close, \(bars))", on: series), highest))
            #expect(sameValues(try evaluate("lowest(close, \(bars))", on: series), lowest))
        }
        let up = (0..<close.count).map { $0 > 0 && close[$0] > close[$0 - 1] }
        let since = (0..<close.count).map { t -> Double in
            guard let last = (0...t).last(where: { up[$0] }) else { return nan }
            return Double(t - last)
        }
        #expect(sameValues(try evaluate("bars_since(close > close[1])", on: series), since))
        // A rising window over a NaN stretch is unknown until the NaNs leave it.
        let warm = try evaluate("rising(sma(close, 5), 2)", on: series, as: .condition)
        #expect(Array(warm[0..<6]).allSatisfy(\.isNaN) && !warm[6].isNaN)
    }

    @Test func eachComputationRunsOnce() throws {
        var plan = ExpressionPlan(scope: ExpressionScope(parameters: ["fast": 10, "slow": 20]))
        try plan.add("sma(close, fast) crosses_above sma(close, slow)", as: .condition)
        try plan.add("sma(close, fast) crosses_below sma(close, slow)", as: .condition)
        try plan.add("sma(close, 10) > sma(close, 20)[1]", as: .condition)
        #expect(plan.indicatorCount == 2)
        try plan.add("macd(close).signal < macd(close, 12, 26, 9).hist", as: .condition)
        #expect(plan.indicatorCount == 3)
        try plan.add("sma(close) > sma(close, 30)", as: .condition)  // the default period is the same computation
        #expect(plan.indicatorCount == 4)
        let before = plan.stepCount
        try plan.add("sma(close, fast) crosses_above sma(close, slow)", as: .condition)
        #expect(plan.stepCount == before)
    }

    @Test func extraColumnsAndAnEmptySeries() throws {
        var series = bars(closes: [10, 12, 11, 15])
        try series.setExtra("vix", Column([20, 30, 25, 10]))
        #expect(sameValues(try evaluate("vix > 22", on: series, as: .condition), [0, 1, 1, 0]))
        let empty = bars(closes: [])
        var plan = ExpressionPlan()
        let rule = try plan.add("sma(close, 3) crosses_above close[1] and rising(close, 2) and bars_since(close > open) < 3", as: .condition)
        let values = try plan.evaluate(on: empty)
        #expect(values[rule].isEmpty && values.count == 0)
    }
}
