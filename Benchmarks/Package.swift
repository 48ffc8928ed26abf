// swift-tools-version: 6.1
import PackageDescription

// A nested package, so that `swift build` / `swift test` of the library never build
// package-benchmark and its dependencies. Run from this folder: `swift package benchmark`.

// A path dependency's identity is the name of the folder the repository was cloned into, which
// differs between clones: derive it rather than hard-coding "colonnade".
let rootIdentity = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init)!.lowercased()

let package = Package(
    name: "ColonnadeBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        // Only the MallocInterposer trait: the default traits pull in a package that is not mirrored here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The bars both targets write for the peer scripts.
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "Colonnade", package: rootIdentity)],
            path: "Benchmarks/BenchmarkSupport"
        ),
        .executableTarget(
            name: "IndicatorBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Colonnade", package: rootIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/IndicatorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Colonnade", package: rootIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
