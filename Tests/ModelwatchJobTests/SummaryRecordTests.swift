import Foundation
import ModelwatchJob
import ModelwatchSources
import Testing

/// A one-model config over the join fixture, with a bad-row budget that lets its two bad rows through.
private func summaryConfig(in directory: TemporaryDirectory, scores: String = "join/scores.csv") -> String {
    directory.write("model.yaml", """
        run:
          max_bad_rows: 10
          max_bad_row_fraction: 0.5
        models:
          - name: churn
            window: 1h
            maturity: 1h
            restate_provisional: false
            scores:
              path: '\(scores.hasPrefix("/") ? scores : Fixture.path(scores))'
            labels:
              path: '\(Fixture.path("join/labels.csv"))'
              columns: {time: label_time}

        """)
}

@Suite("The run summary as one structured record")
struct SummaryRecordTests {
    @Test("with --log-format json the summary on standard output is one JSON object with the report's figures")
    func jsonSummary() throws {
        let directory = TemporaryDirectory()
        let config = summaryConfig(in: directory)
        let outcome = try Executable.run([
            "run", "--config", config, "--as-of", "2026-11-20T03:00:00Z", "--output", "file:\(directory.file("out.lp"))", "--log-format", "json",
        ])
        #expect(outcome.status == 0, "\(outcome)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 1, "one record, not a text block: \(outcome.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "run summary")
        #expect(object["level"] as? String == "info")
        #expect(object["exit_code"] as? Int == 0)
        #expect(object["as_of"] as? String == "2026-11-20T03:00:00Z")
        let model = try #require((object["models"] as? [String: Any])?["churn"] as? [String: Any])
        #expect(model["status"] as? String == "ok")
        let rows = try #require(model["rows"] as? [String: Any])
        #expect(rows["scores"] as? Int == 15 && rows["labels"] as? Int == 12)
        let join = try #require(model["join"] as? [String: Any])
        #expect(join["matched"] as? Int == 7)
        let performance = try #require(model["performance"] as? [String: Any])
        #expect(!performance.isEmpty)
        // Log lines (standard error) are JSON too: every non-empty line parses.
        for line in outcome.stderr.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
        }
    }

    @Test("with --log-format logfmt the summary is one logfmt line; a failed model's error is one quoted value")
    func logfmtSummary() throws {
        let directory = TemporaryDirectory()
        let config = summaryConfig(in: directory, scores: directory.file("missing.csv"))
        let outcome = try Executable.run([
            "run", "--config", config, "--as-of", "2026-11-20T03:00:00Z", "--output", "file:\(directory.file("out.lp"))", "--log-format", "logfmt",
        ])
        #expect(outcome.status == 66, "\(outcome)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 1, "one record, not a text block: \(outcome.stdout)")
        let line = String(try #require(lines.first))
        #expect(line.hasPrefix("ts="), "\(line)")
        for pair in ["level=error", "logger=modelwatch", "msg=\"run summary\"", "exit_code=66", "status=no_input", "models.churn.status=no_input", "models.churn.exit_code=66"] {
            #expect(line.contains(" \(pair)"), "\(pair): \(line)")
        }
        #expect(line.contains(" models.churn.error=\"models[churn].scores.path: "), "\(line)")
    }

    @Test("the text format keeps the multi-line summary block")
    func textSummary() throws {
        let directory = TemporaryDirectory()
        let outcome = try Executable.run([
            "run", "--config", summaryConfig(in: directory), "--as-of", "2026-11-20T03:00:00Z", "--output", "file:\(directory.file("out.lp"))",
        ])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.hasPrefix("modelwatch run as of 2026-11-20T03:00:00Z"), "\(outcome.stdout)")
        #expect(outcome.stdout.split(separator: "\n").count > 5)
    }
}
