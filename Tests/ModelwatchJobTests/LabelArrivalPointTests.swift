import Foundation
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// `modelwatch_label_arrivals`: label rows per hour of label time in the input window, on the hand-written
/// join fixture (Fixtures/join/labels.csv: eleven label rows between 02:10 and 02:50, one at 03:30).
@Suite("Label arrivals per hour")
struct LabelArrivalPointTests {
    static func yaml(window: String, labelColumns: String = "{time: label_time}") -> String {
        """
        models:
          - name: churn
            window: \(window)
            maturity: \(window)
            restate_provisional: false
            scores:
              path: '\(Fixture.path("join/scores.csv"))'
              columns: {}
            labels:
              path: '\(Fixture.path("join/labels.csv"))'
              columns: \(labelColumns)

        """
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let window: String
        let asOf: String
        /// Expected (bucket start, labels) in time order.
        let buckets: [(String, Int)]
        let bucketSeconds: Int
        var testDescription: String { "window \(window) as of \(asOf)" }
    }

    static let cases: [Case] = [
        // Every label row counts: joined (p01…p08, p04 and p05 twice each), matching a score outside the windows
        // (p90) or none (p99); p07's label (03:30) is after T and not counted.
        Case(window: "1h", asOf: "2026-11-20T03:00:00Z", buckets: [("2026-11-20T02:00:00Z", 11)], bucketSeconds: 3600),
        // A 4-hour window: one point per hour, 0 where nothing arrived; p07's label is in the last hour now.
        Case(window: "4h", asOf: "2026-11-20T04:00:00Z",
             buckets: [("2026-11-20T00:00:00Z", 0), ("2026-11-20T01:00:00Z", 0), ("2026-11-20T02:00:00Z", 11), ("2026-11-20T03:00:00Z", 1)],
             bucketSeconds: 3600),
        // A window under an hour is one bucket: [02:30, 03:00) holds p04 @02:40, p05 @02:50 and @02:30.
        Case(window: "30m", asOf: "2026-11-20T03:00:00Z", buckets: [("2026-11-20T02:30:00Z", 3)], bucketSeconds: 1800),
    ]

    @Test("one point per hour of the input window with the label rows whose label time falls in it", arguments: cases)
    func countsPerHour(_ testCase: Case) throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: Self.yaml(window: testCase.window), asOf: testCase.asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        let points = run.points("modelwatch_label_arrivals").sorted { $0.timestampMs < $1.timestampMs }
        #expect(points.map(\.tags) == Array(repeating: ["model": "churn"], count: testCase.buckets.count))
        #expect(points.map(\.timestampMs) == testCase.buckets.map { ms($0.0) })
        #expect(points.map { $0.integer("labels") } == testCase.buckets.map { $0.1 })
        #expect(points.allSatisfy { $0.integer("bucket_seconds") == testCase.bucketSeconds })
    }

    @Test("without a label time column no arrivals are written (every label counts as observed at once)")
    func noTimeColumnNoPoints() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: Self.yaml(window: "1h", labelColumns: "{}"), asOf: "2026-11-20T03:00:00Z", in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        #expect(!run.points("modelwatch_performance").isEmpty)
        #expect(run.points("modelwatch_label_arrivals").isEmpty)
    }
}
