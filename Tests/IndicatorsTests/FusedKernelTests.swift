import ColumnStore
@testable import Indicators
import Testing

/// EMA's, ATR's and T3's batches run C loops that use the CPU's fused multiply-add when it has one and
/// the C library's `fma` otherwise. Both must give the same bits, and the same as the streaming
/// face.
@Suite("Fused kernels (EMA, ATR, T3)")
struct FusedKernelTests {
    /// Volatile full-precision values (every product's rounding shows in the sum), with NaNs in
    /// front and in the middle, where the arithmetic has to carry them the same way.
    static func volatileSeries(count: Int, seed: UInt64) -> Column<Double> {
        var state = seed
        func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53)
        }
        var values: [Double] = []
        var level = 0.0
        for i in 0..<count {
            level = 0.9 * level + (next() - 0.5)
            values.append(i < 3 || (i >= 700 && i < 705) ? .nan : 100 * (1 + level))
        }
        return Column(values)
    }

    @Test("hardware and portable builds and the streaming face agree to the bit", arguments: [2, 10, 30, 200])
    func buildsAgree(period: Int) throws {
        let x = Self.volatileSeries(count: 5_000, seed: UInt64(period) &* 7_919)
        var hardwareState = try EMA(period: period), portableState = try EMA(period: period)
        let hardware = EMA.fusedBatch(x, &hardwareState, allowHardware: true)
        let portable = EMA.fusedBatch(x, &portableState, allowHardware: false)
        var stream = try EMA(period: period)
        var streamed: [Double] = []
        var started = false
        for value in x {
            started = started || !value.isNaN
            streamed.append(started ? stream.update(value) : .nan)
        }
        let same = { (a: Double, b: Double) in a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
        let hardwareVsPortable = zip(hardware, portable).filter { !same($0, $1) }.count
        let batchVsStream = zip(hardware, streamed).filter { !same($0, $1) }.count
        #expect(hardwareVsPortable == 0)
        #expect(batchVsStream == 0)
        // The state after the batch continues the series exactly like the streamed one.
        #expect(hardwareState.update(101.5).bitPattern == stream.update(101.5).bitPattern)
        #expect(portableState.update(101.5).bitPattern == hardwareState.value.bitPattern)
        // The NaNs in the middle propagate from bar 700 on, as the recurrence dictates.
        #expect(hardware[710].isNaN)
        // Fused and unfused differ on this series: the test would see a build that rounds twice.
        var unfused = 0.0, count = 0, differences = 0
        for (i, value) in x.enumerated() where i >= 3 && i < 700 {
            count += 1
            if count <= period { unfused += value; if count == period { unfused /= Double(period) }; continue }
            unfused = ((value - unfused) * EMA(period: period, k: emaFactor(period)).k) + unfused
            if unfused.bitPattern != hardware[i].bitPattern { differences += 1 }
            unfused = hardware[i]
        }
        #expect(differences > 0)
    }

    @Test("short inputs: all warm-up, exactly the period, and empty")
    func shortInputs() throws {
        for count in [0, 1, 9, 10, 11] {
            let x = Self.volatileSeries(count: count, seed: 5)
            var state = try EMA(period: 10)
            let out = EMA.fusedBatch(x, &state, allowHardware: true)
            #expect(out.count == count)
            var stream = try EMA(period: 10)
            for (i, value) in x.enumerated() where i >= 3 {
                let expected = stream.update(value)
                #expect(out[i].bitPattern == expected.bitPattern || (out[i].isNaN && expected.isNaN))
            }
        }
    }

    /// ATR's batch runs Wilder's smoothing in C, fused like TA-Lib's FMA build: the hardware and
    /// portable builds and the stream (`addingProduct`) must agree, and differ from the unfused
    /// form somewhere, or the test could not see a build that rounds twice.
    @Test("ATR: hardware and portable builds and the streaming face agree to the bit", arguments: [1, 2, 14, 200])
    func atrBuildsAgree(period: Int) throws {
        let close = Self.volatileSeries(count: 5_000, seed: UInt64(period) &* 104_729)
        let high = Column(close.map { $0 + 0.37 }), low = Column(close.map { $0 - 0.41 })
        let n = close.count
        func batch(allowHardware: Bool) throws -> [Double] {
            var state = try ATR(period: period)
            var out = [Double](repeating: .nan, count: n)
            high.withUnsafeBufferPointer { h in
                low.withUnsafeBufferPointer { l in
                    close.withUnsafeBufferPointer { c in
                        out.withUnsafeMutableBufferPointer { o in
                            // From bar 3, the first where the volatile series is a number.
                            ATR.fill(&state, h.baseAddress!, l.baseAddress!, c.baseAddress!, 3..<n, into: o.baseAddress!,
                                     allowHardware: allowHardware)
                        }
                    }
                }
            }
            return out
        }
        let hardware = try batch(allowHardware: true), portable = try batch(allowHardware: false)
        var stream = try ATR(period: period)
        let streamed = (0..<n).map { $0 < 3 ? Double.nan : stream.update(high: high[$0], low: low[$0], close: close[$0]) }
        let same = { (a: Double, b: Double) in a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
        let hardwareVsPortable = (0..<n).filter { !same(hardware[$0], portable[$0]) }.count
        let batchVsStream = (0..<n).filter { !same(hardware[$0], streamed[$0]) }.count
        #expect(hardwareVsPortable == 0)
        #expect(batchVsStream == 0)
        guard period > 2 else { return }
        // A NaN true range stays in the average (period 1 is the true range itself).
        #expect(hardware[710].isNaN)
        // One unfused step from each fused value, over the bars before the NaNs (at period 2 both
        // products are exact, halving, and fused equals unfused).
        let atr = try ATR(period: period)
        var differences = 0
        for i in (3 + period + 1)..<700 {
            let tr = trueRange(high: high[i], low: low[i], previousClose: close[i - 1])
            let unfused = hardware[i - 1] * atr.decay + tr * atr.reciprocal
            if unfused.bitPattern != hardware[i].bitPattern { differences += 1 }
        }
        #expect(differences > 0)
    }

    /// T3's batch runs its six stages and the combination in C, fused as TA-Lib's FMA build
    /// contracts them (the goldens hold it to TA-Lib's bits); the builds and the stream must agree.
    @Test("T3: hardware and portable builds and the streaming face agree to the bit", arguments: [(1, 0.7), (2, 0.7), (5, 0.7), (10, 0.5), (30, 1.0)])
    func t3BuildsAgree(period: Int, volumeFactor: Double) throws {
        let x = Self.volatileSeries(count: 5_000, seed: UInt64(period) &* 65_537)
        var hardwareState = try T3(period: period, volumeFactor: volumeFactor)
        var portableState = try T3(period: period, volumeFactor: volumeFactor)
        let hardware = T3.fusedBatch(x, &hardwareState, allowHardware: true)
        let portable = T3.fusedBatch(x, &portableState, allowHardware: false)
        var stream = try T3(period: period, volumeFactor: volumeFactor)
        let streamed = x.enumerated().map { $0.offset < 3 ? Double.nan : stream.update($0.element) }
        let same = { (a: Double, b: Double) in a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
        let hardwareVsPortable = zip(hardware, portable).filter { !same($0, $1) }.count
        let batchVsStream = zip(hardware, streamed).filter { !same($0, $1) }.count
        #expect(hardwareVsPortable == 0)
        #expect(batchVsStream == 0)
        let firstValue = 3 + 6 * (period - 1)
        let warmUpIsNaN = hardware.prefix(firstValue).allSatisfy(\.isNaN), firstIsNumber = !hardware[firstValue].isNaN
        #expect(warmUpIsNaN && firstIsNumber)
        // The states continue the series alike.
        let next = (hardwareState.update(101.5), portableState.update(101.5), stream.update(101.5))
        #expect(next.0.bitPattern == next.1.bitPattern && next.0.bitPattern == next.2.bitPattern)
        let middleNaN = hardware[710].isNaN
        #expect(middleNaN)
        // One unfused step of every stage and of the combination from the fused values before
        // the NaNs: a build that rounds twice would differ somewhere.
        guard period > 1 else { return }
        let t3 = try T3(period: period, volumeFactor: volumeFactor)
        var stages = [Double](repeating: 0, count: 6)
        var fused = [Double](repeating: 0, count: 6)
        var differences = 0
        var replay = try T3(period: period, volumeFactor: volumeFactor)
        for i in 3..<700 {
            stages = [replay.e1.value, replay.e2.value, replay.e3.value, replay.e4.value, replay.e5.value, replay.e6.value]
            let warm = replay.e6.count >= period
            _ = replay.update(x[i])
            fused = [replay.e1.value, replay.e2.value, replay.e3.value, replay.e4.value, replay.e5.value, replay.e6.value]
            guard warm else { continue }
            var input = x[i]
            for j in 0..<6 {
                let unfused = t3.k * input + t3.oneMinusK * stages[j]
                if unfused.bitPattern != fused[j].bitPattern { differences += 1 }
                input = fused[j]
            }
            let combination = t3.c1 * fused[5] + t3.c2 * fused[4] + t3.c3 * fused[3] + t3.c4 * fused[2]
            if combination.bitPattern != hardware[i].bitPattern { differences += 1 }
        }
        #expect(differences > 0)
    }
}
