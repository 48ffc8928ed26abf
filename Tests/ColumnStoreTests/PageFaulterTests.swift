#if canImport(Glibc)
import Glibc
#endif
@testable import ColumnStore
import Testing

/// The helper that faults in fresh large columns: it maps their pages, never changes a value, and
/// lets a column be freed at any moment.
@Suite("page faulter")
struct PageFaulterTests {
    /// Waits (up to thirty seconds: other suites may hand it columns meanwhile) until the faulter
    /// has nothing pending.
    private func drained() async -> Bool {
        for _ in 0..<3_000 {
            if PageFaulter.shared.pendingCount == 0 { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    #if os(Linux)
    /// The fraction of the pages of `[start, start + byteCount)` that are resident (`mincore`).
    private func residentFraction(_ start: UnsafeMutableRawPointer, byteCount: Int) -> Double {
        let pages = byteCount / 4096
        var flags = [UInt8](repeating: 0, count: pages)
        guard mincore(start, pages * 4096, &flags) == 0 else { return -1 }
        return Double(flags.count { $0 & 1 == 1 }) / Double(pages)
    }

    @Test("a submitted buffer ends up mapped without being written")
    func faultsIn() async throws {
        guard PageFaulter.hasSpareProcessor else { return }
        let byteCount = 24 << 20
        // A fresh mapping, never touched: malloc may hand back memory a freed column left mapped.
        let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        try #require(mapped != MAP_FAILED)
        let start = try #require(mapped)
        defer { munmap(start, byteCount) }
        #expect(residentFraction(start, byteCount: byteCount) < 0.5)
        #expect(PageFaulter.shared.submit(start, byteCount: byteCount))
        #expect(await drained())
        #expect(residentFraction(start, byteCount: byteCount) == 1)
        PageFaulter.shared.withdraw(start)
    }
    #endif

    @Test("large columns hold what was written, by every route that fills them on creation",
          arguments: [1 << 19, 3 << 20 + 5])
    func valuesUnchanged(count: Int) async {
        let written = Column<Double>(unsafeUninitializedCount: count) { buffer in
            for index in buffer.indices { buffer[index] = Double(index) * 1.5 }
        }
        let repeated = Column<Int64>(repeating: -7, count: count)
        var copy = written
        copy[count - 1] = -1 // shared: the write copies the whole column first
        #expect(written.withUnsafeBufferPointer { buffer in buffer.indices.allSatisfy { buffer[$0] == Double($0) * 1.5 } })
        #expect(repeated.withUnsafeBufferPointer { $0.allSatisfy { $0 == -7 } })
        #expect(copy.withUnsafeBufferPointer { buffer in
            buffer.dropLast().indices.allSatisfy { buffer[$0] == Double($0) * 1.5 } && buffer[count - 1] == -1
        })
        #expect(await drained())
    }

    @Test("columns freed while their pages are being faulted in leave nothing behind")
    func freedAtOnce() async {
        for round in 0..<60 {
            // 16 MiB, freed before the helper can be done with it.
            let column = Column<Double>(repeating: Double(round), count: 2 << 20)
            #expect(column[(2 << 20) - 1] == Double(round))
            let unwritten = Column<Double>(unsafeUninitializedCount: 1 << 20) { _ in }
            _ = unwritten.count
        }
        #expect(await drained())
    }

    @Test("columns created and freed on several threads at once hold their values")
    func concurrent() async {
        let agreed = await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var ok = true
                    for round in 0..<6 {
                        let value = Double(worker * 100 + round)
                        // 4 MiB: the smallest buffer handed to the helper.
                        let column = Column<Double>(unsafeUninitializedCount: 1 << 19) { buffer in
                            for index in buffer.indices { buffer[index] = value + Double(index) }
                        }
                        ok = ok && column.withUnsafeBufferPointer { buffer in
                            buffer.indices.allSatisfy { buffer[$0] == value + Double($0) }
                        }
                    }
                    return ok
                }
            }
            return await group.allSatisfy { $0 }
        }
        #expect(agreed)
        #expect(await drained())
    }

    @Test("the helper starts again after it has gone idle")
    func restartsAfterIdle() async throws {
        guard PageFaulter.hasSpareProcessor else { return }
        let first = Column<Double>(repeating: 1, count: 1 << 20)
        #expect(await drained())
        var idle = false
        // Other suites running alongside may keep it busy for a while: up to thirty seconds.
        for _ in 0..<600 where !idle {
            try await Task.sleep(for: .milliseconds(50))
            idle = !PageFaulter.shared.isWorkerRunning
        }
        #expect(idle)
        let second = Column<Double>(repeating: 2, count: 1 << 20)
        #expect(PageFaulter.shared.isWorkerRunning || PageFaulter.shared.pendingCount == 0)
        #expect(await drained())
        #expect(first[0] == 1 && second[(1 << 20) - 1] == 2)
    }

    @Test("the switch reads back what was set")
    func toggle() {
        let before = MemoryAdvice.faultsInFreshColumnsOnHelperThread
        #expect(before)
        MemoryAdvice.faultsInFreshColumnsOnHelperThread = false
        #expect(!MemoryAdvice.faultsInFreshColumnsOnHelperThread)
        let column = Column<Double>(repeating: 3, count: 1 << 20)
        #expect(column[12_345] == 3)
        MemoryAdvice.faultsInFreshColumnsOnHelperThread = true
        #expect(MemoryAdvice.faultsInFreshColumnsOnHelperThread)
    }
}
