import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

// In-process runs of hand-written fixtures (Fixtures/join, Fixtures/bad), with exact expected values.
//
// Fixtures/join, evaluated as of T = 2026-11-20T03:00Z with a 1h window and 1h maturity:
// - input window [02:00, 03:00): p11, p12, p13 (timestamped 03:00);
// - final performance window [01:00, 02:00): p01…p08 (timestamped 02:00), joined with labels seen up to 03:00;
// - outside the read range [01:00, 03:00): p90 (00:30), p91 (03:00, the end is exclusive), p92 (next day);
// - p03 appears twice (0.7 then 0.35): the last row wins;
// - p04 has labels 0 @02:20 then 1 @02:40; p05 has 1 @02:50 then 0 @02:30: the latest label time wins (1, 1);
// - p07's label arrives at 03:30, after the as-of time: ignored and counted late, p07 stays unlabelled;
// - p99's label matches no score (orphan); p90's label matches a score outside the range (neither).
//
// Joined performance rows: positives p01 0.9, p02 0.8, p04 0.6, p05 0.3; negatives p03 0.35, p06 0.45, p08 0.3.
// AUC by hand over the 4 × 3 pairs: 0.9, 0.8 and 0.6 beat every negative (9 pairs); 0.3 loses to 0.35 and
// 0.45 and ties 0.3 (½): AUC = 9.5 / 12 = 19/24.

private let asOf = "2026-11-20T03:00:00Z"
private let inputTimestamp = ms("2026-11-20T03:00:00Z")
private let performanceTimestamp = ms("2026-11-20T02:00:00Z")

/// A one-model config over fixture files; `extra` lines go into the model mapping.
private func joinConfig(
    scores: String = "join/scores.csv", labels: String = "join/labels.csv", extra: [String] = [], run: String = "",
    scoresUnit: String? = nil, labelsUnit: String? = nil
) -> String {
    """
    \(run)
    models:
      - name: churn
        window: 1h
        maturity: 1h
        restate_provisional: false
    \(extra.map { "    " + $0 }.joined(separator: "\n"))
        scores:
          path: '\(scores.hasPrefix("/") ? scores : Fixture.path(scores))'
          columns: {}\(scoresUnit.map { "\n      timestamp_unit: \($0)" } ?? "")
        labels:
          path: '\(labels.hasPrefix("/") ? labels : Fixture.path(labels))'
          columns: {time: label_time}\(labelsUnit.map { "\n      timestamp_unit: \($0)" } ?? "")

    """
}

@Suite("Pipeline: read, join, evaluate, write")
struct PipelineTests {
    @Test("join counters follow the documented policy: last score row wins, latest label wins, late and orphan labels counted")
    func joinCounters() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(), asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        let model = try #require(run.report.models.first)
        let c = model.counters
        #expect(c.scoreRowsRead == 15)
        #expect(c.scoreRowsInRange == 12)
        #expect(c.labelRowsRead == 12)
        #expect(c.labelsMatched == 7)
        #expect(c.duplicateLabels == 2)
        #expect(c.lateLabels == 1)
        #expect(c.orphanLabels == 1)
        #expect(c.rowsRejected == 0)
        #expect(model.rowErrorSamples.isEmpty)

