import ColumnStore

/// What an expression may read: the names of the data's columns and the strategy's parameters.
///
/// A name resolves to a parameter first, then to a column. Parameters are constants, so they can
/// stand wherever a constant is needed: `sma(close, fast)`, `close[lookback]`.
public struct ExpressionScope: Sendable, Equatable {
    /// Column names an expression may use (`close`, or a named extra column such as `vix`).
    public var columns: [String]
    /// Parameter values by name.
    public var parameters: [String: Double]

    /// The bar fields every `BarSeries` has.
    public static let barColumns = ["open", "high", "low", "close", "volume"]

    public init(columns: [String] = barColumns, parameters: [String: Double] = [:]) {
        self.columns = columns
        self.parameters = parameters
    }

    /// The columns of `series`: the bar fields, `bid` and `ask` when it has them, and its extras.
    public init(series: BarSeries, parameters: [String: Double] = [:]) {
        var columns = ExpressionScope.barColumns
        if series.bid != nil { columns.append("bid") }
        if series.ask != nil { columns.append("ask") }
        columns += series.extras.map(\.name)
        self.init(columns: columns, parameters: parameters)
    }
}

/// What a value is, as the type checker sees it.
public enum ExpressionType: String, Sendable, Hashable, CustomStringConvertible {
    /// A constant known before any bar is read: a literal, a parameter, arithmetic on them.
    case number
    /// One number per bar.
    case series
    /// One truth value per bar: true, false, or unknown (during warm-up).
    case condition

    public var description: String {
        switch self {
        case .number: return "a number"
        case .series: return "a series"
        case .condition: return "a condition"
        }
    }
}
