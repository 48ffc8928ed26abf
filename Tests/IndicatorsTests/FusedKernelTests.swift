import ColumnStore
@testable import Indicators
import Testing

/// EMA's batch runs a C loop that uses the CPU's fused multiply-add when it has one and the C
/// library's `fma` otherwise. Both must give the same bits, and the same as the streaming face.
@Suite("Fused EMA kernel")
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
}
