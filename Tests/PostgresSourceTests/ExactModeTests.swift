import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import PostgresSource
import SyntheticData
import Testing
import TestSupport

/// Exact mode reads the same rows as the file source and must write the same points.
@Suite("PostgreSQL source, exact mode", .serialized, .enabled(if: Postgres.enabled, "PostgreSQL missing and MODELWATCH_ALLOW_SKIP=1"))
struct ExactModeTests {
    static let asOf = "2026-11-15T00:00:00Z"

    /// The demo scenario as files, with its reference profile, loaded into `scores` and `labels` tables.
    static func loadScenario(into server: PostgresServer) throws -> (directory: URL, config: String, yaml: String) {
        let directory = try temporaryDirectory("pg-scenario")
        let written = try ScenarioFiles.write(ScenarioConfig.named("demo")!, to: directory.path, modelName: "demo-model", gzip: false)
        let configuration = try ConfigLoader.load(path: written.configPath, environment: [:])
        let built = try ProfileBuilder.build(
            model: configuration.models[0], range: written.referenceRange, inputPath: nil, options: configuration.run)
        try ProfileBuilder.write(built, to: configuration.models[0].referenceProfile!)
        let numeric = configuration.models[0].numericFeatures.map { "\($0) double precision" }
        let categorical = configuration.models[0].categoricalFeatures.map { "\($0) text" }
        try server.psql("""
            CREATE TABLE scores (prediction_id text, prediction_time timestamptz, model_version text, score double precision, region text, \
            \((numeric + categorical).joined(separator: ", ")));
            CREATE TABLE labels (prediction_id text, label boolean, label_time timestamptz);
            COPY scores FROM '\(directory.path)/scores.csv' WITH (FORMAT csv, HEADER true);
            COPY labels FROM '\(directory.path)/labels.csv' WITH (FORMAT csv, HEADER true);
            CREATE INDEX ON scores (prediction_time);
            CREATE INDEX ON scores (prediction_id);
            CREATE INDEX ON labels (label_time);
            ANALYZE scores; ANALYZE labels;
            """, database: "modelwatch")
        return (directory, written.configPath, try String(contentsOfFile: written.configPath, encoding: .utf8))
    }

    @Test("a table source writes exactly the points of the file source on the same data")
    func tableEqualsFiles() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let (directory, configPath, yaml) = try Self.loadScenario(into: server)
        defer { try? FileManager.default.removeItem(at: directory) }

        let (fileReport, fileLines) = try Job.run(
            configPath: configPath, environment: [:], asOf: Self.asOf, output: directory.appendingPathComponent("files.lp"))
        #expect(fileReport.exitStatus == .ok, "\(fileReport.models.map { $0.message ?? "" })")

        let postgresYAML = yaml
            .replacingOccurrences(of: "path: scores.csv", with: "postgres: \(Postgres.block(server, "table: scores"))")
            .replacingOccurrences(of: "path: labels.csv", with: "postgres: \(Postgres.block(server, "table: public.labels"))")
        let (report, lines) = try Job.run(
            configPath: configPath, yaml: postgresYAML, environment: Postgres.environment(server), asOf: Self.asOf,
            output: directory.appendingPathComponent("postgres.lp"))
        #expect(report.exitStatus == .ok, "\(report.models.map { $0.message ?? "" })")

