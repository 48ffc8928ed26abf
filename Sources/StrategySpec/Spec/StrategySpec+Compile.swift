import ColumnStore
import Engine
import Execution

/// A spec with its parameter values fixed and its expressions compiled to one plan: ready to run
/// on the event engine (``strategy``) or on the signal fast path (``signals(for:)``), which give
/// the same trades.
public struct CompiledSpec: Sendable {
    /// The spec as written, with the parameter values of this compilation.
    public let spec: StrategySpec
    /// Every parameter's value in this run.
    public let parameterValues: [String: Double]
    /// The columnar plan of every expression, each distinct indicator once.
    public let plan: ExpressionPlan
    let longEntry: PlanOutput?, longExit: PlanOutput?, shortEntry: PlanOutput?, shortExit: PlanOutput?

    /// `.longShort` when the spec has short rules.
    public var direction: TradeDirection { spec.short == nil ? .longOnly : .longShort }

    /// The spec's rules evaluated over `bars` for the signal fast path (`SignalBacktest`): the
    /// four signal columns with the holding limit and the order rules (placement, stop-loss,
    /// take-profit, trailing stop), and the warm-up before the first decision. Run them with the
    /// spec's ``configuration`` and `spec.sizing.sizeType()`: the result is the event engine's.
    ///
    /// - Throws: ``SpecError`` when the bars lack a column the rules read.
    public func signals(for bars: BarSeries) throws(SpecError) -> (signals: TradeSignals, warmUpBars: Int) {
        let (values, _) = try evaluate(on: bars)
        let none = BitColumn(repeating: false, count: bars.count)
        func bits(_ output: PlanOutput?) -> BitColumn { output.map(values.truth) ?? none }
        // Lengths agree by construction: every column of one plan has the bars' length.
        var signals = try! TradeSignals(longEntries: bits(longEntry), longExits: bits(longExit), shortEntries: bits(shortEntry),
                                        shortExits: bits(shortExit), direction: direction)
        signals.maxBarsHeld = spec.risk.maxBarsHeld
        signals.orderRules = spec.orderRules
        return (signals, values.warmUpBars)
    }

    /// The plan's values over `bars` and the rules as a signal table.
    func evaluate(on bars: BarSeries) throws(SpecError) -> (PlanValues, SignalTable) {
        let values: PlanValues
        do {
            values = try plan.evaluate(on: bars)
        } catch {
            throw SpecError(path: Self.path(of: error, in: spec), .expression(error))
        }
        let columns = [longEntry, longExit, shortEntry, shortExit].map { $0.map { values[$0] } }
        let isShort = direction == .longShort
        let table = SignalTable(count: bars.count) { bar in
            var flags: SignalTable.Flags = []
            if columns[0]?[bar] == 1 { flags.insert(.longEntry) }
            if columns[1]?[bar] == 1 { flags.insert(.longExit) }
            if isShort, columns[2]?[bar] == 1 { flags.insert(.shortEntry) }
            if isShort, columns[3]?[bar] == 1 { flags.insert(.shortExit) }
            return flags
        }
        return (values, table)
    }

    /// The spec as an event-engine strategy (see ``SpecStrategy``): every instrument of the
    /// backtest traded by the rules, each entry sized by ``StrategySpec/sizing`` (all-in takes 1/K
    /// of the margin on K instruments), with the spec's order placement and risk rules.
    public var strategy: SpecStrategy { SpecStrategy(self) }

    /// The broker configuration of the spec's execution settings.
    public var configuration: BrokerConfiguration { spec.execution.configuration }

    /// Which of the spec's texts an evaluation error came from.
    static func path(of error: ExpressionError, in spec: StrategySpec) -> String {
        if let index = spec.indicators.firstIndex(where: { $0.expression == error.source }) { return "$.indicators[\(index)].expression" }
        for (side, rules) in [("long", spec.long), ("short", spec.short)] {
            if rules?.entry == error.source { return "$.\(side).entry" }
            if rules?.exit == error.source { return "$.\(side).exit" }
        }
        return "$"
    }
}