        let join = try run.point("modelwatch_join", ["model": "churn"])
        #expect(join.timestampMs == performanceTimestamp)
        #expect(join.integer("scored") == 8)
        #expect(join.integer("labelled") == 7)
        #expect(join.integer("unlabelled") == 1)
        #expect(join.number("label_coverage") == 0.875)
        #expect(join.integer("orphan_labels") == 1)
        #expect(join.integer("duplicate_scores") == 1)
        #expect(join.integer("duplicate_labels") == 2)
        #expect(join.integer("late_labels") == 1)
    }

    @Test("the performance point holds the hand-computed AUC 19/24 (ties count half) and the joined counts")
    func performanceByHand() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(), asOf: asOf, in: directory)
        let performance = try run.point("modelwatch_performance", ["segment": "all"])
        #expect(performance.tags == ["model": "churn", "version": "unversioned", "segment": "all", "segment_value": "all"])
        #expect(performance.timestampMs == performanceTimestamp)
        #expect(performance.integer("n") == 7)
        #expect(performance.integer("n_pos") == 4)
        #expect(performance.integer("n_neg") == 3)
        #expect(performance.integer("n_scored") == 8)
        #expect(performance.number("label_coverage") == 0.875)
        let baseRate = try #require(performance.number("base_rate"))
        #expect(abs(baseRate - 4.0 / 7.0) < 1e-15)
        let meanScore = try #require(performance.number("mean_score"))
        #expect(abs(meanScore - 3.7 / 7.0) < 1e-12)
        let auc = try #require(performance.number("auc"))
        #expect(auc == 19.0 / 24.0, "AUC by hand: 9.5 of 12 positive–negative pairs ordered correctly")
        #expect(performance.boolean("provisional") == false)
        #expect(performance.boolean("sufficient") == false, "7 labelled rows are below the default minimum of 100")

        // Threshold 0.5: p01, p02, p04 are true positives; p05 (0.3) a false negative; p03, p06, p08 true negatives.
        let threshold = try run.point("modelwatch_threshold", ["segment": "all", "threshold": "0.5"])
        #expect(threshold.timestampMs == performanceTimestamp)
        #expect([threshold.integer("tp"), threshold.integer("fp"), threshold.integer("tn"), threshold.integer("fn")] == [3, 0, 3, 1])
        #expect(threshold.number("precision") == 1)
        #expect(threshold.number("recall") == 0.75)

        // The summary shows the same AUC, and precision and recall at the threshold with their 95% Wilson intervals
        // (scipy 1.17.1 binomtest(3, 3) and binomtest(3, 4) .proportion_ci(method="wilson")).
        let summary = SummaryRenderer.render(run.report)
        #expect(summary.contains("AUC 0.7917"))
        #expect(summary.contains("threshold    unversioned @0.5: precision 1.0000 [0.4385, 1.0000] · recall 0.7500 [0.3006, 0.9544]"), "\(summary)")
        #expect(run.report.models.first?.finalPerformance.count == 1)
    }

    @Test("rows outside the evaluated windows are ignored; the input window holds only [T−W, T)")
    func rowsOutsideTheWindowAreIgnored() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(), asOf: asOf, in: directory)
        let output = try run.point("modelwatch_output", ["segment": "all"])
        #expect(output.timestampMs == inputTimestamp)
        #expect(output.integer("count") == 3, "p11, p12, p13; not p91 at T itself nor p92 the next day")
        #expect(output.number("min") == 0.5)
        #expect(output.number("max") == 0.7)
        #expect(run.report.models.first?.inputRows == 3)
        // p90 (00:30) is before the performance window: n_scored counts p01…p08 only.
        #expect(try run.point("modelwatch_performance").integer("n_scored") == 8)
        // Every point is at one of the two window ends (or the heartbeat at T); the heartbeat's deadline is
        // stamped after the run's wall-clock finish.
        #expect(Set(run.lines.filter { $0.measurement != "modelwatch_deadline" }.map(\.timestampMs)) == [inputTimestamp, performanceTimestamp])
    }

    @Test("empty, NaN and infinite scores count as scored rows without a usable score: out of performance, in the output's missing rate")
    func unusableScores() throws {
        let directory = TemporaryDirectory()
        // Performance window [01:00, 02:00): p01 0.9, p02 empty, p03 nan, p04 inf, p05 0.3, p06 0.45, p08 0.3
        // (labels from Fixtures/join). Input window [02:00, 03:00): p11 0.5, p12 empty, p13 NaN, p14 0.7.
        let scores = directory.write("scores.csv", """
            prediction_id,prediction_time,score
            p01,2026-11-20T01:05:00Z,0.9
            p02,2026-11-20T01:10:00Z,
            p03,2026-11-20T01:15:00Z,nan
            p04,2026-11-20T01:20:00Z,inf
            p05,2026-11-20T01:25:00Z,0.3
            p06,2026-11-20T01:30:00Z,0.45
            p08,2026-11-20T01:40:00Z,0.3
            p11,2026-11-20T02:05:00Z,0.5
            p12,2026-11-20T02:10:00Z,
            p13,2026-11-20T02:15:00Z,NaN
            p14,2026-11-20T02:20:00Z,0.7

            """)
        let run = try runPipeline(yaml: joinConfig(scores: scores), asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        let performance = try run.point("modelwatch_performance", ["segment": "all"])
        #expect(performance.integer("n_scored") == 4, "p01, p05, p06, p08 have a usable score")
        #expect(performance.integer("n") == 4)
        #expect(performance.integer("n_pos") == 2, "p01 and p05 are labelled 1")
        let output = try run.point("modelwatch_output", ["segment": "all"])
        #expect(output.integer("count") == 4)
        #expect(output.number("missing_rate") == 0.5)
        #expect(output.number("min") == 0.5)
        #expect(output.number("max") == 0.7)
        #expect(output.number("mean") == 0.6)
    }

    @Test("any as-of inside the same window gives the same bytes")
    func asOfIsAligned() throws {
        let directory = TemporaryDirectory()
        let configPath = directory.write("modelwatch.yaml", joinConfig())
        let exact = try runPipeline(configPath: configPath, asOf: "2026-11-20T03:00:00Z", in: directory, output: "a.lp")
        let later = try runPipeline(configPath: configPath, asOf: "2026-11-20T03:59:59.999Z", in: directory, output: "b.lp")
        #expect(!exact.bytes.isEmpty)
        #expect(exact.bytes == later.bytes)
    }

    @Test("a label becomes usable once the aligned as-of time passes its label time")
    func lateLabelCountsOnceKnown() throws {
        // With a 2h maturity, as of 04:00 the final window is still [01:00, 02:00), and p07's label (03:30)
        // is no longer late: p07 joins as a positive with score 0.2, which every negative outranks.
        let yaml = joinConfig().replacingOccurrences(of: "maturity: 1h", with: "maturity: 2h")
        let run = try runPipeline(yaml: yaml, asOf: "2026-11-20T04:00:00Z", in: TemporaryDirectory())
        let counters = try #require(run.report.models.first?.counters)
        #expect(counters.lateLabels == 0)
        #expect(counters.labelsMatched == 8)
        let performance = try run.point("modelwatch_performance")
        #expect(performance.timestampMs == performanceTimestamp)
        #expect(performance.integer("n") == 8)
        #expect(performance.integer("n_pos") == 5)
        #expect(performance.number("auc") == 9.5 / 15)

        // As of 03:59 the as-of aligns down to 03:00, so the 03:30 label is still late.
        let aligned = try runPipeline(yaml: yaml, asOf: "2026-11-20T03:59:00Z", in: TemporaryDirectory())
        #expect(aligned.report.models.first?.counters.lateLabels == 1)
    }

    @Test("labels of scores outside the read range are neither matched nor orphans")
    func labelsOfScoresOutsideTheRange() throws {
        // As of 04:00 with a 1h maturity the read range is [02:00, 04:00): p01…p08 are outside it.
        let run = try runPipeline(yaml: joinConfig(), asOf: "2026-11-20T04:00:00Z", in: TemporaryDirectory())
        let counters = try #require(run.report.models.first?.counters)
        #expect(counters.labelsMatched == 0)
        #expect(counters.orphanLabels == 1, "only p99")
        #expect(counters.lateLabels == 0)
    }

    @Test("without a label time column every label counts as known, and the last label read wins")
    func labelsWithoutTimes() throws {
        // No label time: p07's label is not late; p04 keeps its last label (1) and p05 its last label (0).
        // Positives p01 0.9, p02 0.8, p04 0.6, p07 0.2; negatives p03 0.35, p05 0.3, p06 0.45, p08 0.3:
        // 0.9, 0.8 and 0.6 beat all four negatives, 0.2 beats none: AUC = 12/16.
        let yaml = joinConfig().replacingOccurrences(of: "columns: {time: label_time}", with: "columns: {}")
        let run = try runPipeline(yaml: yaml, asOf: asOf, in: TemporaryDirectory())
        let counters = try #require(run.report.models.first?.counters)
        #expect(counters.lateLabels == 0)
        #expect(counters.labelsMatched == 8)
        #expect(counters.duplicateLabels == 2)
        let performance = try run.point("modelwatch_performance")
        #expect(performance.integer("n") == 8)
        #expect(performance.integer("n_pos") == 4)
        #expect(performance.number("auc") == 0.75)
    }

    @Test("an empty segment value is written as (missing), never as an empty tag")
    func missingSegmentValue() throws {
        let directory = TemporaryDirectory()
        directory.write("scores.csv", """
            prediction_id,prediction_time,score,region
            a,2026-11-20T02:10:00Z,0.2,north
            b,2026-11-20T02:20:00Z,0.4,
            c,2026-11-20T02:30:00Z,0.6,""

            """)
        let yaml = joinConfig(scores: directory.file("scores.csv"), extra: ["segments: [region]"])
        let run = try runPipeline(yaml: yaml, asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        #expect(try run.point("modelwatch_output", ["segment": "region", "segment_value": "(missing)"]).integer("count") == 2)
        #expect(try run.point("modelwatch_output", ["segment": "region", "segment_value": "north"]).integer("count") == 1)
        #expect(run.lines.allSatisfy { !$0.tags.values.contains("") })
    }

    @Test("an as-of with no data in its windows writes empty-window points without NaN or empty tags")
    func emptyWindows() throws {
        let run = try runPipeline(yaml: joinConfig(), asOf: "2030-01-01T00:00:00Z", in: TemporaryDirectory())
        #expect(run.report.exitStatus == .ok)
        let performance = try run.point("modelwatch_performance")
        #expect(performance.integer("n") == 0)
        #expect(performance.fields["auc"] == nil)
        #expect(performance.string("undefined_reason") == "empty window")
        #expect(try run.point("modelwatch_output").integer("count") == 0)
        #expect(try run.point("modelwatch_join").integer("scored") == 0)
        #expect(!run.text.lowercased().contains("nan") && !run.text.contains("inf,") && !run.text.contains("=,"))
    }

    @Test("JSON Lines and gzip-compressed inputs give the same points as CSV", arguments: [
        ("join/scores.jsonl", "join/labels.jsonl"),
        ("join/scores.csv.gz", "join/labels.csv.gz"),
        ("join/scores.csv.gz", "join/labels.jsonl"),
    ])
    func formatsAgree(_ scores: String, _ labels: String) throws {
        let csv = try runPipeline(yaml: joinConfig(extra: ["segments: [region]"]), asOf: asOf, in: TemporaryDirectory())
        // The JSON Lines fixtures hold epoch numbers (scores in milliseconds, labels in seconds), declared as such.
        let other = try runPipeline(
            yaml: joinConfig(scores: scores, labels: labels, extra: ["segments: [region]"],
                             scoresUnit: scores.hasSuffix(".jsonl") ? "milliseconds" : nil, labelsUnit: labels.hasSuffix(".jsonl") ? "seconds" : nil),
            asOf: asOf, in: TemporaryDirectory())
        #expect(other.report.exitStatus == .ok, "\(SummaryRenderer.render(other.report))")
        #expect(other.report.models.first?.counters == csv.report.models.first?.counters)
        // Every point but the heartbeat (whose config fingerprint differs with the paths) is byte-identical.
        let metricLines = { (run: PipelineRun) in run.text.split(separator: "\n").filter { !$0.hasPrefix("modelwatch_run,") } }
        #expect(metricLines(csv).count > 10)
        #expect(metricLines(other) == metricLines(csv))
    }

    @Test("a segment column over its cap keeps the most frequent values and folds the rest into `(other)`")
    func segmentCap() throws {
        let directory = TemporaryDirectory()
        // Stored rows by region: north 5, south 3, east 1, west 1, `São Paulo, "SP"` 1. A cap of 3 keeps 2 + (other).
        let run = try runPipeline(yaml: joinConfig(extra: ["segments: [region]", "segment_cap: 3"]), asOf: asOf, in: directory)
        let model = try #require(run.report.models.first)
        // Each window is capped by its own rows: the performance window folds east and west; the input window has
        // three values (north, south, São Paulo) and keeps them all.
        #expect(model.foldedSegments == ["region": ["east", "west"]])

        let performance = run.points("modelwatch_performance", ["segment": "region"])
        #expect(performance.map { $0.tags["segment_value"]! } == ["(other)", "north", "south"])
        let n = { (value: String) in try run.point("modelwatch_performance", ["segment": "region", "segment_value": value]).integer("n_scored") }
        #expect(try n("north") == 4)   // p01 p02 p04 p08
        #expect(try n("south") == 2)   // p03 p05
        #expect(try n("(other)") == 2)   // p06 (east) p07 (west)
        let count = { (value: String) in try run.point("modelwatch_output", ["segment": "region", "segment_value": value]).integer("count") }
        #expect(try count("north") == 1)
        #expect(try count("south") == 1)
        #expect(try count("São Paulo, \"SP\"") == 1)  // p13
        #expect(run.points("modelwatch_output", ["segment": "region", "segment_value": "(other)"]).isEmpty)
        #expect(SummaryRenderer.render(run.report).contains("region: 2 values folded into `(other)`"))
    }

    @Test("a window's segment slices depend on its own rows only, so restating or backfilling it rewrites the same series", arguments: [
        // (which window's rows change, the rows added to it): the other window's points must not change.
        ("input", "south"), ("performance", "east"),
    ])
    func segmentCapPerWindow(changed: String, heavyValue: String) throws {
        // Performance window [01:00, 02:00): north 4, south 2, east 1, west 1. Input window [02:00, 03:00): north 3,
        // south 2, east 1. With a cap of 2, each window keeps its top value (north) and folds the rest. Twenty rows
        // of `heavyValue` added to one window make that value the most frequent of the whole read range, which
        // would change the other window's kept value if values were counted over all rows read.
        let performanceRows = ["north", "north", "north", "north", "south", "south", "east", "west"]
        let inputRows = ["north", "north", "north", "south", "south", "east"]
        func csv(extra: Int) -> (scores: String, labels: String) {
            var scores = "prediction_id,prediction_time,score,region\n"
            var labels = "prediction_id,label,label_time\n"
            for (index, region) in performanceRows.enumerated() {
                scores += "a\(index),2026-11-20T01:\(10 + index):00Z,0.\(index + 1),\(region)\n"
                labels += "a\(index),\(index % 2),2026-11-20T02:30:00Z\n"
            }
            for (index, region) in inputRows.enumerated() {
                scores += "b\(index),2026-11-20T02:\(10 + index):00Z,0.\(index + 2),\(region)\n"
            }
            for index in 0..<extra {
                let minute = 30 + index
                scores += changed == "input"
                    ? "x\(index),2026-11-20T02:\(minute):00Z,0.5,\(heavyValue)\n"
                    : "x\(index),2026-11-20T01:\(minute):00Z,0.5,\(heavyValue)\n"
                if changed == "performance" { labels += "x\(index),1,2026-11-20T02:40:00Z\n" }
            }
            return (scores, labels)
        }
        func points(extra: Int) throws -> [String] {
            let directory = TemporaryDirectory()
            let files = csv(extra: extra)
            let run = try runPipeline(
                yaml: joinConfig(scores: directory.write("scores.csv", files.scores), labels: directory.write("labels.csv", files.labels),
                                 extra: ["segments: [region]", "segment_cap: 2"]),
                asOf: asOf, in: directory)
            let unchanged = changed == "input" ? performanceTimestamp : inputTimestamp
            return run.lines.filter { $0.timestampMs == unchanged && $0.measurement != "modelwatch_run" }.map(\.description)
        }
        let before = try points(extra: 0)
        let after = try points(extra: 20)
        #expect(before.contains { $0.contains("segment_value=north") } && before.contains { $0.contains("segment_value=(other)") })
        #expect(before.count >= 5)
        #expect(after == before)
    }

    @Test("a real segment value `other` keeps its own series next to the folded `(other)`")
    func realOtherValueIsNotMerged() throws {
        let directory = TemporaryDirectory()
        // The fixture with `south` renamed `other`: other (3 rows) is kept, east, west and São Paulo are folded.
        let text = try String(contentsOfFile: Fixture.path("join/scores.csv"), encoding: .utf8).replacingOccurrences(of: ",south", with: ",other")
        let scores = directory.write("scores.csv", text)
        let run = try runPipeline(yaml: joinConfig(scores: scores, extra: ["segments: [region]", "segment_cap: 3"]), asOf: asOf, in: directory)
        let performance = run.points("modelwatch_performance", ["segment": "region"])
        #expect(performance.map { $0.tags["segment_value"]! } == ["(other)", "north", "other"])
        let n = { (value: String) in try run.point("modelwatch_performance", ["segment": "region", "segment_value": value]).integer("n_scored") }
        #expect(try n("other") == 2)     // p03 p05, as `south` above
        #expect(try n("(other)") == 2)   // p06 (east) p07 (west)
    }

    @Test("segment values needing escapes survive the round trip through line protocol")
    func segmentValuesAreEscaped() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(extra: ["segments: [region]"]), asOf: asOf, in: directory)
        let output = try run.point("modelwatch_output", ["segment": "region", "segment_value": "São Paulo, \"SP\""])
        #expect(output.integer("count") == 1)
        #expect(output.raw.contains(#"segment_value=São\ Paulo\,\ "SP""#))
        #expect(run.report.models.first?.foldedSegments.isEmpty == true)
    }

    @Test("a malformed row is counted and sampled with file:line, and the run goes on within the budget")
    func malformedRowsWithinBudget() throws {
        let directory = TemporaryDirectory()
        let yaml = joinConfig(scores: "bad/scores.csv", labels: "bad/labels.csv", run: "run:\n  max_bad_rows: 2\n  max_bad_row_fraction: 0.2")
        let run = try runPipeline(yaml: yaml, asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        let model = try #require(run.report.models.first)
        #expect(model.counters.rowsRejected == 2)
        #expect(model.counters.rowsRead == 12)
        let path = Fixture.path("bad/scores.csv")
        #expect(model.rowErrorSamples.count == 2)
        #expect(model.rowErrorSamples.first?.hasPrefix("\(path):4:") == true, "\(model.rowErrorSamples)")
        #expect(model.rowErrorSamples.first?.contains("\"abc\"") == true)
        #expect(model.rowErrorSamples.last?.hasPrefix("\(path):7:") == true, "\(model.rowErrorSamples)")
        #expect(model.rowErrorSamples.last?.contains("prediction_time") == true)
        #expect(try run.point("modelwatch_performance").integer("n") == 4)
        let heartbeat = try run.point("modelwatch_run")
        #expect(heartbeat.integer("rows_rejected") == 2)
        #expect(heartbeat.string("status") == "ok")
    }

    @Test("over the bad-row budget: data error, no metric points for the model, only its heartbeat; the message gives the count and the rate against their limits", arguments: [
        ("run:\n  max_bad_rows: 1\n  max_bad_row_fraction: 1",
         "count 2, limit run.max_bad_rows 1: over; rate 16.67%, limit run.max_bad_row_fraction 1.0 (100%): within."),
        ("run:\n  max_bad_rows: 100\n  max_bad_row_fraction: 0.1",
         "count 2, limit run.max_bad_rows 100: within; rate 16.67%, limit run.max_bad_row_fraction 0.1 (10%): over."),
        ("",  // defaults: 1000 rows, 1 % of rows
         "count 2, limit run.max_bad_rows 1000: within; rate 16.67%, limit run.max_bad_row_fraction 0.01 (1%): over."),
    ])
    func overTheBadRowBudget(_ runOptions: String, _ limits: String) throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(scores: "bad/scores.csv", labels: "bad/labels.csv", run: runOptions), asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .dataError)
        let model = try #require(run.report.models.first)
        #expect(model.status == .dataError)
        #expect(model.message?.contains("2 of 12 rows could not be parsed") == true, "\(model.message ?? "")")
        #expect(model.message?.contains(limits) == true, "\(model.message ?? "")")
        #expect(model.message?.contains("bad/scores.csv:4:") == true)
        #expect(run.lines.map(\.measurement) == ["modelwatch_run", "modelwatch_deadline", "modelwatch_deadline"], "\(run.text)")
        let heartbeat = try run.point("modelwatch_run", ["model": "churn"])
        #expect(heartbeat.string("status") == "data_error")
        #expect(heartbeat.boolean("success") == false)
        #expect(heartbeat.integer("exit_code") == 65)
        #expect(heartbeat.integer("rows_rejected") == 2)
        #expect(heartbeat.timestampMs == inputTimestamp)
    }

    @Test("one model over its budget does not stop the others; the run exits with the worst status")
    func failingModelDoesNotStopOthers() throws {
        let directory = TemporaryDirectory()
        let yaml = joinConfig(scores: "bad/scores.csv", labels: "bad/labels.csv", run: "run:\n  max_bad_rows: 0")
            + joinConfig().components(separatedBy: "models:\n").last!.replacingOccurrences(of: "name: churn", with: "name: fraud")
        let run = try runPipeline(yaml: yaml, asOf: asOf, in: directory)
        #expect(run.report.models.map(\.status) == [.dataError, .ok])
        #expect(run.report.exitStatus == .dataError)
        #expect(run.points("modelwatch_performance", ["model": "churn"]).isEmpty)
        #expect(run.points("modelwatch_performance", ["model": "fraud"]).count == 1)
        #expect(run.points("modelwatch_run").map { $0.tags["model"]! } == ["churn", "fraud"])
    }

    @Test("a missing score file is a missing input (66) naming models[<name>].scores.path")
    func missingScoreFile() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(scores: directory.file("nope/scores.csv")), asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .noInput)
        let message = try #require(run.report.models.first?.message)
        #expect(message.hasPrefix("models[churn].scores.path:"), "\(message)")
        #expect(message.contains("nope/scores.csv"))
        #expect(try run.point("modelwatch_run").string("status") == "no_input")
        #expect(run.lines.count == JobRunner.heartbeatPoints)
    }

    @Test("a glob matching nothing is a missing input (66) naming the labels path")
    func globWithoutMatches() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(labels: directory.file("labels-*.csv")), asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .noInput)
        #expect(run.report.models.first?.message?.hasPrefix("models[churn].labels.path:") == true, "\(run.report.models.first?.message ?? "")")
    }

    @Test("a directory source reads its data files in name order, like the single file")
    func directorySource() throws {
        let directory = TemporaryDirectory()
        let lines = try String(contentsOfFile: Fixture.path("join/scores.csv"), encoding: .utf8).split(separator: "\n")
        // Split the scores over two files (the duplicate p03 lands in the second, so order matters).
        directory.write("scores/a.csv", lines.prefix(6).joined(separator: "\n") + "\n")
        directory.write("scores/b.csv", ([lines[0]] + lines.dropFirst(6)).joined(separator: "\n") + "\n")
        directory.write("scores/notes.txt", "ignored\n")
        let split = try runPipeline(yaml: joinConfig(scores: directory.file("scores")), asOf: asOf, in: directory)
        let single = try runPipeline(yaml: joinConfig(), asOf: asOf, in: TemporaryDirectory())
        #expect(split.report.models.first?.counters == single.report.models.first?.counters)
        #expect(try split.point("modelwatch_performance").fields == single.point("modelwatch_performance").fields)
    }

    @Test("the heartbeat carries the age of the newest prediction and label; a fresh window has no warning")
    func freshnessFigures() throws {
        let run = try runPipeline(yaml: joinConfig(), asOf: asOf, in: TemporaryDirectory())
        let model = try #require(run.report.models.first)
        #expect(model.warnings.isEmpty, "\(model.warnings)")
        let heartbeat = try run.point("modelwatch_run")
        // Newest prediction before 03:00 is 02:20 (the 03:00 row belongs to the next window); newest label by 03:00 is 02:50.
        #expect(heartbeat.integer("newest_prediction_age_seconds") == 40 * 60)
        #expect(heartbeat.integer("newest_label_age_seconds") == 10 * 60)
    }

    @Test("three weeks after the last prediction the empty input window is a warning in the summary, the record and validate")
    func staleDataWarns() throws {
        let stale = "2026-12-12T00:00:00Z"
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(), asOf: stale, in: directory)
        #expect(run.report.exitStatus == .ok)
        let model = try #require(run.report.models.first)
        let warning = try #require(model.warnings.first)
        #expect(warning.hasPrefix("no prediction in the input window [2026-12-11T23:00:00Z, 2026-12-12T00:00:00Z); the newest is 20d 23h old (2026-11-21T01:00:00Z)"), "\(warning)")
        #expect(SummaryRenderer.render(run.report).contains("  warning      \(warning)"))
        #expect(SummaryRecord.render(run.report, format: .json, nowMs: 0).contains("\"warnings\":["))
        let heartbeat = try run.point("modelwatch_run")
        #expect(heartbeat.integer("newest_prediction_age_seconds") == 503 * 3600)
        #expect(heartbeat.integer("newest_label_age_seconds") == 21 * 86_400 + 20 * 3600 + 30 * 60)

        let configuration = try ConfigLoader.parse(yaml: joinConfig(), file: directory.file("m.yaml"), environment: [:])
        let validated = SourceValidator.validate(configuration, asOfMs: ms(stale))
        #expect(validated.status == .ok)
        #expect(validated.text.contains("  warning: \(warning)"), "\(validated.text)")
        #expect(validated.text.contains("newest prediction: 2026-11-21T01:00:00Z (20d 23h before the as-of time)"), "\(validated.text)")
        #expect(!SourceValidator.validate(configuration, asOfMs: ms(asOf)).text.contains("warning: no prediction"))
    }

    @Test("a missing column is a configuration error naming the column", arguments: [
        ("score: probability", "probability"),
        ("id: request_id", "request_id"),
    ])
    func missingColumn(_ mapping: String, _ column: String) throws {
        let directory = TemporaryDirectory()
        let yaml = joinConfig().replacingOccurrences(of: "      columns: {}\n", with: "      columns: {\(mapping)}\n")
        let run = try runPipeline(yaml: yaml, asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .configError)
        let message = try #require(run.report.models.first?.message)
        #expect(message.hasPrefix("models[churn].scores.columns."), "\(message)")
        #expect(message.contains("missing column \"\(column)\""), "\(message)")
        #expect(message.contains("prediction_id, prediction_time, score, region"), "the message lists the available columns: \(message)")
    }

    @Test("a misspelled column is reported under the key that asked for it, with the closest column the file has", arguments: [
        (["features:", "  numeric: [regoin]"], "", "models[churn].features.numeric", "region"),
        (["features:", "  categorical: [Region]"], "", "models[churn].features.categorical", "region"),
        (["segments: [regon]"], "", "models[churn].segments", "region"),
        ([], "score: scor", "models[churn].scores.columns.score", "score"),
        ([], "time: prediction_tim", "models[churn].scores.columns.time", "prediction_time"),
    ])
    func misspelledColumn(_ extra: [String], _ mapping: String, _ key: String, _ suggestion: String) throws {
        let directory = TemporaryDirectory()
        let yaml = joinConfig(extra: extra).replacingOccurrences(of: "      columns: {}\n", with: "      columns: {\(mapping)}\n")
        let run = try runPipeline(yaml: yaml, asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .configError)
        let message = try #require(run.report.models.first?.message)
        #expect(message.hasPrefix("\(key): "), "\(message)")
        #expect(message.contains("(did you mean `\(suggestion)`?)"), "\(message)")
    }

    @Test("a misspelled label column is reported under labels.columns with a suggestion")
    func misspelledLabelColumn() throws {
        let directory = TemporaryDirectory()
        let yaml = joinConfig().replacingOccurrences(of: "columns: {time: label_time}", with: "columns: {time: labeltime}")
        let run = try runPipeline(yaml: yaml, asOf: asOf, in: directory)
        #expect(run.report.exitStatus == .configError)
        let message = try #require(run.report.models.first?.message)
        #expect(message.hasPrefix("models[churn].labels.columns.time: "), "\(message)")
        #expect(message.contains("(did you mean `label_time`?)"), "\(message)")
    }

    @Test("--model runs only the named model; an unknown name is a usage error")
    func modelFilter() throws {
        let directory = TemporaryDirectory()
        let configuration = try ConfigLoader.parse(yaml: joinConfig(), file: directory.file("m.yaml"), environment: [:])
        let runner = JobRunner(environment: .frozen)
        let unknown = runner.run(RunRequest(configuration: configuration, asOfMs: ms(asOf), output: .file(directory.file("x.lp")), modelFilter: "nope"))
        #expect(unknown.exitStatus == .usage)
        #expect(unknown.runError?.message.contains("churn") == true)
        #expect(!FileManager.default.fileExists(atPath: directory.file("x.lp")))
        let known = runner.run(RunRequest(configuration: configuration, asOfMs: ms(asOf), output: .file(directory.file("y.lp")), modelFilter: "churn"))
        #expect(known.exitStatus == .ok)
        #expect(known.models.map(\.name) == ["churn"])
    }

    @Test("without InfluxDB configured, the influx target is a configuration error naming influx.url")
    func influxTargetWithoutInflux() throws {
        let configuration = try ConfigLoader.parse(yaml: joinConfig(), file: "/tmp/m.yaml", environment: [:])
        let report = JobRunner(environment: .frozen).run(RunRequest(configuration: configuration, asOfMs: ms(asOf), output: .influx))
        #expect(report.exitStatus == .configError)
        #expect(report.runError?.message.hasPrefix("influx.url:") == true)
    }

    @Test("the summary's delivered count matches its encoded count on a clean run (the heartbeat included)")
    func summaryCountsTheHeartbeat() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: joinConfig(), asOf: asOf, in: directory)
        let model = try #require(run.report.models.first)
        #expect(run.lines.count == model.pointsEncoded + JobRunner.heartbeatPoints)
        let summary = SummaryRenderer.render(run.report)
        let total = run.lines.count
        #expect(summary.contains("\(total) encoded · \(total) delivered"), "\(summary)")
    }

    @Test("validate reads the sources like a run and writes nothing")
    func validateReportsWithoutWriting() throws {
        let directory = TemporaryDirectory()
        let ok = try ConfigLoader.parse(yaml: joinConfig(), file: directory.file("m.yaml"), environment: [:])
        let report = SourceValidator.validate(ok, asOfMs: ms(asOf))
        #expect(report.status == .ok, "\(report.text)")
        #expect(report.text.contains("scores: 15 rows read, 12 in the evaluated range"), "\(report.text)")
        #expect(report.text.contains("labels: 12 rows read, 7 matched to scores in range, 1 orphans, 1 after the as-of time"), "\(report.text)")
        #expect(report.text.contains("threads: \(ThreadBudget.availableCPUs()) (auto: "), "\(report.text)")
        var pinned = ok
        pinned.run.threads = 3
        #expect(SourceValidator.validate(pinned, asOfMs: ms(asOf)).text.contains("threads: 3 (run.threads)"))
        #expect(directory.listing().isEmpty)

        let bad = try ConfigLoader.parse(yaml: joinConfig(scores: "bad/scores.csv", labels: "bad/labels.csv"), file: directory.file("m.yaml"), environment: [:])
        let badReport = SourceValidator.validate(bad, asOfMs: ms(asOf))
        #expect(badReport.status == .dataError)
        #expect(badReport.text.contains("bad/scores.csv:4:"))

        let missing = try ConfigLoader.parse(yaml: joinConfig(scores: "/nonexistent/scores.csv"), file: directory.file("m.yaml"), environment: [:])
        #expect(SourceValidator.validate(missing, asOfMs: ms(asOf)).status == .noInput)
    }
}
