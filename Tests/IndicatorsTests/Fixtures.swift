import ColumnStore

/// Paths into the repository's Fixtures/ folder, found from this file's location so tests run
/// from any working directory and any clone folder name.
enum Fixtures {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/IndicatorsTests/Fixtures.swift
        return parts.joined(separator: "/")
    }()

    static func path(_ relative: String) -> String { root + "/Fixtures/" + relative }

    static func bars(_ name: String) throws -> BarSeries {
        try CSVImporter.load(path(name + ".csv"))
    }

    /// A golden TSV: header names and columns of doubles (NaN for empty cells), parsed with
    /// Swift's correctly rounded `Double(String)` so every value is the double TA-Lib produced.
    static func golden(_ name: String) throws -> [(name: String, values: [Double])] {
        let bytes = try CSVImporter.readFile(path("goldens/talib/" + name + ".tsv"))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        var columns = header.map { _ in [Double]() }
        for line in lines.dropFirst() {
            for (i, cell) in line.split(separator: "\t", omittingEmptySubsequences: false).enumerated() {
                columns[i].append(cell.isEmpty ? .nan : Double(cell)!)
            }
        }
        return zip(header, columns).map { ($0, $1) }
    }
}
