// swift-tools-version: 6.1
import PackageDescription

// Colonnade: columnar backtesting for Swift. Layers depend downward only (see docs/architecture.md).
// No unsafeFlags here: the package must stay usable as a versioned dependency.
let package = Package(
    name: "Colonnade",
    products: [
        .library(name: "Colonnade", targets: ["Colonnade"]),
        .library(name: "ColumnStore", targets: ["ColumnStore"]),
        .library(name: "Indicators", targets: ["Indicators"]),
        .library(name: "Execution", targets: ["Execution"]),
        .library(name: "Analytics", targets: ["Analytics"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "StrategySpec", targets: ["StrategySpec"]),
        .library(name: "NaturalLanguage", targets: ["NaturalLanguage"]),
        .library(name: "ChatCompletions", targets: ["ChatCompletions"]),
        .library(name: "Reports", targets: ["Reports"]),
        .executable(name: "colonnade", targets: ["ColonnadeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Build-time only (`swift package generate-documentation`); no target links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries from Debian: libopenblas-dev liblapacke-dev libzstd-dev pkg-config (`make deps`).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // ColumnStore will use zstd for the `.colz` columnar file; until then it does not link it.
        .target(name: "ColumnStore"),
        // C loops that need a fused multiply-add or wide vector compares, picked per CPU at run time (no unsafeFlags).
        .target(name: "CKernels"),
        .target(name: "Indicators", dependencies: ["ColumnStore", "CKernels"]),
        .target(name: "Execution", dependencies: ["ColumnStore", "CKernels"]),
        .target(name: "Analytics", dependencies: ["ColumnStore", "CKernels"]),
        .target(name: "Engine", dependencies: ["ColumnStore", "CKernels", "Indicators", "Execution", "Analytics"]),
        .target(name: "StrategySpec", dependencies: ["ColumnStore", "Indicators", "Execution", "Engine"]),
        .target(name: "NaturalLanguage", dependencies: ["StrategySpec"]),
        .target(name: "Reports", dependencies: ["ColumnStore", "Analytics", "Execution", "Engine"]),
        // The one module that uses the network (FoundationNetworking): opt-in, not in the umbrella.
        .target(name: "ChatCompletions", dependencies: ["NaturalLanguage"]),
        .target(name: "Colonnade", dependencies: ["ColumnStore", "Indicators", "Execution", "Analytics", "Engine", "StrategySpec",
                                                  "NaturalLanguage", "Reports"]),
        .executableTarget(
            name: "ColonnadeCLI",
            dependencies: [
                "Colonnade",
                "ChatCompletions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "ColumnStoreTests", dependencies: ["ColumnStore"]),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators", "CKernels", "ColumnStore"]),
        .testTarget(name: "AnalyticsTests", dependencies: ["Analytics", "CKernels", "ColumnStore"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Execution", "Analytics", "Indicators", "ColumnStore"]),
        .testTarget(name: "StrategySpecTests", dependencies: ["StrategySpec", "Engine", "Indicators", "ColumnStore"]),
        .testTarget(name: "NaturalLanguageTests", dependencies: ["NaturalLanguage", "StrategySpec", "Engine", "ColumnStore"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Engine", "Execution", "Analytics", "Indicators", "ColumnStore"]),
        .testTarget(name: "ChatCompletionsTests", dependencies: ["ChatCompletions", "NaturalLanguage", "StrategySpec", "LoopbackHTTP"]),
        .testTarget(name: "ColonnadeCLITests", dependencies: ["ColonnadeCLI", "Colonnade", "LoopbackHTTP"]),
        // A small HTTP/1.1 server on 127.0.0.1 that the tests start to stand in for a model's endpoint.
        .target(name: "LoopbackHTTP", path: "Tests/Support/LoopbackHTTP"),
        // The system libraries link and work (what `make deps` installs).
        .testTarget(name: "SystemLibraryTests", dependencies: ["COpenBLAS", "CLAPACKE", "CZstd"]),
    ]
)
