import Foundation
import HTTPTransport
import InfluxDelivery
import LineProtocol
import Logging
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics
import ModelwatchJob
import Testing
import TestSupport

/// The whole pipeline — files → join → metrics → line protocol → libcurl → a real InfluxDB 1.x — read back
/// with InfluxQL and compared with what the run reported.
@Suite("End to end against a real InfluxDB", .serialized)
struct EndToEndTests {
    static let regions = ["us east", "apac,north", "a=b", #"c:\data"#, "São Paulo", "東京"]
    static let modelName = "fraud model, v=2"
    static let asOf = "2026-11-20T00:00:00Z"

    /// Writes a small deterministic scenario: 3 days of hourly predictions, labels 1–30 hours later.
    static func writeScenario(in directory: URL) throws {
        var scores = "prediction_id,prediction_time,model_version,score,region,amount,channel\n"
        var labels = "prediction_id,label,label_time\n"
        let start = TimeText.parseRFC3339("2026-11-17T00:00:00Z")!
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53
        }
        for index in 0..<3 * 24 * 40 {
            let time = start + Int64(index) * 90_000
            let latent = next()
            let label = next() < 0.15 + 0.7 * latent ? 1 : 0
            let score = (0.3 * latent + 0.7 * next() * latent).rounded(toPlaces: 3)
            let region = regions[index % regions.count]
            let quoted = region.contains(",") ? "\"\(region)\"" : region
            let amount = index % 17 == 0 ? "" : String(format: "%.2f", 10 + 90 * next())
            scores += "id\(index),\(TimeText.format(time)),v2,\(score),\(quoted),\(amount),\(["web", "ios", "android"][index % 3])\n"
            if index % 10 != 0 {
                let delay = Int64(1 + index % 30) * 3_600_000
                labels += "id\(index),\(label),\(TimeText.format(time + delay))\n"
            }
        }
        try scores.write(to: directory.appendingPathComponent("scores.csv"), atomically: true, encoding: .utf8)
        try labels.write(to: directory.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
        let config = """
            delivery:
              retry_budget: 5s
            models:
              - name: "\(modelName)"
                window: 1d
                maturity: 1d
                thresholds: [0.2, 0.5]
                top_k_percent: [5]
                minimum_samples: {n: 50, positives: 5, negatives: 5}
                segments: [region]
                scores:
                  path: scores.csv
                  columns: {id: prediction_id, time: prediction_time, score: score, version: model_version}
                labels:
                  path: labels.csv
                  columns: {id: prediction_id, label: label, time: label_time}
                features:
                  numeric: [amount]
                  categorical: [channel]
            """
        try config.write(to: directory.appendingPathComponent("modelwatch.yaml"), atomically: true, encoding: .utf8)
    }

    static func runner() -> JobRunner {
        JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { ContinuousClock.now }, transport: CurlTransport(),
            delivery: .system, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
    }

    @Test("points in InfluxDB equal what the run reported, hostile tag values included, and a re-run overwrites instead of duplicating")
    func pipelineWritesWhatItReports() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("modelwatch")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeScenario(in: directory)
        let configuration = try ConfigLoader.load(
            path: directory.appendingPathComponent("modelwatch.yaml").path,
            environment: ["INFLUX_URL": server.url, "INFLUX_DATABASE": "modelwatch",
                          "MODELWATCH_STATE_DIR": directory.appendingPathComponent("state").path])
        let asOf = TimeText.parseRFC3339(Self.asOf)!

        let report = Self.runner().run(RunRequest(configuration: configuration, asOfMs: asOf, output: .influx))
        #expect(report.exitStatus == .ok, "\(SummaryRenderer.render(report))")
        let model = try #require(report.models.first)
        #expect(model.delivery?.pointsDelivered == model.pointsEncoded + 3, "metric points plus the heartbeat, its deadline and the floor row")

        // Every point arrived: one row per point across all modelwatch measurements.
        func storedPoints() throws -> Int {
            try Schema.all.reduce(0) { total, measurement in
                total + (try server.query("SELECT * FROM \"\(measurement.name)\"", database: "modelwatch").rows.count)
            }
        }
        #expect(try storedPoints() == model.pointsEncoded + 3)

        // The final window's all-rows performance equals the summary's.
        let final = try #require(model.finalPerformance.first)
        let finalEnd = model.plan!.performanceWindows[0].range.endMs
        let rows = try server.query("""
            SELECT "n", "n_pos", "auc", "auc_ci_lower", "average_precision", "sufficient", "provisional" FROM "modelwatch_performance" \
            WHERE "segment" = 'all' AND time = \(finalEnd)ms
            """, database: "modelwatch").rows
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["n"]?.double == Double(final.result.n))
        #expect(row["n_pos"]?.double == Double(final.result.nPositive))
        #expect(row["auc"]?.double == final.result.auc)
        #expect(row["auc_ci_lower"]?.double == final.result.aucConfidenceLower)
        #expect(row["average_precision"]?.double == final.result.averagePrecision)
        #expect(row["sufficient"]?.bool == final.sufficient)
        #expect(row["provisional"]?.bool == false)

        // Hostile names survive: model tag and every segment value.
        let models = try server.query(#"SHOW TAG VALUES FROM "modelwatch_performance" WITH KEY = "model""#, database: "modelwatch")
        #expect(models.rows.compactMap { $0["value"]?.string } == [Self.modelName])
        let segments = try server.query(#"SHOW TAG VALUES FROM "modelwatch_performance" WITH KEY = "segment_value""#, database: "modelwatch")
        // `c:\data` is stored as `c:%5Cdata` (a backslash is escaped: docs/schema.md, Tag values) and reads back as itself.
        #expect(Set(segments.rows.compactMap { $0["value"]?.string }.map(TagValueEscaping.unescaped)) == Set(Self.regions + ["all"]))

        // The heartbeat says ok.
        let heartbeat = try server.query(#"SELECT "status", "success", "points_written" FROM "modelwatch_run""#, database: "modelwatch").rows
        #expect(heartbeat.count == 1)
        #expect(heartbeat.first?["status"]?.string == "ok")

        // Idempotent: the same as-of again writes the same series and timestamps.
        let again = Self.runner().run(RunRequest(configuration: configuration, asOfMs: asOf + 3_600_000, output: .influx))
        #expect(again.exitStatus == .ok)
        #expect(try storedPoints() == model.pointsEncoded + 3)

        // The file output holds exactly the lines that were sent.
        let file = directory.appendingPathComponent("points.lp").path
        let fileRun = Self.runner().run(RunRequest(configuration: configuration, asOfMs: asOf, output: .file(file)))
        #expect(fileRun.exitStatus == .ok)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == model.pointsEncoded + 3)
    }
}

private extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10.0, Double(places))
        return (self * scale).rounded() / scale
    }
}
