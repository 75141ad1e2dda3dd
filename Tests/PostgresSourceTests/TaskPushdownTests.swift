import Foundation
@testable import ModelwatchJob
@testable import ModelwatchSources
import PerformanceMetrics
import PostgresSource
import Testing
import TestSupport

/// Regression push-down against exact mode on the same tables: every field push-down writes equals exact mode's
/// within float rounding, and what needs the rows (median absolute error, residual quantiles) is absent.
@Suite("PostgreSQL push-down of regression models against exact mode", .serialized, .enabled(if: Postgres.enabled, "PostgreSQL missing and MODELWATCH_ALLOW_SKIP=1"))
struct TaskPushdownTests {
    static let asOf = "2026-11-20T00:00:00Z"

    /// Scores over 20:00–24:00 on the day before the as-of time (the final and the provisional window among them), segments with a
    /// constant target (`const`), a single labelled row (`tiny`), a zero target (MAPE's epsilon), NULL and NaN
    /// predictions, unlabelled rows, a corrected label (the later one counts) and a label after the as-of time
    /// (ignored), and values near 1e±150 beside ordinary ones.
    static func load(_ server: PostgresServer) throws {
        let connection = try Postgres.connect(server)
        try connection.execute("SET default_transaction_read_only = off")
        try connection.execute("""
            CREATE TABLE scores (prediction_id text, prediction_time timestamptz, prediction double precision, region text);
            CREATE TABLE labels (prediction_id text, label double precision, label_time timestamptz)
            """)
        var scoreValues: [String] = []
        var labelValues: [String] = []
        let regions = ["north", "south", "east", "west", "const"]
        for index in 0..<2400 {
            let minute = Double(index) * 0.1  // 20:00 + 0…240 minutes
            let time = "timestamptz '2026-11-19 20:00:00+00' + \(Int(minute * 60_000)) * interval '1 millisecond'"
            var region = regions[index % regions.count]
            var target = Double((index * 7919) % 1000) / 7.0 - 40
            var prediction = target + Double((index * 104_729) % 201 - 100) / 13.0 + (region == "north" ? 3 : 0)
            if index % 97 == 0 { target = 0 }
            if region == "const" { target = 12.5 }
            if index == 1234 { region = "tiny" }
            if index % 211 == 5 { prediction = 1e150 * Double(index % 3 + 1) }
            if index % 263 == 7 { prediction = target + 1e-150 }
            var predictionSQL = "CAST('\(prediction)' AS float8)"
            if index % 89 == 3 { predictionSQL = "NULL" }
            if index % 151 == 4 { predictionSQL = "CAST('NaN' AS float8)" }
            scoreValues.append("('r\(index)', \(time), \(predictionSQL), \(region == "west" && index % 2 == 0 ? "NULL" : "'\(region)'"))")
            if index % 11 == 0 { continue }  // unlabelled
            labelValues.append("('r\(index)', CAST('\(target)' AS float8), \(time) + interval '10 minutes')")
            if index % 13 == 0, region != "const" { labelValues.append("('r\(index)', CAST('\(target + 5)' AS float8), \(time) + interval '20 minutes')") }
            if index % 17 == 0 { labelValues.append("('r\(index)', CAST('\(target - 100)' AS float8), timestamptz '2026-11-20 01:00:00+00')") }
        }
        try connection.execute("INSERT INTO scores VALUES \(scoreValues.joined(separator: ",\n"))")
        try connection.execute("INSERT INTO labels VALUES \(labelValues.joined(separator: ",\n"))")
        try connection.execute("ANALYZE scores; ANALYZE labels")
    }

    static func run(_ server: PostgresServer, mode: String, cap: Int, directory: URL) throws -> (ModelReport, [ParsedLine]) {
        let yaml = """
            models:
              - name: m
                task: regression
                window: 1h
                maturity: 1h
                segments: [region]
                segment_cap: \(cap)
                scores:
                  postgres: \(Postgres.block(server, "table: scores", extra: "mode: \(mode)"))
                  columns: {id: prediction_id, time: prediction_time, prediction: prediction}
                labels:
                  postgres: \(Postgres.block(server, "table: labels"))
                  columns: {id: prediction_id, label: label, time: label_time}
            """
        let (report, lines) = try Job.run(
            configPath: directory.appendingPathComponent("modelwatch.yaml").path, yaml: yaml,
            environment: Postgres.environment(server), asOf: asOf, output: directory.appendingPathComponent("\(mode)-\(cap).lp"))
        return (try #require(report.models.first), Job.metricLines(lines).map(ParsedLine.init))
    }

    @Test("regression push-down equals exact mode (MAE, MSE, RMSE, R², bias, MAPE, max error, intervals, counts) per window, version and capped segment; row-only fields are absent", arguments: [20, 3])
    func regressionMatchesExact(cap: Int) throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-regression")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.load(server)
        let (exactReport, exact) = try Self.run(server, mode: "exact", cap: cap, directory: directory)
        let (report, pushdown) = try Self.run(server, mode: "pushdown", cap: cap, directory: directory)
        #expect(exactReport.status == .ok && report.status == .ok, "\(exactReport.message ?? "") \(report.message ?? "")")
        let compared = PushdownCorrectnessTests.compare(pushdown: pushdown, exact: exact) { _, _, a, b in
            PushdownCorrectnessTests.close(a, b, relative: 1e-9) || abs(a - b) < 1e-12
        }
        let regression = pushdown.filter { $0.measurement == "modelwatch_regression" }
        let exactRegression = exact.filter { $0.measurement == "modelwatch_regression" }
        #expect(Set(regression.map(\.series)) == Set(exactRegression.map(\.series)), "the same windows and slices")
        #expect(regression.count >= (cap == 3 ? 8 : 12), "\(regression.count) regression points")
        let fields = ["n", "n_scored", "mae", "mae_ci_lower", "mae_ci_upper", "mse", "rmse", "rmse_ci_lower", "rmse_ci_upper", "r2",
                      "bias", "bias_ci_lower", "bias_ci_upper", "mape", "max_error", "mean_prediction", "mean_target"]
        let all = try #require(regression.first { $0.series.contains("segment=all") && $0.fields["n"] != nil && $0.fields["n"] != "0i" })
        for field in fields { #expect(all.fields[field] != nil, "push-down writes \(field)") }
        for point in regression {
            #expect(point.fields["median_absolute_error"] == nil && point.fields["residual_p50"] == nil, "row-only fields are absent: \(point.series)")
        }
        if cap == 20 {
            let constant = try #require(regression.first { $0.series.contains("segment_value=const") && $0.fields["r2"] != nil })
            #expect(constant.fields["r2"] == "0", "a constant target gives R² 0 as in scikit-learn")
            let tiny = try #require(regression.first { $0.series.contains("segment_value=tiny") && $0.fields["n"] == "1i" })
            #expect(tiny.fields["r2"] == nil && tiny.fields["mae_ci_lower"] == nil, "n = 1: no R², no interval")
        } else {
            #expect(regression.contains { $0.series.contains("segment_value=(other)") }, "values beyond the cap fold into (other)")
        }
        #expect(compared > 150, "\(compared) fields compared")
        let final = try #require(report.finalTaskResults.first, "the summary gets the final window's result")
        let exactFinal = try #require(exactReport.finalTaskResults.first)
        if case .regression(let r) = final.result, case .regression(let e) = exactFinal.result {
            #expect(r.n == e.n && PushdownCorrectnessTests.close(r.meanAbsoluteError ?? .nan, e.meanAbsoluteError ?? .nan, relative: 1e-9))
        } else {
            Issue.record("a regression result in both modes")
        }
    }
}
