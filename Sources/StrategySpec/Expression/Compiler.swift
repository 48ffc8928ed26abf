import Indicators

/// Resolves names, checks types, folds constants and lowers one expression's tree into plan steps.
///
/// Recursion follows the tree, whose depth the parser bounded.
struct Compiler {
    var plan: ExpressionPlan
    let source: String

    private func error(_ kind: ExpressionError.Kind, at range: SourceRange) -> ExpressionError {
        ExpressionError(kind, at: range, in: source)
    }

    private mutating func step(_ step: PlanStep, at range: SourceRange) throws(ExpressionError) -> ColumnRef {
        ColumnRef(step: try plan.intern(step, at: range, in: source), output: 0)
    }

    mutating func broadcast(_ value: Double, at range: SourceRange) throws(ExpressionError) -> ColumnRef {
        try step(.broadcast(value), at: range)
    }

    mutating func value(of syntax: Syntax) throws(ExpressionError) -> CompiledValue {
        switch syntax {
        case .number(let value, _):
            return .number(value)
        case .boolean(let flag, _):
            return .truth(flag)
        case .name(let name, let range):
            return try resolve(name, at: range)
        case .call(let name, let nameRange, let arguments, let range):
            return try call(name, nameRange: nameRange, arguments: arguments, range: range)
        case .negate(let operand, let range):
            switch try value(of: operand) {
            case .number(let number): return .number(-number)
            case .series(let ref): return .series(try step(.negate(ref), at: range))
            case let other: throw mismatch("a number or a series", other, "\"-\"", at: operand.range)
            }
        case .not(let operand, let range):
            switch try value(of: operand) {
            case .truth(let flag): return .truth(!flag)
            case .condition(let ref): return .condition(try step(.not(ref), at: range))
            case let other: throw mismatch("a condition", other, "\"not\"", at: operand.range)
            }
        case .binary(let op, let left, let right, let operatorRange, let range):
            return try binary(op, left, right, operatorRange: operatorRange, range: range)
        case .lag(let operand, let lagSyntax, let lagRange, let range):
            let bars = try lag(lagSyntax, lagRange: lagRange)
            let base = try value(of: operand)
            switch base {
            case .number, .truth: return base
            case .series(let ref): return bars == 0 ? base : .series(try step(.lag(ref, bars: bars), at: range))
            case .condition(let ref): return bars == 0 ? base : .condition(try step(.lag(ref, bars: bars), at: range))
            case .record(_, let definition):
                throw error(.outputNotChosen(function: definition.name, outputs: ExpressionFunctions.outputNames(of: definition)), at: operand.range)
            }
        case .output(let operand, let name, let nameRange, _):
            guard case .record(let index, let definition) = try value(of: operand) else {
                throw error(.outputOfNonIndicator(name), at: nameRange)
            }
            guard let output = ExpressionFunctions.outputIndex(name, of: definition) else {
                throw error(.unknownOutput(function: definition.name, name: name, outputs: ExpressionFunctions.outputNames(of: definition)), at: nameRange)
            }
            return .series(ColumnRef(step: index, output: output))
        }
    }

    // MARK: Names

    private mutating func resolve(_ name: String, at range: SourceRange) throws(ExpressionError) -> CompiledValue {
        if let value = plan.definitions[name] { return value }
        if let value = plan.scope.parameters[name] { return .number(value) }
        if plan.scope.columns.contains(name) { return .series(try step(.column(name), at: range)) }
        if ExpressionFunctions.isFunction(name) || name == "crosses_above" || name == "crosses_below" {
            throw error(.functionNotCalled(name, usage: ExpressionFunctions.usage(of: name)), at: range)
        }
        let known = plan.scope.columns + Array(plan.scope.parameters.keys) + Array(plan.definitions.keys)
        throw error(.unknownName(name, suggestion: ExpressionFunctions.suggestion(for: name, among: known)), at: range)
    }

    // MARK: Operators

