extension StrategySpec {
    /// Reads a spec from JSON text and checks it whole: every key, type and range, every name,
    /// and every expression (parsed and type-checked with the default parameter values).
    ///
    /// - Throws: ``SpecError`` with the JSON path of the first problem.
    public init(json: String) throws(SpecError) {
        try self.init(jsonBytes: Array(json.utf8))
    }

    /// Reads a spec from JSON bytes; see ``init(json:)``.
    public init(jsonBytes: [UInt8]) throws(SpecError) {
        let root = try JSONValue.parse(jsonBytes)
        try self.init(root: root)
        _ = try compiled()
    }

    init(root: JSONValue) throws(SpecError) {
        let top = try ObjectReader(root, path: "$")
        try top.allowOnly(["version", "name", "description", "data", "parameters", "indicators", "long", "short", "sizing",
                           "risk", "orders", "execution"])
        guard let version = try top.number("version") else { throw SpecError(path: "$.version", .missingKey) }
        guard version == Double(StrategySpec.currentVersion) else {
            throw SpecError(path: "$.version", .unsupportedVersion(version == version.rounded() && Swift.abs(version) < 1e9 ? Int(version) : -1))
        }
        guard let name = try top.string("name") else { throw SpecError(path: "$.name", .missingKey) }
        self.init(name: name, description: try top.string("description") ?? "")

        if let data = try top.object("data") {
            try data.allowOnly(["symbols", "timeframe", "columns"])
            symbols = try data.strings("symbols") ?? []
            timeframe = try data.string("timeframe")
            columns = try data.strings("columns") ?? []
        }
        for (index, item) in (try top.array("parameters") ?? []).enumerated() {
            let p = try ObjectReader(item, path: "$.parameters[\(index)]")
            try p.allowOnly(["name", "default", "min", "max", "step", "integer"])
            guard let name = try p.string("name") else { throw SpecError(path: p.path + ".name", .missingKey) }
            guard let value = try p.number("default") else { throw SpecError(path: p.path + ".default", .missingKey) }
            parameters.append(Parameter(name: name, default: value, minimum: try p.number("min"), maximum: try p.number("max"),
                                        step: try p.number("step"), isInteger: try p.bool("integer") ?? false))
        }
        for (index, item) in (try top.array("indicators") ?? []).enumerated() {
            let d = try ObjectReader(item, path: "$.indicators[\(index)]")
            try d.allowOnly(["name", "expression"])
            guard let name = try d.string("name") else { throw SpecError(path: d.path + ".name", .missingKey) }
            guard let expression = try d.string("expression") else { throw SpecError(path: d.path + ".expression", .missingKey) }
            indicators.append(Definition(name: name, expression: expression))
        }
        for side in ["long", "short"] {
            guard let r = try top.object(side) else { continue }
            try r.allowOnly(["entry", "exit"])
            guard let entry = try r.string("entry") else { throw SpecError(path: r.path + ".entry", .missingKey) }
            let rules = Rules(entry: entry, exit: try r.string("exit"))
            if side == "long" { long = rules } else { short = rules }
        }
        if let s = try top.object("sizing") {
            try s.allowOnly(["type", "value"])
            guard let type = try s.string("type") else { throw SpecError(path: s.path + ".type", .missingKey) }
            let value = try s.number("value")
            func required() throws(SpecError) -> Double {
                guard let value else { throw SpecError(path: s.path + ".value", .missingKey) }
                return value
            }
            switch type {
            case "allIn":
                guard value == nil else { throw SpecError(path: s.path + ".value", .invalidValue("allIn takes no value")) }
                sizing = .allIn
            case "units": sizing = .units(try required())
            case "notional": sizing = .notional(try required())
            case "percentOfEquity": sizing = .percentOfEquity(try required())
            case "riskPercent": sizing = .riskPercent(try required())
            default:
                throw SpecError(path: s.path + ".type",
                                .invalidValue("\"\(type)\" is not a sizing; use allIn, units, notional, percentOfEquity or riskPercent"))
            }
        }
        if let r = try top.object("risk") {
            try r.allowOnly(["stopLoss", "takeProfit", "trailingStop", "maxBarsHeld"])
            risk.stopLoss = try Self.distance(r.object("stopLoss"))
            risk.takeProfit = try Self.distance(r.object("takeProfit"))
            risk.trailingStop = try Self.distance(r.object("trailingStop"))
            risk.maxBarsHeld = try r.wholeNumber("maxBarsHeld")
        }
        if let o = try top.object("orders") {
            try o.allowOnly(["entry", "exit"])
            entryOrder = try Self.placement(o.object("entry")) ?? .market
            exitOrder = try Self.placement(o.object("exit")) ?? .market
        }
        if let e = try top.object("execution") {
            try e.allowOnly(["profile", "cash", "commission", "spread", "slippageBps", "participation", "latencyBars",
                             "exclusiveOrders", "finalizeTrades"])
            if let text = try e.string("profile") {
                guard let profile = ExecutionSettings.Profile(rawValue: text) else {
                    throw SpecError(path: e.path + ".profile", .invalidValue("\"\(text)\" is not a profile; use realistic or backtesting-py"))
                }
                execution.profile = profile
            }
            execution.cash = try e.number("cash") ?? execution.cash
            execution.commission = try e.number("commission") ?? execution.commission
            execution.spread = try e.number("spread")
            execution.slippageBasisPoints = try e.number("slippageBps")
            execution.participation = try e.number("participation")
            if let latency = try e.number("latencyBars") {
                guard latency == latency.rounded(), latency >= 0, latency <= 1e6 else {
                    throw SpecError(path: e.path + ".latencyBars", .invalidValue("must be a whole number of bars, 0 or more"))
                }
                execution.latencyBars = Int(latency)
            }
            execution.exclusiveOrders = try e.bool("exclusiveOrders") ?? false
            execution.finalizeTrades = try e.bool("finalizeTrades") ?? false
        }
    }

