import ColumnStore
import Indicators
import Testing

/// Every catalog indicator, streamed bar by bar through its public `update`, gives the bits of the
/// catalog's batch evaluation at the default parameters. Batch kernels may run a steady loop of
/// their own after the warm-up (`Batch.map(_:_:steadyWhen:_:steady:)`); this is what holds them
/// to the state machine.
@Suite("Streaming twins of the whole catalog")
struct StreamingTwinTests {
    /// Every catalog name this test can stream (outputs in the catalog's order).
    static let names: [String] = ["sma", "ema", "wma", "dema", "tema", "trima", "kama", "t3", "bbands", "midpoint", "midprice", "sar", "rsi", "macd", "stoch", "stochf", "stochrsi", "adx", "adxr", "plus_di", "minus_di", "dx", "cci", "willr", "mfi", "roc", "rocp", "mom", "cmo", "ppo", "apo", "trix", "ultosc", "aroon", "aroonosc", "bop", "atr", "natr", "trange", "obv", "ad", "adosc", "stddev", "var", "linearreg", "linearreg_slope", "max", "min", "sum", "vwap", "donchian", "keltner"]

    static func one<S>(_ bars: BarSeries, _ state: S, _ update: (inout S, BarSeries, Int) -> Double) -> [[Double]] {
        var state = state
        return [(0..<bars.count).map { update(&state, bars, $0) }]
    }

    static func many<S>(_ bars: BarSeries, _ state: S, _ update: (inout S, BarSeries, Int) -> [Double]) -> [[Double]] {
        var state = state
        let rows = (0..<bars.count).map { update(&state, bars, $0) }
        return rows.first.map { first in first.indices.map { j in rows.map { $0[j] } } } ?? []
    }

