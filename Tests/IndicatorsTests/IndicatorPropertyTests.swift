import ColumnStore
import Indicators
import Testing

/// A deterministic random walk with valid OHLCV bars (xorshift, so no platform RNG differences).
func randomBars(count: Int, seed: UInt64 = 42) throws -> BarSeries {
    var state = seed
    func next() -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
    var time: [Int64] = [], open: [Double] = [], high: [Double] = [], low: [Double] = [], close: [Double] = [], volume: [Double] = []
    var price = 100.0
    for i in 0..<count {
        let o = price
        let c = (o * (1 + (next() - 0.5) * 0.04) * 100).rounded() / 100
        let h = Swift.max(o, c) + (next() * 1.5 * 100).rounded() / 100
        let l = Swift.min(o, c) - (next() * 1.5 * 100).rounded() / 100
        time.append(Int64(i) * 86_400_000_000_000); open.append(o); high.append(h); low.append(Swift.max(l, 0.01))
        close.append(c); volume.append((next() * 1e6).rounded())
        price = c
    }
    return try BarSeries(symbol: "RND", time: Column(time), open: Column(open), high: Column(high), low: Column(low),
                         close: Column(close), volume: Column(volume))
}

/// One spec per catalog entry, with its default parameters.
let everySpec: [String] = IndicatorCatalog.all.map(\.name)

