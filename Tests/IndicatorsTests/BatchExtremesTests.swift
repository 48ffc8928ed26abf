import ColumnStore
import Indicators
import Testing

/// The batch rolling-extreme driver against the streaming state machines, on every shape of
/// input the block structure has edges for: periods 1 and 2, series shorter than, equal to and
/// one past a period or a multiple of it, partial last blocks, leading NaNs and NaNs in the middle.
@Suite("Batch rolling extremes")
struct BatchExtremesTests {
    static func series(count: Int, seed: UInt64, nanAt: [Int]) -> (high: [Double], low: [Double], close: [Double]) {
        var state = seed | 1
        func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53)
        }
        var high: [Double] = [], low: [Double] = [], close: [Double] = []
        var price = 50.0
        for i in 0..<count {
            // Cent prices, so equal highs (ties) happen often.
            price = Swift.max(1, ((price + (next() - 0.5) * 2) * 100).rounded() / 100)
            let h = price + (next() * 100).rounded() / 100, l = price - (next() * 100).rounded() / 100
            high.append(nanAt.contains(i) ? .nan : h); low.append(l); close.append(price)
        }
        return (high, low, close)
    }

    static func same(_ a: [Double], _ b: Column<Double>) -> Bool {
        a.count == b.count && a.indices.allSatisfy { a[$0].bitPattern == b[$0].bitPattern || (a[$0].isNaN && b[$0].isNaN) }
    }

    @Test("batch equals stream", arguments: [2, 3, 5, 14])
    func batchEqualsStream(period: Int) throws {
        for count in [0, 1, 2, period - 1, period, period + 1, 2 * period - 1, 2 * period, 2 * period + 1, 4 * period, 7 * period + 3, 8 * period + 1]
        where count >= 0 {
            for nanAt in [[], [0, 1], [period + 2], [3 * period]] {
                let s = Self.series(count: count, seed: UInt64(count * 31 + period), nanAt: nanAt)
                let high = Column(s.high), low = Column(s.low), close = Column(s.close)
                // A leading NaN in `high` is skipped by the batch; the stream starts where the batch does.
                let begin = s.high.firstIndex { !$0.isNaN } ?? count
                func streamed(_ step: (Int) -> Double) -> [Double] { (0..<count).map { $0 < begin ? .nan : step($0) } }

                var midpoint = try MIDPOINT(period: period)
                let m = streamed { midpoint.update(s.high[$0]) }
                #expect(Self.same(m, try MIDPOINT.compute(high, period: period)), "midpoint n=\(period) count=\(count) nan=\(nanAt)")
                var max = try MAX(period: period), min = try MIN(period: period)
                let mx = streamed { max.update(s.high[$0]) }, mn = streamed { min.update(s.high[$0]) }
                let maxAgrees = Self.same(mx, try MAX.compute(high, period: period))
                let minAgrees = Self.same(mn, try MIN.compute(high, period: period))
                #expect(maxAgrees && minAgrees, "max/min n=\(period) count=\(count) nan=\(nanAt)")
                // AROON's positions: cent prices make equal highs and lows, where ties decide.
                var aroon = try AROON(period: period), aroonosc = try AROONOSC(period: period)
                let nanA = AROON.Value(down: .nan, up: .nan)
                let ar = (0..<count).map { $0 < begin ? nanA : aroon.update(high: s.high[$0], low: s.low[$0]) }
                let ao = streamed { aroonosc.update(high: s.high[$0], low: s.low[$0]) }
                let arBatch = try AROON.compute(high: high, low: low, period: period)
                let aroonAgrees = Self.same(ar.map(\.down), arBatch.down) && Self.same(ar.map(\.up), arBatch.up)
                let oscAgrees = Self.same(ao, try AROONOSC.compute(high: high, low: low, period: period))
                #expect(aroonAgrees && oscAgrees, "aroon n=\(period) count=\(count) nan=\(nanAt)")
                var midprice = try MIDPRICE(period: period)
                let p = streamed { midprice.update(high: s.high[$0], low: s.low[$0]) }
                #expect(Self.same(p, try MIDPRICE.compute(high: high, low: low, period: period)), "midprice n=\(period) count=\(count) nan=\(nanAt)")
                var willr = try WILLR(period: period)
                let w = streamed { willr.update(high: s.high[$0], low: s.low[$0], close: s.close[$0]) }
                #expect(Self.same(w, try WILLR.compute(high: high, low: low, close: close, period: period)),
                        "willr n=\(period) count=\(count) nan=\(nanAt)")
                for (fk, sk, sd) in [(period, 3, 3), (period, 1, 1), (period, 1, 4), (1, 2, 1)] {
                    var stoch = try STOCH(fastKPeriod: fk, slowKPeriod: sk, slowDPeriod: sd)
                    var stochf = try STOCHF(fastKPeriod: fk, fastDPeriod: sd)
                    let nan = STOCH.Value(slowK: .nan, slowD: .nan), nanF = STOCHF.Value(fastK: .nan, fastD: .nan)
                    let slow = (0..<count).map { $0 < begin ? nan : stoch.update(high: s.high[$0], low: s.low[$0], close: s.close[$0]) }
                    let fast = (0..<count).map { $0 < begin ? nanF : stochf.update(high: s.high[$0], low: s.low[$0], close: s.close[$0]) }
                    let slowBatch = try STOCH.compute(high: high, low: low, close: close, fastKPeriod: fk, slowKPeriod: sk, slowDPeriod: sd)
                    let fastBatch = try STOCHF.compute(high: high, low: low, close: close, fastKPeriod: fk, fastDPeriod: sd)
                    let slowAgrees = Self.same(slow.map(\.slowK), slowBatch.slowK) && Self.same(slow.map(\.slowD), slowBatch.slowD)
                    let fastAgrees = Self.same(fast.map(\.fastK), fastBatch.fastK) && Self.same(fast.map(\.fastD), fastBatch.fastD)
                    #expect(slowAgrees && fastAgrees, "stoch \(fk),\(sk),\(sd) count=\(count) nan=\(nanAt)")
                }
                for (rp, fk, fd) in [(period, 5, 3), (2, period, 1), (3, 1, period)] {
                    var stochrsi = try STOCHRSI(period: rp, fastKPeriod: fk, fastDPeriod: fd)
                    let nan = STOCHF.Value(fastK: .nan, fastD: .nan)
                    let streamedValues = (0..<count).map { $0 < begin ? nan : stochrsi.update(s.high[$0]) }
                    let batch = try STOCHRSI.compute(high, period: rp, fastKPeriod: fk, fastDPeriod: fd)
                    let agrees = Self.same(streamedValues.map(\.fastK), batch.fastK) && Self.same(streamedValues.map(\.fastD), batch.fastD)
                    #expect(agrees, "stochrsi \(rp),\(fk),\(fd) count=\(count) nan=\(nanAt)")
                }
                for n in [1, period] {
                    var donchian = try Donchian(period: n)
                    let values = streamed { _ in 0 }.indices.map { i -> Donchian.Value in
                        let nan = Donchian.Value(upper: .nan, middle: .nan, lower: .nan)
                        return i < begin ? nan : donchian.update(high: s.high[i], low: s.low[i])
                    }
                    let batch = try Donchian.compute(high: high, low: low, period: n)
                    #expect(Self.same(values.map(\.upper), batch.upper) && Self.same(values.map(\.middle), batch.middle)
                            && Self.same(values.map(\.lower), batch.lower), "donchian n=\(n) count=\(count) nan=\(nanAt)")
                }
            }
        }
    }

    @Test("inputs of different lengths are a typed error")
    func lengthMismatch() {
        #expect(throws: IndicatorError("midprice", .inputLengthMismatch(expected: 3, found: 2))) {
            _ = try MIDPRICE.compute(high: Column([1.0, 2, 3]), low: Column([1.0, 2]), period: 2)
        }
    }
}
