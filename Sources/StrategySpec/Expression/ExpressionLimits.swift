/// Bounds that keep hostile or accidental input from exhausting memory, time or the stack.
///
/// The parser is recursive descent; `maximumDepth` bounds its recursion (and that of every later
/// pass over the tree), so no text can overflow the stack. The defaults are far above what a
/// trading rule needs (a long rule has a few dozen nodes and nests five levels).
public struct ExpressionLimits: Sendable, Hashable {
    /// Characters (UTF-8 bytes) in one expression.
    public var maximumLength: Int
    /// Nesting of parentheses, calls, unary and binary operators.
    public var maximumDepth: Int
    /// Operands, operators, calls, lags and output choices in one expression.
    public var maximumNodes: Int
    /// Distinct computation steps in one plan (all its expressions together).
    public var maximumPlanSteps: Int
    /// The largest lag `x[n]`, in bars.
    public var maximumLag: Int

    public init(maximumLength: Int = 10_000, maximumDepth: Int = 64, maximumNodes: Int = 2_000,
                maximumPlanSteps: Int = 10_000, maximumLag: Int = 1_000_000) {
        self.maximumLength = maximumLength
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
        self.maximumPlanSteps = maximumPlanSteps
        self.maximumLag = maximumLag
    }

    public static let `default` = ExpressionLimits()
}
