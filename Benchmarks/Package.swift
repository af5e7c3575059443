// swift-tools-version: 6.1
// Benchmarks for MotCua's Domain target, kept in a package of their own so that `swift build` / `swift test` of the
// app never resolve or build the benchmark harness (and its malloc interposer).
//
// Run from this folder:  swift package benchmark     (see README.md)

import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder (the clone may be `main`, `motcua`, ...), not after the
// `name:` in its manifest, and `.product(package:)` must use that identity. Derive it rather than hard-code it.
let rootPackageIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // …/Benchmarks
    .deletingLastPathComponent()  // the MotCua root
    .lastPathComponent.lowercased()

let package = Package(
    name: "MotCuaBenchmarks",
    // The root package requires macOS 15; a dependent package cannot ask for less.
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // Only the MallocInterposer trait: the default RuntimeInterposer trait would pull in
        // swift-runtime-interposer, which is not among the packages this project may depend on.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // package-benchmark discovers suites as executable targets whose sources are in Benchmarks/<Name>/.
        .executableTarget(
            name: "CatalogueBenchmarks",
            dependencies: [
                .product(name: "Domain", package: rootPackageIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CatalogueBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "CalendarBenchmarks",
            dependencies: [
                .product(name: "Domain", package: rootPackageIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CalendarBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
