import Foundation
@testable import Execution
import Testing

/// Relative order sizes floor with Python's float floor division, so the broker's
/// `pythonFloorDivision` must give CPython's bits: on CPython's own answers
/// (Fixtures/goldens/python/floor_division.json, from scripts/generate_floor_division_goldens.py),
/// and its shortcut away from integers must agree with CPython's steps everywhere.
@Suite("Python floor division")
struct FloorDivisionTests {
    struct Golden: Decodable {
        var python: String
        var cases: [[String]]
    }

    static func value(_ text: String) throws -> Double {
        // Python writes hex floats, "inf", "-inf" and "nan"; Swift reads them all.
        try #require(Double(text), "not a number in the golden file: \(text)")
    }

    static func same(_ x: Double, _ y: Double) -> Bool { x.isNaN ? y.isNaN : x.bitPattern == y.bitPattern }

    @Test("CPython's answers, bit for bit (signed zeros included)")
    func matchesPython() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("goldens/python/floor_division.json")))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        #expect(golden.cases.count > 3000)
        var shortcuts = 0
        for row in golden.cases {
            let (a, b, expected) = (try Self.value(row[0]), try Self.value(row[1]), try Self.value(row[2]))
            let got = pythonFloorDivision(a, b), stepwise = pythonFloorDivisionInSteps(a, b)
            #expect(Self.same(got, expected), "\(row[0]) // \(row[1]): \(got), Python \(row[2])")
            #expect(Self.same(stepwise, expected), "in steps: \(row[0]) // \(row[1]): \(stepwise), Python \(row[2])")
            let q = a / b, f = q.rounded(.down)
            if q.nextDown > f, q.nextUp < f + 1, abs(q) < 0x1p52 { shortcuts += 1 }
        }
        // Both routes are exercised: most pairs take the shortcut, the near-integer ones do not.
        #expect(shortcuts > 500 && shortcuts < golden.cases.count - 1000)
    }

    @Test("the shortcut agrees with CPython's steps on random and near-integer quotients")
    func shortcutAgrees() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
        for _ in 0..<200_000 {
            let b = (unit() + 1e-3) * [1e-4, 1, 100, 1e5][Int(next() % 4)] * (next() % 3 == 0 ? -1 : 1)
            var a: Double
            switch next() % 3 {
            case 0: a = Double(Int(next() % 2_000_000) - 1_000_000) * b
            case 1: a = (unit() - 0.3) * 1e7
            default: a = Double(Int(next() % 1000)) * b * (1 + (unit() - 0.5) * 1e-15)
            }
            for _ in 0..<Int(next() % 3) { a = next() % 2 == 0 ? a.nextUp : a.nextDown }
            let fast = pythonFloorDivision(a, b), reference = pythonFloorDivisionInSteps(a, b)
            if !Self.same(fast, reference) {
                Issue.record("\(a.debugDescription) // \(b.debugDescription): \(fast), in steps \(reference)")
                return
            }
        }
    }
}
