import ColumnStore
import Execution

/// A strategy that holds the positions a column of targets asks for (``TargetPositions``), one
/// column per instrument of the backtest: rebalancing by weights or by units on one shared account.
///
/// At each bar where an instrument's target is a number:
/// 1. what is still working of the order the previous target placed is cancelled (under a
///    volume cap or latency a target may not have filled yet: the newer one replaces it);
/// 2. the target is turned into units: units as given, or `trunc(f · equity / close)` for a
///    fraction `f` of equity, with the account's equity and the instrument's close at this bar,
///    rounded toward zero to whole lots;
/// 3. the difference from the position held (what has filled) is ordered at market: a buy for a
///    positive difference, a sell for a negative one. Netting closes opposite trades oldest first
///    and opens the rest the other way (`Broker` semantics); an addition opens a trade of its own.
///
/// On a bar with several targets, the orders that reduce or reverse a position are submitted
/// before those that add to one, so on the next bar they fill first and the margin they free is
/// there for the additions. A difference smaller than the instrument's minimum quantity is not
/// ordered, except to go flat (then the open trades are closed). An order the account cannot
/// afford at the fill is rejected as any other (`insufficientMargin`); the next target tries
/// again. A fraction is priced at the decision bar's close but fills at the next open, so a
/// target near the whole of equity is rejected when the open gaps above the close by more than
/// the costs: leave headroom, or use ``TradeSignals`` with an all-in size, resolved at the fill.
///
/// Targets are read from bar `1 + warm-up` on (the loop's first bar); the strategy registers no
/// indicator, so the warm-up is `warmUpBars`. Between targets the engine only marks the account
/// (``nextDecision(from:broker:)`` names the next target).
///
/// Requires an account without `BrokerConfiguration.exclusiveOrders` (each order would close
/// the position first) and without `BrokerConfiguration.hedging` (a sell would open a short
/// beside the long instead of reducing it).
public struct TargetPositionStrategy: Strategy, Sendable {
    /// One column of targets per instrument, in the backtest's instrument order.
    public let targets: [TargetPositions]
    /// Bars before the first decision (the loop starts at `1 + warmUpBars`).
    public let warmUpBars: Int

    @usableFromInline var books: ContiguousArray<TargetBook> = []
    /// The bars at which any instrument has a target.
    @usableFromInline var decisions: SignalView?

    /// Targets for a single-instrument backtest.
    public init(_ targets: TargetPositions, warmUpBars: Int = 0) {
        self.init(targets: [targets], warmUpBars: warmUpBars)
    }

    /// Targets for each instrument of the backtest, in its order.
    public init(targets: [TargetPositions], warmUpBars: Int = 0) {
        self.targets = targets
        self.warmUpBars = warmUpBars
    }

    /// Checks the targets against the instruments and the account, then makes the views the loop reads.
    ///
    /// - Throws: ``TargetPositionError`` for a count of target columns other than the
    ///   instruments', a column of another length than the bars, a negative warm-up, a value the
    ///   account cannot take (``TargetPositions/firstProblem(lotSize:leverage:)``), or exclusive
    ///   orders or hedging.
    public mutating func prepare(_ setup: inout StrategySetup) throws {
        let instruments = setup.instruments, configuration = setup.configuration
        guard targets.count == instruments.count else {
            throw TargetPositionError(instrument: nil, bar: nil,
                                      "\(targets.count) target columns for \(instruments.count) instruments")
        }
        guard warmUpBars >= 0 else { throw TargetPositionError(instrument: nil, bar: nil, "warm-up must not be negative, is \(warmUpBars)") }
        guard !configuration.exclusiveOrders else {
            throw TargetPositionError(instrument: nil, bar: nil, "exclusive orders would close the position before every change; turn them off")
        }
        guard !configuration.hedging else {
            throw TargetPositionError(instrument: nil, bar: nil, "under hedging a sell opens a short beside the long instead of reducing it; turn it off")
        }
        let leverage = 1 / configuration.margin
        var any = BitColumn(repeating: false, count: instruments[0].count)
        books = []
        for (k, (column, bars)) in zip(targets, instruments).enumerated() {
            guard column.count == bars.count else {
                throw TargetPositionError(instrument: k, bar: nil, "\(column.count) targets for \(bars.count) bars")
            }
            let rules = configuration.rules(for: bars.symbol)
            if let problem = column.firstProblem(lotSize: rules.lotSize, leverage: leverage) {
                throw TargetPositionError(instrument: k, bar: problem.bar, problem.message)
            }
            let targetBars = column.decisionBars
            setup.expectOrders(targetBars.trueCount)
            any = any | targetBars
            books.append(TargetBook(instrument: k, measure: column.measure, values: setup.series(column.values),
                                    close: setup.series(bars.close), rules: rules))
        }
        decisions = setup.signal(any)
        setup.requireWarmUp(warmUpBars)
    }