@Suite("Indicator properties")
struct IndicatorPropertyTests {
    @Test("a bar after t never changes an output at or before t", arguments: everySpec)
    func noLookAhead(name: String) throws {
        let bars = try randomBars(count: 400)
        let spec = IndicatorSpec(name: name)
        let full = try IndicatorCatalog.evaluate(spec, on: bars)
        for cut in [57, 150, 311] {
            let prefix = try IndicatorCatalog.evaluate(spec, on: bars[0..<cut])
            for (a, b) in zip(full, prefix) {
                for i in 0..<cut {
                    #expect(a.values[i].bitPattern == b.values[i].bitPattern || (a.values[i].isNaN && b.values[i].isNaN),
                            "\(name).\(a.output) bar \(i) changed when bars after \(cut - 1) were added")
                }
            }
        }
    }

    @Test("outputs are NaN exactly during warm-up, then numbers", arguments: everySpec)
    func warmUp(name: String) throws {
        let bars = try randomBars(count: 300)
        for output in try IndicatorCatalog.evaluate(IndicatorSpec(name: name), on: bars) {
            #expect(output.values.count == bars.count)
            guard let first = output.values.firstIndex(where: { !$0.isNaN }) else {
                Issue.record("\(name).\(output.output) is all NaN on 300 bars"); continue
            }
            #expect(output.values[first...].allSatisfy { !$0.isNaN }, "\(name).\(output.output) has a NaN after its first value")
        }
    }

    @Test("streaming updates give the batch kernel's numbers")
    func streamingTwins() throws {
        let bars = try randomBars(count: 500)
        let h = bars.high, l = bars.low, c = bars.close, o = bars.open, v = bars.volume
        func same(_ stream: [Double], _ batch: Column<Double>, _ name: String) {
            #expect(stream.count == batch.count)
            for i in 0..<stream.count where !(stream[i].isNaN && batch[i].isNaN) {
                #expect(stream[i].bitPattern == batch[i].bitPattern, "\(name) bar \(i): stream \(stream[i]) batch \(batch[i])")
            }
        }
        var sma = try SMA(period: 20); same(c.map { sma.update($0) }, try SMA.compute(c, period: 20), "sma")
        var ema = try EMA(period: 20); same(c.map { ema.update($0) }, try EMA.compute(c, period: 20), "ema")
        var wma = try WMA(period: 7); same(c.map { wma.update($0) }, try WMA.compute(c, period: 7), "wma")
        var kama = try KAMA(period: 10); same(c.map { kama.update($0) }, try KAMA.compute(c, period: 10), "kama")
        var t3 = try T3(); same(c.map { t3.update($0) }, try T3.compute(c), "t3")
        var rsi = try RSI(); same(c.map { rsi.update($0) }, try RSI.compute(c), "rsi")
        var macd = try MACD()
        let streamed = c.map { macd.update($0) }
        let batch = try MACD.compute(c)
        same(streamed.map(\.macd), batch.macd, "macd"); same(streamed.map(\.signal), batch.signal, "macdsignal")
        same(streamed.map(\.histogram), batch.histogram, "macdhist")
        var bb = try BBANDS()
        let bbs = c.map { bb.update($0) }
        same(bbs.map(\.upper), try BBANDS.compute(c).upper, "bbands.upper")
        var atr = try ATR(); same((0..<bars.count).map { atr.update(high: h[$0], low: l[$0], close: c[$0]) }, try ATR.compute(high: h, low: l, close: c), "atr")
        var adx = try ADX(); same((0..<bars.count).map { adx.update(high: h[$0], low: l[$0], close: c[$0]) }, try ADX.compute(high: h, low: l, close: c), "adx")
        var stoch = try STOCH()
        same((0..<bars.count).map { stoch.update(high: h[$0], low: l[$0], close: c[$0]).slowD }, try STOCH.compute(high: h, low: l, close: c).slowD, "stoch.slowd")
        var sar = try SAR(); same((0..<bars.count).map { sar.update(high: h[$0], low: l[$0]) }, try SAR.compute(high: h, low: l), "sar")
        var mfi = try MFI(); same((0..<bars.count).map { mfi.update(high: h[$0], low: l[$0], close: c[$0], volume: v[$0]) },
                                 try MFI.compute(high: h, low: l, close: c, volume: v), "mfi")
        let bop = BOP(); same((0..<bars.count).map { bop.update(open: o[$0], high: h[$0], low: l[$0], close: c[$0]) },
                              try BOP.compute(open: o, high: h, low: l, close: c), "bop")
        var vwap = try VWAP(period: 10); same((0..<bars.count).map { vwap.update(high: h[$0], low: l[$0], close: c[$0], volume: v[$0]) },
                                              try VWAP.compute(high: h, low: l, close: c, volume: v, period: 10), "vwap")
    }

    /// TA-Lib's Python wrapper starts a batch at the first bar where every input is a number; so
    /// does every kernel here, whether a NaN leads one input or all of them (an SMA of an RSI,
    /// a symbol that starts trading late in a universe).
    @Test("every indicator skips leading NaNs: its output is the valid tail's, shifted", arguments: everySpec)
    func leadingNaNEveryIndicator(name: String) throws {
        let definition = try IndicatorCatalog.definition(named: name)
        let bars = try randomBars(count: 300)
        let tail = definition.inputs.map { bars.column(named: $0.rawValue)! }
        let expected = try definition.evaluate(inputs: tail)
        let pad = 17
        for padded in 0..<tail.count {
            // NaN leads input `padded`; the others lead with numbers, so the batch starts at `pad`.
            let inputs = tail.enumerated().map { k, column in
                Column((k == padded ? [Double](repeating: .nan, count: pad) : [Double](repeating: 100, count: pad)) + column.array)
            }
            let outputs = try definition.evaluate(inputs: inputs)
            for (got, want) in zip(outputs, expected) {
                let headIsNaN = (0..<pad).allSatisfy { got[$0].isNaN }
                #expect(headIsNaN, "\(name): output before the first full bar must be NaN")
                let mismatch = (0..<want.count).first { i in
                    !(got[i + pad].bitPattern == want[i].bitPattern || (got[i + pad].isNaN && want[i].isNaN))
                }
                #expect(mismatch == nil, "\(name), NaNs leading input \(padded): first difference at bar \(mismatch.map { $0 + pad } ?? -1)")
            }
        }
    }

    @Test("definitions match hand-computed values on a tiny series")
    func handComputed() throws {
        let x: Column<Double> = [1, 2, 3, 4, 5, 6]
        #expect(try SMA.compute(x, period: 3).array.dropFirst(2) == [2, 3, 4, 5])
        #expect(try SUM.compute(x, period: 2).array.dropFirst(1) == [3, 5, 7, 9, 11])
        #expect(try MOM.compute(x, period: 2).array.dropFirst(2) == [2, 2, 2, 2])
        #expect(try WMA.compute(x, period: 3).array.dropFirst(2) == [14.0 / 6, 20.0 / 6, 26.0 / 6, 32.0 / 6])
        #expect(try MAX.compute(x, period: 3).array.dropFirst(2) == [3, 4, 5, 6])
        // EMA(3): seed = mean(1,2,3) = 2, then (x - e)·0.5 + e.
        #expect(try EMA.compute(x, period: 3).array.dropFirst(2) == [2, 3, 4, 5])
        // Rolling VWAP over 2 bars of flat bars: Σ(p·v)/Σv.
        let p: Column<Double> = [10, 20, 30], vol: Column<Double> = [1, 3, 0]
        let vw = try VWAP.compute(high: p, low: p, close: p, volume: vol, period: 2)
        #expect(vw[1] == (10 * 1 + 20 * 3) / 4.0 && vw[2] == 20)
    }
}

