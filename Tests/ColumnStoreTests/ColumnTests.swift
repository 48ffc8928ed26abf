import ColumnStore
import Testing

@Suite("Column")
struct ColumnTests {
    @Test func alignment() {
        for n in [1, 3, 17, 1000] {
            let c = Column<Double>(repeating: 1, count: n)
            c.withUnsafeBufferPointer { #expect(Int(bitPattern: $0.baseAddress!) % columnAlignment == 0) }
            let ints = Column<Int64>(repeating: 7, count: n)
            ints.withUnsafeBufferPointer { #expect(Int(bitPattern: $0.baseAddress!) % 64 == 0) }
        }
    }

    @Test func copyOnWrite() {
        let a: Column<Double> = [1, 2, 3]
        var b = a
        b[1] = 20
        #expect(a.array == [1, 2, 3])
        #expect(b.array == [1, 20, 3])
    }

    @Test func slicesShareStorageAndKeepIndices() {
        let a = Column<Float>((0..<10).map(Float.init))
        let s = a[3..<7]
        #expect(s.startIndex == 3 && s.count == 4 && s[3] == 3 && s[6] == 6)
        a.withUnsafeBufferPointer { whole in
            s.withUnsafeBufferPointer { part in #expect(part.baseAddress == whole.baseAddress! + 3) }
        }
        var t = s
        t[4] = 99 // copies: the parent is untouched, indices are kept
        #expect(a[4] == 4 && t[4] == 99 && t.startIndex == 3)
        #expect(s.rebased().startIndex == 0 && s.rebased()[0] == 3)
        #expect(s.compacted().array == [3, 4, 5, 6])
    }

    @Test func appendGrowsAndSlicesAppendByCopying() {
        var c = Column<Int64>()
        for i in 0..<1000 { c.append(Int64(i)) }
        #expect(c.count == 1000 && c[999] == 999)
        var s = c[10..<20]
        s.append(-1)
        #expect(s.count == 11 && s[20] == -1 && c[20] == 20)
    }

    @Test func unsafeInitializerAndEquality() {
        let c = Column<Double>(unsafeUninitializedCount: 4) { buffer in
            for i in buffer.indices { buffer[i] = Double(i) * 0.5 }
        }
        #expect(c == [0, 0.5, 1, 1.5])
        #expect(Column<Double>([.nan]) != Column<Double>([.nan])) // NaN is not equal to itself
    }
}

@Suite("BitColumn")
struct BitColumnTests {
    @Test func setGetCountAndLogic() {
        var a = BitColumn(repeating: false, count: 130)
        a[0] = true; a[64] = true; a[129] = true
        #expect(a.trueCount == 3 && a.trueIndices == [0, 64, 129])
        let b = BitColumn((0..<130).map { $0 % 2 == 0 })
        #expect((a & b).trueIndices == [0, 64])
        #expect((a | b).trueCount == 66)
        #expect((~a).trueCount == 127) // tail bits beyond count stay clear
        #expect(a[60..<70].trueIndices == [4])
        #expect(BitColumn(repeating: true, count: 70).trueCount == 70)
    }

    @Test func packedPredicateInitMatchesBitByBit() {
        for count in [0, 1, 63, 64, 65, 128, 200] {
            let predicate = { (i: Int) in (i * 7919) % 5 < 2 }
            let packed = BitColumn(count: count, where: predicate)
            #expect(packed == BitColumn((0..<count).map(predicate)), "count \(count)")
            #expect(packed.count == count)
        }
        // Tail bits beyond count stay clear even when the predicate would set them.
        #expect(BitColumn(count: 3) { _ in true }.words.array == [0b111])
    }
}