    /// `name` streamed through its state machine's public `update`, at its default parameters.
    static func stream(_ name: String, _ b: BarSeries) throws -> [[Double]]? {
        switch name {
        case "sma": return one(b, try SMA()) { $0.update($1.close[$2]) }
        case "ema": return one(b, try EMA()) { $0.update($1.close[$2]) }
        case "wma": return one(b, try WMA()) { $0.update($1.close[$2]) }
        case "dema": return one(b, try DEMA()) { $0.update($1.close[$2]) }
        case "tema": return one(b, try TEMA()) { $0.update($1.close[$2]) }
        case "trima": return one(b, try TRIMA()) { $0.update($1.close[$2]) }
        case "kama": return one(b, try KAMA()) { $0.update($1.close[$2]) }
        case "t3": return one(b, try T3()) { $0.update($1.close[$2]) }
        case "bbands": return many(b, try BBANDS()) { let v = $0.update($1.close[$2]); return [v.upper, v.middle, v.lower] }
        case "midpoint": return one(b, try MIDPOINT()) { $0.update($1.close[$2]) }
        case "midprice": return one(b, try MIDPRICE()) { $0.update(high: $1.high[$2], low: $1.low[$2]) }
        case "sar": return one(b, try SAR()) { $0.update(high: $1.high[$2], low: $1.low[$2]) }
        case "rsi": return one(b, try RSI()) { $0.update($1.close[$2]) }
        case "macd": return many(b, try MACD()) { let v = $0.update($1.close[$2]); return [v.macd, v.signal, v.histogram] }
        case "stoch": return many(b, try STOCH()) { let v = $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]); return [v.slowK, v.slowD] }
        case "stochf": return many(b, try STOCHF()) { let v = $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]); return [v.fastK, v.fastD] }
        case "stochrsi": return many(b, try STOCHRSI()) { let v = $0.update($1.close[$2]); return [v.fastK, v.fastD] }
        case "adx": return one(b, try ADX()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "adxr": return one(b, try ADXR()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "plus_di": return one(b, try PLUS_DI()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "minus_di": return one(b, try MINUS_DI()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "dx": return one(b, try DX()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "cci": return one(b, try CCI()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "willr": return one(b, try WILLR()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "mfi": return one(b, try MFI()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2], volume: $1.volume[$2]) }
        case "roc": return one(b, try ROC()) { $0.update($1.close[$2]) }
        case "rocp": return one(b, try ROCP()) { $0.update($1.close[$2]) }
        case "mom": return one(b, try MOM()) { $0.update($1.close[$2]) }
        case "cmo": return one(b, try CMO()) { $0.update($1.close[$2]) }
        case "ppo": return one(b, try PPO()) { $0.update($1.close[$2]) }
        case "apo": return one(b, try APO()) { $0.update($1.close[$2]) }
        case "trix": return one(b, try TRIX()) { $0.update($1.close[$2]) }
        case "ultosc": return one(b, try ULTOSC()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "aroon": return many(b, try AROON()) { let v = $0.update(high: $1.high[$2], low: $1.low[$2]); return [v.down, v.up] }
        case "aroonosc": return one(b, try AROONOSC()) { $0.update(high: $1.high[$2], low: $1.low[$2]) }
        case "bop": return one(b, BOP()) { s, b, i in s.update(open: b.open[i], high: b.high[i], low: b.low[i], close: b.close[i]) }
        case "atr": return one(b, try ATR()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "natr": return one(b, try NATR()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "trange": return one(b, TRANGE()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]) }
        case "obv": return one(b, OBV()) { $0.update(price: $1.close[$2], volume: $1.volume[$2]) }
        case "ad": return one(b, AD()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2], volume: $1.volume[$2]) }
        case "adosc": return one(b, try ADOSC()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2], volume: $1.volume[$2]) }
        case "stddev": return one(b, try STDDEV()) { $0.update($1.close[$2]) }
        case "var": return one(b, try VAR()) { $0.update($1.close[$2]) }
        case "linearreg": return one(b, try LinearRegression()) { $0.update($1.close[$2]).value }
        case "linearreg_slope": return one(b, try LinearRegression()) { $0.update($1.close[$2]).slope }
        case "max": return one(b, try MAX()) { $0.update($1.close[$2]) }
        case "min": return one(b, try MIN()) { $0.update($1.close[$2]) }
        case "sum": return one(b, try SUM()) { $0.update($1.close[$2]) }
        case "vwap": return one(b, try VWAP()) { $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2], volume: $1.volume[$2]) }
        case "donchian": return many(b, try Donchian()) { let v = $0.update(high: $1.high[$2], low: $1.low[$2]); return [v.upper, v.middle, v.lower] }
        case "keltner": return many(b, try Keltner()) { let v = $0.update(high: $1.high[$2], low: $1.low[$2], close: $1.close[$2]); return [v.upper, v.middle, v.lower] }
        default: return nil
        }
    }

    @Test("the list covers the catalog")
    func coversCatalog() {
        #expect(Set(Self.names) == Set(IndicatorCatalog.all.map(\.name)))
    }

    /// 600 bars reach the steady state of every default (TEMA and TRIX need 88, T3 25).
    @Test("stream equals batch to the bit at the defaults", arguments: IndicatorCatalog.all.map(\.name))
    func streamEqualsBatch(name: String) throws {
        let bars = try randomBars(count: 600, seed: 7)
        let batch = try IndicatorCatalog.evaluate(try IndicatorSpec.parse(name), on: bars)
        let streamed = try #require(try Self.stream(name, bars))
        try #require(streamed.count == batch.count, "\(name): \(streamed.count) streamed outputs, \(batch.count) batch outputs")
        for (stream, output) in zip(streamed, batch) {
            let differing = stream.indices.filter { i in
                let a = stream[i], b = output.values[i]
                return !(a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN))
            }
            let differingCount = differing.count
            #expect(differingCount == 0, "\(name).\(output.output): \(differing.count) bars differ, first \(differing.first ?? -1)")
        }
    }

    /// Kernels with a steady loop of their own, at other periods than the defaults (odd and even
    /// TRIMA take different branches; period 1 and 2 are the shortest seeds).
    @Test("stream equals batch for hand-written steady loops", arguments: [1, 2, 3, 10, 11])
    func handWrittenSteadyLoops(period: Int) throws {
        // Full-precision values (cent prices scaled by an irrational-looking factor): on cent
        // prices many sums are exact, and a loop that adds in another order would still agree.
        let c = Column(try randomBars(count: 300, seed: 11).close.map { $0 * 1.2345678901234567 })
        func same(_ a: [Double], _ b: Column<Double>) -> Bool {
            a.indices.allSatisfy { a[$0].bitPattern == b[$0].bitPattern || (a[$0].isNaN && b[$0].isNaN) }
        }
        var trima = try TRIMA(period: period)
        let trimaAgrees = same(c.map { trima.update($0) }, try TRIMA.compute(c, period: period))
        var kama = try KAMA(period: period)
        let kamaAgrees = same(c.map { kama.update($0) }, try KAMA.compute(c, period: period))
        #expect(trimaAgrees && kamaAgrees, "trima \(trimaAgrees) kama \(kamaAgrees) at \(period)")
        // WMA's loop reseeds every 8n bars: 300 bars cross several at these periods.
        var wma = try WMA(period: period)
        let wmaAgrees = same(c.map { wma.update($0) }, try WMA.compute(c, period: period))
        #expect(wmaAgrees, "wma \(period)")
        var mom = try MOM(period: period), roc = try ROC(period: period), rocp = try ROCP(period: period)
        let momAgrees = same(c.map { mom.update($0) }, try MOM.compute(c, period: period))
        let rocAgrees = same(c.map { roc.update($0) }, try ROC.compute(c, period: period))
        let rocpAgrees = same(c.map { rocp.update($0) }, try ROCP.compute(c, period: period))
        let lagsAgree = momAgrees && rocAgrees && rocpAgrees
        #expect(lagsAgree, "mom/roc/rocp \(period)")
        // The two-lane batch of the lagged changes through zero previous values (ROC and ROCP
        // give 0 there) and a NaN, at odd and even lengths.
        var withZeros = c.array
        for i in stride(from: 5, to: withZeros.count, by: 9) { withZeros[i] = 0 }
        withZeros[101] = .nan
        for length in [withZeros.count, withZeros.count - 1] {
            let z = Column(Array(withZeros[0..<length]))
            var roc0 = try ROC(period: period), rocp0 = try ROCP(period: period), mom0 = try MOM(period: period)
            let (rocBatch, rocpBatch, momBatch) = (try ROC.compute(z, period: period), try ROCP.compute(z, period: period),
                                                   try MOM.compute(z, period: period))
            let zerosAgree = same(z.map { roc0.update($0) }, rocBatch) && same(z.map { rocp0.update($0) }, rocpBatch)
                && same(z.map { mom0.update($0) }, momBatch)
            #expect(zerosAgree, "mom/roc/rocp through zeros, \(length) bars, period \(period)")
        }
        let bars = try randomBars(count: 300, seed: 13)
        let (h, l, cl) = (bars.high, bars.low, bars.close)
        var ultosc = try ULTOSC(period1: period, period2: period + 1, period3: 2 * period + 1)
        let ultoscStream = (0..<bars.count).map { ultosc.update(high: h[$0], low: l[$0], close: cl[$0]) }
        let ultoscBatch = try ULTOSC.compute(high: h, low: l, close: cl, period1: period, period2: period + 1, period3: 2 * period + 1)
        let ultoscAgrees = same(ultoscStream, ultoscBatch)
        #expect(ultoscAgrees, "ultosc \(period)")
        let acceleration = 0.01 * Double(period), maximum = 0.2 + 0.01 * Double(period)
        var sar = try SAR(acceleration: acceleration, maximum: maximum)
        let sarStream = (0..<bars.count).map { sar.update(high: h[$0], low: l[$0]) }
        let sarAgrees = same(sarStream, try SAR.compute(high: h, low: l, acceleration: acceleration, maximum: maximum))
        #expect(sarAgrees, "sar \(acceleration), \(maximum)")
        var atr = try ATR(period: period), natr = try NATR(period: period)
        let atrStream = (0..<bars.count).map { atr.update(high: h[$0], low: l[$0], close: cl[$0]) }
        let natrStream = (0..<bars.count).map { natr.update(high: h[$0], low: l[$0], close: cl[$0]) }
        let atrAgrees = same(atrStream, try ATR.compute(high: h, low: l, close: cl, period: period))
        let natrAgrees = same(natrStream, try NATR.compute(high: h, low: l, close: cl, period: period))
        #expect(atrAgrees && natrAgrees, "atr \(atrAgrees) natr \(natrAgrees) at \(period)")
        if period >= 2 {
            let v = bars.volume
            var adosc = try ADOSC(fastPeriod: period, slowPeriod: period + 3)
            let adoscStream = (0..<bars.count).map { adosc.update(high: h[$0], low: l[$0], close: cl[$0], volume: v[$0]) }
            let adoscAgrees = same(adoscStream, try ADOSC.compute(high: h, low: l, close: cl, volume: v, fastPeriod: period, slowPeriod: period + 3))
            #expect(adoscAgrees, "adosc \(period)")
        }
        if period >= 2 {
            var rsi = try RSI(period: period), cmo = try CMO(period: period)
            let rsiAgrees = same(c.map { rsi.update($0) }, try RSI.compute(c, period: period))
            let cmoAgrees = same(c.map { cmo.update($0) }, try CMO.compute(c, period: period))
            #expect(rsiAgrees && cmoAgrees, "rsi/cmo \(period)")
        }
        if period >= 2 {
            // LINEARREG's loop reseeds every 8n bars: 300 bars cross several reseeds at these periods.
            var regression = try LinearRegression(period: period)
            let streamed = c.map { regression.update($0) }
            let batch = try LinearRegression.compute(c, period: period)
            let value = try IndicatorCatalog.definition(named: "linearreg").evaluate(inputs: [c], parameters: [Double(period)])
            let slope = try IndicatorCatalog.definition(named: "linearreg_slope").evaluate(inputs: [c], parameters: [Double(period)])
            let agrees = same(streamed.map(\.value), batch.value) && same(streamed.map(\.slope), batch.slope)
                && same(streamed.map(\.value), value[0]) && same(streamed.map(\.slope), slope[0])
            #expect(agrees, "linearreg \(period)")
        }
        var tema = try TEMA(period: period), dema = try DEMA(period: period), trix = try TRIX(period: period)
        let temaAgrees = same(c.map { tema.update($0) }, try TEMA.compute(c, period: period))
        let demaAgrees = same(c.map { dema.update($0) }, try DEMA.compute(c, period: period))
        let trixAgrees = same(c.map { trix.update($0) }, try TRIX.compute(c, period: period))
        #expect(temaAgrees && demaAgrees && trixAgrees, "tema/dema/trix \(period)")
    }

    /// VAR's batch loop through every branch of its reseeding: flat stretches (the variance
    /// test and the zero clamp), a long run (the periodic reseed) and a NaN in the middle
    /// (the anchor taken again after a reseed over a NaN window).
    @Test("variance kernels: batch equals stream through reseeds, flat data and a NaN", arguments: [2, 3, 5, 20])
    func varianceBranches(period: Int) throws {
        var values = try randomBars(count: 1_200, seed: 3).close.array
        for i in 100..<160 { values[i] = 42.0 }
        for i in 400..<410 { values[i] = 1e6 + Double(i % 2) * 1e-7 }
        values[700] = .nan
        // The batch runs in blocks of 512 bars: lengths around one and two blocks, and odd ones.
        for count in [period + 1, 511, 512, 513, 514, 1_023, 1_025, 1_200] {
            let c = Column(Array(values.prefix(count)))
            func same(_ a: [Double], _ b: Column<Double>) -> Bool {
                a.indices.allSatisfy { a[$0].bitPattern == b[$0].bitPattern || (a[$0].isNaN && b[$0].isNaN) }
            }
            var variance = try VAR(period: period), deviation = try STDDEV(period: period, deviations: 1.5)
            var bands = try BBANDS(period: period, up: 2, down: 1)
            let streamedBands = c.map { bands.update($0) }
            let batchBands = try BBANDS.compute(c, period: period, up: 2, down: 1)
            let varianceAgrees = same(c.map { variance.update($0) }, try VAR.compute(c, period: period))
            let deviationAgrees = same(c.map { deviation.update($0) }, try STDDEV.compute(c, period: period, deviations: 1.5))
            let bandsAgree = same(streamedBands.map(\.upper), batchBands.upper) && same(streamedBands.map(\.middle), batchBands.middle)
                && same(streamedBands.map(\.lower), batchBands.lower)
            #expect(varianceAgrees && deviationAgrees && bandsAgree,
                    "\(count) bars: var \(varianceAgrees) stddev \(deviationAgrees) bbands \(bandsAgree)")
        }
    }

    /// MFI's, ULTOSC's, AD's and the directional movement family's batches run in blocks of 512
    /// bars with two-lane passes, CCI's in groups of eight bars `n` apart: lengths around the
    /// block and odd lengths, bars without volume, flat bars (MFI: neither side; zero true range:
    /// a skipped ULTOSC term, DX undefined) and a NaN in the middle.
    @Test("block kernels: batch equals stream across blocks, zero volume, flat bars and a NaN", arguments: [2, 3, 14, 40])
    func blockKernels(period: Int) throws {
        let bars = try randomBars(count: 1_301, seed: 5)
        var h = bars.high.array, l = bars.low.array, c = bars.close.array, v = bars.volume.array
        for i in stride(from: 3, to: v.count, by: 7) { v[i] = 0 }
        for i in 600..<620 { (h[i], l[i], c[i]) = (h[599], l[599], c[599]) }
        c[900] = .nan
        for i in 700..<790 { (h[i], l[i], c[i]) = (101.25, 101.25, 101.25) }
        let (hc, lc, cc, vc) = (Column(h), Column(l), Column(c), Column(v))
        for count in [period + 1, 511, 512, 513, 1_025, 1_301] where count <= h.count {
            var mfi = try MFI(period: period)
            let streamed = (0..<count).map { mfi.update(high: h[$0], low: l[$0], close: c[$0], volume: v[$0]) }
            let batch = try MFI.compute(high: hc[0..<count], low: lc[0..<count], close: cc[0..<count], volume: vc[0..<count], period: period)
            let differing = (0..<count).filter { !(streamed[$0].bitPattern == batch[$0].bitPattern || (streamed[$0].isNaN && batch[$0].isNaN)) }
            #expect(differing.isEmpty, "period \(period), \(count) bars: first difference at \(differing.first ?? -1)")
            var ultosc = try ULTOSC(period1: period, period2: period + 1, period3: 2 * period + 1)
            let ultoscStreamed = (0..<count).map { ultosc.update(high: h[$0], low: l[$0], close: c[$0]) }
            let ultoscBatch = try ULTOSC.compute(high: hc[0..<count], low: lc[0..<count], close: cc[0..<count],
                                                 period1: period, period2: period + 1, period3: 2 * period + 1)
            let ultoscDiffering = (0..<count).filter {
                !(ultoscStreamed[$0].bitPattern == ultoscBatch[$0].bitPattern || (ultoscStreamed[$0].isNaN && ultoscBatch[$0].isNaN))
            }
            #expect(ultoscDiffering.isEmpty, "ULTOSC period \(period), \(count) bars: first difference at \(ultoscDiffering.first ?? -1)")
            // The directional movement family: a flat stretch makes the true range zero (DI 0,
            // DX undefined, ADX unchanged).
            let (hs, ls, cs) = (hc[0..<count], lc[0..<count], cc[0..<count])
            func check<S>(_ name: String, _ state: S, _ update: (inout S, Double, Double, Double) -> Double,
                          _ batch: Column<Double>) {
                var state = state
                let streamed = (0..<count).map { update(&state, h[$0], l[$0], c[$0]) }
                let differing = (0..<count).filter { !(streamed[$0].bitPattern == batch[$0].bitPattern || (streamed[$0].isNaN && batch[$0].isNaN)) }
                #expect(differing.isEmpty, "\(name) period \(period), \(count) bars: first difference at \(differing.first ?? -1)")
            }
            for diPeriod in [1, period] {
                check("plus_di", try PLUS_DI(period: diPeriod), { $0.update(high: $1, low: $2, close: $3) },
                      try PLUS_DI.compute(high: hs, low: ls, close: cs, period: diPeriod))
                check("minus_di", try MINUS_DI(period: diPeriod), { $0.update(high: $1, low: $2, close: $3) },
                      try MINUS_DI.compute(high: hs, low: ls, close: cs, period: diPeriod))
            }
            // CCI: eight bars n apart per vector, then `step` for the rest (a ring rebuilt in between).
            check("cci", try CCI(period: period), { $0.update(high: $1, low: $2, close: $3) }, try CCI.compute(high: hs, low: ls, close: cs, period: period))
            check("trange", TRANGE(), { $0.update(high: $1, low: $2, close: $3) }, try TRANGE.compute(high: hs, low: ls, close: cs))
            check("dx", try DX(period: period), { $0.update(high: $1, low: $2, close: $3) }, try DX.compute(high: hs, low: ls, close: cs, period: period))
            check("adx", try ADX(period: period), { $0.update(high: $1, low: $2, close: $3) }, try ADX.compute(high: hs, low: ls, close: cs, period: period))
            check("adxr", try ADXR(period: period), { $0.update(high: $1, low: $2, close: $3) }, try ADXR.compute(high: hs, low: ls, close: cs, period: period))
            // AD's flows come from a two-lane pass; a bar without range adds +0.0.
            var line = AD()
            let lineStreamed = (0..<count).map { line.update(high: h[$0], low: l[$0], close: c[$0], volume: v[$0]) }
            let lineBatch = try AD.compute(high: hs, low: ls, close: cs, volume: vc[0..<count])
            let lineDiffering = (0..<count).filter { !(lineStreamed[$0].bitPattern == lineBatch[$0].bitPattern || (lineStreamed[$0].isNaN && lineBatch[$0].isNaN)) }
            #expect(lineDiffering.isEmpty, "ad, \(count) bars: first difference at \(lineDiffering.first ?? -1)")
        }
    }
}
