import ColumnStore
@testable import Indicators
import Testing

/// EMA's, ATR's, T3's, the EMA family's, ADOSC's and KAMA's batches run C loops that use the CPU's fused multiply-add when it has one and
/// the C library's `fma` otherwise. Both must give the same bits, and the same as the streaming
/// face.
@Suite("Fused kernels (EMA, ATR, T3, the EMA family, ADOSC, KAMA)")
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

    /// How many positions hold different bits (NaN equals NaN, whatever its payload).
    static func differing<A: Sequence<Double>, B: Sequence<Double>>(_ a: A, _ b: B) -> Int {
        zip(a, b).filter { !($0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN)) }.count
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
        let hardwareVsPortable = Self.differing(hardware, portable), batchVsStream = Self.differing(hardware, streamed)
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
        let hardwareVsPortable = Self.differing(hardware, portable), batchVsStream = Self.differing(hardware, streamed)
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
        let hardwareVsPortable = Self.differing(hardware, portable), batchVsStream = Self.differing(hardware, streamed)
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

    /// DEMA, TEMA, TRIX, MACD (three outputs), APO and PPO step every stage as EMA does and run
    /// their steady state in C: both builds and the stream must agree, also through the NaNs, and
    /// the state after the batch must continue like the stream's.
    @Test("EMA family: hardware and portable builds and the streaming face agree to the bit",
          arguments: ["dema", "tema", "trix", "macd", "apo", "ppo"], [(1, 2), (2, 3), (5, 13), (30, 9)])
    func emaFamilyBuildsAgree(name: String, periods: (Int, Int)) throws {
        let series = Self.volatileSeries(count: 5_000, seed: UInt64(periods.0 * 31 + periods.1))
        // Periods of 1 exist for the single-period indicators only (TA-Lib's ranges).
        let p = ["dema", "tema", "trix"].contains(name) ? periods.0 : max(periods.0, 2), q = periods.1
        // Each runs the batch with the build given (the stream with nil), then one more streamed
        // value on the batch's state.
        func run(allowHardware: Bool?, on x: Column<Double>) throws -> [[Double]] {
            func streamed<S>(_ state: S, _ update: (inout S, Double) -> [Double]) -> [[Double]] {
                var state = state
                let rows = (x + [101.5]).enumerated().map { $0.offset < 3 ? [Double.nan] : update(&state, $0.element) }
                return (0..<rows.last!.count).map { j in rows.map { $0.count > j ? $0[j] : .nan } }
            }
            func batch<S>(_ state: S, _ compute: (inout S) -> [Column<Double>], _ update: (inout S, Double) -> [Double]) -> [[Double]] {
                var state = state
                let columns = compute(&state)
                let next = update(&state, 101.5)
                return columns.enumerated().map { Array($0.element) + [next[$0.offset]] }
            }
            switch name {
            case "dema":
                let state = try DEMA(period: p), update = { (s: inout DEMA, v: Double) in [s.update(v)] }
                guard let hardware = allowHardware else { return streamed(state, update) }
                return batch(state, { [DEMA.fusedBatch(x, &$0, allowHardware: hardware)] }, update)
            case "tema":
                let state = try TEMA(period: p), update = { (s: inout TEMA, v: Double) in [s.update(v)] }
                guard let hardware = allowHardware else { return streamed(state, update) }
                return batch(state, { [TEMA.fusedBatch(x, &$0, allowHardware: hardware)] }, update)
            case "trix":
                let state = try TRIX(period: p), update = { (s: inout TRIX, v: Double) in [s.update(v)] }
                guard let hardware = allowHardware else { return streamed(state, update) }
                return batch(state, { [TRIX.fusedBatch(x, &$0, allowHardware: hardware)] }, update)
            case "macd":
                let state = try MACD(fastPeriod: p, slowPeriod: q + p, signalPeriod: q)
                let update = { (s: inout MACD, v: Double) in
                    let value = s.update(v)
                    return [value.macd, value.signal, value.histogram]
                }
                guard let hardware = allowHardware else { return streamed(state, update) }
                return batch(state, { state in
                    let out = MACD.fusedBatch(x, &state, allowHardware: hardware)
                    return [out.macd, out.signal, out.histogram]
                }, update)
            case "apo":
                let state = try APO(fastPeriod: p, slowPeriod: q), update = { (s: inout APO, v: Double) in [s.update(v)] }
                guard let hardware = allowHardware else { return streamed(state, update) }
                return batch(state, { [APO.fusedBatch(x, &$0, allowHardware: hardware)] }, update)
            default:
                let state = try PPO(fastPeriod: p, slowPeriod: q), update = { (s: inout PPO, v: Double) in [s.update(v)] }
                guard let hardware = allowHardware else { return streamed(state, update) }
                return batch(state, { [PPO.fusedBatch(x, &$0, allowHardware: hardware)] }, update)
            }
        }
        // The whole series (NaNs from bar 700 on stay in every recurrence), and its first 700
        // bars, where the value after the batch is a number.
        for x in [series, Column(Array(series.prefix(700)))] {
            let hardware = try run(allowHardware: true, on: x), portable = try run(allowHardware: false, on: x)
            let stream = try run(allowHardware: nil, on: x)
            #expect(hardware.count == stream.count && portable.count == stream.count)
            for (j, column) in stream.enumerated() where j < hardware.count && j < portable.count {
                let hardwareVsPortable = Self.differing(hardware[j], portable[j]), batchVsStream = Self.differing(hardware[j], column)
                let numbers = column.filter { !$0.isNaN }.count, continued = !column[699].isNaN && !column[x.count].isNaN
                #expect(hardwareVsPortable == 0, "\(name) output \(j)")
                #expect(batchVsStream == 0, "\(name) output \(j)")
                #expect(numbers > 500 && (x.count > 700 || continued), "\(name) output \(j)")
            }
        }
    }

    /// The family's stages differ from an unfused EMA step on this series: a build that rounded
    /// twice would not give the stream's bits.
    @Test("EMA family: the fused stage differs from the unfused one on the test series")
    func emaFamilyStagesAreFused() throws {
        let x = Self.volatileSeries(count: 5_000, seed: 31 * 5 + 13)
        var state = try DEMA(period: 5)
        var differences = 0
        for i in 3..<700 {
            let before = (state.first.value, state.second.value), seeded = state.second.isSeeded
            _ = state.update(x[i])
            guard seeded else { continue }
            let k = state.first.k
            let first = ((x[i] - before.0) * k) + before.0
            let second = ((state.first.value - before.1) * k) + before.1
            if first.bitPattern != state.first.value.bitPattern || second.bitPattern != state.second.value.bitPattern {
                differences += 1
            }
        }
        #expect(differences > 0)
    }

    /// ADOSC's batch runs the A/D line (unfused) and both averages (fused, as TA-Lib's FMA build
    /// contracts them) in C: both builds and the stream agree, bars without a range or volume
    /// included, and the fused averages differ from the unfused form on this series.
    @Test("ADOSC: hardware and portable builds and the streaming face agree to the bit", arguments: [(2, 3), (3, 10), (10, 3), (12, 40)])
    func adoscBuildsAgree(fast: Int, slow: Int) throws {
        let close = Self.volatileSeries(count: 5_000, seed: UInt64(fast * 100 + slow))
        let high = Column(close.enumerated().map { $0.offset % 17 == 5 ? $0.element : $0.element + 0.37 })
        let low = Column(close.enumerated().map { $0.offset % 17 == 5 ? $0.element : $0.element - 0.41 })
        let volume = Column((0..<close.count).map { (i: Int) -> Double in i % 11 == 4 ? 0 : 1_000 + Double((i * 7_919) % 5_003) })
        var hardwareState = try ADOSC(fastPeriod: fast, slowPeriod: slow), portableState = try ADOSC(fastPeriod: fast, slowPeriod: slow)
        let hardware = try ADOSC.fusedBatch(high: high, low: low, close: close, volume: volume, &hardwareState, allowHardware: true)
        let portable = try ADOSC.fusedBatch(high: high, low: low, close: close, volume: volume, &portableState, allowHardware: false)
        var stream = try ADOSC(fastPeriod: fast, slowPeriod: slow)
        let streamed = (0..<close.count).map { i in
            i < 3 ? Double.nan : stream.update(high: high[i], low: low[i], close: close[i], volume: volume[i])
        }
        let hardwareVsPortable = Self.differing(hardware, portable), batchVsStream = Self.differing(hardware, streamed)
        #expect(hardwareVsPortable == 0)
        #expect(batchVsStream == 0)
        let next = (hardwareState.update(high: 102, low: 100, close: 101.5, volume: 900),
                    portableState.update(high: 102, low: 100, close: 101.5, volume: 900),
                    stream.update(high: 102, low: 100, close: 101.5, volume: 900))
        #expect(next.0.bitPattern == next.1.bitPattern && next.0.bitPattern == next.2.bitPattern)
        // A bar whose range is NaN is skipped like one without a range (TA-Lib's test is
        // `high - low > 0`): the line and the oscillator go on after the NaNs at 700..<705.
        let numbers = hardware[3..<700].filter { !$0.isNaN }.count, afterNaNs = !hardware[710].isNaN
        #expect(numbers > 600 && afterNaNs)
        // The unfused update from the same state, bar by bar, differs somewhere.
        var replay = try ADOSC(fastPeriod: fast, slowPeriod: slow)
        var differences = 0
        for i in 3..<700 {
            let before = (replay.fast, replay.slow), warm = replay.count > 0
            _ = replay.update(high: high[i], low: low[i], close: close[i], volume: volume[i])
            guard warm else { continue }
            let ad = replay.line.value
            let fastUnfused = (replay.fastK * ad) + ((1.0 - replay.fastK) * before.0)
            let slowUnfused = (replay.slowK * ad) + ((1.0 - replay.slowK) * before.1)
            if fastUnfused.bitPattern != replay.fast.bitPattern || slowUnfused.bitPattern != replay.slow.bitPattern { differences += 1 }
        }
        #expect(differences > 0)
    }

    /// KAMA's batch runs its adaptive step in C, fused as TA-Lib's FMA build contracts it (the
    /// smoothing constant and the step): both builds and the stream agree, flat stretches (an
    /// efficiency of 1) included, and the unfused step differs somewhere on this series.
    @Test("KAMA: hardware and portable builds and the streaming face agree to the bit", arguments: [1, 2, 10, 30])
    func kamaBuildsAgree(period: Int) throws {
        var values = Self.volatileSeries(count: 5_000, seed: UInt64(period) &* 3_571).array
        for i in 1_000..<1_080 { values[i] = 99.5 }
        let x = Column(values)
        var hardwareState = try KAMA(period: period), portableState = try KAMA(period: period)
        let hardware = KAMA.fusedBatch(x, &hardwareState, allowHardware: true)
        let portable = KAMA.fusedBatch(x, &portableState, allowHardware: false)
        var stream = try KAMA(period: period)
        let streamed = x.enumerated().map { $0.offset < 3 ? Double.nan : stream.update($0.element) }
        let hardwareVsPortable = Self.differing(hardware, portable), batchVsStream = Self.differing(hardware, streamed)
        #expect(hardwareVsPortable == 0)
        #expect(batchVsStream == 0)
        let numbers = hardware[3..<700].filter { !$0.isNaN }.count
        #expect(numbers > 600)
        // Replay the stream and redo each steady step unfused from the same state.
        var replay = try KAMA(period: period)
        var differences = 0
        for i in 3..<700 {
            let before = replay.kama, steady = replay.count > period
            _ = replay.update(x[i])
            guard steady else { continue }
            let change = x[i] - x[i - period]
            let sum = replay.sumROC1
            let efficiency = sum <= change || Swift.abs(sum) < 1e-14 ? 1.0 : Swift.abs(change / sum)
            var sc = KAMA.constMax.addingProduct(efficiency, KAMA.constDiff)
            sc *= sc
            let unfused = (x[i] - before) * sc + before
            if unfused.bitPattern != replay.kama.bitPattern { differences += 1 }
        }
        #expect(differences > 0)
    }
}
