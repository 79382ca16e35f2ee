// swift-tools-version:6.1
import PackageDescription

// Dependencies point inward to RunnelCore (DESIGN §2). System libraries come from Debian packages
// that `deploy/local/setup.sh` installs; their module maps live in Sources/C*.
let package = Package(
    name: "Runnel",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "runnel", targets: ["runnel"]),
        .executable(name: "runnel-router", targets: ["runnel-router"]),
        .library(name: "RunnelCore", targets: ["RunnelCore"]),
        .library(name: "RunnelPlugins", targets: ["RunnelPlugins"]),
        .library(name: "RunnelElasticsearch", targets: ["RunnelElasticsearch"]),
        // The `_bulk` stand-in the Elasticsearch tests use; a product so that `make bench` can run it too.
        .library(name: "RunnelESTestServer", targets: ["RunnelESTestServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(
            name: "CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        // Headers only (glibc's): epoll, eventfd and accept4 for the router's event loops.
        .systemLibrary(name: "CLinuxEvents"),
        .target(
            name: "RunnelCore",
            dependencies: [
                "CPCRE2", "CLibCrypto",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "RunnelPlugins",
            dependencies: [
                "RunnelCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .target(
            name: "RunnelHTTP",
            dependencies: [
                "CCurl", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .target(
            name: "RunnelDocker",
            dependencies: ["RunnelCore", "RunnelHTTP"]),
        .target(
            name: "RunnelRouter",
            dependencies: [
                "RunnelCore", "RunnelHTTP", "CLinuxEvents",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "runnel-router",
            dependencies: ["RunnelRouter", "RunnelCore"]),
        .target(
            name: "RunnelKafka",
            dependencies: [
                "RunnelCore", "CRdKafka",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "RunnelElasticsearch",
            dependencies: ["RunnelCore", "RunnelHTTP", "CLibCrypto"]),
        .executableTarget(
            name: "runnel",
            dependencies: [
                "RunnelCore", "RunnelPlugins", "RunnelHTTP", "RunnelDocker", "RunnelKafka", "RunnelElasticsearch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "RunnelCoreTests",
            dependencies: ["RunnelCore"]),
        .testTarget(
            name: "RunnelPluginsTests",
            dependencies: ["RunnelPlugins", "RunnelTestSupport"]),
        .testTarget(
            name: "RunnelHTTPTests",
            dependencies: ["RunnelHTTP", "RunnelTestSupport"]),
        .testTarget(
            name: "RunnelDockerTests",
            dependencies: ["RunnelDocker", "RunnelHTTP", "RunnelPlugins", "RunnelTestSupport"]),
        .testTarget(
            name: "RunnelKafkaTests",
            dependencies: ["RunnelKafka", "RunnelPlugins", "RunnelTestSupport", "CRdKafka"]),
        .testTarget(
            name: "RunnelElasticsearchTests",
            dependencies: ["RunnelElasticsearch", "RunnelESTestServer", "RunnelHTTP", "RunnelCore", "RunnelTestSupport", "runnel"]),
        .target(
            name: "RunnelESTestServer",
            dependencies: ["RunnelCore", "RunnelHTTP"],
            path: "Tests/RunnelESTestServer"),
        .target(
            name: "RunnelTestSupport",
            dependencies: ["RunnelCore"],
            path: "Tests/RunnelTestSupport"),
        .testTarget(
            name: "RunnelRouterTests",
            dependencies: ["RunnelRouter", "RunnelHTTP", "RunnelTestSupport", "runnel-router"]),
        .testTarget(
            name: "RunnelCLITests",
            dependencies: ["RunnelCore", "RunnelTestSupport", "runnel"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["RunnelCore", "RunnelTestSupport", "runnel"]),
    ],
    swiftLanguageModes: [.v6]
)
