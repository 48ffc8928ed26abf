import Analytics
import ColumnStore
import Execution

/// An event-driven backtest: one strategy over the bars of one or more instruments sharing one
/// clock and one cash account.
///
/// For each bar `i` from `1 + warm-up`: the broker fills the orders due at bar `i` and marks the
/// account at its close, then the strategy decides (backtesting.py's loop). Equity before the first
/// decision is the starting cash.
public struct Backtest: Sendable {
    /// The bars of each instrument, on one clock (same length and times).
    public var instruments: [BarSeries]
    /// The account and the execution model: cash, costs, fills, volume cap, latency.
    public var configuration: BrokerConfiguration

    /// A single-instrument backtest.
    public init(bars: BarSeries, configuration: BrokerConfiguration = BrokerConfiguration()) {
        self.instruments = [bars]
        self.configuration = configuration
    }

    /// A backtest over several instruments on one clock (same length and times) sharing one account.
    public init(instruments: [BarSeries], configuration: BrokerConfiguration = BrokerConfiguration()) {
        self.instruments = instruments
        self.configuration = configuration
    }

    /// Runs `strategy` and computes the statistics.
    ///
    /// On a long run (over about 130,000 bars) with a second processor, the statistics' pass over
    /// the equity curve runs on a second thread behind the bar loop (`EquityCurvePass`); the
    /// numbers are the same bits either way.
    ///
    /// - Throws: ``BacktestError``: the configuration is invalid, the instruments are not on one clock,
    ///   there are no bars, or the strategy threw (its error is wrapped with the bar).
    @inlinable
    public func run<S: Strategy>(_ strategy: S) throws(BacktestError) -> BacktestResult {
        var strategy = strategy
        var (setup, broker) = try begin(&strategy)
        // The setup owns the columns behind the strategy's views: it must outlive the loop.
        defer { withExtendedLifetime(setup) {} }
        let n = instruments[0].count
        let start = 1 + setup.warmUpBars
        // Every bar is written before it is read: the loop marks each bar from `start` on and
        // the bars before it as soon as `start` is marked; `completeCurve` writes the rest.
        var equity = [Double](hugePagesUninitializedCount: n)
        let benchmark = Self.benchmark(instruments)
        let (outOfMoneyAt, pass) = try equity.withUnsafeMutableBufferPointer { curve throws(BacktestError) in
            // The records are reserved for every order the strategy expects, far more than a run
            // whose orders are mostly rejected writes: the worker faults in only ahead of the writes.
            let feed = CurvePassFeed.start(curve: curve, time: instruments[0].time, close: benchmark, streams: setup.streams,
                                           records: RecordRooms(orders: broker.orderHistory, fills: broker.fills,
                                                                trades: broker.closedTrades))
            let stop: Int?
            do throws(BacktestError) {
                stop = try Self.loop(&strategy, &broker, from: start, into: curve, feed: feed)
            } catch {
                // The worker reads the curve: it must be gone before the curve is.
                feed?.cancel()
                throw error
            }
            completeCurve(curve, broker: &broker, start: start, outOfMoneyAt: stop)
            return (stop, feed?.finish())
        }
        let openTrades = broker.openTrades
        let records = broker.takeRecords()
        return BacktestResult(time: instruments[0].time, benchmark: benchmark, equity: consume equity, pass: pass,
                              warmUpBars: setup.warmUpBars, start: start,
                              outOfMoneyAt: outOfMoneyAt, closedTrades: records.closedTrades,
                              openTrades: openTrades, orders: records.orders, fills: records.fills, finalCash: broker.cash)
    }

