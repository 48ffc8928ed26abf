import Foundation
import NaturalLanguage
import StrategySpec
import Testing

enum Corpus {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/NaturalLanguageTests/CorpusTests.swift
        return parts.joined(separator: "/")
    }()

    struct Entry: Sendable {
        var id: String
        var text: String
        /// The spec the text should produce, read from the entry's hand-written rules, risk and sizing.
        var expected: StrategySpec
    }

    static let entries: [Entry] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: root + "/Fixtures/english/corpus.json"))
        let top = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (top["entries"] as! [[String: Any]]).map { entry in
            var document: [String: Any] = ["version": 1, "name": "expected"]
            for key in ["long", "short", "risk", "sizing"] { document[key] = entry[key] }
            let json = String(data: try! JSONSerialization.data(withJSONObject: document), encoding: .utf8)!
            let expected: StrategySpec
            do {
                expected = try StrategySpec(json: json)
            } catch {
                fatalError("corpus entry \(entry["id"]!): \(error)")
            }
            return Entry(id: entry["id"] as! String, text: entry["text"] as! String, expected: expected)
        }
    }()
}

@Suite struct EnglishCorpusTests {
    @Test func theCorpusIsLargeAndVaried() {
        #expect(Corpus.entries.count >= 40)
        #expect(Set(Corpus.entries.map(\.id)).count == Corpus.entries.count)
    }

    /// Every description gives the spec written next to it: rules, risk rules and sizing.
    @Test(arguments: Corpus.entries.map(\.id))
    func producesTheIntendedSpec(id: String) throws {
        let entry = try #require(Corpus.entries.first { $0.id == id })
        let translation: Translation
        do {
            translation = try EnglishTranslator().translate(entry.text)
        } catch {
            Issue.record("\(id): \(error)")
            return
        }
        let spec = translation.spec
        #expect(spec.long == entry.expected.long, "\(id) long: \(String(describing: spec.long))")
        #expect(spec.short == entry.expected.short, "\(id) short: \(String(describing: spec.short))")
        #expect(spec.risk == entry.expected.risk, "\(id) risk: \(spec.risk)")
        #expect(spec.sizing == entry.expected.sizing, "\(id) sizing: \(spec.sizing)")
        #expect(spec.description == entry.text)
        // Every phrase it used is explained, and every explanation quotes the description.
        #expect(!translation.explanations.isEmpty)
        for explanation in translation.explanations {
            #expect(entry.text.contains(explanation.phrase), "\(id): explanation quotes \"\(explanation.phrase)\"")
        }
    }
}
