import Foundation
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// The Spark push-down against a real Spark Thrift server (pyspark 4.3, HTTP transport, loopback) on the demo
/// scenario written to Parquet by Spark, compared with the file source on the same rows; then the failures.
@Suite("Spark push-down over HiveServer2 against a real Spark", .serialized, .enabled(if: Spark.enabled, "pyspark/java missing and MODELWATCH_ALLOW_SKIP=1"))
struct SparkPushdownTests {
    static let asOf = "2026-11-15T00:00:00Z"

    @Test("the demo scenario from Parquet through Spark writes a subset of the file source's series with equal counts and sums, AUC and AP equal to the file source's within 1e-12 (4-decimal scores: grouped by the exact score), and every input-window series")
    func pushdownMatchesFiles() throws {
        let scenario = try Spark.scenario()
        let output = scenario.directory
        // Every kind of statistic, on a few features: Spark runs one query for the numeric features and one per
        // categorical feature, a few seconds each on two busy cores, and the suite should not add minutes to
        // `make test`.
        func fewerFeatures(_ yaml: String) -> String {
            yaml.replacingOccurrences(of: "numeric: [\(scenario.numericFeatures.joined(separator: ", "))]", with: "numeric: [\(scenario.numericFeatures.prefix(3).joined(separator: ", "))]")
                .replacingOccurrences(of: "categorical: [\(scenario.categoricalFeatures.joined(separator: ", "))]", with: "categorical: [\(scenario.categoricalFeatures.prefix(2).joined(separator: ", "))]")
        }
        let fileYAML = fewerFeatures(scenario.yaml)
        #expect(fileYAML != scenario.yaml)
        let (fileReport, fileLines) = try SparkJob.run(configPath: scenario.configPath, yaml: fileYAML, asOf: Self.asOf, output: output.appendingPathComponent("files.lp"))
        #expect(fileReport.exitStatus == .ok)
        let started = ContinuousClock.now
        let (report, lines) = try SparkJob.run(
            configPath: scenario.configPath, yaml: fewerFeatures(Spark.sparkYAML(scenario, url: scenario.server.baseURL)), asOf: Self.asOf,
            output: output.appendingPathComponent("spark.lp"))
        let sparkSeconds = ContinuousClock.now - started
        #expect(report.exitStatus == .ok, "\(report.models.map { $0.message ?? "" })")
        #expect(SchemaConformance.violations(lines.compactMap(LineProtocolLine.init)) == [])
        let exact = Dictionary(SparkJob.metricLines(fileLines).map(MetricLine.init).map { ($0.series, $0) }, uniquingKeysWith: { $1 })
        let pushdown = SparkJob.metricLines(lines).map(MetricLine.init)
        var measurements = Set<String>()
        var largest = (auc: 0.0, ap: 0.0)
        for point in pushdown {
            measurements.insert(point.measurement)
            guard let reference = exact[point.series] else {
                Issue.record("Spark push-down wrote a series the file source did not: \(point.series)")
                continue
            }
            for (key, value) in point.fields {
                guard let expected = reference.fields[key] else {
                    Issue.record("\(point.series): field \(key) is not in the file source's point")
                    continue
                }
                if key == "auc" || key == "average_precision" {
                    // The demo's scores have 4 decimals (at most 10,001 distinct values, below the exact-score
                    // limit), so every window is grouped by the exact score, not the 1000 bins (where a bin holds
                    // 10 distinct scores taken as ties): AUC and AP are exact mode's, in every slice.
                    let difference = abs(Double(value)! - Double(expected)!)
                    #expect(difference <= 1e-12, "\(point.series) \(key): Spark \(value) files \(expected)")
                    if key == "auc" { largest.auc = max(largest.auc, difference) } else { largest.ap = max(largest.ap, difference) }
                } else if let a = Double(value.hasSuffix("i") ? String(value.dropLast()) : value),
                          let b = Double(expected.hasSuffix("i") ? String(expected.dropLast()) : expected) {
                    // Counts exactly (integers), sums and moments to rounding (Spark adds in another order).
                    if value.hasSuffix("i") { #expect(value == expected, "\(point.series) \(key): Spark \(value) files \(expected)") }
                    #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(point.series) \(key): Spark \(value) files \(expected)")
                } else {
                    #expect(value == expected, "\(point.series) \(key): Spark \(value) files \(expected)")
                }
            }
        }
        #expect(measurements == [
            "modelwatch_performance", "modelwatch_threshold", "modelwatch_calibration_bin", "modelwatch_join",
            "modelwatch_output", "modelwatch_output_threshold", "modelwatch_feature", "modelwatch_feature_category",
        ])
        let inputMeasurements: Set = ["modelwatch_output", "modelwatch_output_threshold", "modelwatch_feature", "modelwatch_feature_category"]
        let exactInput = Set(exact.values.filter { inputMeasurements.contains($0.measurement) }.map(\.series))
        let pushdownInput = Set(pushdown.filter { inputMeasurements.contains($0.measurement) }.map(\.series))
        #expect(pushdownInput == exactInput, "files only: \(exactInput.subtracting(pushdownInput).sorted().prefix(5))")
        let performance = pushdown.filter { $0.measurement == "modelwatch_performance" }.count
        #expect(performance > 0)
        print("Spark push-down vs files on the demo scenario: largest |Δ| AUC \(largest.auc), AP \(largest.ap) over \(pushdown.count) points; the Spark run took \(sparkSeconds)")
    }

    /// Runs a config against Spark and returns the model's status, message and metric lines.
    func run(_ yaml: String, environment: [String: String] = SparkJob.environment) throws -> (ModelwatchSources.ExitStatus, String, [String]) {
        let scenario = try Spark.scenario()
        let (report, lines) = try SparkJob.run(
            configPath: scenario.configPath, yaml: yaml, environment: environment, asOf: Self.asOf,
            output: scenario.directory.appendingPathComponent("failure-\(UUID().uuidString).lp"))
        return (report.exitStatus, report.models.first?.message ?? "", SparkJob.metricLines(lines))
    }

    @Test("an endpoint where nothing listens exits 75 and names the source")
    func unreachable() throws {
        let scenario = try Spark.scenario()
        let port = try FreePort.find()
        let (status, message, lines) = try run(Spark.sparkYAML(scenario, url: "http://127.0.0.1:\(port)"))
        #expect(status == .temporaryFailure)
        #expect(message.contains("models[demo-model].scores.spark") && message.contains("cannot reach Spark"), "\(message)")
        #expect(lines.isEmpty)
    }

    @Test("refused credentials exit 78 and never show the token (a proxy answers 401: Spark's NONE authentication accepts any user)")
    func refusedCredentials() throws {
        let scenario = try Spark.scenario()
        let proxy = try FaultProxy(upstreamPort: scenario.server.port)
        defer { proxy.stop() }
        proxy.defaultAction = .respond(status: 401, body: "Unauthorized")
        let token = "dapi-\(UUID().uuidString)"
        let yaml = Spark.sparkYAML(scenario, url: proxy.url).replacingOccurrences(of: "user: modelwatch, ", with: "")
        let (status, message, lines) = try run(yaml, environment: ["MODELWATCH_SPARK_TOKEN": token])
        #expect(status == .configError)
        #expect(message.contains("refused the credentials"), "\(message)")
        #expect(!message.contains(token))
        #expect(proxy.requests.first?.headers["authorization"] == "Bearer \(token)")
        #expect(lines.isEmpty)
    }

    @Test("a missing table or column exits 78 naming the key", arguments: [
        ("no_such_table", "labels", "score", "models[demo-model].scores.spark.table", "TABLE_OR_VIEW_NOT_FOUND"),
        ("scores", "labels", "scor", "models[demo-model].scores.columns.score", "did you mean"),
        ("parquet.`/nonexistent/modelwatch`", "labels", "score", "models[demo-model].scores.spark.table", "PATH_NOT_FOUND"),
    ])
    func missingTableOrColumn(scores: String, labels: String, scoreColumn: String, key: String, detail: String) throws {
        let scenario = try Spark.scenario()
        let (status, message, lines) = try run(Spark.sparkYAML(scenario, url: scenario.server.baseURL, scores: scores, labels: labels, scoreColumn: scoreColumn))
        #expect(status == .configError)
        #expect(message.hasPrefix(key) && message.contains(detail), "\(message)")
        #expect(lines.isEmpty)
    }

    @Test("a query that fails in Spark (a score Spark cannot cast) exits 78 with Spark's message, shortened to one line")
    func queryError() throws {
        let scenario = try Spark.scenario()
        let (status, message, _) = try run(Spark.sparkYAML(scenario, url: scenario.server.baseURL, scores: "text_scores")
            .replacingOccurrences(of: ", version: model_version", with: "")
            .replacingOccurrences(of: "segments: [region]", with: "segments: []")
            .replacingOccurrences(of: #"(?s)    features:.*"#, with: "", options: .regularExpression))
        #expect(status == .configError)
        #expect(message.contains("Spark SQL failed") && message.contains("CAST_INVALID_INPUT") && message.contains("oops"), "\(message)")
        #expect(!message.contains("\n\tat "))
    }

    @Test("a session dropped mid-query (the connection reset while the statement is polled) exits 75 and writes no metric point")
    func sessionDropped() throws {
        let scenario = try Spark.scenario()
        let proxy = try FaultProxy(upstreamPort: scenario.server.port)
        defer { proxy.stop() }
        // OpenSession and ExecuteStatement pass; the first poll of the statement's status is cut.
        proxy.enqueue(.passThrough, .passThrough)
        proxy.defaultAction = .reset
        let (status, message, lines) = try run(Spark.sparkYAML(scenario, url: proxy.url))
        #expect(status == .temporaryFailure)
        #expect(message.contains("session was lost") && message.contains("GetOperationStatus"), "\(message)")
        #expect(lines.isEmpty)
    }
}
