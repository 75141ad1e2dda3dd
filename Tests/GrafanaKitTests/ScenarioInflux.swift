import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real InfluxDB 1.x filled with modelwatch's output for one of the generator's scenarios: the
/// `modelwatch` binary generates the data, builds the reference profile and runs once per as-of day
/// (`--output file:`), and the line protocol is written to a throw-away `influxd` in as-of order, so
/// later restatements overwrite earlier ones exactly as in production. Each scenario gets its own
/// database on one shared server.
///
/// Built once per test process and scenario. `influxd` runs under a small shell watchdog that stops it
/// and deletes its directory as soon as the test process is gone (exited or a zombie); the watchdog
/// gets none of the test process's standard streams, so the test runner never waits on it.
final class ScenarioInflux: Sendable {
    let url: String
    let database: String
    /// Everything modelwatch wrote, in write order.
    let points: [WrittenPoint]
    /// The as-of times of the runs, epoch ms, ascending.
    let asOfs: [Int64]
    /// The line protocol of each run, in the order of ``asOfs`` (empty for a scratch database).
    let runTexts: [String]

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

    static let dayMs: Int64 = 86_400_000

    /// What to generate and when to run.
    struct Recipe: Sendable {
        let scenario: String
        /// Predictions per hour (`--rate`): 200 for the demo, 100 for the 30-day presets (2,400 rows a day, half
        /// the presets' own rate, to halve the suite's time). At 100 the healthy preset keeps wide margins to
        /// every rule: AUC 0.763 against the 0.70 floor, feature PSI at most 0.019 against 0.25, score KS 0.030
        /// against 0.15, ECE 0.034 against 0.10, label coverage 0.68 and 0.87 against 0.25 and 0.5. (Before
        /// categorical drift binned only the 20 most frequent categories, anything below 200 made the
        /// 1,000-category f_cat_02 exceed PSI 0.25 on healthy data.)
        let rate: Int
        /// As-of days, counted from the scenario's first day (day 1 = one day after the start).
        let runDays: [Int]
        /// Names the database and the shared instance: the scenario, plus the skipped days of a schedule with gaps.
        var name: String { scenario + gapSuffix }
        var gapSuffix = ""
        /// More scenarios written into the same database, each model named after its scenario.
        var alsoScenarios: [String] = []
        static let presetDays = [13, 20] + Array(22...30)

        /// The 14-day demo, run every day.
        static let demo = Recipe(scenario: "demo", rate: 200, runDays: Array(1...14))

        /// The regression and multiclass scenarios (models `regression` and `multiclass`), run on days 8 and 14 (the
        /// baselines of the rules evaluated on day 24) and 20 to 30, for the task dashboard and rules. At 60
        /// predictions an hour a region's newest provisional window is thin.
        static let tasks = Recipe(scenario: "regression", rate: 60, runDays: [8, 14] + Array(20...30), alsoScenarios: ["multiclass"])

        /// A 30-day preset, run on the days the alert rules look at when evaluated after day 30: the
        /// last 9 days (input baselines), and days 13 and 20 (performance baselines 10–38 days back).
        static func thirtyDays(_ scenario: String) -> Recipe {
            Recipe(scenario: scenario, rate: 100, runDays: presetDays)
        }

        /// A 30-day preset whose job did not run on `skipped` days.
        static func thirtyDays(_ scenario: String, skipping skipped: Set<Int>) -> Recipe {
            Recipe(scenario: scenario, rate: 100, runDays: presetDays.filter { !skipped.contains($0) },
                   gapSuffix: "-skipping-" + skipped.sorted().map(String.init).joined(separator: "-"))
        }
    }

    private init(url: String, database: String, points: [WrittenPoint], asOfs: [Int64], runTexts: [String] = []) {
        self.url = url
        self.database = database
        self.points = points
        self.asOfs = asOfs
        self.runTexts = runTexts
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

    // MARK: Shared instances

    private static let shared = Shared()

    /// The demo scenario (``Recipe/demo``).
    static func demo() async throws -> ScenarioInflux { try await shared.get(.demo) }

    static func scenario(_ recipe: Recipe) async throws -> ScenarioInflux { try await shared.get(recipe) }

    /// A new database named `name` on the shared server, holding exactly `lines` (line protocol, ms
    /// timestamps): for rule tests on hand-written points. `asOfs` are the times the tests evaluate at.
    static func scratch(_ name: String, lines: [String], asOfs: [Int64]) async throws -> ScenarioInflux {
        let url = try await shared.serverURL()
        let database = "mw_scratch_\(name)_\(UUID().uuidString.prefix(8))"
        try checkedCurl(["-XPOST", "\(url)/query", "--data-urlencode", "q=CREATE DATABASE \"\(database)\""])
        let text = lines.joined(separator: "\n") + "\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(database).lp")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try checkedCurl(["-XPOST", "\(url)/write?db=\(database)&precision=ms", "--data-binary", "@\(file.path)"], expect: "204")
        return ScenarioInflux(url: url, database: database, points: LineProtocolOracle.parse(text), asOfs: asOfs)
    }

