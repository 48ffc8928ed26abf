import ColumnStore

/// Account and market-simulation settings for one backtest.
///
/// The defaults reproduce backtesting.py 0.6.6's `Backtest` defaults except cash; see
/// ``backtestingPy(cash:commission:spread:exclusiveOrders:finalizeTrades:)``.
public struct BrokerConfiguration: Sendable {
    /// Starting cash; must be positive.
    public var cash: Double
    /// Charged on every fill (entry and exit).
    public var commission: Commission { didSet { commissionTerms = CommissionTerms(commission) } }
    /// The bid-ask spread fills pay (a literal reads as relative: `spread: 0.0002` is 2 bps).
    public var spread: Spread
    /// Which fills pay the spread: the whole width on entry (backtesting.py) or half on each fill.
    public var spreadCharging: SpreadCharging
    /// How far fills at market move against the trader beyond the spread.
    public var slippage: Slippage { didSet { hasNoSlippage = Self.isNone(slippage) } }
    /// True when ``slippage`` is ``Slippage/none``.
    public private(set) var hasNoSlippage: Bool
    /// ``commission`` when it is none or relative, as plain numbers: read in the fill path without
    /// touching the enum, which its custom case (an existential) makes address-only, so that every
    /// call into it copies it first: in the fill path those copies cost more than the arithmetic.
    @usableFromInline private(set) var commissionTerms: CommissionTerms?
    /// Initial margin requirement in (0, 1]; leverage is `1 / margin`.
    public var margin: Double
    /// Keep long and short trades of one instrument side by side instead of netting (FIFO).
    public var hedging: Bool
    /// Every new order first cancels working entry orders and closes all open trades.
    public var exclusiveOrders: Bool
    /// Close the trades still open after the last bar (at its open) so they count in the statistics.
    public var finalizeTrades: Bool
    /// The lot, minimum quantity and tick of every instrument without its own entry in
    /// ``instrumentRules`` (whole units, any price by default).
    public var defaultInstrumentRules: InstrumentRules
    /// Rules for particular instruments, by their bars' symbol.
    public var instrumentRules: [String: InstrumentRules]
    /// The default lot size: quantities are multiples of it (1 = whole units).
    public var lotSize: Double {
        get { defaultInstrumentRules.lotSize }
        set { defaultInstrumentRules.lotSize = newValue }
    }
    /// The largest share of a bar's volume the orders of one instrument may take on that bar,
    /// in (0, 1]; nil for no cap (backtesting.py). What does not fill keeps working as its time in
    /// force allows. A bar with no (or NaN) volume fills nothing.
    public var participation: Double?
    /// The delay between submitting an order and its first chance to fill, beyond the next bar.
    public var latency: Latency
    /// What is assumed about prices inside a bar: which order a bar reaches first, whether legs
    /// fill on their entry bar, how far a trailing stop moves before it is hit.
    public var intrabarPath: IntrabarPath

    public init(cash: Double = 10_000, commission: Commission = .none, spread: Spread = .none,
                spreadCharging: SpreadCharging = .wholeOnEntry, slippage: Slippage = .none, margin: Double = 1,
                hedging: Bool = false, exclusiveOrders: Bool = false, finalizeTrades: Bool = false,
                lotSize: Double = 1, participation: Double? = nil, latency: Latency = .none,
                intrabarPath: IntrabarPath = .pessimistic, instrumentRules: [String: InstrumentRules] = [:]) {
        self.defaultInstrumentRules = InstrumentRules(lotSize: lotSize)
        self.instrumentRules = instrumentRules
        self.participation = participation
        self.intrabarPath = intrabarPath
        self.latency = latency
        self.cash = cash
        self.commission = commission
        self.spread = spread
        self.spreadCharging = spreadCharging
        self.slippage = slippage
        self.hasNoSlippage = Self.isNone(slippage)
        self.commissionTerms = CommissionTerms(commission)
        self.margin = margin
        self.hedging = hedging
        self.exclusiveOrders = exclusiveOrders
        self.finalizeTrades = finalizeTrades
    }

