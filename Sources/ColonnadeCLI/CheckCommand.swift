import ArgumentParser
import Colonnade

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a bar file: parse it, run the integrity checks and report gaps.",
        discussion: """
        Exits 0 when the file is clean, 1 with the first problem (file, line, column) otherwise.

        Examples:
          colonnade check --data Fixtures/GOOG.csv
          colonnade check --data prices.csv --sort --duplicates last
        """
    )

    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        try dataOptions.requireData()
    }

    func run() throws {
        let loaded = try dataOptions.load()
        print(IndicatorReport.dataSummary(file: dataOptions.data ?? "", import: loaded), terminator: "")
    }
}