    /// `{"percent": p}`, `{"amount": d}` or `{"atr": k, "period": n}`.
    static func distance(_ reader: ObjectReader?) throws(SpecError) -> PriceDistance? {
        guard let reader else { return nil }
        try reader.allowOnly(["percent", "amount", "atr", "period"])
        let given = ["percent", "amount", "atr"].filter { reader.has($0) }
        guard given.count == 1 else {
            throw SpecError(path: reader.path, .invalidValue(given.isEmpty ? "needs one of \"percent\", \"amount\" or \"atr\""
                : "gives both \"\(given[0])\" and \"\(given[1])\"; give one"))
        }
        let period = try reader.wholeNumber("period")
        if period != nil, given[0] != "atr" { throw SpecError(path: reader.path + ".period", .invalidValue("only an \"atr\" distance has a period")) }
        let value = try reader.number(given[0])!
        switch given[0] {
        case "percent": return .percent(value)
        case "amount": return .amount(value)
        default: return .atr(multiple: value, period: period ?? PriceDistance.defaultATRPeriod)
        }
    }

    /// `{"type": "market"}` or `{"type": "limit" | "stop", "offset": distance, "validBars": n}`.
    static func placement(_ reader: ObjectReader?) throws(SpecError) -> OrderPlacement? {
        guard let reader else { return nil }
        try reader.allowOnly(["type", "offset", "validBars"])
        guard let type = try reader.string("type") else { throw SpecError(path: reader.path + ".type", .missingKey) }
        guard let kind = OrderPlacement.Kind(rawValue: type) else {
            throw SpecError(path: reader.path + ".type", .invalidValue("\"\(type)\" is not an order type; use market, limit or stop"))
        }
        return OrderPlacement(kind: kind, offset: try distance(reader.object("offset")), validBars: try reader.wholeNumber("validBars") ?? 1)
    }

    static func json(_ distance: PriceDistance) -> JSONValue {
        switch distance {
        case .percent(let p): return .object([("percent", .number(p))])
        case .amount(let d): return .object([("amount", .number(d))])
        case .atr(let multiple, let period): return .object([("atr", .number(multiple)), ("period", .number(Double(period)))])
        }
    }

