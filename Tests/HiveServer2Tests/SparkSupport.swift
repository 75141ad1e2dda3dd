import Foundation
import HTTPTransport
import HiveServer2
import InfluxDelivery
import Logging
import ModelwatchConfiguration
import ModelwatchJob
import SyntheticData
import TestSupport

/// The real Spark of these tests: one ``SparkServer`` per test process, the demo scenario written into Parquet
/// tables through Spark itself once, and the job run in-process against it.
enum Spark {
    /// Spark tests run whenever pyspark and Java are installed; without them they fail, unless
    /// `MODELWATCH_ALLOW_SKIP=1`, which skips them.
    static let enabled = SparkServer.isInstalled || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1"

    /// A session on `server` (Spark's default authentication, NONE, takes any Basic user).
    static func session(_ server: SparkServer) throws -> HiveServer2Session {
        try HiveServer2Session(
            endpoint: HiveServer2Endpoint(url: "\(server.baseURL)/\(server.httpPath)", credentials: .basic(user: "loader", password: "not-checked")),
            transport: CurlTransport())
    }

    /// The demo scenario: its files (with the reference profile) and the same rows as Parquet tables `scores` and
    /// `labels`, written by Spark from the CSV files (an explicit schema, CSV quoting with `""`).
    struct Scenario: @unchecked Sendable {
        let server: SparkServer
        let directory: URL
        let configPath: String
        let yaml: String
        let numericFeatures: [String]
        let categoricalFeatures: [String]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: Result<Scenario, any Error>?

    static func scenario() throws -> Scenario {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return try loaded.get() }
        let result = Result { try loadScenario() }
        loaded = result
        return try result.get()
    }

    private static func loadScenario() throws -> Scenario {
        let server = try SparkServer.shared()
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("modelwatch-spark-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let written = try ScenarioFiles.write(ScenarioConfig.named("demo")!, to: directory.path, modelName: "demo-model", gzip: false)
        let configuration = try ConfigLoader.load(path: written.configPath, environment: [:])
        let model = configuration.models[0]
        let built = try ProfileBuilder.build(model: model, range: written.referenceRange, inputPath: nil, options: configuration.run)
        try ProfileBuilder.write(built, to: model.referenceProfile!)
        let numeric = model.numericFeatures.map { "\($0) DOUBLE" }
        let categorical = model.categoricalFeatures.map { "\($0) STRING" }
        let session = try session(server)
        defer { session.close() }
        let csv = "header 'true', escape '\"', mode 'FAILFAST', timestampFormat \"yyyy-MM-dd'T'HH:mm:ss.SSSXXX\""
        for statement in [
            """
            CREATE TEMPORARY VIEW scores_csv (prediction_id STRING, prediction_time TIMESTAMP, model_version STRING, score DOUBLE, region STRING, \
            \((numeric + categorical).joined(separator: ", "))) USING csv OPTIONS (path '\(directory.path)/scores.csv', \(csv))
            """,
            "CREATE TEMPORARY VIEW labels_csv (prediction_id STRING, label INT, label_time TIMESTAMP) USING csv OPTIONS (path '\(directory.path)/labels.csv', \(csv))",
            "CREATE TABLE scores USING parquet AS SELECT * FROM scores_csv",
            "CREATE TABLE labels USING parquet AS SELECT * FROM labels_csv",
            // A table whose score column is text with a value Spark cannot cast: a query error at run time.
            "CREATE VIEW text_scores AS SELECT prediction_id, prediction_time, CASE WHEN prediction_id LIKE '%7' THEN 'oops' ELSE CAST(score AS STRING) END AS score FROM scores",
        ] {
            _ = try session.query(statement)
        }
        return Scenario(
            server: server, directory: directory, configPath: written.configPath,
            yaml: try String(contentsOfFile: written.configPath, encoding: .utf8),
            numericFeatures: model.numericFeatures, categoricalFeatures: model.categoricalFeatures)
    }

    /// The `spark:` block of a source, as a YAML flow mapping.
    static func block(url: String, table: String, extra: String = "") -> String {
        "{url: \(url), user: modelwatch, table: \"\(table)\"\(extra.isEmpty ? "" : ", " + extra)}"
    }

    /// The scenario's config reading both sources from Spark at `url`.
    static func sparkYAML(_ scenario: Scenario, url: String, scores: String = "scores", labels: String = "labels", scoreColumn: String = "score") -> String {
        scenario.yaml
            .replacingOccurrences(of: "path: scores.csv", with: "spark: \(block(url: url, table: scores))")
            .replacingOccurrences(of: "path: labels.csv", with: "spark: \(block(url: url, table: labels))")
            .replacingOccurrences(of: "score: score,", with: "score: \(scoreColumn),")
    }
}

/// Runs the job in-process and returns the report and the line protocol it wrote.
enum SparkJob {
    /// Spark's default authentication (NONE) accepts any non-empty password.
    static let environment = ["MODELWATCH_SPARK_PASSWORD": "not-checked"]

    static func run(configPath: String, yaml: String, environment: [String: String] = SparkJob.environment, asOf: String, output: URL) throws -> (RunReport, [String]) {
        let configuration = try ConfigLoader.parse(yaml: yaml, file: configPath, environment: environment)
        let runner = JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { ContinuousClock.now }, transport: CurlTransport(),
            delivery: .system, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
        let report = runner.run(RunRequest(configuration: configuration, asOfMs: TimeText.parseRFC3339(asOf)!, output: .file(output.path)))
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return (report, text.split(separator: "\n").map(String.init))
    }

    /// Lines without the heartbeat (whose duration and row counts differ between sources by design).
    static func metricLines(_ lines: [String]) -> [String] {
        lines.filter { !$0.hasPrefix("modelwatch_run,") && !$0.hasPrefix("modelwatch_deadline,") }
    }
}

/// A line-protocol line split into measurement, tags, fields and timestamp (as PostgresSourceTests' ParsedLine).
struct MetricLine {
    let measurement: String
    let fields: [String: String]
    /// Measurement, tags and timestamp: what identifies a point.
    let series: String

    init(_ line: String) {
        var parts: [String] = [""]
        var inString = false, escaped = false
        for character in line {
            if escaped { parts[parts.count - 1].append(character); escaped = false; continue }
            if character == "\\" { parts[parts.count - 1].append(character); escaped = true; continue }
            if character == "\"" { inString.toggle() }
            if character == " " && !inString { parts.append(""); continue }
            parts[parts.count - 1].append(character)
        }
        let key = parts[0]
        measurement = String(key[..<(key.firstIndex(of: ",") ?? key.endIndex)])
        series = "\(key) \(parts.count > 2 ? parts[2] : "")"
        var fields: [String: String] = [:]
        var current = ""
        inString = false
        for character in (parts.count > 1 ? parts[1] : "") + "," {
            if character == "\"" { inString.toggle() }
            if character == "," && !inString {
                if let equals = current.firstIndex(of: "=") { fields[String(current[..<equals])] = String(current[current.index(after: equals)...]) }
                current = ""
                continue
            }
            current.append(character)
        }
        self.fields = fields
    }
}
