import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real InfluxDB 1.x filled with modelwatch's output for the generator's `demo` scenario: the
/// `modelwatch` binary generates the data, builds the reference profile and runs once per day
/// (`--output file:`), and the line protocol is written to a throw-away `influxd` in as-of order, so
/// later restatements overwrite earlier ones exactly as in production.
///
/// Built once per test process. `influxd` runs under a small shell watchdog that stops it and deletes
/// its directory as soon as the test process is gone (exited or a zombie); the watchdog gets none of
/// the test process's standard streams, so the test runner never waits on it.
final class DemoInflux: Sendable {
    let url: String
    let database = "modelwatch"
    /// Everything modelwatch wrote, in write order.
    let points: [WrittenPoint]
    /// The as-of times of the daily runs, epoch ms.
    let asOfs: [Int64]

    enum SetupError: Error, CustomStringConvertible {
        case missing(String)
        case failed(String, String)
        var description: String {
            switch self {
            case .missing(let what): "missing \(what)"
            case .failed(let what, let output): "\(what) failed:\n\(output)"
            }
        }
    }

    static let demoStartMs: Int64 = 1_793_491_200_000  // 2026-11-01T00:00:00Z, the demo preset's start
    static let dayMs: Int64 = 86_400_000

    private init(url: String, points: [WrittenPoint], asOfs: [Int64]) {
        self.url = url
        self.points = points
        self.asOfs = asOfs
    }

