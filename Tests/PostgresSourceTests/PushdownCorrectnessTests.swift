import Foundation
@testable import ModelwatchConfiguration
@testable import ModelwatchJob
@testable import ModelwatchSources
import PerformanceMetrics
import PostgresSource
import Testing
import TestSupport

/// Push-down against exact mode on data made to break it: scores on and one ulp beside every reliability edge,
/// feature values near 1e±300, a model without a reference profile, a text column listed as a numeric feature, a
/// numeric value beyond the double range, and AP on bins full of ties.
@Suite("PostgreSQL push-down against exact mode on adversarial data", .serialized, .enabled(if: Postgres.enabled, "PostgreSQL missing and MODELWATCH_ALLOW_SKIP=1"))
struct PushdownCorrectnessTests {
    static let asOf = "2026-11-20T00:00:00Z"

    /// One prediction: its score, label and feature values (SQL literals, in the order of the feature columns).
    struct Row {
        var score: Double
        var label: Int
        var features: [String] = []
    }

    /// Creates `scores` and `labels`: each row twice, once in the final performance window (22:00–23:00, labelled)
    /// and once in the input window (23:00–24:00).
    static func load(_ server: PostgresServer, rows: [Row], featureColumns: [(name: String, type: String)] = []) throws {
        let connection = try Postgres.connect(server)
        let features = featureColumns.map { ", \($0.name) \($0.type)" }.joined()
        try connection.execute("SET default_transaction_read_only = off")  // modelwatch's connections are read-only
        try connection.execute("""
            CREATE TABLE scores (prediction_id text, prediction_time timestamptz, score double precision\(features));
            CREATE TABLE labels (prediction_id text, label integer, label_time timestamptz)
            """)
        let stride = 3_000_000 / max(rows.count, 1)
        for start in Swift.stride(from: 0, to: rows.count, by: 2000) {
            var scoreValues: [String] = []
            var labelValues: [String] = []
            for index in start..<min(start + 2000, rows.count) {
                let row = rows[index]
                let extra = row.features.map { ", \($0)" }.joined()
                let offset = index * stride
                scoreValues.append("('a\(index)', timestamptz '2026-11-19 22:00:00+00' + \(offset) * interval '1 millisecond', CAST('\(row.score)' AS float8)\(extra))")
                scoreValues.append("('b\(index)', timestamptz '2026-11-19 23:00:00+00' + \(offset) * interval '1 millisecond', CAST('\(row.score)' AS float8)\(extra))")
                labelValues.append("('a\(index)', \(row.label), timestamptz '2026-11-19 23:30:00+00')")
            }
            try connection.execute("INSERT INTO scores VALUES \(scoreValues.joined(separator: ",\n"))")
            try connection.execute("INSERT INTO labels VALUES \(labelValues.joined(separator: ",\n"))")
        }
        try connection.execute("ANALYZE scores; ANALYZE labels")
    }

    static func yaml(_ server: PostgresServer, mode: String, numeric: [String] = [], categorical: [String] = [], profile: String? = nil) -> String {
        var text = """
            models:
              - name: m
                window: 1h
                maturity: 1h
                scores:
                  postgres: \(Postgres.block(server, "table: scores", extra: "mode: \(mode)"))
                  columns: {id: prediction_id, time: prediction_time, score: score}
                labels:
                  postgres: \(Postgres.block(server, "table: labels"))
                  columns: {id: prediction_id, label: label, time: label_time}
                features:
                  numeric: [\(numeric.joined(separator: ", "))]
                  categorical: [\(categorical.joined(separator: ", "))]
            """
        if let profile { text += "\n    reference_profile: \(profile)" }
        return text
    }

