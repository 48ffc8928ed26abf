/// Text for HTML: escaping and the number formats the report uses.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `x` with `decimals` digits after the point and thousands separated by a thin space; "–" for NaN.
    static func number(_ x: Double, _ decimals: Int = 2) -> String {
        guard x.isFinite else { return x.isNaN ? "–" : (x > 0 ? "∞" : "−∞") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (Swift.abs(x) * scale).rounded()
        let whole = (rounded / scale).rounded(.down)
        let fraction = Int64(rounded - whole * scale)
        var digits = String(Int64(whole))
        var grouped = ""
        while digits.count > 3 {
            grouped = "\u{202F}" + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        if decimals > 0 {
            let f = String(fraction)
            grouped += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (x < 0 && rounded > 0 ? "−" : "") + grouped
    }

    /// A short form for axis labels: 12.3k, 1.2M.
    static func compact(_ x: Double) -> String {
        let a = Swift.abs(x)
        if a >= 1e9 { return number(x / 1e9, 1) + "B" }
        if a >= 1e6 { return number(x / 1e6, 1) + "M" }
        if a >= 1e4 { return number(x / 1e3, 0) + "k" }
        if a >= 10 { return number(x, 0) }
        if a >= 1 { return number(x, 2) }
        return number(x, 4)
    }
}