    static func isNone(_ slippage: Slippage) -> Bool {
        if case .none = slippage { return true }
        return false
    }

    /// ``Commission/amount(quantity:price:)`` of ``commission``, bit for bit, without a call into
    /// the enum when it is none or relative.
    @inlinable
    public func commissionAmount(quantity: Double, price: Double) -> Double {
        guard let terms = commissionTerms else { return commission.amount(quantity: quantity, price: price) }
        return terms.amount(quantity: quantity, price: price)
    }

    /// ``commissionAmount(quantity:price:)`` as a function, for a loop that prices many fills:
    /// with no or a relative commission it holds just those numbers, so calling it never reads
    /// (or copies) the configuration.
    public var commissionFunction: @Sendable (_ quantity: Double, _ price: Double) -> Double {
        if let terms = commissionTerms { return { terms.amount(quantity: $0, price: $1) } }
        let commission = self.commission
        return { commission.amount(quantity: $0, price: $1) }
    }

    /// backtesting.py 0.6.6's semantics: fills at the next open, commission as a fraction of the
    /// traded value on entry and on exit, whole units, unsized orders take `1 − 2⁻⁵²` of the
    /// available margin, spread on the entering side, FIFO netting.
    public static func backtestingPy(cash: Double = 10_000, commission: Double = 0, spread: Double = 0,
                                     exclusiveOrders: Bool = false, finalizeTrades: Bool = false) -> Self {
        BrokerConfiguration(cash: cash, commission: commission == 0 ? .none : .relative(rate: commission),
                            spread: .relative(spread), exclusiveOrders: exclusiveOrders, finalizeTrades: finalizeTrades)
    }

    /// Checks every setting, naming the first that is out of range.
    public func validate() throws(ConfigurationError) {
        guard cash.isFinite, cash > 0 else { throw ConfigurationError(setting: "cash", "must be a positive number, is \(cash)") }
        switch spread {
        case .relative(let s):
            guard s.isFinite, s >= 0, s < 1 else { throw ConfigurationError(setting: "spread", "must be in [0, 1), is \(s)") }
        case .absolute(let width):
            guard width.isFinite, width >= 0 else {
                throw ConfigurationError(setting: "spread", "absolute width must be a non-negative number, is \(width)")
            }
        case .quoted:
            break
        }
        if let problem = slippage.validationError() { throw ConfigurationError(setting: "slippage", problem) }
        if let participation, !(participation > 0 && participation <= 1) {
            throw ConfigurationError(setting: "participation", "must be in (0, 1], is \(participation)")
        }
        switch latency {
        case .bars(let n) where n < 0:
            throw ConfigurationError(setting: "latency", "must not be negative, is \(n) bars")
        case .nanoseconds(let d) where d < 0:
            throw ConfigurationError(setting: "latency", "must not be negative, is \(d) ns")
        default:
            break
        }
        guard margin.isFinite, margin > 0, margin <= 1 else {
            throw ConfigurationError(setting: "margin", "must be in (0, 1], is \(margin)")
        }
        guard lotSize.isFinite, lotSize > 0 else {
            throw ConfigurationError(setting: "lotSize", "must be a positive number, is \(lotSize)")
        }
        if let problem = defaultInstrumentRules.validationProblem {
            throw ConfigurationError(setting: "defaultInstrumentRules", problem)
        }
        for symbol in instrumentRules.keys.sorted() {
            if let problem = instrumentRules[symbol]!.validationProblem {
                throw ConfigurationError(setting: "instrumentRules[\(symbol)]", problem)
            }
        }
        if case .relative(let rate, let fixed) = commission {
            guard rate.isFinite, rate >= -0.1, rate < 0.1 else {
                throw ConfigurationError(setting: "commission", "rate must be in [-0.1, 0.1), is \(rate)")
            }
            guard fixed.isFinite, fixed >= 0 else {
                throw ConfigurationError(setting: "commission", "fixed part must be a non-negative number, is \(fixed)")
            }
        }
    }
}