    /// The bar loop: marks `curve` from `start` on, publishing to `feed` as bars become final;
    /// returns the bar at which the account ran out of money, if it did.
    @inlinable
    static func loop<S: Strategy>(_ strategy: inout S, _ broker: inout Broker, from start: Int,
                                  into curve: UnsafeMutableBufferPointer<Double>,
                                  feed: CurvePassFeed?) throws(BacktestError) -> Int? {
        let n = curve.count
        var i = start
        var nextPublication = feed == nil ? Int.max : CurvePassFeed.publicationStep
        // The strategy's last answer and the bar it was asked from: with fixed decision bars, the
        // answer for any bar between the two is the same.
        var answer = Int.min, askedFrom = Int.max
        // The decision bar whose fill bar's prices were last asked for early.
        var prefetchedFor = -1
        while i < n {
            // Invariant: bars before i are marked; orders due at bar i fill before the strategy
            // sees bar i.
            guard let value = broker.processBar(i) else { return i }
            curve[i] = value
            if i == start {
                // The bars before the first decision take its equity (pandas' bfill): from here
                // on every bar before i is final, which the feed may read.
                for j in 0..<start { curve[j] = value }
            }
            let decides = S.decisionBarsAreFixed && askedFrom <= i && i <= answer
                ? answer == i : strategy.nextDecision(from: i, broker: broker) <= i
            if decides {
                do { try strategy.onBar(i, broker: &broker) } catch { throw BacktestError.strategy(bar: i, error) }
            }
            i += 1
            // Until the strategy's next decision, bars on which no order can act are only marked.
            let next: Int
            if S.decisionBarsAreFixed && askedFrom <= i && i <= answer {
                next = answer
            } else {
                next = strategy.nextDecision(from: i, broker: broker)
                (answer, askedFrom) = (next, i)
            }
            if next > i {
                // An order placed at `next` fills from `next + 1`: start fetching those prices while
                // the bars between are marked (once: the bar after a fill asks again). Only one
                // instrument's bars are ever skipped; with several, every bar is processed and the
                // hint would cost more than it saves.
                if next != prefetchedFor, next < n, broker.instrumentCount == 1 {
                    broker.prefetchFillPrices(at: next + 1)
                    prefetchedFor = next
                }
                i = broker.skipQuietBars(from: i, before: next, into: curve)
            }
            if i >= nextPublication, let feed {
                nextPublication = feed.publish(i, records: RecordCounts(orders: broker.orderHistory.count, fills: broker.fills.count,
                                                                        trades: broker.closedTrades.count))
            }
        }
        return nil
    }

    /// Checks the instruments, prepares `strategy` and opens the account: what every run does
    /// before its first bar (the event loop here, the signal fast path's book run).
    @inlinable
    func begin<S: Strategy>(_ strategy: inout S) throws(BacktestError) -> (setup: StrategySetup, broker: Broker) {
        try validateInstruments()
        var setup = StrategySetup(instruments: instruments, configuration: configuration)
        do { try strategy.prepare(&setup) } catch { throw BacktestError.strategy(bar: nil, error) }
        do {
            var broker = try Broker(configuration: configuration, instruments: instruments)
            let cap = 4 * instruments.count * instruments[0].count + 64
            broker.reserveRecords(orders: Swift.min(setup.expectedOrderCount, cap))
            return (setup, broker)
        } catch {
            throw BacktestError.configuration(error)
        }
    }

    @usableFromInline
    func validateInstruments() throws(BacktestError) {
        guard let first = instruments.first, !first.isEmpty else { throw BacktestError.noBars }
        for (k, bars) in instruments.enumerated().dropFirst() {
            guard bars.count == first.count, bars.time.array == first.time.array else {
                throw BacktestError.misalignedInstruments(index: k, symbol: bars.symbol)
            }
        }
    }

    /// Writes what the loop left to the curve: zero from an out-of-money bar on, or the last bar
    /// after finalizing the open trades (when configured); and the bars before the first decision
    /// when the loop did not (see ``BacktestResult/backFill(_:start:outOfMoneyAt:finalCash:)``).
    @usableFromInline
    func completeCurve(_ curve: UnsafeMutableBufferPointer<Double>, broker: inout Broker, start: Int, outOfMoneyAt: Int?) {
        let n = curve.count
        if let stop = outOfMoneyAt {
            for j in stop..<n { curve[j] = 0 }
        } else if configuration.finalizeTrades, start < n {
            curve[n - 1] = broker.finalizeOpenTrades() ?? 0
        }
        BacktestResult.backFill(curve, start: start, outOfMoneyAt: outOfMoneyAt, finalCash: broker.cash)
    }
}

extension Backtest {
    /// What the statistics compare the strategy with (buy & hold, alpha, beta): the close of a
    /// single instrument; on several, an equal-weight buy-and-hold index from the first bar,
    /// `(1/K)·Σ_k close_k,t / close_k,0`, whose return is the mean of the instruments' own.
    /// O(bars × instruments).
    @usableFromInline
    static func benchmark(_ instruments: [BarSeries]) -> Column<Double> {
        guard instruments.count > 1 else { return instruments[0].close }
        let n = instruments[0].count, weight = 1 / Double(instruments.count)
        var index = [Double](repeating: 0, count: n)
        for bars in instruments {
            bars.close.withUnsafeBufferPointer { close in
                let base = close[0]
                for t in 0..<n { index[t] += weight * (close[t] / base) }
            }
        }
        return Column(index)
    }
}

