/// One output column of a plan step: most steps have one output, an indicator one per output.
struct ColumnRef: Sendable, Hashable {
    var step: Int
    var output: Int
}

/// An argument that is either a column or a constant: constants are never materialized as columns.
enum Operand: Sendable, Hashable {
    case column(ColumnRef)
    case constant(Double)
}

/// One computation of a plan, over whole columns. Steps are stored in dependency order and
/// hash-consed: the same computation asked for twice (by one expression or by several) is one step.
enum PlanStep: Sendable, Hashable {
    enum Arithmetic: String, Sendable, Hashable { case add = "+", subtract = "-", multiply = "*", divide = "/" }
    enum Comparison: String, Sendable, Hashable { case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!=" }

    /// A column of the data.
    case column(String)
    /// A constant broadcast to a column: only when an expression is a constant as a whole.
    case broadcast(Double)
    /// An indicator from the catalog with its full parameter list; one output per indicator output.
    case indicator(String, inputs: [ColumnRef], parameters: [Double])
    case arithmetic(Arithmetic, Operand, Operand)
    case negate(ColumnRef)
    case absolute(ColumnRef)
    /// 1 or 0; unknown (NaN) where either side is NaN.
    case compare(Comparison, Operand, Operand)
    /// Kleene logic on 1 / 0 / NaN (unknown).
    case and(ColumnRef, ColumnRef)
    case or(ColumnRef, ColumnRef)
    case not(ColumnRef)
    /// The value `bars` bars earlier; NaN before the start.
    case lag(ColumnRef, bars: Int)
    case crossesAbove(Operand, Operand)
    case crossesBelow(Operand, Operand)
    case rising(ColumnRef, bars: Int)
    case falling(ColumnRef, bars: Int)
    case highest(ColumnRef, bars: Int)
    case lowest(ColumnRef, bars: Int)
    case barsSince(ColumnRef)

    /// The columns this step reads.
    var inputs: [ColumnRef] {
        func refs(_ operands: Operand...) -> [ColumnRef] {
            operands.compactMap { if case .column(let ref) = $0 { return ref } else { return nil } }
        }
        switch self {
        case .column, .broadcast: return []
        case .indicator(_, let inputs, _): return inputs
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .crossesAbove(let a, let b), .crossesBelow(let a, let b): return refs(a, b)
        case .negate(let a), .absolute(let a), .not(let a), .lag(let a, _), .rising(let a, _), .falling(let a, _),
             .highest(let a, _), .lowest(let a, _), .barsSince(let a): return [a]
        case .and(let a, let b), .or(let a, let b): return [a, b]
        }
    }
}