extension StrategySpec {
    /// Checks the spec and compiles it with `overrides` replacing parameter defaults.
    ///
    /// - Throws: ``SpecError`` for an unknown or out-of-range parameter value, a name that is not
    ///   an identifier or is used twice (or is a column, function or keyword), a spec without
    ///   rules, a sizing or execution setting out of range, or an expression that does not parse
    ///   or type-check.
    public func compiled(parameters overrides: [String: Double] = [:]) throws(SpecError) -> CompiledSpec {
        guard version == StrategySpec.currentVersion else { throw SpecError(path: "$.version", .unsupportedVersion(version)) }
        guard !name.allSatisfy({ $0 == " " || $0 == "\t" }) else { throw SpecError(path: "$.name", .invalidValue("must not be empty")) }
        let columnNames = ExpressionScope.barColumns + ["bid", "ask"] + columns
        for (index, column) in columns.enumerated() where !Self.isIdentifier(column) || ExpressionScope.barColumns.contains(column) {
            throw SpecError(path: "$.data.columns[\(index)]", .invalidValue("\"\(column)\" must be a name (letters, digits, _) other than a bar field"))
        }
        var taken = Set(columnNames)
        func checkName(_ name: String, at path: String) throws(SpecError) {
            guard Self.isIdentifier(name) else {
                throw SpecError(path: path, .invalidValue("\"\(name)\" is not a name: use letters, digits and _, starting with a letter"))
            }
            guard !Parser.keywords.contains(name), !ExpressionFunctions.isFunction(name) else {
                throw SpecError(path: path, .invalidValue("\"\(name)\" is a keyword or a function of the expression language"))
            }
            guard taken.insert(name).inserted else {
                throw SpecError(path: path, .invalidValue("\"\(name)\" is already a column, a parameter or an indicator name"))
            }
        }

        var values: [String: Double] = [:]
        for (index, p) in parameters.enumerated() {
            let path = "$.parameters[\(index)]"
            try checkName(p.name, at: path + ".name")
            for (key, bound) in [("min", p.minimum), ("max", p.maximum), ("step", p.step)] {
                if let bound, !bound.isFinite { throw SpecError(path: "\(path).\(key)", .invalidValue("must be finite")) }
            }
            if let minimum = p.minimum, let maximum = p.maximum, minimum > maximum {
                throw SpecError(path: path + ".min", .invalidValue("\(minimum) is above max \(maximum)"))
            }
            if let step = p.step, step <= 0 { throw SpecError(path: path + ".step", .invalidValue("must be positive")) }
            try Self.check(p, p.defaultValue, at: path + ".default")
            values[p.name] = p.defaultValue
        }
        for key in overrides.keys.sorted() {
            guard let p = parameters.first(where: { $0.name == key }) else {
                throw SpecError(path: "parameter \(key)", .invalidValue("is not a parameter of \(name)" + (parameters.isEmpty ? " (it has none)"
                    : " (known: \(parameters.map(\.name).joined(separator: ", ")))")))
            }
            try Self.check(p, overrides[key]!, at: "parameter \(key)")
            values[key] = overrides[key]!
        }

        guard long != nil || short != nil else {
            throw SpecError(path: "$", .invalidValue("has no rules: give \"long\", \"short\" or both, each with an \"entry\""))
        }
        switch sizing {
        case .allIn: break
        case .units(let q), .notional(let q):
            guard q.isFinite, q > 0 else { throw SpecError(path: "$.sizing.value", .invalidValue("must be a positive number, is \(q)")) }
        case .percentOfEquity(let p), .riskPercent(let p):
            guard p.isFinite, p > 0, p <= 100 else { throw SpecError(path: "$.sizing.value", .invalidValue("must be in (0, 100], is \(p)")) }
        }
        if case .riskPercent = sizing, risk.stopLoss == nil {
            throw SpecError(path: "$.sizing", .invalidValue("riskPercent sizes from the stop-loss: give \"risk\": {\"stopLoss\": ...}"))
        }
        for (key, distance) in [("stopLoss", risk.stopLoss), ("takeProfit", risk.takeProfit), ("trailingStop", risk.trailingStop)] {
            if let distance { try Self.check(distance, at: "$.risk." + key) }
        }
        if let bars = risk.maxBarsHeld, bars < 1 {
            throw SpecError(path: "$.risk.maxBarsHeld", .invalidValue("must be 1 or more bars, is \(bars)"))
        }
        for (key, placement) in [("entry", entryOrder), ("exit", exitOrder)] {
            let path = "$.orders." + key
            switch (placement.kind, placement.offset) {
            case (.market, nil): break
            case (.market, _): throw SpecError(path: path + ".offset", .invalidValue("a market order has no offset"))
            case (_, nil): throw SpecError(path: path + ".offset", .invalidValue("a \(placement.kind.rawValue) order needs an offset from the close"))
            case (_, let offset?): try Self.check(offset, at: path + ".offset")
            }
            guard placement.validBars >= 1 else {
                throw SpecError(path: path + ".validBars", .invalidValue("must be 1 or more bars, is \(placement.validBars)"))
            }
        }
        if let setting = execution.settingsOutsideProfile.first {
            throw SpecError(path: "$.execution.\(setting)", .invalidValue("needs the realistic profile: backtesting.py has no slippage, volume cap or latency"))
        }
        do {
            try execution.configuration.validate()
        } catch {
            throw SpecError(path: "$.execution", .invalidValue("\(error)"))
        }

        var plan = ExpressionPlan(scope: ExpressionScope(columns: columnNames, parameters: values))
        for (index, definition) in indicators.enumerated() {
            let path = "$.indicators[\(index)]"
            try checkName(definition.name, at: path + ".name")
            do {
                try plan.define(definition.name, as: ColumnExpression(definition.expression, limits: plan.limits))
            } catch {
                throw SpecError(path: path + ".expression", .expression(error))
            }
        }
        func rule(_ text: String?, _ path: String) throws(SpecError) -> PlanOutput? {
            guard let text else { return nil }
            do {
                return try plan.add(ColumnExpression(text, limits: plan.limits), as: .condition)
            } catch {
                throw SpecError(path: path, .expression(error))
            }
        }
        let longEntry = try rule(long?.entry, "$.long.entry"), longExit = try rule(long?.exit, "$.long.exit")
        let shortEntry = try rule(short?.entry, "$.short.entry"), shortExit = try rule(short?.exit, "$.short.exit")
        return CompiledSpec(spec: self, parameterValues: values, plan: plan, longEntry: longEntry, longExit: longExit,
                            shortEntry: shortEntry, shortExit: shortExit)
    }

    /// A distance must be usable (``PriceDistance/validationProblem``); the path names the value at fault.
    private static func check(_ distance: PriceDistance, at path: String) throws(SpecError) {
        if let (key, message) = distance.validationProblem { throw SpecError(path: path + "." + key, .invalidValue(message)) }
    }

    private static func check(_ p: Parameter, _ value: Double, at path: String) throws(SpecError) {
        guard value.isFinite else { throw SpecError(path: path, .invalidValue("must be a finite number")) }
        if p.isInteger, value != value.rounded() { throw SpecError(path: path, .invalidValue("\(p.name) must be a whole number, is \(value)")) }
        if let minimum = p.minimum, value < minimum { throw SpecError(path: path, .invalidValue("\(p.name) = \(value) is below its min \(minimum)")) }
        if let maximum = p.maximum, value > maximum { throw SpecError(path: path, .invalidValue("\(p.name) = \(value) is above its max \(maximum)")) }
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