extension BrokerConfiguration {
    /// The rules of the instrument with `symbol`: its entry in ``instrumentRules``, else the default.
    public func rules(for symbol: String?) -> InstrumentRules {
        symbol.flatMap { instrumentRules[$0] } ?? defaultInstrumentRules
    }

    /// Checks the settings that depend on the data: a ``Spread/quoted`` spread needs finite bid and
    /// ask columns with `0 < bid ≤ ask` on every bar, and an absolute or quoted spread must leave
    /// every sell at a positive price (`low·(1 − maximum slippage) − share·width > 0`), and a
    /// participation cap needs volumes, and every symbol in ``instrumentRules`` must name a
    /// loaded instrument. Also runs ``validate()``.
    ///
    /// Complexity: O(bars) for an absolute or quoted spread or a participation cap, O(1) otherwise.
    public func validate(for instruments: [BarSeries]) throws(ConfigurationError) {
        try validate()
        let symbols = Set(instruments.compactMap(\.symbol))
        for symbol in instrumentRules.keys.sorted() where !symbols.contains(symbol) {
            let loaded = symbols.sorted().joined(separator: ", ")
            throw ConfigurationError(setting: "instrumentRules[\(symbol)]", "names no loaded instrument (loaded: \(loaded.isEmpty ? "none with a symbol" : loaded))")
        }
        let share = Swift.max(spreadCharging.entryShare, spreadCharging.exitShare)
        let keep = 1 - slippage.maximumFraction
        for (k, bars) in instruments.enumerated() {
            let name = bars.symbol.map { "\($0) (instrument \(k))" } ?? "instrument \(k)"
            if participation != nil, !bars.isEmpty, !bars.volume.contains(where: { $0.isFinite }) {
                throw ConfigurationError(setting: "participation", "caps fills at a share of volume, and \(name) has no volume")
            }
            switch spread {
            case .relative:
                continue
            case .absolute(let width):
                guard width > 0 else { continue }
                let low = bars.low.min() ?? .infinity
                guard low * keep - share * width > 0 else {
                    throw ConfigurationError(setting: "spread", "absolute width \(width) would sell \(name) at or below zero: its lowest low is \(low)")
                }
            case .quoted:
                guard let bid = bars.bid, let ask = bars.ask else {
                    throw ConfigurationError(setting: "spread", "quoted needs bid and ask columns; \(name) has none")
                }
                for i in 0..<bars.count {
                    let b = bid[bid.startIndex + i], a = ask[ask.startIndex + i], low = bars.low[bars.low.startIndex + i]
                    guard b.isFinite, a.isFinite, b > 0, a >= b else {
                        throw ConfigurationError(setting: "spread", "quoted needs 0 < bid <= ask on every bar; \(name) bar \(i) has bid \(b), ask \(a)")
                    }
                    guard low * keep - share * (a - b) > 0 else {
                        throw ConfigurationError(setting: "spread", "the quoted width \(a - b) would sell \(name) at or below zero at bar \(i) (low \(low))")
                    }
                }
            }
        }
    }
}

/// A broker setting out of range.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var setting: String
    public var message: String
    public init(setting: String, _ message: String) {
        self.setting = setting
        self.message = message
    }
    public var description: String { "\(setting) \(message)" }
}

/// A commission that is none or relative, as numbers (see ``BrokerConfiguration/commissionAmount(quantity:price:)``).
@usableFromInline
struct CommissionTerms: Sendable {
    @usableFromInline let isNone: Bool
    @usableFromInline let rate: Double
    @usableFromInline let fixed: Double
    /// Nil for the other forms.
    init?(_ commission: Commission) {
        switch commission {
        case .none: (isNone, rate, fixed) = (true, 0, 0)
        case .relative(let rate, let fixed): (isNone, self.rate, self.fixed) = (false, rate, fixed)
        case .perUnit, .perOrder, .tiered, .custom: return nil
        }
    }

    /// ``Commission/amount(quantity:price:)`` of the form these terms stand for.
    @usableFromInline func amount(quantity: Double, price: Double) -> Double {
        isNone ? 0 : fixed + abs(quantity) * price * rate
    }
}
