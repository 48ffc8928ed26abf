/// A place in an expression's text: 1-based line and column as an editor shows them, and the
/// 0-based offset in UTF-8 bytes.
///
/// The language is ASCII; the first character outside ASCII is an error, so columns counted in
/// bytes up to it equal columns counted in characters.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool { a.offset < b.offset }

    public var description: String { "line \(line), column \(column)" }
}

/// The stretch of text a token or a sub-expression came from: `start` up to, not including, `end`.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The range from the start of `a` to the end of `b`.
    static func spanning(_ a: SourceRange, _ b: SourceRange) -> SourceRange {
        SourceRange(start: Swift.min(a.start, b.start), end: Swift.max(a.end, b.end))
    }

    public var description: String { start.description }
}
