// swift-tools-version:6.1
import PackageDescription

// Micro benchmarks, kept out of the main package so `swift test` never builds them.
// Run through `make bench`, which also runs the peers and prints ratios.
let package = Package(
    name: "RunnelBenchmarks",
    dependencies: [
        .package(name: "Runnel", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "RunnelBench",
            dependencies: [
                .product(name: "RunnelCore", package: "Runnel"),
                .product(name: "RunnelPlugins", package: "Runnel"),
                .product(name: "RunnelElasticsearch", package: "Runnel"),
                .product(name: "RunnelESTestServer", package: "Runnel"),
            ],
            ),
    ],
    swiftLanguageModes: [.v6]
)
