import ColumnStore
import Engine
import Execution
import StrategySpec
import Testing

/// Paths into the repository's Fixtures/ folder, found from this file's location.
enum Fixtures {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/StrategySpecTests/Support.swift
        return parts.joined(separator: "/")
    }()

    static func bars(_ name: String) throws -> BarSeries {
        try CSVImporter.load(root + "/Fixtures/" + name + ".csv")
    }
}

/// Bars with the given closes (open = previous close, high/low around both), one a day.
func bars(closes: [Double], volumes: [Double]? = nil) -> BarSeries {
    let n = closes.count
    let opens = (0..<n).map { $0 == 0 ? closes[0] : closes[$0 - 1] }
    let highs = (0..<n).map { Swift.max(opens[$0], closes[$0]) + 1 }
    let lows = (0..<n).map { Swift.min(opens[$0], closes[$0]) - 1 }
    return try! BarSeries(time: Column((0..<n).map { Int64($0) * 86_400_000_000_000 }), open: Column(opens), high: Column(highs),
                          low: Column(lows), close: Column(closes), volume: Column(volumes ?? Array(repeating: 1000, count: n)))
}

/// Equal as bits, with every NaN equal to every NaN.
func sameValues(_ a: Column<Double>, _ b: Column<Double>) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern }
}

func sameValues(_ a: Column<Double>, _ b: [Double]) -> Bool { sameValues(a, Column(b)) }

/// Evaluates one expression over `series`.
func evaluate(_ source: String, on series: BarSeries, as type: ExpressionType = .series,
              parameters: [String: Double] = [:]) throws -> Column<Double> {
    var plan = ExpressionPlan(scope: ExpressionScope(series: series, parameters: parameters))
    let output = try plan.add(source, as: type)
    return try plan.evaluate(on: series)[output]
}

/// The error adding `source` throws (nil if it does not throw).
func compileError(_ source: String, as type: ExpressionType = .condition, scope: ExpressionScope = ExpressionScope(),
                  limits: ExpressionLimits = .default) -> ExpressionError? {
    var plan = ExpressionPlan(scope: scope, limits: limits)
    do {
        _ = try plan.add(ColumnExpression(source, limits: limits), as: type)
        return nil
    } catch {
        return error
    }
}

/// Runs `compiled` on the event engine and on the signal fast path over `bars` and records any
/// difference in orders, fills, trades, open trades, equity bits or final cash; returns the
/// event engine's result.
@discardableResult
func runOnBothPaths(_ compiled: CompiledSpec, on bars: BarSeries, _ label: String, configuration: BrokerConfiguration? = nil,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BacktestResult {
    let configuration = configuration ?? compiled.configuration
    let event = try Backtest(bars: bars, configuration: configuration).run(compiled.strategy)
    let (signals, warmUp) = try compiled.signals(for: bars)
    let fast = try SignalBacktest(bars: bars, configuration: configuration)
        .run(signals, size: compiled.spec.sizing.sizeType(), warmUpBars: warmUp)
    // One expectation per record kind, without the records themselves: a failure names what differs.
    let sameOrders = fast.orders == event.orders, sameFills = fast.fills == event.fills
    let sameTrades = fast.trades == event.trades && fast.openTrades == event.openTrades
    let sameEquity = fast.equity.map(\.bitPattern) == event.equity.map(\.bitPattern)
    let sameCash = fast.finalCash.bitPattern == event.finalCash.bitPattern && fast.firstDecisionBar == event.firstDecisionBar
    #expect(sameOrders, "\(label): orders differ", sourceLocation: sourceLocation)
    #expect(sameFills, "\(label): fills differ", sourceLocation: sourceLocation)
    #expect(sameTrades, "\(label): trades differ", sourceLocation: sourceLocation)
    #expect(sameEquity, "\(label): equity differs", sourceLocation: sourceLocation)
    #expect(sameCash, "\(label): cash or first decision bar differs", sourceLocation: sourceLocation)
    return event
}
