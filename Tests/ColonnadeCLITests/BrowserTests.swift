import Foundation
import Testing

/// The demo report, looked at: headless Chromium (Debian's `chromium`, installed by `make test`)
/// parses the page written by `colonnade demo`, and the DOM it builds must hold every chart with
/// data in it; a screenshot must come out.
@Suite("the demo report in headless Chromium")
struct BrowserTests {
    static let browser: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs the browser headless; returns its standard output.
    func chromium(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.browser, "no Chromium: `make test-deps` installs Debian's chromium"))
        // --no-sandbox: Chromium refuses to run as root without it (CI runs as root).
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--timeout=30000"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The number of coordinate pairs in the `d` attributes between `<svg id="id"` and its `</svg>`.
    func points(in dom: String, chart id: String) -> Int? {
        guard let start = dom.range(of: "<svg id=\"\(id)\""), let end = dom.range(of: "</svg>", range: start.upperBound..<dom.endIndex) else { return nil }
        let svg = dom[start.upperBound..<end.lowerBound]
        return svg.components(separatedBy: " d=\"").dropFirst().map { $0.prefix { $0 != "\"" }.filter { $0 == "," }.count }.reduce(0, +)
            + svg.components(separatedBy: "<rect").count - 1
    }

    @Test func theDemoReportRendersEveryChartWithData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("colonnade-browser-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let report = dir + "/colonnade-report.html"
        let demo = try CLI.run(["demo", "--output", report, "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Report: \(report)") && demo.stderr.isEmpty)
        let trades = try #require(demo.stdout.firstMatch(of: /, (\d+) trades,/).map { Int($0.1)! })
        #expect(trades > 0)

        let dom = try chromium(["--dump-dom", "file://" + report])
        #expect(dom.status == 0)
        // Lines and areas draw through hundreds of points; the histogram has a bar per non-empty bin.
        for (chart, least) in [("equity-chart", 500), ("drawdown-chart", 500), ("price-chart", 500), ("pane-0", 500), ("returns-chart", 2)] {
            let count = points(in: dom.stdout, chart: chart)
            #expect((count ?? 0) >= least, "\(chart): \(String(describing: count)) points")
        }
        #expect(dom.stdout.components(separatedBy: "class=\"entry long\"").count - 1 >= trades)
        #expect(dom.stdout.contains("<table id=\"monthly-returns\"") && dom.stdout.contains("<th>2012</th>"))
        #expect(dom.stdout.components(separatedBy: "<tr><td>").count - 1 == trades)  // the trade table
        #expect(dom.stdout.contains("Sharpe Ratio") && dom.stdout.contains("volume cap"))

        let png = dir + "/report.png"
        let shot = try chromium(["--screenshot=" + png, "--window-size=1200,2400", "file://" + report])
        #expect(shot.status == 0)
        let image = try #require(FileManager.default.contents(atPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))  // PNG
        #expect(image.count > 50_000, "\(image.count) bytes: a blank page compresses to almost nothing")
    }
}
