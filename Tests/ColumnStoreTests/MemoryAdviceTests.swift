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

    /// Growing into huge pages moves a full list to twice its room, past `hugeFrom` only, and
    /// keeps every element in order; below `hugeFrom` the standard library grows it.
    @Test("appending past the room doubles it and keeps the elements")
    func appendGrowing() {
        var records: [Int] = []
        records.reserveCapacity(5_000)
        let room = records.capacity
        for k in 0..<room { records.appendGrowingIntoHugePages(k) }
        #expect(records.capacity == room)
        records.appendGrowingIntoHugePages(room)
        #expect(records.capacity >= 2 * room)
        for k in (room + 1)..<300_000 { records.appendGrowingIntoHugePages(k) }
        #expect(records == Array(0..<300_000))

        var small: [String] = []
        for k in 0..<100 { small.appendGrowingIntoHugePages("record \(k)", hugeFrom: 64) }
        #expect(small == (0..<100).map { "record \($0)" })
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

    /// Faulting pages in changes no contents: written bytes stay, unwritten room stays usable,
    /// and odd ranges (unaligned, tiny, empty) are harmless.
    @Test("populating memory keeps what it holds")
    func populate() {
        let count = 3 << 18
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { buffer.deallocate() }
        for k in stride(from: 0, to: count, by: 997) { buffer[k] = Double(k) }
        MemoryAdvice.populate(buffer, byteCount: count * 8)
        MemoryAdvice.populate(UnsafeRawPointer(buffer) + 3, byteCount: 5_000)
        MemoryAdvice.populate(buffer, byteCount: 0)
        #expect(stride(from: 0, to: count, by: 997).allSatisfy { buffer[$0] == Double($0) })

        var records = [Int](repeating: 7, count: 10)
        records.reserveCapacity(100_000)
        let room = records.unwrittenCapacity
        #expect(room.count == (records.capacity - 10) * MemoryLayout<Int>.stride)
        records.withUnsafeBufferPointer { #expect(room.baseAddress == UnsafeRawPointer($0.baseAddress! + 10)) }
        MemoryAdvice.populate(room.baseAddress!, byteCount: room.count)
        records.append(contentsOf: 0..<50_000)
        #expect(records.prefix(10).allSatisfy { $0 == 7 } && records.last == 49_999)
        #expect([Int]().unwrittenCapacity.count == 0)
    }
}