    /// Runs the model in `mode` and returns the report and the metric points.
    static func run(_ server: PostgresServer, mode: String, directory: URL, numeric: [String] = [], categorical: [String] = [],
                    profile: String? = nil) throws -> (ModelReport, [ParsedLine]) {
        let (report, lines) = try Job.run(
            configPath: directory.appendingPathComponent("modelwatch.yaml").path,
            yaml: yaml(server, mode: mode, numeric: numeric, categorical: categorical, profile: profile),
            environment: Postgres.environment(server), asOf: asOf, output: directory.appendingPathComponent("\(mode).lp"))
        return (try #require(report.models.first), Job.metricLines(lines).map(ParsedLine.init))
    }

    /// Every field push-down writes equals exact mode's: integers, booleans and strings exactly, numbers within
    /// `tolerance(measurement, field, pushdown, exact)`; AUC and AP are left to the caller. Returns the number of
    /// compared fields.
    @discardableResult
    static func compare(pushdown: [ParsedLine], exact: [ParsedLine], tolerance: (String, String, Double, Double) -> Bool) -> Int {
        let reference = Dictionary(exact.map { ($0.series, $0) }, uniquingKeysWith: { $1 })
        var compared = 0
        for point in pushdown {
            guard let expected = reference[point.series] else {
                Issue.record("push-down wrote a series exact mode did not: \(point.series)")
                continue
            }
            for (key, value) in point.fields where key != "auc" && key != "average_precision" {
                guard let want = expected.fields[key] else {
                    Issue.record("\(point.series): field \(key) is not in exact mode's point")
                    continue
                }
                compared += 1
                if !value.hasSuffix("i"), let a = Double(value), let b = Double(want) {
                    #expect(tolerance(point.measurement, key, a, b), "\(point.series) \(key): push-down \(value) exact \(want)")
                } else {
                    #expect(value == want, "\(point.series) \(key): push-down \(value) exact \(want)")
                }
            }
        }
        return compared
    }

    /// Relative agreement, for sums of a few thousand terms added in another order.
    static func close(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
        a == b || abs(a - b) <= relative * max(abs(a), abs(b))
    }

    @Test("scores on, and one ulp either side of, every edge of numpy.linspace(0, 1, 11) and every k/1000, with heavy ties: reliability bins, ECE and MCE equal exact mode's")
    func calibrationBinsAtEdges() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-edges")
        defer { try? FileManager.default.removeItem(at: directory) }
        var values: [Double] = []
        for edge in CalibrationBinning.edges(binCount: 10) { values += [edge.nextDown, edge, edge.nextUp] }
        for k in 0...1000 {
            let value = Double(k) / 1000
            values += [value.nextDown, value, value.nextUp]
        }
        values = values.filter { $0 >= 0 && $0 <= 1 }
        // The issue's case: 0.30000000000000004, 0.6000000000000001 and 0.7000000000000001 exactly on the edges.
        #expect(values.contains(0.30000000000000004) && values.contains(0.6000000000000001) && values.contains(0.7000000000000001))
        var rows: [Row] = []
        for (index, value) in values.enumerated() {
            // Reliability edges carry heavy ties (40 rows each); the labels differ from bin to bin.
            let copies = CalibrationBinning.edges(binCount: 10).contains(value) ? 40 : 1
            for copy in 0..<copies { rows.append(Row(score: value, label: (index * 7 + copy * 3) % 5 < 2 ? 1 : 0)) }
        }
        try Self.load(server, rows: rows)
        let (exactReport, exact) = try Self.run(server, mode: "exact", directory: directory)
        let (report, pushdown) = try Self.run(server, mode: "pushdown", directory: directory)
        #expect(exactReport.status == .ok && report.status == .ok, "\(exactReport.message ?? "") \(report.message ?? "")")
        let bins = pushdown.filter { $0.measurement == "modelwatch_calibration_bin" }
        #expect(bins.count == 10)
        let compared = Self.compare(pushdown: pushdown, exact: exact) { _, _, a, b in Self.close(a, b, relative: 1e-10) }
        #expect(compared > 50)
        // The edge rows land in the lower bin: bin 2 = (0.2, 0.30000000000000004] holds 0.30000000000000004's 40 rows.
        let bin2 = try #require(pushdown.first { $0.measurement == "modelwatch_calibration_bin" && $0.tags.contains("bin=02") })
        let inBin2 = rows.filter { $0.score > 0.2 && $0.score <= 0.30000000000000004 }.count
        #expect(rows.filter { $0.score == 0.30000000000000004 }.count >= 40)
        #expect(bin2.fields["count"] == "\(inBin2)i")
    }