    static func json(_ placement: OrderPlacement) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(placement.kind.rawValue))]
        if let offset = placement.offset { members.append(("offset", json(offset))) }
        if placement.kind != .market { members.append(("validBars", .number(Double(placement.validBars)))) }
        return .object(members)
    }

    /// The spec as JSON, keys in the documented order, indented by two spaces.
    public var json: String { jsonValue.formatted() + "\n" }

    /// The same document on one line without spaces (for JSON output and prompts).
    public var compactJSON: String { jsonValue.compact() }

    var jsonValue: JSONValue {
        var top: [(String, JSONValue)] = [("version", .number(Double(version))), ("name", .string(name))]
        if !description.isEmpty { top.append(("description", .string(description))) }
        var data: [(String, JSONValue)] = []
        if !symbols.isEmpty { data.append(("symbols", .array(symbols.map { .string($0) }))) }
        if let timeframe { data.append(("timeframe", .string(timeframe))) }
        if !columns.isEmpty { data.append(("columns", .array(columns.map { .string($0) }))) }
        if !data.isEmpty { top.append(("data", .object(data))) }
        if !parameters.isEmpty {
            top.append(("parameters", .array(parameters.map { p in
                var members: [(String, JSONValue)] = [("name", .string(p.name)), ("default", .number(p.defaultValue))]
                if let minimum = p.minimum { members.append(("min", .number(minimum))) }
                if let maximum = p.maximum { members.append(("max", .number(maximum))) }
                if let step = p.step { members.append(("step", .number(step))) }
                if p.isInteger { members.append(("integer", .bool(true))) }
                return .object(members)
            })))
        }
        if !indicators.isEmpty {
            top.append(("indicators", .array(indicators.map { .object([("name", .string($0.name)), ("expression", .string($0.expression))]) })))
        }
        for (key, rules) in [("long", long), ("short", short)] {
            guard let rules else { continue }
            var members: [(String, JSONValue)] = [("entry", .string(rules.entry))]
            if let exit = rules.exit { members.append(("exit", .string(exit))) }
            top.append((key, .object(members)))
        }
        switch sizing {
        case .allIn: break
        case .units(let value), .notional(let value), .percentOfEquity(let value), .riskPercent(let value):
            top.append(("sizing", .object([("type", .string(sizing.typeName)), ("value", .number(value))])))
        }
        if !risk.isEmpty {
            var members: [(String, JSONValue)] = []
            if let stop = risk.stopLoss { members.append(("stopLoss", Self.json(stop))) }
            if let take = risk.takeProfit { members.append(("takeProfit", Self.json(take))) }
            if let trail = risk.trailingStop { members.append(("trailingStop", Self.json(trail))) }
            if let bars = risk.maxBarsHeld { members.append(("maxBarsHeld", .number(Double(bars)))) }
            top.append(("risk", .object(members)))
        }
        if entryOrder != .market || exitOrder != .market {
            var members: [(String, JSONValue)] = []
            if entryOrder != .market { members.append(("entry", Self.json(entryOrder))) }
            if exitOrder != .market { members.append(("exit", Self.json(exitOrder))) }
            top.append(("orders", .object(members)))
        }
        var e: [(String, JSONValue)] = [("profile", .string(execution.profile.rawValue)), ("cash", .number(execution.cash)),
                                        ("commission", .number(execution.commission))]
        if let spread = execution.spread { e.append(("spread", .number(spread))) }
        if let bps = execution.slippageBasisPoints { e.append(("slippageBps", .number(bps))) }
        if let participation = execution.participation { e.append(("participation", .number(participation))) }
        if let latency = execution.latencyBars { e.append(("latencyBars", .number(Double(latency)))) }
        if execution.exclusiveOrders { e.append(("exclusiveOrders", .bool(true))) }
        if execution.finalizeTrades { e.append(("finalizeTrades", .bool(true))) }
        top.append(("execution", .object(e)))
        return .object(top)
    }
}

/// Typed access to one JSON object, with the path of every value for messages.
struct ObjectReader {
    let path: String
    let members: [(String, JSONValue)]

    init(_ value: JSONValue, path: String) throws(SpecError) {
        guard case .object(let members) = value else { throw SpecError(path: path, .wrongType(expected: "an object", found: value.kindName)) }
        self.path = path
        self.members = members
    }

    /// Refuses keys outside `allowed`, suggesting the closest allowed one.
    func allowOnly(_ allowed: [String]) throws(SpecError) {
        for (key, _) in members where !allowed.contains(key) {
            throw SpecError(path: path + "." + key, .unknownKey(suggestion: ExpressionFunctions.suggestion(for: key, among: allowed)))
        }
    }

    private func value(_ key: String) -> JSONValue? {
        guard let value = members.first(where: { $0.0 == key })?.1, value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(SpecError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw SpecError(path: path + "." + key, .wrongType(expected: "a string", found: value.kindName)) }
        return text
    }

    func number(_ key: String) throws(SpecError) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else { throw SpecError(path: path + "." + key, .wrongType(expected: "a number", found: value.kindName)) }
        return number
    }

    /// True when the object has `key` with a non-null value.
    func has(_ key: String) -> Bool { value(key) != nil }

    /// A number that must be whole (a count of bars, a period).
    func wholeNumber(_ key: String) throws(SpecError) -> Int? {
        guard let number = try number(key) else { return nil }
        guard number == number.rounded(), Swift.abs(number) <= 1e9 else {
            throw SpecError(path: path + "." + key, .invalidValue("must be a whole number, is \(number)"))
        }
        return Int(number)
    }

    func bool(_ key: String) throws(SpecError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw SpecError(path: path + "." + key, .wrongType(expected: "true or false", found: value.kindName)) }
        return flag
    }

    func array(_ key: String) throws(SpecError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw SpecError(path: path + "." + key, .wrongType(expected: "an array", found: value.kindName)) }
        return items
    }

    func strings(_ key: String) throws(SpecError) -> [String]? {
        guard let items = try array(key) else { return nil }
        var texts: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw SpecError(path: "\(path).\(key)[\(index)]", .wrongType(expected: "a string", found: item.kindName))
            }
            texts.append(text)
        }
        return texts
    }

    func object(_ key: String) throws(SpecError) -> ObjectReader? {
        guard let value = value(key) else { return nil }
        return try ObjectReader(value, path: path + "." + key)
    }
}
