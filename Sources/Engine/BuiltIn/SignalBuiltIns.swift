import ColumnStore
import Indicators

extension RuleStrategy {
    /// RSI reversal: long when the RSI crosses above `lower` (leaving oversold), exit when it crosses
    /// below `upper` (leaving overbought); short on the opposite crossings.
    public static func rsiReversal(period: Int = 14, lower: Double = 30, upper: Double = 70,
                                   direction: TradeDirection = .longOnly) throws -> RuleStrategy {
        _ = try RSI(period: period)
        guard lower.isFinite, upper.isFinite, 0 <= lower, lower < upper, upper <= 100 else {
            throw StrategyParameterError(parameter: "lower", "and upper must satisfy 0 ≤ lower < upper ≤ 100, are \(lower) and \(upper)")
        }
        return RuleStrategy(direction: direction) { setup, bars in
            let rsi = setup.indicator(try RSI.compute(bars.close, period: period))
            return SignalTable(count: rsi.count) { t in
                var f: SignalTable.Flags = []
                if rsi.crossesAbove(lower, at: t) { f.formUnion([.longEntry, .shortExit]) }
                if rsi.crossesBelow(upper, at: t) { f.formUnion([.longExit, .shortEntry]) }
                return f
            }
        }
    }

    /// MACD cross: long when the MACD line crosses above its signal line, short (or exit) when it
    /// crosses below.
    public static func macdCross(fast: Int = 12, slow: Int = 26, signal: Int = 9,
                                 direction: TradeDirection = .longOnly) throws -> RuleStrategy {
        _ = try MACD(fastPeriod: fast, slowPeriod: slow, signalPeriod: signal)
        return RuleStrategy(direction: direction) { setup, bars in
            let out = try MACD.compute(bars.close, fastPeriod: fast, slowPeriod: slow, signalPeriod: signal)
            let line = setup.indicator(out.macd), signalLine = setup.indicator(out.signal)
            return SignalTable(count: line.count) { t in
                var f: SignalTable.Flags = []
                if line.crossesAbove(signalLine, at: t) { f.formUnion([.longEntry, .shortExit]) }
                if line.crossesBelow(signalLine, at: t) { f.formUnion([.longExit, .shortEntry]) }
                return f
            }
        }
    }

    /// Bollinger mean reversion: long when the close crosses below the lower band, exit when it
    /// crosses back above the middle band; short when it crosses above the upper band, cover when
    /// it crosses below the middle. Bands are `period`-bar SMA ± `width` standard deviations.
    public static func bollingerReversion(period: Int = 20, width: Double = 2,
                                          direction: TradeDirection = .longOnly) throws -> RuleStrategy {
        _ = try BBANDS(period: period, up: width, down: width)
        guard width > 0 else { throw StrategyParameterError(parameter: "width", "must be positive, is \(width)") }
        return RuleStrategy(direction: direction) { setup, bars in
            let bands = try BBANDS.compute(bars.close, period: period, up: width, down: width)
            let upper = setup.indicator(bands.upper), middle = setup.indicator(bands.middle)
            let lower = setup.indicator(bands.lower)
            let close = setup.series(bars.close)
            return SignalTable(count: close.count) { t in
                var f: SignalTable.Flags = []
                if close.crossesBelow(lower, at: t) { f.insert(.longEntry) }
                if close.crossesAbove(middle, at: t) { f.insert(.longExit) }
                if close.crossesAbove(upper, at: t) { f.insert(.shortEntry) }
                if close.crossesBelow(middle, at: t) { f.insert(.shortExit) }
                return f
            }
        }
    }

    /// Donchian breakout (turtle style): long when the close exceeds the highest high of the
    /// previous `entry` bars, exit when it falls below the lowest low of the previous `exit` bars;
    /// short and cover symmetrically.
    public static func donchianBreakout(entry: Int = 20, exit: Int = 10,
                                        direction: TradeDirection = .longOnly) throws -> RuleStrategy {
        _ = try Donchian(period: entry)
        _ = try Donchian(period: exit)
        return RuleStrategy(direction: direction) { setup, bars in
            let entryChannel = try Donchian.compute(high: bars.high, low: bars.low, period: entry)
            let exitChannel = try Donchian.compute(high: bars.high, low: bars.low, period: exit)
            let entryHigh = setup.indicator(entryChannel.upper), entryLow = setup.indicator(entryChannel.lower)
            let exitHigh = setup.indicator(exitChannel.upper), exitLow = setup.indicator(exitChannel.lower)
            // The channel of the previous bars: one more bar of warm-up.
            let ready = [entryChannel.upper, entryChannel.lower, exitChannel.upper, exitChannel.lower]
                .map { $0.withUnsafeBufferPointer { $0.firstIndex { !$0.isNaN } } ?? 0 }.max()!
            setup.requireWarmUp(ready + 1)
            let close = setup.series(bars.close)
            return SignalTable(count: close.count) { t in
                guard t >= 1 else { return [] }
                var f: SignalTable.Flags = []
                if close[t] > entryHigh[t - 1] { f.insert(.longEntry) }
                if close[t] < exitLow[t - 1] { f.insert(.longExit) }
                if close[t] < entryLow[t - 1] { f.insert(.shortEntry) }
                if close[t] > exitHigh[t - 1] { f.insert(.shortExit) }
                return f
            }
        }
    }
}