    /// The `modelwatch` executable: `MODELWATCH_BINARY`, else next to the test runner (SwiftPM builds
    /// the executable into the same directory), else `.build/debug/modelwatch`.
    static func modelwatchBinary() -> String? {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["MODELWATCH_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("modelwatch").path)
        candidates.append(runner.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("modelwatch").path)
        candidates.append(Repo.url(".build/debug/modelwatch").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func influxdBinary() -> String? {
        ["/usr/bin/influxd", "/usr/local/bin/influxd"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    // MARK: Shared instance

    private static let shared = Shared()

    static func instance() async throws -> DemoInflux { try await shared.get() }

    private actor Shared {
        private var result: Result<DemoInflux, any Error>?
        func get() throws -> DemoInflux {
            if result == nil { result = Result { try DemoInflux.make() } }
            return try result!.get()
        }
    }

    // MARK: Setup

    private static func make() throws -> DemoInflux {
        guard let modelwatch = modelwatchBinary() else {
            throw SetupError.missing("the modelwatch executable (build the package, or set MODELWATCH_BINARY)")
        }
        guard let influxd = influxdBinary() else { throw SetupError.missing("influxd (apt-get install influxdb)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mw-grafana-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let demo = directory.appendingPathComponent("demo")
        let config = demo.appendingPathComponent("modelwatch.yaml").path

        // Half the preset's volume keeps the 14 daily runs quick; incidents and version switch are unchanged.
        try run(modelwatch, ["generate", "--scenario", "demo", "--rate", "200", "--out", demo.path])
        try run(modelwatch, ["profile", "--config", config, "--from", "2026-11-01T00:00:00Z", "--to", "2026-11-04T00:00:00Z"])
        var asOfs: [Int64] = []
        var files: [URL] = []
        for day in 1...14 {
            let asOf = demoStartMs + Int64(day) * dayMs
            let file = directory.appendingPathComponent("day-\(day).lp")
            try run(modelwatch, ["run", "--config", config, "--as-of", rfc3339(asOf), "--output", "file:\(file.path)"])
            asOfs.append(asOf)
            files.append(file)
        }

        let url = try startInflux(influxd, in: directory.appendingPathComponent("influxd"), cleanUp: directory)
        try checkedCurl(["-XPOST", "\(url)/query", "--data-urlencode", "q=CREATE DATABASE \"modelwatch\""])
        var points: [WrittenPoint] = []
        for file in files {
            try checkedCurl(["-XPOST", "\(url)/write?db=modelwatch&precision=ms", "--data-binary", "@\(file.path)"],
                            expect: "204")
            points += LineProtocolOracle.parse(try String(contentsOf: file, encoding: .utf8))
        }
        return DemoInflux(url: url, points: points, asOfs: asOfs)
    }

    static func rfc3339(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("mw-out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw SetupError.failed(([executable] + arguments).joined(separator: " "), text)
        }
        return text
    }

    /// Runs curl; with `expect`, the last output line must be that HTTP status (`-w %{http_code}`).
    @discardableResult
    static func checkedCurl(_ arguments: [String], expect: String? = nil, failOnHTTPError: Bool = true) throws -> String {
        let extra = expect != nil ? ["-o", "/dev/null", "-w", "%{http_code}"] : failOnHTTPError ? ["-f"] : []
        let text = try run("/usr/bin/curl", ["-sS"] + extra + arguments)
        if let expect, text.trimmingCharacters(in: .whitespacesAndNewlines) != expect {
            throw SetupError.failed("curl \(arguments.joined(separator: " "))", text)
        }
        return text
    }

    /// Starts `influxd` with its data in `directory`; the watchdog deletes `cleanUp` when it stops it.
    private static func startInflux(_ influxd: String, in directory: URL, cleanUp: URL) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let httpPort = try freePort(), rpcPort = try freePort()
        let config = directory.appendingPathComponent("influxdb.conf")
        try "reporting-disabled = true\n".write(to: config, atomically: true, encoding: .utf8)
        let watchdog = """
            "$1" -config "$2" >"$3/influxd.log" 2>&1 & child=$!
            alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
            while alive "$4" && kill -0 "$child" 2>/dev/null; do sleep 1; done
            kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; rm -rf "$5"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", watchdog, "watchdog", influxd, config.path, directory.path,
                             String(ProcessInfo.processInfo.processIdentifier), cleanUp.path]
        var environment = ProcessInfo.processInfo.environment
        environment["INFLUXDB_META_DIR"] = directory.appendingPathComponent("meta").path
        environment["INFLUXDB_DATA_DIR"] = directory.appendingPathComponent("data").path
        environment["INFLUXDB_DATA_WAL_DIR"] = directory.appendingPathComponent("wal").path
        environment["INFLUXDB_HTTP_BIND_ADDRESS"] = "127.0.0.1:\(httpPort)"
        environment["INFLUXDB_BIND_ADDRESS"] = "127.0.0.1:\(rpcPort)"
        environment["INFLUXDB_REPORTING_DISABLED"] = "true"
        environment["INFLUXDB_HTTP_LOG_ENABLED"] = "false"
        environment["INFLUXDB_DATA_QUERY_LOG_ENABLED"] = "false"
        environment["INFLUXDB_HTTP_AUTH_ENABLED"] = "false"
        process.environment = environment
        // Never inherit the test process's pipes: the test runner waits for them to close.
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let url = "http://127.0.0.1:\(httpPort)"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? checkedCurl(["-m", "1", "\(url)/ping"], expect: "204")) != nil { return url }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("influxd.log"), encoding: .utf8)) ?? ""
        throw SetupError.failed("influxd start", String(log.suffix(2000)))
    }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SetupError.failed("socket", String(errno)) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw SetupError.failed("bind", String(errno)) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw SetupError.failed("getsockname", String(errno)) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Queries

    /// One InfluxQL statement's series.
    struct Series: Sendable {
        let name: String
        let tags: [String: String]
        let columns: [String]
        let rows: [[Doc]]

        /// Values of the non-time columns that are not null.
        var nonNullValues: [Doc] {
            rows.flatMap { row in zip(columns, row).filter { $0.0 != "time" && $0.1 != .null }.map(\.1) }
        }
    }

    struct QueryError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func query(_ influxQL: String) throws -> [Series] {
        let text = try Self.checkedCurl(["-XPOST", "\(url)/query", "--data-urlencode", "db=\(database)",
                                         "--data-urlencode", "epoch=ms", "--data-urlencode", "q=\(influxQL)"],
                                        failOnHTTPError: false)
        let response = try Doc.json(text)
        let statement = response["results"]?.array.first ?? .null
        if let error = statement["error"]?.string ?? response["error"]?.string { throw QueryError(message: error) }
        return (statement["series"]?.array ?? []).map { series in
            Series(name: series["name"]?.string ?? "",
                   tags: (series["tags"]?.object ?? [:]).compactMapValues(\.string),
                   columns: series["columns"]?.array.compactMap(\.string) ?? [],
                   rows: series["values"]?.array.map(\.array) ?? [])
        }
    }
}