        let expected = Job.metricLines(fileLines)
        let actual = Job.metricLines(lines)
        #expect(expected.count > 1000)
        #expect(actual.count == expected.count)
        for (index, (want, got)) in zip(expected, actual).enumerated() where want != got {
            Issue.record("line \(index) differs:\n  files:    \(want.prefix(400))\n  postgres: \(got.prefix(400))")
            break
        }
        let fileModel = try #require(fileReport.models.first)
        let model = try #require(report.models.first)
        #expect(model.counters.labelsMatched == fileModel.counters.labelsMatched)
        #expect(model.counters.orphanLabels == fileModel.counters.orphanLabels)
        #expect(model.counters.lateLabels == fileModel.counters.lateLabels)
        #expect(model.counters.rowsRejected == fileModel.counters.rowsRejected)
        // Only the bounded range is read from the table, while the files are read whole.
        #expect(model.counters.scoreRowsInRange == fileModel.counters.scoreRowsInRange)
        #expect(model.counters.scoreRowsRead < fileModel.counters.scoreRowsRead)
    }

    @Test("a query source with $1/$2 writes the same metrics; only orphan_labels counts labels of older predictions")
    func queryEqualsFiles() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let (directory, configPath, yaml) = try Self.loadScenario(into: server)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, fileLines) = try Job.run(
            configPath: configPath, environment: [:], asOf: Self.asOf, output: directory.appendingPathComponent("files.lp"))
        let scoresQuery = #"query: "SELECT * FROM scores WHERE prediction_time >= $1 AND prediction_time < $2""#
        let labelsQuery = #"query: "SELECT prediction_id, label::int AS label, label_time FROM labels WHERE label_time >= $1 AND label_time < $2;""#
        let postgresYAML = yaml
            .replacingOccurrences(of: "path: scores.csv", with: "postgres: \(Postgres.block(server, scoresQuery))")
            .replacingOccurrences(of: "path: labels.csv", with: "postgres: \(Postgres.block(server, labelsQuery))")
        let (report, lines) = try Job.run(
            configPath: configPath, yaml: postgresYAML, environment: Postgres.environment(server), asOf: Self.asOf,
            output: directory.appendingPathComponent("postgres.lp"))
        #expect(report.exitStatus == .ok, "\(report.models.map { $0.message ?? "" })")
        let expected = Job.metricLines(fileLines).filter { !$0.hasPrefix("modelwatch_join,") }
        let actual = Job.metricLines(lines).filter { !$0.hasPrefix("modelwatch_join,") }
        #expect(actual == expected)
        let join = try #require(lines.first { $0.hasPrefix("modelwatch_join,") })
        let fileJoin = try #require(fileLines.first { $0.hasPrefix("modelwatch_join,") })
        func withoutOrphans(_ line: String) -> String { line.replacing(/orphan_labels=\d+i,/, with: "") }
        #expect(withoutOrphans(join) == withoutOrphans(fileJoin))
    }

    @Test("push-down on the demo scenario writes a subset of exact mode's series and fields with equal values, and every input-window series; AUC within 1e-3, AP within 5e-3 from 200 positives",
          arguments: [10, 3])
    func pushdownMatchesExact(segmentCap: Int) throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let (directory, configPath, yaml) = try Self.loadScenario(into: server)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The demo has 5 regions: a cap of 10 keeps them all, a cap of 3 keeps 2 and merges 3 into `(other)`.
        func run(_ mode: String) throws -> [ParsedLine] {
            let postgresYAML = yaml
                .replacingOccurrences(of: "segment_cap: 10", with: "segment_cap: \(segmentCap)")
                .replacingOccurrences(of: "path: scores.csv", with: "postgres: \(Postgres.block(server, "table: scores", extra: "mode: \(mode)"))")
                .replacingOccurrences(of: "path: labels.csv", with: "postgres: \(Postgres.block(server, "table: labels"))")
            let (report, lines) = try Job.run(
                configPath: configPath, yaml: postgresYAML, environment: Postgres.environment(server), asOf: Self.asOf,
                output: directory.appendingPathComponent("\(mode).lp"))
            #expect(report.exitStatus == .ok, "\(mode): \(report.models.map { $0.message ?? "" })")
            #expect(SchemaConformance.violations(lines.compactMap(LineProtocolLine.init)) == [], "\(mode)")
            return Job.metricLines(lines).map(ParsedLine.init)
        }
        let exact = Dictionary(try run("exact").map { ($0.series, $0) }, uniquingKeysWith: { $1 })
        let pushdown = try run("pushdown")
        var measurements = Set<String>()
        var largest = (auc: 0.0, ap: 0.0, apSmall: 0.0)
        for point in pushdown {
            measurements.insert(point.measurement)
            guard let reference = exact[point.series] else {
                Issue.record("push-down wrote a series exact mode did not: \(point.series)")
                continue
            }
            for (key, value) in point.fields {
                guard let expected = reference.fields[key] else {
                    Issue.record("\(point.series): field \(key) is not in exact mode's point")
                    continue
                }
                if key == "auc" || key == "average_precision" {
                    let difference = abs(Double(value)! - Double(expected)!)
                    // AUC: within its worst-case bound (≤ 1e-3 here). AP's bound (PushdownCorrectnessTests) is not
                    // in the points; the demo's scores have 4 decimals, so each bin holds 10 distinct scores taken as ties: in a slice with
                    // few positives one reordered positive moves AP by ~1/n_pos, so AP is checked from 200 positives.
                    let positives = Int(reference.fields["n_pos"]!.dropLast())!
                    if key == "auc" {
                        #expect(difference < 1e-3, "\(point.series) auc: binned \(value) exact \(expected)")
                        largest.auc = max(largest.auc, difference)
                    } else if positives >= 200 {
                        #expect(difference < 5e-3, "\(point.series) average_precision: binned \(value) exact \(expected) (n_pos \(positives))")
                        largest.ap = max(largest.ap, difference)
                    } else {
                        largest.apSmall = max(largest.apSmall, difference)
                    }
                } else if let a = Double(value), let b = Double(expected) {
                    #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(point.series) \(key): push-down \(value) exact \(expected)")
                } else {
                    #expect(value == expected, "\(point.series) \(key): push-down \(value) exact \(expected)")
                }
            }
        }
        #expect(measurements == [
            "modelwatch_performance", "modelwatch_threshold", "modelwatch_calibration_bin", "modelwatch_join",
            "modelwatch_output", "modelwatch_output_threshold", "modelwatch_feature", "modelwatch_feature_category",
        ])
        // The input window's measurements cover exact mode's series: every version, the all-rows slice and each
        // (capped) segment value.
        let inputMeasurements: Set = ["modelwatch_output", "modelwatch_output_threshold", "modelwatch_feature", "modelwatch_feature_category"]
        let exactInput = Set(exact.values.filter { inputMeasurements.contains($0.measurement) }.map(\.series))
        let pushdownInput = Set(pushdown.filter { inputMeasurements.contains($0.measurement) }.map(\.series))
        #expect(pushdownInput == exactInput, "exact only: \(exactInput.subtracting(pushdownInput).sorted().prefix(5))")
        let folded = pushdownInput.filter { $0.contains("segment_value=(other)") }
        #expect(folded.isEmpty == (segmentCap == 10), "\(folded.count) input series in (other)")
        #expect(pushdownInput.contains { $0.hasPrefix("modelwatch_feature,") && $0.contains("segment=region") })
        print("demo scenario push-down vs exact (segment_cap \(segmentCap)): largest |Δ| AUC \(largest.auc), AP \(largest.ap) (slices with ≥ 200 positives), \(largest.apSmall) (fewer) over \(pushdown.count) points")
    }
}
