import Foundation
import ModelwatchJob
import ModelwatchSources
import PostgresSource
import Testing
import TestSupport

/// A table of one million predictions (and one million labels) generated in SQL: exact mode streams it,
/// push-down aggregates it in the database, and the two agree within the documented error.
@Suite("PostgreSQL source, one million rows", .serialized, .enabled(if: Postgres.enabled, "PostgreSQL missing and MODELWATCH_ALLOW_SKIP=1"))
struct MillionRowTests {
    static let asOf = "2026-11-20T00:00:00Z"
    static let rows = 1_000_000

    static func createTables(_ server: PostgresServer) throws {
        try server.psql("""
            SELECT setseed(0.42);
            CREATE TABLE base AS SELECT i, random() AS u, random() AS v, random() AS w FROM generate_series(0, \(rows - 1)) AS i;
            CREATE TABLE scores AS SELECT 'p' || i AS prediction_id,
                timestamptz '2026-11-18 00:00:00+00' + (i * 172800.0 / \(rows)) * interval '1 second' AS prediction_time,
                CASE WHEN i % 3 = 0 THEN 'v2' ELSE 'v1' END AS model_version,
                CASE WHEN i % 1000 = 7 THEN NULL ELSE 0.6 * u + 0.4 * v END AS score
              FROM base;
            CREATE TABLE labels AS SELECT 'p' || i AS prediction_id, (w < 0.05 + 0.5 * u) AS label,
                timestamptz '2026-11-18 00:00:00+00' + (i * 172800.0 / \(rows)) * interval '1 second' + w * interval '20 hours' AS label_time
              FROM base WHERE i % 10 <> 0;
            DROP TABLE base;
            CREATE INDEX ON scores (prediction_time);
            CREATE INDEX ON scores (prediction_id);
            CREATE INDEX ON labels (label_time);
            ANALYZE scores; ANALYZE labels;
            """, database: "modelwatch")
    }

    static func yaml(_ server: PostgresServer, mode: String) -> String {
        """
        models:
          - name: big
            window: 1d
            maturity: 1d
            thresholds: [0.3, 0.5, 0.7]
            minimum_samples: {n: 100, positives: 10, negatives: 10}
            scores:
              postgres: \(Postgres.block(server, "table: scores", extra: "mode: \(mode)"))
              columns: {id: prediction_id, time: prediction_time, score: score, version: model_version}
            labels:
              postgres: \(Postgres.block(server, "table: labels"))
              columns: {id: prediction_id, label: label, time: label_time}
        """
    }

    @Test("exact and push-down on 1M rows: counts, sums and thresholds agree exactly, binned AUC within its bound")
    func exactVersusPushdown() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        try Self.createTables(server)
        let directory = try temporaryDirectory("pg-1m")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("modelwatch.yaml").path

        let clock = ContinuousClock()
        var exact: (RunReport, [String])!
        let exactTime = try clock.measure {
            exact = try Job.run(configPath: config, yaml: Self.yaml(server, mode: "exact"), environment: Postgres.environment(server),
                                asOf: Self.asOf, output: directory.appendingPathComponent("exact.lp"))
        }
        var pushdown: (RunReport, [String])!
        let pushdownTime = try clock.measure {
            pushdown = try Job.run(configPath: config, yaml: Self.yaml(server, mode: "pushdown"), environment: Postgres.environment(server),
                                   asOf: Self.asOf, output: directory.appendingPathComponent("pushdown.lp"))
        }
        #expect(exact.0.exitStatus == .ok, "\(exact.0.models.map { $0.message ?? "" })")
        #expect(pushdown.0.exitStatus == .ok, "\(pushdown.0.models.map { $0.message ?? "" })")
        #expect(exact.0.models[0].counters.scoreRowsInRange == Self.rows)

