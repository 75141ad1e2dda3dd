import Foundation
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// Hostile inputs through the whole run: invalid UTF-8 and CR-only line endings are reported, never absorbed.
@Suite("Hostile inputs through the run")
struct InputHardeningTests {
    static let asOf = "2026-11-21T00:00:00Z"

    static func config(_ scores: String, _ labels: String, run: String = "") -> String {
        """
        \(run)
        models:
          - name: m
            window: 1d
            maturity: 1d
            segments: [region]
            features: {categorical: [channel]}
            scores:
              path: '\(scores)'
              columns: {version: model_version}
            labels:
              path: '\(labels)'
              columns: {}

        """
    }

    static func writeBytes(_ bytes: [UInt8], to path: String) {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    @Test("a row with invalid UTF-8 in a text value is a counted bad row naming the file, line and column; valid rows are kept", arguments: [
        ("region", [UInt8]([0x6E, 0xFF, 0x72]), "(byte column 33): invalid UTF-8 at byte 2 of the value (0xFF)"),  // a byte that is never UTF-8
        ("model_version", [UInt8]([0x76, 0xC3]), "(byte column 26): invalid UTF-8 at byte 2 of the value (0xC3)"),  // a truncated sequence
        ("channel", [UInt8]([0xED, 0xA0, 0x80]), "(byte column 38): invalid UTF-8 at byte 1 of the value (0xED)"),  // an encoded surrogate
        ("region", [UInt8]([0xC0, 0xAF]), "(byte column 32): invalid UTF-8 at byte 1 of the value (0xC0)"),  // an overlong slash
    ])
    func invalidUTF8IsABadRow(_ column: String, _ bad: [UInt8], _ expected: String) throws {
        let directory = TemporaryDirectory()
        var rows: [[UInt8]] = [Array("prediction_id,prediction_time,model_version,score,region,channel\n".utf8)]
        for index in 0..<10 {
            var fields: [[UInt8]] = [Array("p\(index)".utf8), Array("2026-11-20T0\(index):00:00Z".utf8), Array("v1".utf8), Array("0.\(index)".utf8),
                                     Array("north".utf8), Array("web".utf8)]
            if index == 4 {
                let position = ["model_version": 2, "region": 4, "channel": 5][column]!
                fields[position] = bad
            }
            rows.append(Array(fields.joined(separator: [UInt8(ascii: ",")])) + [0x0A])
        }
        let scores = directory.file("scores.csv")
        Self.writeBytes(Array(rows.joined()), to: scores)
        let labels = directory.write("labels.csv", "prediction_id,label\n")
        let run = try runPipeline(yaml: Self.config(scores, labels, run: "run:\n  max_bad_rows: 1\n  max_bad_row_fraction: 0.5"), asOf: Self.asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        let model = try #require(run.report.models.first)
        #expect(model.counters.rowsRejected == 1)
        #expect(model.rowErrorSamples.count == 1)
        let sample = try #require(model.rowErrorSamples.first)
        #expect(sample == "\(scores):6: column \"\(column)\" \(expected); the input must be UTF-8", "\(sample)")
        // Nothing with a replacement character reached the output.
        #expect(!run.text.contains("\u{FFFD}"))
        #expect(try run.point("modelwatch_output", ["segment": "all"]).integer("count") == 9)
    }

    @Test("a CR-only score file is a data error that says so and names the file, not a missing column")
    func crOnlyFile() throws {
        let directory = TemporaryDirectory()
        let scores = directory.write("scores.csv", "prediction_id,prediction_time,model_version,score,region,channel\rp1,2026-11-20T01:00:00Z,v1,0.5,north,web\r")
        let labels = directory.write("labels.csv", "prediction_id,label\n")
        let run = try runPipeline(yaml: Self.config(scores, labels), asOf: Self.asOf, in: directory)
        #expect(run.report.exitStatus == .dataError)
        let message = try #require(run.report.models.first?.message)
        #expect(message.hasPrefix("\(scores):1:"), "\(message)")
        #expect(message.contains("CR-only line endings (classic Mac)"), "\(message)")
        #expect(!message.contains("missing column"))
        #expect(message.count < 400, "the message must not quote the file")
    }
}