@Suite("Indicator errors")
struct IndicatorErrorTests {
    func error(_ text: String, bars: BarSeries? = nil) throws -> IndicatorError? {
        let series = try bars ?? randomBars(count: 50)
        do {
            _ = try IndicatorCatalog.evaluate(try IndicatorSpec.parse(text), on: series)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownName() throws {
        let e = try #require(try error("smaa:20"))
        #expect(e.kind == .unknownIndicator("smaa"))
        #expect(e.description.contains("smaa"))
    }

    @Test func wrongParameterCount() throws {
        let e = try #require(try error("sma:20,3"))
        #expect(e.kind == .wrongParameterCount(expected: 0...1, found: 2))
        #expect(e.description.contains("sma"))
    }

    @Test func outOfRange() throws {
        let e = try #require(try error("rsi:1"))
        #expect(e.indicator == "rsi")
        guard case .parameterOutOfRange(let parameter, let value, _) = e.kind else { Issue.record("\(e)"); return }
        #expect(parameter == "timeperiod" && value == 1)
        #expect(try error("sma:0") != nil)
        #expect(try error("sma:100001") != nil)
        #expect(try error("t3:5,1.5") != nil)
        #expect(try error("sar:-0.1") != nil)
        #expect(try error("stddev:5,inf") != nil)
    }

    @Test func notAnInteger() throws {
        let e = try #require(try error("ema:10.5"))
        #expect(e.kind == .notAnInteger(parameter: "timeperiod", value: 10.5))
    }

    @Test func malformed() throws {
        for text in ["", ":20", "sma:", "sma:abc", "sma:20,,3", "s m a"] {
            #expect(try error(text) != nil, "\(text) should be rejected")
        }
    }

    @Test func missingVolume() throws {
        let b = try randomBars(count: 30)
        let noVolume = try BarSeries(symbol: "X", time: b.time, open: b.open, high: b.high, low: b.low, close: b.close)
        #expect(try error("obv", bars: noVolume)?.kind == .missingInput("volume"))
    }

    @Test func mismatchedLengths() throws {
        #expect(throws: IndicatorError.self) {
            _ = try ATR.compute(high: [1, 2, 3], low: [1, 2], close: [1, 2, 3])
        }
    }

    /// `resolvedParameters` checks ranges without bars (the expression compiler relies on it), for
    /// every indicator, and refuses exactly what evaluating would refuse.
    @Test func parametersAreCheckedWithoutBars() throws {
        let bars = try randomBars(count: 60)
        for definition in IndicatorCatalog.all {
            #expect(try definition.resolvedParameters([]) == definition.parameters.map(\.defaultValue))
            guard let first = definition.parameters.first else { continue }
            for bad in [-5.0, 0, 1e8] {
                let refusedEarly = (try? definition.resolvedParameters([bad])) == nil
                let refusedLate = (try? definition.evaluate(on: bars, parameters: [bad])) == nil
                #expect(refusedEarly == refusedLate, "\(definition.name) \(first.name) = \(bad)")
            }
        }
        let sma = try IndicatorCatalog.definition(named: "sma")
        #expect(throws: IndicatorError("sma", .wrongInputCount(expected: 1, found: 2))) {
            _ = try sma.evaluate(inputs: [bars.close, bars.open], parameters: [3])
        }
        #expect(throws: IndicatorError("sma", .wrongParameterCount(expected: 0...1, found: 2))) {
            _ = try sma.resolvedParameters([3, 4])
        }
    }

    @Test func defaultsAndTrailingOmission() throws {
        let bars = try randomBars(count: 100)
        let a = try IndicatorCatalog.evaluate(try IndicatorSpec.parse("macd:12"), on: bars)
        let b = try IndicatorCatalog.evaluate(try IndicatorSpec.parse("macd:12,26,9"), on: bars)
        #expect(a.map(\.output) == ["macd", "macdsignal", "macdhist"])
        for (x, y) in zip(a, b) { #expect(x.values.elementsEqual(y.values) { $0.bitPattern == $1.bitPattern }) }
    }
}

