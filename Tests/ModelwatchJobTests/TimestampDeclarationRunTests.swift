import Foundation
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// Through the run: undeclared epoch numbers and zone-less times are bad rows naming the setting; declared ones
/// are read as declared.
@Suite("Timestamp declarations through the run")
struct TimestampDeclarationRunTests {
    static let asOf = "2026-11-21T00:00:00Z"

    static func config(_ scores: String, _ labels: String, scoreSettings: String = "") -> String {
        """
        run:
          max_bad_rows: 10
          max_bad_row_fraction: 1
        models:
          - name: m
            window: 1d
            maturity: 1d
            scores:
              path: '\(scores)'
              columns: {}\(scoreSettings)
            labels:
              path: '\(labels)'
              columns: {}

        """
    }

    @Test("undeclared epoch numbers and zone-less times are rejected with a message naming timestamp_unit or timezone")
    func undeclaredRowsAreRejected() throws {
        let directory = TemporaryDirectory()
        let scores = directory.write("scores.csv", """
            prediction_id,prediction_time,score
            p1,2026-11-20T10:00:00Z,0.5
            p2,1e12,0.5
            p3,-5,0.5
            p4,2026-11-20T10:00:00,0.5
            p5,2026-11-20,0.5

            """)
        let labels = directory.write("labels.csv", "prediction_id,label\n")
        let run = try runPipeline(yaml: Self.config(scores, labels), asOf: Self.asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        let model = try #require(run.report.models.first)
        #expect(model.counters.rowsRejected == 4)
        let samples = model.rowErrorSamples
        #expect(samples.count == 4)
        #expect(samples[0] == "\(scores):3: column \"prediction_time\": \"1e12\" is an epoch number, and `models[m].scores.timestamp_unit` is not set: declare `seconds` or `milliseconds` to read epoch numbers")
        #expect(samples[1].hasPrefix("\(scores):4: column \"prediction_time\": \"-5\" is an epoch number, and `models[m].scores.timestamp_unit` is not set"))
        #expect(samples[2] == "\(scores):5: column \"prediction_time\": \"2026-11-20T10:00:00\" has no time zone, and `models[m].scores.timezone` is not set: declare the zone it was written in (UTC or an offset such as +02:00)")
        #expect(samples[3].hasPrefix("\(scores):6: column \"prediction_time\": \"2026-11-20\" has no time zone"))
        #expect(try run.point("modelwatch_output", ["segment": "all"]).integer("count") == 1)
    }

    @Test("a declared time zone places zone-less times in their window: 23:30 at +02:00 is 21:30Z, inside the input window")
    func declaredZone() throws {
        let directory = TemporaryDirectory()
        // The input window is [2026-11-20T00:00Z, 2026-11-21T00:00Z): 2026-11-21T01:30+02:00 is 23:30Z on the 20th
        // (inside), while 2026-11-20T01:30+02:00 is 23:30Z on the 19th (outside).
        let scores = directory.write("scores.csv", """
            prediction_id,prediction_time,score
            p1,2026-11-21T01:30:00,0.5
            p2,2026-11-20T01:30:00,0.5
            p3,1795168800,0.25

            """)
        let labels = directory.write("labels.csv", "prediction_id,label\n")
        let run = try runPipeline(
            yaml: Self.config(scores, labels, scoreSettings: "\n      timezone: '+02:00'\n      timestamp_unit: seconds"), asOf: Self.asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        #expect(run.report.models.first?.counters.rowsRejected == 0)
        let output = try run.point("modelwatch_output", ["segment": "all"])
        #expect(output.integer("count") == 2)
        #expect(output.number("mean") == 0.375)
    }
}