    public mutating func onBar(_ bar: Int, broker: inout Broker) throws {
        // Reductions and reversals first: they fill first on the next bar, freeing margin.
        for k in books.indices { try books[k].decide(at: bar, broker: &broker) }
        for k in books.indices { try books[k].submitAddition(broker: &broker) }
    }

    /// The next bar at or after `bar` with a target for any instrument.
    @inlinable
    public mutating func nextDecision(from bar: Int, broker: Broker) -> Int {
        guard let decisions else { return bar }
        return decisions.firstSet(from: bar, or: decisions)
    }
}

/// One instrument's targets and the order its current target still has to place.
@usableFromInline
struct TargetBook: Sendable {
    let instrument: Int
    let measure: TargetPositions.Measure
    let values: SeriesView
    let close: SeriesView
    let rules: InstrumentRules
    /// An addition decided at this bar, submitted after every instrument's reductions.
    var pendingAddition = 0.0

    init(instrument: Int, measure: TargetPositions.Measure, values: SeriesView, close: SeriesView, rules: InstrumentRules) {
        self.instrument = instrument
        self.measure = measure
        self.values = values
        self.close = close
        self.rules = rules
    }

    /// The target at `bar` in units, or nil when there is none (NaN).
    func desiredUnits(at bar: Int, equity: Double) -> Double? {
        let target = values[bar]
        guard !target.isNaN else { return nil }
        let lot = rules.lotSize
        switch measure {
        case .units: return (target / lot).rounded() * lot
        case .equityFraction: return ((target * equity) / close[bar] / lot).rounded(.towardZero) * lot
        }
    }

    /// Cancels what the previous target left working, orders a reduction or reversal at once and
    /// keeps an addition for ``submitAddition(broker:)``.
    mutating func decide(at bar: Int, broker: inout Broker) throws(OrderError) {
        pendingAddition = 0
        guard let desired = desiredUnits(at: bar, equity: broker.equity) else { return }
        if broker.hasWorkingEntry(instrument: instrument) { broker.cancelEntries(instrument: instrument) }
        let held = broker.positionSize(instrument)
        let lot = rules.lotSize
        let delta = ((desired - held) / lot).rounded() * lot
        guard delta != 0 else { return }
        if rules.isBelowMinimum(Swift.abs(delta)) {
            if desired == 0 { try broker.closePosition(instrument: instrument) }
            return
        }
        if delta * held < 0 {
            try submit(delta, broker: &broker)
        } else {
            pendingAddition = delta
        }
    }

    mutating func submitAddition(broker: inout Broker) throws(OrderError) {
        guard pendingAddition != 0 else { return }
        defer { pendingAddition = 0 }
        try submit(pendingAddition, broker: &broker)
    }

    func submit(_ delta: Double, broker: inout Broker) throws(OrderError) {
        if delta > 0 {
            try broker.buy(.units(delta), instrument: instrument)
        } else {
            try broker.sell(.units(-delta), instrument: instrument)
        }
    }
}
