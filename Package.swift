// swift-tools-version: 6.0
import PackageDescription

/// Settings applied to every Swift target (pure libraries, I/O modules and the executable alike).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "modelwatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "modelwatch", targets: ["modelwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // MARK: C boundaries (system libraries)
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        /// libpq (not postgres-nio): the job is synchronous, and NIO would add minutes to every cold build.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        /// `__builtin_prefetch` for the id index's lookups (a header only: nothing to link).
        .systemLibrary(name: "CPrefetch"),
        /// `sched_getaffinity` / `sched_setaffinity` for `run.threads` (a header only: nothing to link).
        .systemLibrary(name: "CAffinity"),
        /// SSE2 byte classification for the CSV reader's plain-record path (a header only: nothing to link).
        .systemLibrary(name: "CByteClasses"),
        /// The commit the binary was built from, for `modelwatch --version` (`make` writes it; see build_info.c).
        .target(name: "CBuildInfo"),

        // MARK: Pure libraries: no I/O, no clock
        .target(name: "LineProtocol", swiftSettings: strictSettings),
        /// The InfluxDB schema: the one source of truth for measurement, tag and field names.
        .target(name: "MetricSchema", swiftSettings: strictSettings),
        /// Order-preserving integer keys for doubles and their radix sort, shared by the two metric modules.
        .target(name: "OrderedKeys", swiftSettings: strictSettings),
        .target(name: "PerformanceMetrics", dependencies: ["OrderedKeys"], swiftSettings: strictSettings),
        .target(name: "DriftMetrics", dependencies: ["OrderedKeys"], swiftSettings: strictSettings),
        .target(name: "InputParsing", dependencies: ["CByteClasses"], swiftSettings: strictSettings),
        .target(name: "SyntheticData", swiftSettings: strictSettings),
        .target(name: "Gzip", dependencies: ["CZlib"], swiftSettings: strictSettings),

        // MARK: I/O
        /// The only module that imports libcurl.
        .target(name: "HTTPTransport", dependencies: ["CCurl"], swiftSettings: strictSettings),
        /// The only module that imports libpq.
        .target(name: "PostgresSource", dependencies: ["CLibPQ", "InputParsing"], swiftSettings: strictSettings),
        /// HiveServer2 (Spark Thrift server, Databricks SQL) over HTTP: a hand-written Thrift binary codec.
        .target(name: "HiveServer2", dependencies: ["HTTPTransport"], swiftSettings: strictSettings),
        .target(
            name: "InfluxDelivery",
            dependencies: ["HTTPTransport", "Gzip", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),

        // MARK: Composition, layered along the data flow: configuration ← sources ← the job
        /// The configuration: parsing and validation of the YAML file, the environment and the flags into one
        /// immutable `JobConfiguration`; reads no data.
        .target(
            name: "ModelwatchConfiguration",
            dependencies: [
                "DriftMetrics", "HTTPTransport", "HiveServer2", "InfluxDelivery", "InputParsing", "MetricSchema", "PostgresSource",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        /// The sources: score and label rows from files and PostgreSQL, joined into the columnar `ScoreTable`.
        .target(
            name: "ModelwatchSources",
            dependencies: ["ModelwatchConfiguration", "InputParsing", "Gzip", "PostgresSource", "OrderedKeys", "CPrefetch", "LineProtocol", "MetricSchema"],
            swiftSettings: strictSettings
        ),
        /// Evaluation, push-down, points and summaries, and the run.
        .target(
            name: "ModelwatchJob",
            dependencies: [
                "ModelwatchConfiguration", "ModelwatchSources",
                "LineProtocol", "MetricSchema", "PerformanceMetrics", "DriftMetrics", "InputParsing", "Gzip",
                "InfluxDelivery", "SyntheticData", "PostgresSource", "OrderedKeys", "CPrefetch", "CAffinity", "HiveServer2", "HTTPTransport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "modelwatch",
            dependencies: [
                "ModelwatchJob", "ModelwatchConfiguration", "ModelwatchSources", "HTTPTransport", "CBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        /// Real servers, fault injection and the deterministic generator for tests; not a product, never shipped.
        .target(name: "TestSupport", dependencies: ["MetricSchema"], swiftSettings: strictSettings),

        // MARK: Tests
        .testTarget(name: "LineProtocolTests", dependencies: ["LineProtocol", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "MetricSchemaTests", dependencies: ["MetricSchema", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "PerformanceMetricsTests", dependencies: ["PerformanceMetrics", "OrderedKeys", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DriftMetricsTests", dependencies: ["DriftMetrics", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSettings
        ),
        .testTarget(name: "InputParsingTests", dependencies: ["InputParsing", "Gzip", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SyntheticDataTests", dependencies: ["SyntheticData"], swiftSettings: strictSettings),
        .testTarget(
            name: "InfluxDeliveryTests",
            dependencies: ["InfluxDelivery", "HTTPTransport", "Gzip", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ModelwatchJobTests", dependencies: ["ModelwatchJob", "ModelwatchConfiguration", "ModelwatchSources", "LineProtocol", "InputParsing", "Gzip", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["ModelwatchJob", "ModelwatchConfiguration", "ModelwatchSources", "LineProtocol", "TestSupport", "SyntheticData", "InfluxDelivery", "HTTPTransport", "MetricSchema", "PerformanceMetrics",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PostgresSourceTests",
            dependencies: ["ModelwatchJob", "ModelwatchConfiguration", "ModelwatchSources", "PostgresSource", "TestSupport", "LineProtocol", "SyntheticData", "HTTPTransport", "InfluxDelivery",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HiveServer2Tests",
            dependencies: ["HiveServer2", "HTTPTransport", "ModelwatchJob", "ModelwatchConfiguration", "ModelwatchSources", "TestSupport", "LineProtocol", "InputParsing", "SyntheticData", "InfluxDelivery",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        /// The release build, the .deb and its systemd units (the install test needs root and dpkg).
        .testTarget(name: "PackagingTests", dependencies: ["ModelwatchJob", "ModelwatchConfiguration", "ModelwatchSources", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "GrafanaKitTests", dependencies: ["MetricSchema", "TestSupport", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