    @Test("feature values near 1e300, 1e-300, ±1e308, mixed magnitudes and a constant: push-down's mean and std equal exact mode's within 1e-12 × max(|mean|, std)")
    func extremeMagnitudes() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-magnitudes")
        defer { try? FileManager.default.removeItem(at: directory) }
        let columns = ["f_big", "f_tiny", "f_pair", "f_huge", "f_mixed", "f_const", "f_denormal"]
        var rows: [Row] = []
        for i in 0..<400 {
            let k = Double(i % 7 + 1)
            let mixed: [Double] = [1e-300, 2.5, -3e300, 0, 4e-310, 7e299, 1e-5]
            rows.append(Row(score: Double(i % 100) / 100, label: i % 3 == 0 ? 1 : 0, features: [
                "\(1e300 * k)", "\(1e-300 * k)", i < 2 ? "\(Double(i + 1) * 1e-300)" : "NULL",
                "\(i % 2 == 0 ? 1.7e308 : -1.6e308)", "\(mixed[i % 7])", "0.1", "\(Double.leastNonzeroMagnitude * k)",
            ].map { $0 == "NULL" ? $0 : "CAST('\($0)' AS float8)" }))
        }
        try Self.load(server, rows: rows, featureColumns: columns.map { ($0, "double precision") })
        let (exactReport, exact) = try Self.run(server, mode: "exact", directory: directory, numeric: columns)
        let (report, pushdown) = try Self.run(server, mode: "pushdown", directory: directory, numeric: columns)
        #expect(exactReport.status == .ok, "\(exactReport.message ?? "")")
        #expect(report.status == .ok, "\(report.message ?? "")")
        let features = pushdown.filter { $0.measurement == "modelwatch_feature" }
        #expect(Set(features.compactMap { $0.tags.firstMatch(of: /feature=(\w+)/).map { String($0.1) } }) == Set(columns))
        let exactFeatures = Dictionary(exact.map { ($0.series, $0) }, uniquingKeysWith: { $1 })
        Self.compare(pushdown: pushdown, exact: exact) { measurement, field, a, b in
            guard measurement == "modelwatch_feature", field == "mean" || field == "std" else { return Self.close(a, b, relative: 1e-10) }
            return true  // checked below, against the feature's scale
        }
        for point in features {
            let reference = try #require(exactFeatures[point.series])
            let mean = Double(reference.fields["mean"]!)!
            let std = reference.fields["std"].flatMap(Double.init) ?? 0
            let scale = max(abs(mean), std)
            for field in ["mean", "std"] {
                let want = reference.fields[field].flatMap(Double.init), got = point.fields[field].flatMap(Double.init)
                #expect((want == nil) == (got == nil), "\(point.series) \(field)")
                if let want, let got {
                    #expect(abs(want - got) <= 1e-12 * scale, "\(point.series) \(field): push-down \(got) exact \(want)")
                }
            }
        }
        // The issue's case: std of (1e-300, 2e-300) is 7.07e-301, not 0.
        let pair = try #require(features.first { $0.tags.contains("feature=f_pair") && $0.tags.contains("segment=all,") })
        #expect(Self.close(Double(pair.fields["std"]!)!, 1e-300 / 2.0.squareRoot(), relative: 1e-12), "\(pair.fields)")
    }

    @Test("numeric features without a reference profile: no drift fields, the same statistics as exact mode, exit 0")
    func noReferenceProfile() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-noprofile")
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows: [Row] = []
        for i in 0..<300 {
            let amount: Double = Double(i) * 0.5 - 20
            let kind: String = i % 5 == 0 ? "NULL" : "'c\(i % 3)'"
            rows.append(Row(score: Double(i % 97) / 97, label: i % 4 == 0 ? 1 : 0, features: ["\(amount)", kind]))
        }
        try Self.load(server, rows: rows, featureColumns: [("amount", "double precision"), ("kind", "text")])
        let (exactReport, exact) = try Self.run(server, mode: "exact", directory: directory, numeric: ["amount"], categorical: ["kind"])
        let (report, pushdown) = try Self.run(server, mode: "pushdown", directory: directory, numeric: ["amount"], categorical: ["kind"])
        #expect(exactReport.status == .ok, "\(exactReport.message ?? "")")
        #expect(report.status == .ok, "\(report.message ?? "")")
        let amount = pushdown.filter { $0.measurement == "modelwatch_feature" && $0.tags.contains("feature=amount") }
        #expect(amount.count == 1)
        #expect(amount.allSatisfy { $0.fields["psi"] == nil && $0.fields["mean"] != nil })
        Self.compare(pushdown: pushdown, exact: exact) { _, _, a, b in Self.close(a, b, relative: 1e-10) }
    }

    @Test("a numeric feature in a text column is left out of push-down with a warning naming it and why, once; the rest equals exact mode")
    func textColumnLeftOut() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-text")
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows: [Row] = []
        for i in 0..<200 { rows.append(Row(score: Double(i % 50) / 50, label: i % 3 == 0 ? 1 : 0, features: ["''", "\(i)"])) }
        try Self.load(server, rows: rows, featureColumns: [("f_text", "text"), ("f_ok", "integer")])
        let (exactReport, exact) = try Self.run(server, mode: "exact", directory: directory, numeric: ["f_text", "f_ok"])
        let (report, pushdown) = try Self.run(server, mode: "pushdown", directory: directory, numeric: ["f_text", "f_ok"])
        #expect(exactReport.status == .ok, "\(exactReport.message ?? "")")
        #expect(report.status == .ok, "\(report.message ?? "")")
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.contains("features.numeric: feature `f_text` is left out of push-down") == true, "\(report.warnings)")
        #expect(!pushdown.contains { $0.tags.contains("feature=f_text") })
        #expect(pushdown.contains { $0.tags.contains("feature=f_ok") })
        #expect(exact.contains { $0.tags.contains("feature=f_text") })
        Self.compare(pushdown: pushdown, exact: exact) { _, _, a, b in Self.close(a, b, relative: 1e-10) }
        var run = RunReport(asOfMs: 0)
        run.models = [report]
        let summary = SummaryRenderer.render(run)
        #expect(summary.contains("warning      models[m].features.numeric: feature `f_text`"), "\(summary)")
    }

    @Test("a numeric value beyond the double range is a data error (exit 65) naming the feature; the other features and the performance are still written")
    func dataErrorNamesFeature() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-range")
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows: [Row] = []
        for i in 0..<100 {
            let wide: String = i == 7 ? "1e400" : "\(i)"
            rows.append(Row(score: Double(i) / 100, label: i % 2, features: [wide, "\(Double(i) * 1e300)"]))
        }
        try Self.load(server, rows: rows, featureColumns: [("f_wide", "numeric"), ("f_big", "double precision")])
        let (report, pushdown) = try Self.run(server, mode: "pushdown", directory: directory, numeric: ["f_wide", "f_big"])
        #expect(report.status == .dataError)
        #expect(report.status.rawValue == 65)
        let message = report.message ?? ""
        #expect(message.contains("models[m].features.numeric: feature `f_wide`") && message.contains("22003"), "\(message)")
        #expect(!pushdown.contains { $0.tags.contains("feature=f_wide") })
        #expect(pushdown.contains { $0.tags.contains("feature=f_big") })
        #expect(pushdown.contains { $0.measurement == "modelwatch_performance" })
    }

    @Test("a window with at most exactScoreLimit distinct scores is grouped by the exact score: AUC and AP equal exact mode's within 1e-12 and both bounds are 0; one distinct score more than the limit falls back to the bins",
          arguments: [(limit: Int?.none, exact: true), (limit: 0, exact: true), (limit: -1, exact: false)])
    func roundedScoresAreExact(limit: Int?, exact expectExact: Bool) throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-exact-scores")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Scores rounded to 4 decimals (up to 10 distinct scores in each of the 1000 bins, and ties across rows);
        // labels loosely follow the score.
        var state: UInt64 = 23
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var rows: [Row] = []
        for _ in 0..<3000 {
            let score = (next() * 10_000).rounded() / 10_000
            rows.append(Row(score: score, label: next() < 0.2 + 0.6 * score ? 1 : 0))
        }
        let distinct = Set(rows.map(\.score)).count
        try Self.load(server, rows: rows)
        let (exactReport, exactLines) = try Self.run(server, mode: "exact", directory: directory)
        #expect(exactReport.status == .ok, "\(exactReport.message ?? "")")
        let configuration = try ConfigLoader.parse(
            yaml: Self.yaml(server, mode: "pushdown"), file: directory.appendingPathComponent("modelwatch.yaml").path,
            environment: Postgres.environment(server))
        let model = configuration.models[0]
        let plan = EvaluationPlan(asOfMs: TimeText.parseRFC3339(Self.asOf)!, windowSeconds: model.windowSeconds,
                                  maturitySeconds: model.maturitySeconds, restateProvisional: false)
        // nil: the default limit; 0: the limit equal to the window's distinct scores; -1: one below it.
        let evaluator = limit.map { PushdownEvaluator(model: model, plan: plan, profile: nil, exactScoreLimit: distinct + $0) }
            ?? PushdownEvaluator(model: model, plan: plan, profile: nil)
        let outcome = try evaluator.evaluate()
        let final = try #require(plan.finalWindow)
        let windowKey = "\(TimeText.format(final.range.endMs)) \(model.staticVersion)"
        let aucBound = try #require(outcome.aucErrorBounds[windowKey])
        let apBound = try #require(outcome.averagePrecisionErrorBounds[windowKey])
        let result = try #require(outcome.finalPerformance.first?.result)
        let reference = try #require(exactLines.first {
            $0.measurement == "modelwatch_performance" && $0.tags.contains("segment=all,") && $0.fields["n_pos"] != "0i"
        })
        let exactAUC = try #require(reference.fields["auc"].flatMap(Double.init))
        let exactAP = try #require(reference.fields["average_precision"].flatMap(Double.init))
        let auc = try #require(result.auc), ap = try #require(result.averagePrecision)
        if expectExact {
            #expect(abs(auc - exactAUC) <= 1e-12, "push-down \(auc) exact \(exactAUC)")
            #expect(abs(ap - exactAP) <= 1e-12, "push-down \(ap) exact \(exactAP)")
            #expect(aucBound == 0 && apBound == 0)
        } else {
            // The bins take each bin's distinct scores as ties: not exact, but within the bounds.
            #expect(aucBound > 0 && apBound > 0)
            #expect(abs(auc - exactAUC) <= aucBound && abs(ap - exactAP) <= apBound)
            #expect(abs(auc - exactAUC) > 1e-12 || abs(ap - exactAP) > 1e-12)
        }
    }

    @Test("binned AP differs from exact AP by at most the bound computed from the bins (10 tied scores in every bin; 88 and 1,369 positives)",
          arguments: [(rows: 600, positiveEvery: 6, seed: 11), (rows: 4000, positiveEvery: 3, seed: 5)])
    func averagePrecisionWithinBound(rows count: Int, positiveEvery: Int, seed: Int) throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-ap")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Scores with 4 decimals: 10 distinct scores per fine bin, each a tie group; labels loosely follow the score.
        var state = UInt64(seed)
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var rows: [Row] = []
        for _ in 0..<count {
            let score = (next() * 10_000).rounded(.down) / 10_000
            let positive = next() < score / Double(positiveEvery) * 2
            rows.append(Row(score: score, label: positive ? 1 : 0))
        }
        try Self.load(server, rows: rows)
        let (exactReport, exact) = try Self.run(server, mode: "exact", directory: directory)
        #expect(exactReport.status == .ok, "\(exactReport.message ?? "")")
        let configuration = try ConfigLoader.parse(
            yaml: Self.yaml(server, mode: "pushdown"), file: directory.appendingPathComponent("modelwatch.yaml").path,
            environment: Postgres.environment(server))
        let model = configuration.models[0]
        let plan = EvaluationPlan(asOfMs: TimeText.parseRFC3339(Self.asOf)!, windowSeconds: model.windowSeconds,
                                  maturitySeconds: model.maturitySeconds, restateProvisional: false)
        // Binned on purpose (exactScoreLimit 0): 4-decimal scores would otherwise be grouped by the exact score.
        let outcome = try PushdownEvaluator(model: model, plan: plan, profile: nil, exactScoreLimit: 0).evaluate()
        let final = try #require(plan.finalWindow)
        let bound = try #require(outcome.averagePrecisionErrorBounds["\(TimeText.format(final.range.endMs)) \(model.staticVersion)"])
        let binned = try #require(outcome.finalPerformance.first?.result.averagePrecision)
        let reference = try #require(exact.first {
            $0.measurement == "modelwatch_performance" && $0.tags.contains("segment=all,") && $0.fields["n_pos"] != "0i"
        })
        let exactAP = try #require(reference.fields["average_precision"].flatMap(Double.init))
        let positives = reference.fields["n_pos"] ?? ""
        #expect(abs(binned - exactAP) <= bound, "binned \(binned) exact \(exactAP) bound \(bound) (n_pos \(positives))")
        #expect(bound > 0 && bound < 0.05)
        print("AP on \(count) rows, n_pos \(positives): |binned − exact| \(abs(binned - exactAP)), bound \(bound)")
    }
}
