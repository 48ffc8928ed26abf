import ColumnStore
import Engine
import Execution

/// A compiled spec on the event engine: its rules, order placement, sizing and risk rules,
/// applied to every instrument of the backtest by an Engine `RuleStrategy`.
///
/// At each bar, for each instrument in order:
/// 1. In a position: a reversal (the other side's entry, long-short only) or a time exit
///    (``StrategySpec/RiskRules/maxBarsHeld``) closes it at market; so does the exit rule with
///    market exits. With priced exits the exit rule places a limit or stop close instead (one at a
///    time). Any exit cancels what is left of a working entry order.
/// 2. Flat (or just closed at market) and no entry order working: the long entry places an
///    entry, else the short entry (long-short). Stop-loss, take-profit and trailing stop ride on
///    it as a bracket.
///
/// An entry whose bracket or price cannot be placed (an ATR of 0 makes the stop-loss the entry
/// price; a distance larger than the price makes it negative; a take-profit nearer than the
/// spread lies behind the price paid) is not placed.
/// On K instruments sharing one account, an all-in entry takes 1/K of the available margin.
///
/// The signal fast path runs the same rules (``CompiledSpec/signals(for:)`` with
/// `SignalBacktest`) with the same orders, fills and trades.
public struct SpecStrategy: Strategy, Sendable {
    /// The spec this strategy runs.
    public let compiled: CompiledSpec
    private var rules: RuleStrategy

    /// A strategy for the event engine that trades `compiled`'s rules, risk rules and order placement.
    public init(_ compiled: CompiledSpec) {
        self.compiled = compiled
        let spec = compiled.spec
        rules = RuleStrategy(direction: compiled.direction, orderRules: spec.orderRules, maxBarsHeld: spec.risk.maxBarsHeld,
                             size: spec.sizing.sizeType()) { setup, bars in
            let (values, table) = try compiled.evaluate(on: bars)
            setup.requireWarmUp(values.warmUpBars)
            return table
        }
    }

    public mutating func prepare(_ setup: inout StrategySetup) throws {
        try rules.prepare(&setup)
    }

    public mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        try rules.onBar(bar, broker: &broker)
    }

    public mutating func nextDecision(from bar: Int, broker: Broker) -> Int {
        rules.nextDecision(from: bar, broker: broker)
    }
}
