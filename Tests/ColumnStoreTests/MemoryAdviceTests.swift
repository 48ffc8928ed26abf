import ColumnStore
import Testing

/// The huge-page advice is a hint: the arrays it is used for hold what they would without it.
@Suite("memory advice")
struct MemoryAdviceTests {
    @Test("an array filled under the advice holds its values", arguments: [0, 1, 1_000, 600_000, 1_048_577])
    func filledArray(count: Int) {
        let values = [Double](hugePagesRepeating: .nan, count: count)
        #expect(values.count == count)
        let allNaN = values.allSatisfy { $0.isNaN }
        #expect(allNaN)
        let ones = [Int64](hugePagesRepeating: 1, count: count)
        let total = ones.reduce(0, +)
        #expect(total == Int64(count))
    }

    @Test("reserving with the advice keeps the elements and the room")
    func reserve() {
        var records = (0..<10).map { "record \($0)" }
        records.reserveCapacityAdvisingHugePages(1_000_000)
        #expect(records.capacity >= 1_000_000)
        let kept = records == (0..<10).map { "record \($0)" }
        #expect(kept)
        for k in 10..<600_000 { records.append("record \(k)") }
        #expect(records.count == 600_000 && records[599_999] == "record 599999")
        var empty: [Double] = []
        empty.reserveCapacityAdvisingHugePages(2_000_000)
        #expect(empty.isEmpty && empty.capacity >= 2_000_000)
    }

    @Test("advice on a range too small or unaligned is harmless")
    func smallRanges() {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 3 << 20, alignment: 64)
        defer { buffer.deallocate() }
        MemoryAdvice.preferHugePages(buffer, byteCount: 3 << 20)
        MemoryAdvice.preferHugePages(buffer + 1, byteCount: 100)
        buffer.storeBytes(of: 42, toByteOffset: 0, as: Int.self)
        #expect(buffer.load(as: Int.self) == 42)
    }
}