    private mutating func binary(_ op: Syntax.BinaryOperator, _ leftSyntax: Syntax, _ rightSyntax: Syntax,
                                 operatorRange: SourceRange, range: SourceRange) throws(ExpressionError) -> CompiledValue {
        let left = try value(of: leftSyntax)
        let right = try value(of: rightSyntax)
        let symbol = "\"\(op.rawValue)\""
        switch op {
        case .and, .or:
            guard left.isCondition else { throw mismatch("a condition", left, symbol, at: leftSyntax.range) }
            guard right.isCondition else { throw mismatch("a condition", right, symbol, at: rightSyntax.range) }
            return try logic(op == .and, left, right, at: range)
        default:
            break
        }
        guard left.isNumeric else { throw mismatch("numbers or series", left, symbol, at: leftSyntax.range) }
        guard right.isNumeric else { throw mismatch("numbers or series", right, symbol, at: rightSyntax.range) }
        let a = operand(left), b = operand(right)
        switch op {
        case .add, .subtract, .multiply, .divide:
            let arithmetic = PlanStep.Arithmetic(rawValue: op.rawValue)!
            if case .constant(let x) = a, case .constant(let y) = b { return .number(ExpressionKernels.apply(arithmetic, x, y)) }
            return .series(try step(.arithmetic(arithmetic, a, b), at: range))
        case .crossesAbove, .crossesBelow:
            if case .constant = a, case .constant = b { return .truth(false) }  // two constants never cross
            return .condition(try step(op == .crossesAbove ? .crossesAbove(a, b) : .crossesBelow(a, b), at: range))
        default:
            let comparison = PlanStep.Comparison(rawValue: op.rawValue)!
            if case .constant(let x) = a, case .constant(let y) = b { return .truth(ExpressionKernels.compare(comparison, x, y) == 1) }
            return .condition(try step(.compare(comparison, a, b), at: range))
        }
    }

    /// `and` / `or` with constants folded by Kleene's rules: `false and c` is false, `true and c` is c.
    private mutating func logic(_ isAnd: Bool, _ left: CompiledValue, _ right: CompiledValue, at range: SourceRange) throws(ExpressionError) -> CompiledValue {
        switch (left, right) {
        case (.truth(let x), .truth(let y)): return .truth(isAnd ? x && y : x || y)
        case (.truth(let x), let other), (let other, .truth(let x)):
            return x == isAnd ? other : .truth(x)
        case (.condition(let a), .condition(let b)):
            return .condition(try step(isAnd ? .and(a, b) : .or(a, b), at: range))
        default:
            preconditionFailure("logic on non-conditions is rejected by the caller")
        }
    }

    private func operand(_ value: CompiledValue) -> Operand {
        switch value {
        case .number(let number): return .constant(number)
        case .series(let ref): return .column(ref)
        default: preconditionFailure("operands are numeric; the caller checked")
        }
    }

    // MARK: Lags and windows

    /// A lag in whole bars: a constant in 0...maximumLag.
    private mutating func lag(_ syntax: Syntax, lagRange: SourceRange) throws(ExpressionError) -> Int {
        guard case .number(let bars) = try value(of: syntax) else {
            throw error(.notConstant(context: "a lag"), at: syntax.range)
        }
        guard bars >= 0 else { throw error(.invalidLag(bars, reason: "would read a future bar; lags count bars back and must be 0 or more"), at: lagRange) }
        guard bars == bars.rounded() else { throw error(.invalidLag(bars, reason: "must be a whole number of bars"), at: lagRange) }
        guard bars <= Double(plan.limits.maximumLag) else {
            throw error(.invalidLag(bars, reason: "is more than the limit of \(plan.limits.maximumLag) bars"), at: lagRange)
        }
        return Int(bars)
    }

    /// A window length argument: a constant whole number in `range`.
    private mutating func window(_ syntax: Syntax, of function: String, in range: ClosedRange<Int>) throws(ExpressionError) -> Int {
        guard case .number(let bars) = try value(of: syntax) else {
            throw error(.notConstant(context: "the window of \(function)"), at: syntax.range)
        }
        guard bars == bars.rounded(), bars >= Double(range.lowerBound), bars <= Double(range.upperBound) else {
            throw error(.invalidWindow(function: function, value: bars, range: "\(range.lowerBound)...\(range.upperBound)"), at: syntax.range)
        }
        return Int(bars)
    }

    // MARK: Calls

