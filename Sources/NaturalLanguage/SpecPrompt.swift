import StrategySpec

/// What a language model is told: the spec format, the expression language with every function,
/// two worked examples, and how to answer. Built from the code (the function list comes from
/// `ExpressionReference`; the examples are specs serialized by `StrategySpec.json`), so it
/// cannot drift from what the validator accepts.
public enum SpecPrompt {
    /// The system message.
    public static var system: String {
        """
        You translate a trading strategy described in English into a Colonnade strategy spec. \
        Answer with the spec as one JSON object and nothing else: no prose, no code fence. Use only \
        what the description says; where it leaves a period or threshold open, use the indicator's \
        usual default.

        The spec (JSON):
        - "version": 1 (required). "name" (required): a short lower-case slug. "description": the description as given.
        - "parameters" (optional): [{"name", "default", "min", "max", "integer"}]; a parameter's name can be used in expressions.
        - "indicators" (optional): [{"name", "expression"}]: named expressions the rules may use.
        - "long" and/or "short" (at least one): {"entry": CONDITION, "exit": CONDITION}; "exit" is optional. \
        An entry is acted on only when flat on its side, an exit only while in a position; a decision at bar t fills at the open of bar t+1.
        - "sizing" (optional; default all available equity): {"type": "allIn"}, or {"type": T, "value": V} \
        with T one of "units" (shares), "notional" (cash), "percentOfEquity" (0 < V <= 100), "riskPercent" (0 < V <= 100; needs risk.stopLoss).
        - "risk" (optional): {"stopLoss": D, "takeProfit": D, "trailingStop": D, "maxBarsHeld": N}, each optional. \
        A distance D is exactly one of {"percent": P}, {"amount": A} (price units), {"atr": K, "period": N}. \
        "sell after N days" is "maxBarsHeld": N.
        - "orders" (optional): {"entry": O, "exit": O}; O is {"type": "market"} or {"type": "limit" or "stop", "offset": D, "validBars": N}.

        Expressions: numbers (20, 1.5, 3% which is 0.03); the bar columns open, high, low, close, volume; \
        parameters and named indicators; + - * / and parentheses; comparisons < <= > >= == !=; and, or, not; \
        a lag x[n] is the value n bars ago (x[1] is the previous bar; never negative); \
        a crossing is written "a crosses_above b" or "a crosses_below b". An indicator with several outputs is read \
        with a dot: macd(close, 12, 26, 9).signal, bbands(close, 20, 2, 2).upper. Indicators that read high, low and \
        close or volume take only their periods: atr(14), adx(14), mfi(14). Every function, with its default arguments:
        \(ExpressionReference.functionLines.map { "  " + $0 }.joined(separator: "\n"))

        Example: "Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below" is
        \(exampleCross.compactJSON)

        Example: "Buy 100 shares when RSI(14) crosses above 30; 5% stop loss; sell after 10 days" is
        \(exampleRisk.compactJSON)
        """
    }

    /// The message that sends a problem back to the model.
    public static func repair(_ problem: String) -> String {
        "That is not a valid spec: \(problem)\nAnswer with the corrected spec as one JSON object and nothing else."
    }

    static let exampleCross = StrategySpec(
        name: "sma-cross", description: "Buy when the 10-day SMA crosses above the 20-day SMA and sell when it crosses below",
        long: .init(entry: "sma(close, 10) crosses_above sma(close, 20)", exit: "sma(close, 10) crosses_below sma(close, 20)"))

    static let exampleRisk = StrategySpec(
        name: "rsi-rebound", description: "Buy 100 shares when RSI(14) crosses above 30; 5% stop loss; sell after 10 days",
        long: .init(entry: "rsi(close, 14) crosses_above 30"), sizing: .units(100),
        risk: .init(stopLoss: .percent(5), maxBarsHeld: 10))
}