extension BacktestResult {
    /// Back-fills the bars before the first decision `start` as pandas' bfill does, with the
    /// equity at `start`, or with the cash when no bar was marked (`start` past the last bar).
    /// The loops fill them as soon as bar `start` is marked; this covers the runs that did not
    /// mark it: none at all, or one out of money at `start` (zero from there on).
    @usableFromInline
    static func backFill(_ curve: UnsafeMutableBufferPointer<Double>, start: Int, outOfMoneyAt: Int?, finalCash: Double) {
        let n = curve.count
        if start >= n {
            for j in 0..<n { curve[j] = finalCash }
        } else if outOfMoneyAt == start {
            for j in 0..<start { curve[j] = curve[start] }
        }
    }

    /// Assembles a result from a finished run and computes the statistics against `benchmark`
    /// (see ``Backtest/benchmark(_:)``): from `pass` when the curve's pass ran alongside the loop,
    /// else over `equity` now.
    ///
    /// `equity` is complete: back-filled before the first decision, zero from an out-of-money bar on.
    @usableFromInline
    init(time: Column<Int64>, benchmark: Column<Double>, equity: consuming [Double], pass: EquityCurvePass?, warmUpBars: Int,
         start: Int, outOfMoneyAt: Int?, closedTrades: [Trade], openTrades: [Trade], orders: [Order], fills: [Fill],
         finalCash: Double) {
        let records = closedTrades.map {
            TradeRecord(entryBar: $0.entryBar, exitBar: $0.exitBar ?? $0.entryBar, size: $0.size,
                        pnl: $0.pnl() ?? .nan, returnFraction: $0.returnFraction() ?? .nan, commission: $0.commission)
        }
        let statistics = pass.map { PerformanceStatistics(pass: $0, firstTradingBar: warmUpBars, trades: records) }
            ?? PerformanceStatistics(equity: copy equity, time: time, close: benchmark, firstTradingBar: warmUpBars, trades: records)
        self.init(statistics: statistics, trades: closedTrades, openTrades: openTrades, equity: equity,
                  orders: orders, fills: fills, firstDecisionBar: start, finalCash: finalCash,
                  outOfMoneyBar: outOfMoneyAt)
    }
}

/// What a backtest produced.
public struct BacktestResult: Sendable {
    /// The 32 statistics of backtesting.py's table for this run.
    public var statistics: PerformanceStatistics
    /// Closed trades, in the order they closed.
    public var trades: [Trade]
    /// Trades still open after the last bar: in the equity curve, not in the trade statistics.
    public var openTrades: [Trade]
    /// Equity at each bar's close.
    public var equity: [Double]
    /// Every order, in submission order (order `id` at index `id.rawValue − 1`); those still
    /// working after the last bar have a working status.
    public var orders: [Order]
    /// Every fill in order, with its costs.
    public var fills: [Fill]
    /// The first bar the strategy saw (`1 + warm-up`).
    public var firstDecisionBar: Int
    /// Cash at the end; the unrealized profit of trades still open is not in it.
    public var finalCash: Double
    /// The bar at which equity reached zero and the backtest stopped, if it did.
    public var outOfMoneyBar: Int?
}

/// Why a backtest could not run.
public enum BacktestError: Error, CustomStringConvertible {
    case noBars
    case misalignedInstruments(index: Int, symbol: String?)
    /// Signal columns that do not fit the bars or each other, or a size the fast path cannot use.
    case invalidSignals(String)
    case configuration(ConfigurationError)
    /// The strategy threw while preparing (`bar` nil) or at `bar`.
    case strategy(bar: Int?, any Error)

    public var description: String {
        switch self {
        case .noBars: return "no bars to backtest"
        case .misalignedInstruments(let index, let symbol):
            return "instrument \(index)\(symbol.map { " (\($0))" } ?? "") is not on the first instrument's clock (different length or times)"
        case .invalidSignals(let message): return "invalid signals: \(message)"
        case .configuration(let error): return "invalid configuration: \(error)"
        case .strategy(let bar, let error):
            return bar.map { "strategy failed at bar \($0): \(error)" } ?? "strategy failed while preparing: \(error)"
        }
    }
}
