import ColumnStore

/// Paths into the repository's Fixtures/ folder, found from this file's location so tests run
/// from any working directory and any clone folder name.
enum Fixtures {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/EngineTests/Fixtures.swift
        return parts.joined(separator: "/")
    }()

    static func path(_ relative: String) -> String { root + "/Fixtures/" + relative }

    static func bars(_ name: String) throws -> BarSeries {
        try CSVImporter.load(path(name + ".csv"))
    }
}