@Suite("Indicator value semantics")
struct IndicatorValueSemanticsTests {
    /// States share ring storage until one of them is updated: a copy taken mid-stream and fed
    /// different data must not disturb the original, and vice versa.
    @Test func copiesAreIndependent() throws {
        let a = try randomBars(count: 300, seed: 1).close, b = try randomBars(count: 300, seed: 2).close
        func check<S>(_ make: () throws -> S, _ update: (inout S, Double) -> Double, _ name: String) rethrows {
            var original = try make()
            for i in 0..<150 { _ = update(&original, a[i]) }
            var copy = original
            var expectedOriginal = try make(), expectedCopy = try make()
            for i in 0..<150 { _ = update(&expectedOriginal, a[i]); _ = update(&expectedCopy, a[i]) }
            for i in 150..<300 {
                let o = update(&original, a[i]), c = update(&copy, b[i])
                let eo = update(&expectedOriginal, a[i]), ec = update(&expectedCopy, b[i])
                #expect(o.bitPattern == eo.bitPattern && c.bitPattern == ec.bitPattern, "\(name) bar \(i)")
            }
        }
        try check({ try SMA(period: 20) }, { $0.update($1) }, "sma")
        try check({ try WMA(period: 9) }, { $0.update($1) }, "wma")
        try check({ try TRIMA(period: 10) }, { $0.update($1) }, "trima")
        try check({ try KAMA(period: 10) }, { $0.update($1) }, "kama")
        try check({ try VAR(period: 12) }, { $0.update($1) }, "var")
        try check({ try BBANDS(period: 20) }, { $0.update($1).upper }, "bbands")
        try check({ try MAX(period: 15) }, { $0.update($1) }, "max")
        try check({ try ROC(period: 5) }, { $0.update($1) }, "roc")
        try check({ try LinearRegression(period: 14) }, { $0.update($1).value }, "linearreg")
        try check({ try STOCHRSI() }, { $0.update($1).fastK }, "stochrsi")
        try check({ try CCI(period: 10) }, { $0.update(high: $1 + 1, low: $1 - 1, close: $1) }, "cci")
        try check({ try MFI(period: 10) }, { $0.update(high: $1 + 1, low: $1 - 1, close: $1, volume: 1000) }, "mfi")
        try check({ try ULTOSC() }, { $0.update(high: $1 + 1, low: $1 - 1, close: $1) }, "ultosc")
        try check({ try ADXR() }, { $0.update(high: $1 + 1, low: $1 - 1, close: $1) }, "adxr")
        try check({ try VWAP(period: 10) }, { $0.update(high: $1 + 1, low: $1 - 1, close: $1, volume: 1000) }, "vwap")
    }
}

@Suite("Running sums do not drift")
struct DriftTests {
    /// 200k bars of a walk around 10,000 with cent steps: a level that makes naive running
    /// sums cancel badly. Each O(1) kernel is compared with a direct two-pass computation.
    static let series: Column<Double> = {
        var state: UInt64 = 7
        var price = 10_000.0
        return Column((0..<200_000).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            price += (Double(state % 201) - 100) * 0.01
            return price
        })
    }()

    func worstError(_ ours: Column<Double>, _ reference: [Double]) -> Double {
        let finite = reference.filter { !$0.isNaN }
        let scale = finite.reduce(0) { $0 + Swift.abs($1) } / Double(finite.count)
        var worst = 0.0
        for i in reference.indices where !reference[i].isNaN {
            worst = Swift.max(worst, Swift.abs(ours[i] - reference[i]) / Swift.max(Swift.abs(reference[i]), scale))
        }
        return worst
    }

    func check(_ ours: Column<Double>, _ reference: [Double], _ name: String) {
        let worst = worstError(ours, reference)
        #expect(worst < 1e-9, "\(name): worst error \(worst)")
    }

    @Test func linearRegression() throws {
        let x = Self.series.array, n = 14
        let (value, slope) = try LinearRegression.compute(Self.series, period: n)
        var refValue = [Double](repeating: .nan, count: x.count), refSlope = refValue
        for t in (n - 1)..<x.count {
            // Least squares on (k, x[t-n+1+k]), k = 0..n-1, two-pass.
            let ys = x[(t - n + 1)...t]
            let meanX = Double(n - 1) / 2, meanY = ys.reduce(0, +) / Double(n)
            var sxy = 0.0, sxx = 0.0
            for (k, y) in ys.enumerated() { sxy += (Double(k) - meanX) * (y - meanY); sxx += (Double(k) - meanX) * (Double(k) - meanX) }
            refSlope[t] = sxy / sxx
            refValue[t] = meanY + refSlope[t] * (Double(n - 1) - meanX)
        }
        check(value, refValue, "linearreg")
        check(slope, refSlope, "linearreg_slope")
    }

    @Test func variance() throws {
        let x = Self.series.array, n = 20
        let ours = try VAR.compute(Self.series, period: n)
        var reference = [Double](repeating: .nan, count: x.count)
        for t in (n - 1)..<x.count {
            let w = x[(t - n + 1)...t]
            let mean = w.reduce(0, +) / Double(n)
            reference[t] = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        }
        check(ours, reference, "var")
        // The comparison has teeth: the textbook running E[x²] - E[x]² (TA-Lib before 0.6) fails it here.
        var sum = 0.0, squares = 0.0
        let naive = Column((0..<x.count).map { t -> Double in
            sum += x[t]; squares += x[t] * x[t]
            if t >= n { sum -= x[t - n]; squares -= x[t - n] * x[t - n] }
            guard t >= n - 1 else { return .nan }
            let mean = sum / Double(n)
            return squares / Double(n) - mean * mean
        })
        #expect(worstError(naive, reference) > 1e-6)
    }
}
