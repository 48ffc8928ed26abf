import ColumnStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON document as a tree, so a spec can be checked key by key with the path of every problem.
/// Objects keep their keys in the order they are written out.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let flag = try? container.decode(Bool.self) { self = .bool(flag); return }
        if let number = try? container.decode(Double.self) { self = .number(number); return }
        if let text = try? container.decode(String.self) { self = .string(text); return }
        if let items = try? container.decode([JSONValue].self) { self = .array(items); return }
        let members = try container.decode([String: JSONValue].self)
        self = .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Parses JSON text.
    static func parse(_ data: [UInt8]) throws(SpecError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(data))
        } catch let DecodingError.dataCorrupted(context) {
            let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            throw SpecError(path: "$", .invalidJSON(detail))
        } catch {
            throw SpecError(path: "$", .invalidJSON("\(error)"))
        }
    }

    /// What the value is, for messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The JSON text, indented by two spaces per level, keys in their order.
    func formatted(indent: String = "") -> String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            if number == number.rounded() && Swift.abs(number) < 1e15 { return String(Int64(number)) }
            return "\(number)"
        case .string(let text): return JSONValue.quoted(text)
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ if case .object = $0 { return false } else { return true } }) {
                return "[" + items.map { $0.formatted() }.joined(separator: ", ") + "]"
            }
            let inner = indent + "  "
            return "[\n" + items.map { inner + $0.formatted(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let inner = indent + "  "
            return "{\n" + members.map { inner + JSONValue.quoted($0.0) + ": " + $0.1.formatted(indent: inner) }.joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    /// The JSON text on one line, without spaces, keys in their order.
    func compact() -> String {
        switch self {
        case .null, .bool, .number, .string: return formatted()
        case .array(let items): return "[" + items.map { $0.compact() }.joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { JSONValue.quoted($0.0) + ":" + $0.1.compact() }.joined(separator: ",") + "}"
        }
    }

    static func quoted(_ text: String) -> String { JSONText.string(text) }
}
