import ColumnStore
import Engine
import Foundation
import Testing

/// One scenario written by scripts/generate_backtesting_goldens.py (backtesting.py 0.6.6).
struct BacktestingPyGolden: Decodable {
    struct Settings: Decodable {
        var cash: Double
        var commission: Double
        var spread: Double
        var exclusive_orders: Bool
        var finalize_trades: Bool
    }

    struct GoldenTrade: Decodable {
        var entryBar: Int
        var exitBar: Int
        var entryTime: String
        var exitTime: String
        var size: Double
        var entryPrice: Double
        var exitPrice: Double
        var pnl: Double
        var returnPct: Double
        var commission: Double
        var stopLoss: Double?
        var takeProfit: Double?
    }

    var scenario: String
    var data: String
    var strategy: String
    var params: [String: Double]
    var backtest: Settings
    var stats: [String: StatValue]
    var trades: [GoldenTrade]
    var equity: [Double]
    /// The target column of a target-position scenario (null for NaN), and what it counts.
    var targets: [Double?]?
    var targetMeasure: String?

    /// The scenario's targets as the engine takes them.
    func targetPositions() throws -> TargetPositions {
        let values = try #require(targets, "\(scenario) has no targets").map { $0 ?? .nan }
        let measure = try #require(targetMeasure.flatMap(TargetPositions.Measure.init(rawValue:)), "\(scenario): measure")
        return TargetPositions(Column(values), measure: measure)
    }

    enum StatValue: Decodable {
        case number(Double)
        case text(String)
        case null

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else { self = .text(try c.decode(String.self)) }
        }
    }

    static func load(_ name: String) throws -> BacktestingPyGolden {
        let url = URL(fileURLWithPath: Fixtures.path("goldens/backtesting/\(name).json"))
        return try JSONDecoder().decode(BacktestingPyGolden.self, from: Data(contentsOf: url))
    }
}
