import Indicators

/// A handle to one expression's result in an ``ExpressionPlan``.
public struct PlanOutput: Sendable, Hashable {
    let ref: ColumnRef
    /// ``ExpressionType/series`` or ``ExpressionType/condition``.
    public let type: ExpressionType
}

/// Expressions compiled to one columnar plan: a list of whole-column computations in dependency
/// order, each distinct computation once.
///
/// Adding an expression resolves its names against the ``ExpressionScope``, checks its types,
/// folds its constants and appends the steps it needs; a step the plan already has is reused, so
/// `sma(close, 20)` written in an entry rule and in an exit rule is computed once, and
/// `macd(close).signal` and `macd(close).hist` share one MACD. ``evaluate(on:)`` then runs every
/// step once over a `BarSeries` with the vectorized kernels of the Indicators module.
///
/// ```swift
/// var plan = ExpressionPlan(scope: ExpressionScope(parameters: ["fast": 10, "slow": 20]))
/// let entry = try plan.add("sma(close, fast) crosses_above sma(close, slow)", as: .condition)
/// let exit = try plan.add("sma(close, fast) crosses_below sma(close, slow)", as: .condition)
/// let values = try plan.evaluate(on: bars)
/// let entries = values.truth(entry)   // BitColumn: true where the rule holds
/// ```
///
/// A plan reads nothing but the columns of the series it is given: no expression can reach a
/// file, the network or the clock, and no step reads a bar after the one it computes (a lag is
/// never negative), so a decision at bar t depends on bars 0...t only.
public struct ExpressionPlan: Sendable {
    public let scope: ExpressionScope
    public let limits: ExpressionLimits
    private(set) var steps: [PlanStep] = []
    private var stepIndex: [PlanStep: Int] = [:]
    /// Where each step was first asked for, to point evaluation errors at the text.
    private(set) var origins: [(range: SourceRange, source: String)] = []
    /// Named values from ``define(_:as:)``, resolved before parameters and columns.
    var definitions: [String: CompiledValue] = [:]

    public init(scope: ExpressionScope = ExpressionScope(), limits: ExpressionLimits = .default) {
        self.scope = scope
        self.limits = limits
    }

    /// The number of distinct computations in the plan.
    public var stepCount: Int { steps.count }

    /// The number of distinct indicator computations (each runs once per evaluation).
    public var indicatorCount: Int { steps.reduce(0) { if case .indicator = $1 { $0 + 1 } else { $0 } } }

    /// Parses `source` and adds it; see ``add(_:as:)-(ColumnExpression,_)``.
    @discardableResult
    public mutating func add(_ source: String, as type: ExpressionType) throws(ExpressionError) -> PlanOutput {
        try add(ColumnExpression(source, limits: limits), as: type)
    }

    /// Adds an expression whose result must be of `type`: a ``ExpressionType/condition`` for a
    /// rule, a ``ExpressionType/series`` (or a number, which is repeated on every bar) for a value.
    ///
    /// - Throws: ``ExpressionError`` for an unknown name or function, a wrong argument, a type
    ///   mismatch, a look-ahead lag, an indicator parameter out of range, or a plan past
    ///   ``ExpressionLimits/maximumPlanSteps``; the plan is unchanged when it throws.
    @discardableResult
    public mutating func add(_ expression: ColumnExpression, as type: ExpressionType) throws(ExpressionError) -> PlanOutput {
        var compiler = Compiler(plan: self, source: expression.source)
        let value = try compiler.value(of: expression.syntax)
        let whole = expression.syntax.range
        let output: PlanOutput
        switch (type, value) {
        case (.condition, .condition(let ref)): output = PlanOutput(ref: ref, type: .condition)
        case (.condition, .truth(let flag)): output = PlanOutput(ref: try compiler.broadcast(flag ? 1 : 0, at: whole), type: .condition)
        case (.series, .series(let ref)): output = PlanOutput(ref: ref, type: .series)
        case (.series, .number(let number)), (.number, .number(let number)):
            output = PlanOutput(ref: try compiler.broadcast(number, at: whole), type: .series)
        case (_, .record(_, let definition)):
            throw ExpressionError(.outputNotChosen(function: definition.name, outputs: ExpressionFunctions.outputNames(of: definition)),
                                  at: whole, in: expression.source)
        default:
            throw ExpressionError(.typeMismatch(expected: type.description, found: value.typeDescription, context: "the expression"),
                                  at: whole, in: expression.source)
        }
        self = compiler.plan
        return output
    }

    /// Adds `expression` under `name`, so later expressions can use the name for its value (a
    /// strategy's named indicators: `fast_ma` for `sma(close, fast)`). The value may be of any
    /// type, an indicator with several outputs included (`bands.upper`).
    ///
    /// - Throws: ``ExpressionError`` as ``add(_:as:)-(ColumnExpression,_)``; the plan is unchanged when it throws.
    /// - Precondition: `name` is not defined yet (a programming error: specs check names first).
    public mutating func define(_ name: String, as expression: ColumnExpression) throws(ExpressionError) {
        precondition(definitions[name] == nil, "\(name) is defined twice")
        var compiler = Compiler(plan: self, source: expression.source)
        let value = try compiler.value(of: expression.syntax)
        self = compiler.plan
        definitions[name] = value
    }

    /// The value of an expression that must be a constant (a number, a parameter, or arithmetic on
    /// them), such as a stop-loss distance written `2 * atr_multiple`.
    /// - Throws: ``ExpressionError`` as ``add(_:as:)-(ColumnExpression,_)``, or when the value depends on the bars.
    public func constant(_ expression: ColumnExpression) throws(ExpressionError) -> Double {
        var compiler = Compiler(plan: self, source: expression.source)
        let value = try compiler.value(of: expression.syntax)
        guard case .number(let number) = value else {
            throw ExpressionError(.notConstant(context: "this value"), at: expression.syntax.range, in: expression.source)
        }
        return number
    }

    /// The index of `step`, appending it if the plan does not have it yet.
    mutating func intern(_ step: PlanStep, at range: SourceRange, in source: String) throws(ExpressionError) -> Int {
        if let index = stepIndex[step] { return index }
        guard steps.count < limits.maximumPlanSteps else {
            throw ExpressionError(.planTooLarge(limit: limits.maximumPlanSteps), at: range, in: source)
        }
        steps.append(step)
        origins.append((range, source))
        stepIndex[step] = steps.count - 1
        return steps.count - 1
    }
}

/// A compiled value: a constant folded at compile time, or a column of the plan.
enum CompiledValue: Sendable {
    case number(Double)
    case truth(Bool)
    case series(ColumnRef)
    case condition(ColumnRef)
    /// An indicator with several outputs, waiting for `.output`.
    case record(step: Int, definition: IndicatorDefinition)

    var typeDescription: String {
        switch self {
        case .number: return "a number"
        case .truth: return "a condition"
        case .series: return "a series"
        case .condition: return "a condition"
        case .record(_, let definition): return "\(definition.name) with several outputs"
        }
    }

    var isNumeric: Bool {
        switch self {
        case .number, .series: return true
        default: return false
        }
    }
}