        let exactPoints = Dictionary(Job.metricLines(exact.1).map(ParsedLine.init).map { ($0.series, $0) }, uniquingKeysWith: { $1 })
        let pushdownPoints = Job.metricLines(pushdown.1).map(ParsedLine.init)
        #expect(pushdownPoints.count > 20)
        var report: [String] = ["1M rows: exact \(exactTime), push-down \(pushdownTime)"]
        for point in pushdownPoints {
            guard let reference = exactPoints[point.series] else {
                Issue.record("push-down wrote a series exact mode did not: \(point.series)")
                continue
            }
            // Every push-down field is an exact-mode field of the same series.
            for key in point.fields.keys where reference.fields[key] == nil {
                Issue.record("\(point.series): field \(key) is not in exact mode's point")
            }
            for (key, value) in point.fields {
                guard let expected = reference.fields[key] else { continue }
                switch (point.measurement, key) {
                case ("modelwatch_performance", "auc"), ("modelwatch_performance", "average_precision"):
                    let difference = abs(Double(value)! - Double(expected)!)
                    #expect(difference < 1e-3, "\(point.series) \(key): binned \(value) exact \(expected)")
                    if point.tags.contains("version=v1"), key == "auc" { report.append("\(point.tags) auc exact \(expected) binned \(value) |Δ| \(difference)") }
                    if point.tags.contains("version=v1"), key == "average_precision" { report.append("\(point.tags) AP exact \(expected) binned \(value) |Δ| \(difference)") }
                case (_, _) where value.hasSuffix("i") || value.hasPrefix("\"") || value == "true" || value == "false":
                    #expect(value == expected, "\(point.series) \(key): push-down \(value) exact \(expected)")
                default:
                    let a = Double(value)!, b = Double(expected)!
                    #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(point.series) \(key): push-down \(value) exact \(expected)")
                }
            }
        }
        // The documented worst-case bound, recomputed independently for the final window of v1.
        let bins = try server.psql("""
            SELECT SUM(pos * neg) / (SUM(pos) * SUM(neg)) / 2 FROM (
              SELECT LEAST(GREATEST(CEIL(s.score * 1000) - 1, 0), 999) AS b,
                     SUM(CASE WHEN l.label THEN 1 ELSE 0 END)::float8 AS pos, SUM(CASE WHEN l.label THEN 0 ELSE 1 END)::float8 AS neg
              FROM scores s JOIN labels l USING (prediction_id)
              WHERE s.prediction_time >= '2026-11-18' AND s.prediction_time < '2026-11-19' AND s.model_version = 'v1'
                AND s.score IS NOT NULL GROUP BY 1) AS h
            """, database: "modelwatch")
        let bound = Double(bins.trimmingCharacters(in: .whitespacesAndNewlines))!
        let finalSeries = "modelwatch_performance,model=big,segment=all,segment_value=all,version=v1 1795046400000"
        let binnedAUC = Double(pushdownPoints.first { $0.series == finalSeries }!.fields["auc"]!)!
        let exactAUC = Double(exactPoints[finalSeries]!.fields["auc"]!)!
        #expect(abs(binnedAUC - exactAUC) <= bound)
        report.append("final window v1: exact AUC \(exactAUC), binned \(binnedAUC), |Δ| \(abs(binnedAUC - exactAUC)), bound \(bound)")
        print(report.joined(separator: "\n"))
    }
}

/// A line-protocol line split into measurement, tags, fields and timestamp (enough for modelwatch's output).
struct ParsedLine {
    let measurement: String
    let tags: String
    let fields: [String: String]
    let timestamp: String
    /// Measurement, tags and timestamp: what identifies a point.
    var series: String { "\(measurement),\(tags) \(timestamp)" }

    init(_ line: String) {
        // Split at unquoted, unescaped spaces: key, fields, timestamp.
        var parts: [String] = [""]
        var inString = false
        var escaped = false
        for character in line {
            if escaped { parts[parts.count - 1].append(character); escaped = false; continue }
            if character == "\\" { parts[parts.count - 1].append(character); escaped = true; continue }
            if character == "\"" { inString.toggle() }
            if character == " " && !inString { parts.append(""); continue }
            parts[parts.count - 1].append(character)
        }
        let key = parts[0]
        let comma = key.firstIndex(of: ",") ?? key.endIndex
        measurement = String(key[..<comma])
        tags = comma < key.endIndex ? String(key[key.index(after: comma)...]) : ""
        timestamp = parts.count > 2 ? parts[2] : ""
        var fields: [String: String] = [:]
        var current = ""
        inString = false
        for character in (parts.count > 1 ? parts[1] : "") + "," {
            if character == "\"" { inString.toggle() }
            if character == "," && !inString {
                if let equals = current.firstIndex(of: "=") {
                    fields[String(current[..<equals])] = String(current[current.index(after: equals)...])
                }
                current = ""
                continue
            }
            current.append(character)
        }
        self.fields = fields
    }
}
