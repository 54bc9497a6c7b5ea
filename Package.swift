// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Tally",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tally", targets: ["tally"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The zip container of .xlsx workbooks (reading and writing), rather than a hand-written zip reader.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Spark Connect is gRPC with protocol buffers: gRPC Swift's client with its HTTP/2 transport over SwiftNIO, and
        // swift-protobuf for the messages (generated once from proto/spark_connect.proto by scripts/generate-protocol).
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        // `tally serve`: Hummingbird 2's HTTP server over SwiftNIO, and swift-crypto's PBKDF2 for the salted password hashes
        // of `--auth-file` (a hand-written key derivation is not something to trust with passwords).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        .target(
            name: "CLineEdit",
            linkerSettings: [.linkedLibrary("edit")]
        ),
        .target(name: "CTestPTY", linkerSettings: [.linkedLibrary("util")]),
        .target(name: "CAllocator"),
        // Parquet's page codecs from Debian's libraries (scripts/ensure-libraries installs their -dev packages).
        .target(name: "CCodecs", linkerSettings: [.linkedLibrary("snappy"), .linkedLibrary("zstd"), .linkedLibrary("z")]),
        // Optimized in debug builds too: the tests read real-sized files and generate the demo data in every process.
        .target(name: "TallyCore", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The file formats tables come from and go to: CSV, Parquet, Excel workbooks and Tally's snapshots.
        .target(name: "TallyFormats", dependencies: ["TallyCore", "CCodecs", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "TallyLang", dependencies: ["TallyCore"]),
        .target(name: "TallyEngine", dependencies: ["TallyCore", "TallyLang", "CAllocator"]),
        // libpq, the client library psql uses (Debian's libpq-dev): the URL, PGPASSWORD and ~/.pgpass conventions come with it.
        .target(name: "CLibPQ", linkerSettings: [.linkedLibrary("pq")]),
        .target(name: "TallyPostgres", dependencies: ["TallyCore", "TallyEngine", "CLibPQ"]),
        // Spark through Spark Connect: the client, the catalog, uploads; results arrive as Arrow batches (TallyFormats reads them).
        .target(name: "TallySpark", dependencies: [
            "TallyCore", "TallyEngine", "TallyFormats",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "TallyShell", dependencies: ["TallyCore", "TallyFormats", "TallyLang", "TallyEngine", "TallyPostgres", "TallySpark", "CLineEdit"]),
        // What `tally serve` reads from a request (path, query string, parameter values), apart from the server, for fuzzing.
        .target(name: "TallyWeb", dependencies: ["TallyCore", "TallyLang", "TallyEngine"]),
        // `tally serve`: saved queries and reports in the browser, with a JSON API and downloads.
        .target(name: "TallyServe", dependencies: [
            "TallyCore", "TallyEngine", "TallyLang", "TallyFormats", "TallyShell", "TallyWeb",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .executableTarget(
            name: "tally",
            dependencies: [
                "TallyShell",
                "TallyServe",
                "TallyFormats",
                "TallyPostgres",
                "TallySpark",
                "CAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (Fuzz/run builds them with -sanitize=fuzzer); a plain build replays files given as arguments.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzQuery", dependencies: ["FuzzSupport", "TallyEngine", "TallyLang", "TallyCore"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", "TallyCore", "TallyFormats"]),
        .executableTarget(name: "FuzzSnapshot", dependencies: ["FuzzSupport", "TallyCore", "TallyFormats"]),
        .executableTarget(name: "FuzzParquet", dependencies: ["FuzzSupport", "TallyCore", "TallyFormats"]),
        .executableTarget(name: "FuzzExcel", dependencies: ["FuzzSupport", "TallyCore", "TallyFormats"]),
        .executableTarget(name: "FuzzArrow", dependencies: ["FuzzSupport", "TallyCore", "TallyFormats"]),
        .executableTarget(name: "FuzzPostgres", dependencies: ["FuzzSupport", "TallyCore", "TallyPostgres"]),
        .executableTarget(name: "FuzzExcelParts", dependencies: ["FuzzSupport", "TallyCore", "TallyFormats"]),
        .executableTarget(name: "FuzzServeRequest", dependencies: ["FuzzSupport", "TallyWeb", "TallyEngine", "TallyCore"]),
        .executableTarget(name: "FuzzParquetPages", dependencies: ["FuzzSupport", "TallyCore", "TallyFormats"]),
        .testTarget(name: "TallyCoreTests", dependencies: ["TallyCore", "TallyFormats"], exclude: ["Fixtures"]),
        .testTarget(name: "TallyLangTests", dependencies: ["TallyLang"]),
        // The golden runner and the terminal tests run the `tally` binary: declared, so that it is built first.
        .testTarget(name: "TallyEngineTests", dependencies: ["TallyEngine", "TallyCore", "TallyFormats", "TallyLang", "tally"], exclude: ["Golden", "Fixtures", "BadInput"]),
        .testTarget(name: "TallyPostgresTests", dependencies: ["TallyPostgres", "TallyEngine", "TallyCore"]),
        .testTarget(name: "TallySparkTests", dependencies: ["TallySpark", "TallyEngine", "TallyCore", "TallyFormats"], exclude: ["Fixtures"]),
        .testTarget(name: "TallyServeTests", dependencies: ["TallyServe", "TallyWeb", "TallyShell", "TallyEngine", "TallyCore", "tally"], exclude: ["Scripts"]),
        .testTarget(name: "TallyShellTests", dependencies: ["TallyShell", "TallyEngine", "TallyLang", "TallyCore", "TallyFormats", "TallyPostgres",
                                                          "TallySpark", "CTestPTY", "tally"],
                    exclude: ["Charts"]),
    ],
    swiftLanguageModes: [.v5]
)
