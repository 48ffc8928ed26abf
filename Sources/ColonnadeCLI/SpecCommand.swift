import ArgumentParser
import Colonnade
import Foundation

extension ExecutionSettings.Profile: ExpressibleByArgument {}
extension TradeDirection: ExpressibleByArgument {}

/// The bytes of a file, or exit 2 with a message naming it (a spec is part of the request).
func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        printError("error: \(path): cannot read the file")
        throw ExitStatus.invalidRequest
    }
    return [UInt8](data)
}

struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Strategy specs: print the built-ins as specs, check a spec.",
        discussion: """
        A spec is a JSON document (docs/spec.md) with parameters, named indicators, entry and exit \
        rules written as expressions (docs/expressions.md), sizing and execution settings. Run one \
        with `colonnade backtest --spec FILE --data FILE`.

        Examples:
          colonnade spec list
          colonnade spec show sma-cross --direction long-short > sma-cross.json
          colonnade spec check sma-cross.json
          colonnade backtest --spec sma-cross.json --data Fixtures/GOOG.csv --param fast=5
        """,
        subcommands: [List.self, Show.self, Check.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the built-in strategies available as specs.",
            discussion: """
            Examples:
              colonnade spec list
              colonnade spec show $(colonnade spec list | head -1 | cut -d' ' -f1)
            """)

        func run() throws {
            for name in StrategySpec.templateNames {
                let spec = try StrategySpec.template(named: name)
                print(name.padding(toLength: 22, withPad: " ", startingAt: 0) + spec.description)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a built-in strategy as a spec (JSON).",
            discussion: """
            Examples:
              colonnade spec show rsi-reversal --direction long-short
              colonnade spec show sma-cross > sma-cross.json && colonnade backtest --spec sma-cross.json --data Fixtures/GOOG.csv
            """)

        @Argument(help: ArgumentHelp("A built-in strategy: \(StrategySpec.templateNames.joined(separator: ", ")).", valueName: "name"))
        var name: String

        @Option(name: .long, help: "long-only, or long-short to add the short side's rules.")
        var direction: TradeDirection = .longOnly

        func run() throws {
            do {
                print(try StrategySpec.template(named: name, direction: direction).json, terminator: "")
            } catch {
                printError("error: \(error)")
                throw ExitStatus.invalidRequest
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a spec: every key, value, name and expression; print what it computes.",
            discussion: """
            Exit status 0 when the spec is valid, 2 with the JSON path of the first problem otherwise.
            Examples:
              colonnade spec check examples/strategies/rsi-rebound.json
              colonnade spec validate my-spec.json
            """,
            aliases: ["validate"])

        @Argument(help: ArgumentHelp("The spec file (JSON).", valueName: "file"))
        var file: String

        func run() throws {
            let spec: StrategySpec
            let compiled: CompiledSpec
            do {
                spec = try StrategySpec(jsonBytes: try readFile(file))
                compiled = try spec.compiled()
            } catch let error as SpecError {
                printError("error: \(file): \(error)")
                throw ExitStatus.invalidRequest
            }
            print("\(file): valid spec \"\(spec.name)\" (version \(spec.version))")
            if !spec.parameters.isEmpty {
                print("parameters: " + spec.parameters.map { "\($0.name)=\(BacktestCommand.formatted($0.defaultValue))" }.joined(separator: ", "))
            }
            print("trades: \(compiled.direction.rawValue); \(compiled.plan.indicatorCount) distinct indicator computation\(compiled.plan.indicatorCount == 1 ? "" : "s"), \(compiled.plan.stepCount) steps in all")
            print("risk: \(spec.risk); orders: entries \(spec.entryOrder), exits \(spec.exitOrder)")
            print("runs on: the event engine and, one instrument at a time, the signal fast path")
            print("execution: profile \(spec.execution.profile.rawValue), cash \(BacktestCommand.formatted(spec.execution.cash))")
        }
    }
}
