/// JSON text: numbers and string literals, for every writer of JSON in the package (it lives in
/// the lowest layer so that each module can use it).
public enum JSONText {
    /// The shortest form that reads back as the same double; `nan` (default `null`) when not finite.
    public static func number(_ x: Double, nan: String = "null") -> String { x.isFinite ? "\(x)" : nan }

    /// A JSON string literal.
    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