    private mutating func call(_ name: String, nameRange: SourceRange, arguments: [Syntax], range: SourceRange) throws(ExpressionError) -> CompiledValue {
        if plan.definitions[name] != nil || plan.scope.parameters[name] != nil || plan.scope.columns.contains(name) {
            throw error(.notAFunction(name), at: nameRange)
        }
        func count(_ allowed: ClosedRange<Int>, _ description: String) throws(ExpressionError) {
            guard allowed.contains(arguments.count) else {
                throw error(.wrongArgumentCount(function: name, expected: description, found: arguments.count), at: range)
            }
        }
        switch name {
        case "crosses_above", "crosses_below":
            try count(2...2, "2 arguments (two series, or a series and a number)")
            return try binary(name == "crosses_above" ? .crossesAbove : .crossesBelow, arguments[0], arguments[1], operatorRange: nameRange, range: range)
        case "rising", "falling":
            try count(1...2, "a series and an optional number of bars")
            let series = try seriesArgument(arguments[0], of: name)
            let bars = arguments.count == 2 ? try window(arguments[1], of: name, in: 1...plan.limits.maximumLag) : 1
            return .condition(try step(name == "rising" ? .rising(series, bars: bars) : .falling(series, bars: bars), at: range))
        case "highest", "lowest":
            try count(2...2, "a series and a number of bars")
            let series = try seriesArgument(arguments[0], of: name)
            let bars = try window(arguments[1], of: name, in: 1...100_000)
            if bars == 1 { return .series(series) }
            return .series(try step(name == "highest" ? .highest(series, bars: bars) : .lowest(series, bars: bars), at: range))
        case "bars_since":
            try count(1...1, "1 argument (a condition)")
            let condition: ColumnRef
            switch try value(of: arguments[0]) {
            case .condition(let ref): condition = ref
            case .truth(let flag): condition = try broadcast(flag ? 1 : 0, at: arguments[0].range)
            case let other: throw mismatch("a condition", other, "bars_since", at: arguments[0].range)
            }
            return .series(try step(.barsSince(condition), at: range))
        case "abs":
            try count(1...1, "1 argument")
            switch try value(of: arguments[0]) {
            case .number(let number): return .number(Swift.abs(number))
            case .series(let ref): return .series(try step(.absolute(ref), at: range))
            case let other: throw mismatch("a number or a series", other, "abs", at: arguments[0].range)
            }
        default:
            guard let definition = ExpressionFunctions.indicator(name) else {
                throw error(.unknownFunction(name, suggestion: ExpressionFunctions.suggestion(for: name, among: ExpressionFunctions.allNames)), at: nameRange)
            }
            return try indicator(definition, arguments: arguments, nameRange: nameRange, range: range)
        }
    }

    private mutating func seriesArgument(_ syntax: Syntax, of function: String) throws(ExpressionError) -> ColumnRef {
        switch try value(of: syntax) {
        case .series(let ref): return ref
        case .record(_, let definition):
            throw error(.outputNotChosen(function: definition.name, outputs: ExpressionFunctions.outputNames(of: definition)), at: syntax.range)
        case let other: throw mismatch("a series", other, function, at: syntax.range)
        }
    }

    /// An indicator call: its input series first (all of them, or none to read its default bar
    /// columns), then its parameters in TA-Lib's order, as constants.
    private mutating func indicator(_ definition: IndicatorDefinition, arguments: [Syntax], nameRange: SourceRange,
                                    range: SourceRange) throws(ExpressionError) -> CompiledValue {
        let name = definition.name
        var inputs: [ColumnRef] = []
        var parameters: [Double] = []
        for argument in arguments {
            let value = try value(of: argument)
            switch value {
            case .series(let ref):
                guard parameters.isEmpty && inputs.count < definition.inputs.count else {
                    let parameter = parameters.count < definition.parameters.count ? definition.parameters[parameters.count].name : "a parameter"
                    throw error(.notConstant(context: "\(name): \(parameter)"), at: argument.range)
                }
                inputs.append(ref)
            case .number(let number):
                parameters.append(number)
            case .record(_, let inner):
                throw error(.outputNotChosen(function: inner.name, outputs: ExpressionFunctions.outputNames(of: inner)), at: argument.range)
            case .truth, .condition:
                throw mismatch(inputs.isEmpty && parameters.isEmpty ? "a series or a number" : "a number", value, name, at: argument.range)
            }
        }
        if inputs.isEmpty {
            for field in definition.inputs {
                guard plan.scope.columns.contains(field.rawValue) else {
                    throw error(.missingColumn(field.rawValue), at: nameRange)
                }
                inputs.append(try step(.column(field.rawValue), at: nameRange))
            }
        } else if inputs.count != definition.inputs.count {
            throw error(.wrongInputCount(function: name, inputs: definition.inputs.map(\.rawValue), found: inputs.count), at: range)
        }
        let resolved: [Double]
        do {
            resolved = try definition.resolvedParameters(parameters)
        } catch {
            throw self.error(.indicator(error), at: range)
        }
        let index = try plan.intern(.indicator(name, inputs: inputs, parameters: resolved), at: range, in: source)
        if definition.outputs.count == 1 { return .series(ColumnRef(step: index, output: 0)) }
        return .record(step: index, definition: definition)
    }

    private func mismatch(_ expected: String, _ found: CompiledValue, _ context: String, at range: SourceRange) -> ExpressionError {
        if case .record(_, let definition) = found {
            return error(.outputNotChosen(function: definition.name, outputs: ExpressionFunctions.outputNames(of: definition)), at: range)
        }
        return error(.typeMismatch(expected: expected, found: found.typeDescription, context: context), at: range)
    }
}

extension CompiledValue {
    var isCondition: Bool {
        switch self {
        case .truth, .condition: return true
        default: return false
        }
    }
}