    private actor Shared {
        private var server: Result<String, any Error>?
        private var scenarios: [String: Task<ScenarioInflux, any Error>] = [:]

        func serverURL() throws -> String {
            if server == nil {
                server = Result {
                    guard let influxd = ScenarioInflux.influxdBinary() else {
                        throw SetupError.missing("influxd (apt-get install influxdb)")
                    }
                    let directory = FileManager.default.temporaryDirectory
                        .appendingPathComponent("mw-grafana-influxd-\(UUID().uuidString)")
                    return try ScenarioInflux.startInflux(influxd, in: directory, cleanUp: directory)
                }
            }
            return try server!.get()
        }

        func get(_ recipe: Recipe) async throws -> ScenarioInflux {
            if let task = scenarios[recipe.name] { return try await task.value }
            let url = try serverURL()
            let task = Task.detached { try ScenarioInflux.make(recipe, url: url) }
            scenarios[recipe.name] = task
            return try await task.value
        }
    }

    // MARK: Setup

    private static func make(_ recipe: Recipe, url: String) throws -> ScenarioInflux {
        guard let modelwatch = modelwatchBinary() else {
            throw SetupError.missing("the modelwatch executable (build the package, or set MODELWATCH_BINARY)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mw-grafana-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var asOfs: [Int64] = []
        var files: [URL] = []
        for scenario in [recipe.scenario] + recipe.alsoScenarios {
        let data = directory.appendingPathComponent(scenario)
        let config = data.appendingPathComponent("modelwatch.yaml").path
        let modelName = recipe.alsoScenarios.isEmpty ? [] : ["--model-name", scenario]

        let generated = try run(modelwatch, ["generate", "--scenario", scenario, "--rate", String(recipe.rate),
                                             "--out", data.path] + modelName)
        // "reference: --from A --to B" names the reference period; the scenario starts at A.
        let reference = InfluxQLIdentifiers.captures(#"reference:\s+(--from \S+ --to \S+)"#, in: generated).first
        let period = (reference ?? "").split(separator: " ").map(String.init)
        guard period.count == 4, let start = ISO8601DateFormatter().date(from: period[1]) else {
            throw SetupError.failed("modelwatch generate (no reference period in its output)", generated)
        }
        try run(modelwatch, ["profile", "--config", config] + period)
        let startMs = Int64(start.timeIntervalSince1970 * 1000)
        for day in recipe.runDays {
            let asOf = startMs + Int64(day) * dayMs
            let file = directory.appendingPathComponent("\(scenario)-day-\(day).lp")
            // The run lock goes to a state directory inside the scratch directory, not the real one.
            try run(modelwatch, ["run", "--config", config, "--as-of", rfc3339(asOf), "--output", "file:\(file.path)"],
                    environment: ["MODELWATCH_STATE_DIR": directory.appendingPathComponent("state").path])
            let written = try String(contentsOf: file, encoding: .utf8)
            try onSchedule(written, finishedMs: asOf + runDelayMs).write(to: file, atomically: true, encoding: .utf8)
            if !asOfs.contains(asOf) { asOfs.append(asOf) }
            files.append(file)
        }
        }

        let database = "mw_" + recipe.name.replacingOccurrences(of: "-", with: "_")
        try checkedCurl(["-XPOST", "\(url)/query", "--data-urlencode", "q=CREATE DATABASE \"\(database)\""])
        var points: [WrittenPoint] = []
        var runTexts: [String] = []
        for file in files {
            try checkedCurl(["-XPOST", "\(url)/write?db=\(database)&precision=ms", "--data-binary", "@\(file.path)"],
                            expect: "204")
            let text = try String(contentsOf: file, encoding: .utf8)
            points += LineProtocolOracle.parse(text)
            runTexts.append(text)
        }
        return ScenarioInflux(url: url, database: database, points: points, asOfs: asOfs, runTexts: runTexts)
    }

    /// How long after its as-of time each replayed run is taken to have finished.
    static let runDelayMs: Int64 = 5 * 60_000

    /// The replay runs a month of schedule within minutes, so the wall-clock parts of the output (the heartbeat's
    /// `finished_at_seconds`, and the deadline stamped 1.5 expected intervals after it) are moved to `finishedMs`,
    /// as if the run had finished then; every other byte stays as modelwatch wrote it.
    static func onSchedule(_ text: String, finishedMs: Int64) -> String {
        let finished = try! NSRegularExpression(pattern: #"finished_at_seconds=([0-9]+)i"#)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let line = String(line)
            let isRun = line.hasPrefix("modelwatch_run,"), isDeadline = line.hasPrefix("modelwatch_deadline,kind=deadline,")
            guard isRun || isDeadline,
                  let match = finished.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let valueRange = Range(match.range(at: 1), in: line), let seconds = Int64(line[valueRange]) else { return line }
            var moved = line.replacingCharacters(in: valueRange, with: String(finishedMs / 1000))
            if isDeadline, let space = moved.lastIndex(of: " "), let stamp = Int64(moved[moved.index(after: space)...]) {
                moved = String(moved[...space]) + String(stamp + finishedMs - seconds * 1000)
            }
            return moved
        }.joined(separator: "\n")
    }

    static func rfc3339(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let (status, text) = try ProcessOutput.run(executable, arguments, environment: environment)
        guard status == 0 else {
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
    fileprivate static func startInflux(_ influxd: String, in directory: URL, cleanUp: URL) throws -> String {
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
        #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
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
