import ColumnStore
import Foundation

/// One chart's coordinate frame: bars on x (evenly spaced, as trading time), values on y, in an
/// SVG view box ``width`` wide; the page scales it to the screen.
struct ChartFrame {
    static let width = 1000.0
    static let left = 70.0, right = 12.0, top = 10.0, bottom = 22.0
    /// Pixel columns of the plot area: how many buckets a line is downsampled to.
    static var plotColumns: Int { Int(width - left - right) }

    let height: Double
    let bars: Int
    let low: Double, high: Double
    let logScale: Bool

    init(height: Double, bars: Int, low: Double, high: Double, logScale: Bool = false) {
        self.height = height
        self.bars = Swift.max(bars, 1)
        var low = low, high = high
        if !low.isFinite || !high.isFinite { low = 0; high = 1 }
        if high <= low { let pad = Swift.max(Swift.abs(low) * 0.01, 1e-9); low -= pad; high += pad }
        let pad = (high - low) * 0.04
        self.logScale = logScale && low > 0
        self.low = self.logScale ? low : low - pad
        self.high = self.logScale ? high : high + pad
    }

    func x(_ bar: Double) -> Double {
        Self.left + (bars <= 1 ? 0 : bar / Double(bars - 1)) * (Self.width - Self.left - Self.right)
    }

    func y(_ value: Double) -> Double {
        let fraction = logScale ? (log(value) - log(low)) / (log(high) - log(low))
                                : (value - low) / (high - low)
        return Self.top + (1 - fraction) * (height - Self.top - Self.bottom)
    }

    var top: Double { Self.top }
    var plotBottom: Double { height - Self.bottom }
    var barWidth: Double { (Self.width - Self.left - Self.right) / Double(bars) }
}

/// The calendar date of a timestamp (UTC).
func civil(_ t: Int64) -> (year: Int, month: Int, day: Int) {
    let day = t >= 0 ? t / Timestamp.nanosecondsPerDay : (t - Timestamp.nanosecondsPerDay + 1) / Timestamp.nanosecondsPerDay
    return Timestamp.civilFromDays(Int(day))
}

/// Building blocks of the report's SVG: paths, axes and ticks. All coordinates are rounded to a
/// tenth of a unit to keep the file small.
enum SVG {
    static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// A path through the points, breaking where a point follows a gap.
    static func linePath(_ points: [(bar: Int, value: Double, gapBefore: Bool)], frame: ChartFrame) -> String {
        var d = ""
        d.reserveCapacity(points.count * 12)
        var started = false
        for p in points {
            d += (started && !p.gapBefore ? "L" : "M") + n(frame.x(Double(p.bar))) + "," + n(frame.y(p.value))
            started = true
        }
        return d
    }

    /// A closed area between the points and `baseline`.
    static func areaPath(_ points: [(bar: Int, value: Double, gapBefore: Bool)], baseline: Double, frame: ChartFrame) -> String {
        guard let first = points.first, let last = points.last else { return "" }
        var d = "M" + n(frame.x(Double(first.bar))) + "," + n(frame.y(baseline))
        for p in points { d += "L" + n(frame.x(Double(p.bar))) + "," + n(frame.y(p.value)) }
        d += "L" + n(frame.x(Double(last.bar))) + "," + n(frame.y(baseline)) + "Z"
        return d
    }

    /// About `count` round values spanning `low...high` (1, 2 or 5 times a power of ten apart).
    static func ticks(low: Double, high: Double, count: Int = 5) -> [Double] {
        guard high > low, low.isFinite, high.isFinite else { return [low] }
        let raw = (high - low) / Double(count)
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? power * 10
        var value = (low / step).rounded(.up) * step
        var out: [Double] = []
        while value <= high + step * 1e-9 && out.count < 50 {
            out.append(Swift.abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return out
    }

    /// Horizontal grid lines with their labels on the left.
    static func yAxis(_ frame: ChartFrame, format: (Double) -> String) -> String {
        var out = ""
        let values: [Double]
        if frame.logScale {
            // Powers of ten and their 2× and 5× within the range, else the linear ticks.
            var candidates: [Double] = []
            var p = 1e-6
            while p < frame.high * 10 { candidates += [p, 2 * p, 5 * p]; p *= 10 }
            let inside = candidates.filter { $0 >= frame.low && $0 <= frame.high }
            values = inside.count >= 2 ? inside : ticks(low: frame.low, high: frame.high)
        } else {
            values = ticks(low: frame.low, high: frame.high)
        }
        for v in values {
            let y = n(frame.y(v))
            out += "<line class=\"grid\" x1=\"\(n(ChartFrame.left))\" x2=\"\(n(ChartFrame.width - ChartFrame.right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text class=\"tick\" x=\"\(n(ChartFrame.left - 6))\" y=\"\(y)\" dy=\"3\" text-anchor=\"end\">\(format(v))</text>"
        }
        return out
    }

    /// Vertical ticks where the calendar year (or month, for spans under two years) changes.
    static func timeAxis(_ frame: ChartFrame, time: Column<Int64>, drawGrid: Bool = true) -> String {
        let count = time.count
        guard count > 1 else { return "" }
        let t0 = time[time.startIndex], t1 = time[time.startIndex + count - 1]
        let spanDays = Double(t1 - t0) / Double(Timestamp.nanosecondsPerDay)
        let byMonth = spanDays < 730
        func key(_ t: Int64) -> Int {
            let c = civil(t)
            return byMonth ? c.year * 12 + c.month - 1 : c.year
        }
        var marks: [(bar: Int, label: String)] = []
        var previous = key(t0)
        for bar in 1..<count {
            let t = time[time.startIndex + bar]
            let k = key(t)
            if k != previous {
                let c = civil(t)
                marks.append((bar, byMonth ? "\(c.year)-\(c.month < 10 ? "0" : "")\(c.month)" : "\(c.year)"))
                previous = k
            }
        }
        // Keep about ten labels.
        let stride = Swift.max(1, (marks.count + 9) / 10)
        var out = ""
        for (index, mark) in marks.enumerated() where index % stride == 0 {
            let x = n(frame.x(Double(mark.bar)))
            if drawGrid { out += "<line class=\"grid\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(n(frame.top))\" y2=\"\(n(frame.plotBottom))\"/>" }
            out += "<text class=\"tick\" x=\"\(x)\" y=\"\(n(frame.height - 6))\" text-anchor=\"middle\">\(mark.label)</text>"
        }
        return out
    }

    static func open(id: String, height: Double, label: String) -> String {
        "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(n(ChartFrame.width)) \(n(height))\" role=\"img\" aria-label=\"\(HTML.escape(label))\" preserveAspectRatio=\"none\">"
    }
}
