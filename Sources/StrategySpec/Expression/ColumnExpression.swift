/// An expression of the strategy language, parsed and checked for syntax.
///
/// ```swift
/// let rule = try ColumnExpression("ema(close, 50) crosses_above ema(close, 200) and volume > 1.5 * sma(volume, 20)")
/// ```
///
/// Parsing knows nothing about the data: names, functions and types are resolved when the
/// expression is added to an ``ExpressionPlan``. The grammar and every function are documented in
/// docs/expressions.md.
///
/// Complexity: O(length of the text); bounded by ``ExpressionLimits``.
public struct ColumnExpression: Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public let source: String
    let syntax: Syntax

    /// Parses `source`.
    /// - Throws: ``ExpressionError`` with the line and column of the first problem, or for text
    ///   past one of `limits`.
    public init(_ source: String, limits: ExpressionLimits = .default) throws(ExpressionError) {
        self.source = source
        self.syntax = try Parser.parse(source, limits: limits)
    }

    public var description: String { source }
}
