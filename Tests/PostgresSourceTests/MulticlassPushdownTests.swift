import DriftMetrics
import Foundation
@testable import ModelwatchConfiguration
@testable import ModelwatchJob
@testable import ModelwatchSources
import PerformanceMetrics
import PostgresSource
import Testing
import TestSupport

/// Multiclass push-down against exact mode on the same tables: every field push-down writes equals exact mode's
/// (counts exactly, ratios within 1e-12), the confusion counts of the final window equal counts made here from the
/// generated rows, and what needs the rows (one-vs-rest AUC, top-k accuracy) is absent.
@Suite("PostgreSQL push-down of multiclass models against exact mode", .serialized, .enabled(if: Postgres.enabled, "PostgreSQL missing and MODELWATCH_ALLOW_SKIP=1"))
struct MulticlassPushdownTests {
    static let asOf = "2026-11-20T00:00:00Z"
    static let classes = ["cat", "dog", "bird", "fish"]

    /// One generated prediction: its class, the label observed by the as-of time (nil: none), its region.
    struct Truth {
        var predicted: String?
        var label: String?
        var region: String?
    }

    /// Predictions over 20:00–24:00 (index i at 20:00 + 6 s · i; the final window is 1200..<1800) with four classes
    /// of which `fish` is never predicted, a true class outside every list (`wolf`) and a predicted one (`eel`),
    /// NULL and empty predictions, unlabelled rows, corrected labels (the later one counts), NULL and empty label rows
    /// after a valid one (rejected by exact mode: the valid one counts) or alone, labels after the as-of time
    /// (ignored), a region where every label and prediction is `dog` (`mono`: one class present), and probability
    /// columns with rows exact mode skips (sum off, NULL, NaN) and clipped ones (p_true 0 or 1).
    static func load(_ server: PostgresServer) throws -> [Truth] {
        let connection = try Postgres.connect(server)
        try connection.execute("SET default_transaction_read_only = off")
        try connection.execute("""
            CREATE TABLE scores (prediction_id text, prediction_time timestamptz, predicted text, region text,
                                 p_cat float8, p_dog float8, p_bird float8, p_fish float8, p_ant float8);
            CREATE TABLE labels (prediction_id text, label text, label_time timestamptz)
            """)
        var scoreValues: [String] = []
        var labelValues: [String] = []
        var truths: [Truth] = []
        let regions = ["north", "south", "east", "west", "mono"]
        for index in 0..<2400 {
            let time = "timestamptz '2026-11-19 20:00:00+00' + \(index * 6000) * interval '1 millisecond'"
            let region = regions[index % regions.count]
            let bucket = (index * 7919) % 1000
            var truth = bucket < 400 ? "cat" : bucket < 700 ? "dog" : bucket < 900 ? "bird" : "fish"
            if index % 37 == 0 { truth = "wolf" }
            var predicted = (index * 104_729) % 10 < 7 ? truth : classes[(index * 31) % 4]
            if predicted == "fish" { predicted = "bird" }
            if predicted == "wolf" { predicted = "cat" }
            if index % 41 == 0 { predicted = "eel" }
            if region == "mono" { truth = "dog"; predicted = "dog" }
            var predictedSQL: String? = "'\(predicted)'"
            if index % 89 == 3 { predictedSQL = nil }
            if index % 151 == 4 { predictedSQL = "''" }
            // Probabilities over cat, dog, bird, fish, ant.
            var weights = (0..<5).map { Double(1 + (index * 31 + $0 * 17) % 7) }
            if let p = classes.firstIndex(of: predicted) { weights[p] += 8 }
            if index % 3 == 0 { weights[3] = 0; weights[4] = 0 }
            let t = classes.firstIndex(of: truth) ?? 0
            if index % 71 == 0 { weights = (0..<5).map { $0 == (t + 1) % 3 ? 1 : 0 } }  // p_true = 0
            if index % 73 == 0 { weights = (0..<5).map { $0 == t ? 1 : 0 } }  // p_true = 1
            let total = weights.reduce(0, +)
            var probabilities = weights.map { "CAST('\($0 / total)' AS float8)" }
            if index % 53 == 0 { probabilities[0] = "CAST('\(weights[0] / total + 0.01)' AS float8)" }
            if index % 59 == 0 { probabilities[1] = "NULL" }
            if index % 67 == 1 { probabilities[2] = "CAST('NaN' AS float8)" }
            let regionSQL = region == "west" && index % 2 == 0 ? "NULL" : "'\(region)'"
            scoreValues.append("('m\(index)', \(time), \(predictedSQL ?? "NULL"), \(regionSQL), \(probabilities.joined(separator: ", ")))")
            var observed: String?
            defer {
                let present = predictedSQL != nil && predictedSQL != "''"
                truths.append(Truth(predicted: present ? predicted : nil, label: observed, region: regionSQL == "NULL" ? nil : region))
            }
            if index % 11 == 0 { continue }  // unlabelled
            if index % 29 == 6 {  // only a NULL label: unlabelled in both modes
                labelValues.append("('m\(index)', NULL, \(time) + interval '10 minutes')")
                continue
            }
            labelValues.append("('m\(index)', '\(truth)', \(time) + interval '10 minutes')")
            observed = truth
            if index % 13 == 0, region != "mono" {
                let corrected = classes[(t + 1) % 4]
                labelValues.append("('m\(index)', '\(corrected)', \(time) + interval '20 minutes')")
                observed = corrected
            }
            if index % 19 == 2 { labelValues.append("('m\(index)', NULL, \(time) + interval '30 minutes')") }
            if index % 23 == 3 { labelValues.append("('m\(index)', '', \(time) + interval '35 minutes')") }
            if index % 17 == 0 { labelValues.append("('m\(index)', 'fish', timestamptz '2026-11-20 01:00:00+00')") }
        }
        try connection.execute("INSERT INTO scores VALUES \(scoreValues.joined(separator: ",\n"))")
        try connection.execute("INSERT INTO labels VALUES \(labelValues.joined(separator: ",\n"))")
        try connection.execute("ANALYZE scores; ANALYZE labels")
        return truths
    }

    /// The model: `classes` from the config, or (`profile`) from the reference profile with `class_cap: 3`, or
    /// (`profile` and `listed`) `classes: [cat, dog, bird]` with the profile and `class_cap: 5`, so that the true
    /// classes `fish` and `wolf`, outside the list, have drift bins of their own in the profile's `(label)` entry.
    static func yaml(_ server: PostgresServer, mode: String, segmentCap: Int, profile: String?, listed: Bool = false) -> String {
        let list = profile == nil
            ? "classes: [cat, dog, bird, fish, ant]\n    class_cap: 5"
            : listed ? "classes: [cat, dog, bird]\n    class_cap: 5\n    reference_profile: \(profile!)"
            : "class_cap: 3\n    reference_profile: \(profile!)"
        let probabilities = profile == nil ? ", fish: p_fish, ant: p_ant" : listed ? "" : ", fish: p_fish"
        // NULL and empty label rows are rejected rows in exact mode (about 7% here): a budget that admits them.
        return """
            run:
              max_bad_row_fraction: 0.2
            models:
              - name: m
                task: multiclass
                window: 1h
                maturity: 1h
                segments: [region]
                segment_cap: \(segmentCap)
                \(list)
                top_k_accuracy: 2
                minimum_samples: {n: 50, per_class: 20}
                scores:
                  postgres: \(Postgres.block(server, "table: scores", extra: "mode: \(mode)"))
                  columns:
                    id: prediction_id
                    time: prediction_time
                    prediction: predicted
                    probabilities: {cat: p_cat, dog: p_dog, bird: p_bird\(probabilities)}
                labels:
                  postgres: \(Postgres.block(server, "table: labels"))
                  columns: {id: prediction_id, label: label, time: label_time}
            """
    }

    static func run(
        _ server: PostgresServer, mode: String, segmentCap: Int, profile: String?, listed: Bool = false, directory: URL
    ) throws -> (ModelReport, [ParsedLine]) {
        let (report, lines) = try Job.run(
            configPath: directory.appendingPathComponent("modelwatch.yaml").path,
            yaml: yaml(server, mode: mode, segmentCap: segmentCap, profile: profile, listed: listed),
            environment: Postgres.environment(server), asOf: asOf, output: directory.appendingPathComponent("\(mode).lp"))
        return (try #require(report.models.first), Job.metricLines(lines).map(ParsedLine.init))
    }

    /// Builds a reference profile of the model (exact read of 20:00–22:00) and returns its path.
    static func buildProfile(_ server: PostgresServer, listed: Bool = false, directory: URL) throws -> String {
        let path = directory.appendingPathComponent("profile.json").path
        let configuration = try ConfigLoader.parse(
            yaml: yaml(server, mode: "exact", segmentCap: 20, profile: path, listed: listed), file: directory.appendingPathComponent("modelwatch.yaml").path,
            environment: Postgres.environment(server))
        let built = try ProfileBuilder.build(
            model: configuration.models[0],
            range: TimeRange(startMs: TimeText.parseRFC3339("2026-11-19T20:00:00Z")!, endMs: TimeText.parseRFC3339("2026-11-19T22:00:00Z")!),
            inputPath: nil, options: configuration.run)
        try ProfileBuilder.write(built, to: path)
        return path
    }

    @Test("multiclass push-down equals exact mode (confusion counts, accuracy, balanced accuracy, per-class and averaged precision/recall/F1, kappa, log loss, Brier, gates, output and label drift) per window, version and capped segment; AUC and top-k are absent",
          arguments: [(20, false), (3, false), (20, true)])
    func multiclassMatchesExact(segmentCap: Int, classesFromProfile: Bool) throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-multiclass")
        defer { try? FileManager.default.removeItem(at: directory) }
        let truths = try Self.load(server)
        let profile = classesFromProfile ? try Self.buildProfile(server, directory: directory) : nil
        let (exactReport, exact) = try Self.run(server, mode: "exact", segmentCap: segmentCap, profile: profile, directory: directory)
        let (report, pushdown) = try Self.run(server, mode: "pushdown", segmentCap: segmentCap, profile: profile, directory: directory)
        #expect(exactReport.status == .ok && report.status == .ok, "\(exactReport.message ?? "") \(report.message ?? "")")

        let compared = PushdownCorrectnessTests.compare(pushdown: pushdown, exact: exact) { _, _, a, b in
            PushdownCorrectnessTests.close(a, b, relative: 1e-12) || abs(a - b) < 1e-12
        }
        #expect(compared > 800, "\(compared) fields compared")
        // The same series: push-down leaves out no window, slice, class or confusion cell.
        for measurement in ["modelwatch_multiclass", "modelwatch_multiclass_class", "modelwatch_confusion", "modelwatch_label",
                            "modelwatch_output", "modelwatch_output_class", "modelwatch_join"] {
            let mine = Set(pushdown.filter { $0.measurement == measurement }.map(\.series))
            let theirs = Set(exact.filter { $0.measurement == measurement }.map(\.series))
            #expect(!mine.isEmpty && mine == theirs, "\(measurement): only push-down \(mine.subtracting(theirs).sorted()), only exact \(theirs.subtracting(mine).sorted())")
        }
        let multiclass = pushdown.filter { $0.measurement == "modelwatch_multiclass" }
        for point in multiclass {
            for field in ["roc_auc_macro", "roc_auc_weighted", "top_k_accuracy", "top_k"] {
                #expect(point.fields[field] == nil, "row-only field \(field) is absent: \(point.series)")
            }
        }
        #expect(exact.contains { $0.measurement == "modelwatch_multiclass" && $0.fields["top_k_accuracy"] != nil }, "exact mode writes top-k")
        #expect(multiclass.contains { $0.fields["log_loss"] != nil && $0.fields["brier"] != nil }, "log loss and Brier are pushed down")
        #expect(pushdown.filter { $0.measurement == "modelwatch_label" }.contains { $0.fields["psi"] != nil } == classesFromProfile,
                "label drift with a profile")
        #expect(pushdown.filter { $0.measurement == "modelwatch_output" }.contains { $0.fields["psi"] != nil } == classesFromProfile,
                "prediction drift with a profile")

        // The final window's all-rows confusion counts, counted here from the generated rows.
        let join = try #require(pushdown.first { $0.measurement == "modelwatch_join" })
        let finalTime = join.timestamp
        let list = classesFromProfile ? ["cat", "dog", "bird"] : Self.classes + ["ant"]
        var expected: [String: Int] = [:]
        var n = 0, otherLabels = 0, otherPredictions = 0, scored = 0
        for truth in truths[1200..<1800] {
            guard let predicted = truth.predicted else { continue }
            scored += 1
            guard let label = truth.label else { continue }
            let t = list.contains(label) ? label : "(other)"
            let p = list.contains(predicted) ? predicted : "(other)"
            n += 1
            if t == "(other)" { otherLabels += 1 }
            if p == "(other)" { otherPredictions += 1 }
            expected["class=\(t),predicted_class=\(p)", default: 0] += 1
        }
        let all = try #require(multiclass.first { $0.timestamp == finalTime && $0.tags.contains("segment=all") })
        #expect(all.fields["n"] == "\(n)i" && all.fields["n_scored"] == "\(scored)i", "\(all.fields) n \(n) scored \(scored)")
        #expect(all.fields["other_labels"] == "\(otherLabels)i" && all.fields["other_predictions"] == "\(otherPredictions)i")
        #expect(otherLabels > 0 && otherPredictions > 0, "both sides of (other) occur")
        let cells = pushdown.filter { $0.measurement == "modelwatch_confusion" && $0.timestamp == finalTime && $0.tags.contains("segment=all") }
        var counted: [String: Int] = [:]
        for cell in cells {
            let key = cell.tags.split(separator: ",").filter { $0.hasPrefix("class=") || $0.hasPrefix("predicted_class=") }.joined(separator: ",")
            counted[key] = cell.fields["count"].flatMap { Int($0.dropLast()) }
        }
        #expect(counted == expected.mapValues { $0 }, "confusion counts of the final window")

        // A class never predicted has no precision; the one-class segment has no kappa.
        if !classesFromProfile {
            let fish = try #require(pushdown.first {
                $0.measurement == "modelwatch_multiclass_class" && $0.timestamp == finalTime && $0.tags.contains("segment=all") && $0.tags.contains("class=fish")
            })
            #expect(fish.fields["predicted"] == "0i" && fish.fields["precision"] == nil && fish.fields["recall"] != nil, "\(fish.fields)")
        }
        if segmentCap == 20 {
            let mono = try #require(multiclass.first { $0.timestamp == finalTime && $0.tags.contains("segment_value=mono") })
            #expect(mono.fields["accuracy"] == "1.0" && mono.fields["cohen_kappa"] == nil, "\(mono.fields)")
        } else {
            #expect(multiclass.contains { $0.tags.contains("segment_value=(other)") }, "segment values beyond the cap fold into (other)")
        }
        let final = try #require(report.finalTaskResults.first, "the summary gets the final window's result")
        let exactFinal = try #require(exactReport.finalTaskResults.first)
        if case .multiclass(let r, let names) = final.result, case .multiclass(let e, let exactNames) = exactFinal.result {
            #expect(r.confusion == e.confusion && names == exactNames)
        } else {
            Issue.record("a multiclass result in both modes")
        }
    }

    @Test("a true class outside the class list with a bin of its own in the profile's (label) entry keeps its name in push-down's label drift: label psi/js equal exact mode's per window, version and capped segment",
          arguments: [20, 3])
    func binnedLabelOutsideListMatchesExact(segmentCap: Int) throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-multiclass-label")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.load(server)
        let profile = try Self.buildProfile(server, listed: true, directory: directory)
        let reference = try ReferenceProfile.decode(Data(contentsOf: URL(fileURLWithPath: profile)))
        guard case .categorical(let labels)? = reference.features[ModelConfiguration.ProfileEntry.label] else {
            Issue.record("the profile has a categorical (label) entry")
            return
        }
        #expect(Set(CategoricalBins(profile: labels, limit: 5).categories).isSuperset(of: ["fish", "wolf"]),
                "true classes outside the list have bins of their own: \(labels.categories)")
        let (exactReport, exact) = try Self.run(server, mode: "exact", segmentCap: segmentCap, profile: profile, listed: true, directory: directory)
        let (report, pushdown) = try Self.run(server, mode: "pushdown", segmentCap: segmentCap, profile: profile, listed: true, directory: directory)
        #expect(exactReport.status == .ok && report.status == .ok, "\(exactReport.message ?? "") \(report.message ?? "")")

        let compared = PushdownCorrectnessTests.compare(pushdown: pushdown, exact: exact) { _, _, a, b in
            PushdownCorrectnessTests.close(a, b, relative: 1e-12) || abs(a - b) < 1e-12
        }
        #expect(compared > 500, "\(compared) fields compared")
        let labelPoints = pushdown.filter { $0.measurement == "modelwatch_label" }
        let exactLabels = Dictionary(exact.filter { $0.measurement == "modelwatch_label" }.map { ($0.series, $0) }, uniquingKeysWith: { $1 })
        #expect(Set(labelPoints.map(\.series)) == Set(exactLabels.keys), "the same label series")
        #expect(labelPoints.filter { $0.fields["psi"] != nil && $0.fields["js"] != nil }.count == labelPoints.count && !labelPoints.isEmpty,
                "every label point has drift")
        for point in labelPoints {
            for field in ["psi", "js"] {
                let mine = try #require(point.fields[field].flatMap(Double.init)), theirs = try #require(exactLabels[point.series]?.fields[field].flatMap(Double.init))
                #expect(PushdownCorrectnessTests.close(mine, theirs) || abs(mine - theirs) < 1e-12, "\(point.series) \(field): push-down \(mine) exact \(theirs)")
            }
        }
        let multiclass = pushdown.filter { $0.measurement == "modelwatch_multiclass" && $0.tags.contains("segment=all") }
        #expect(multiclass.contains { ($0.fields["other_labels"].flatMap { Int($0.dropLast()) } ?? 0) > 0 }, "labels outside the list occur")
    }

    @Test("a probability column that is not a number type leaves log loss and Brier out of push-down with a warning naming its key; the counts are still exact")
    func textProbabilityColumnIsLeftOut() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let directory = try temporaryDirectory("pg-multiclass-text")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.load(server)
        let connection = try Postgres.connect(server)
        try connection.execute("SET default_transaction_read_only = off")
        try connection.execute("ALTER TABLE scores ALTER COLUMN p_dog TYPE text")
        let (exactReport, exact) = try Self.run(server, mode: "exact", segmentCap: 20, profile: nil, directory: directory)
        let (report, pushdown) = try Self.run(server, mode: "pushdown", segmentCap: 20, profile: nil, directory: directory)
        #expect(exactReport.status == .ok && report.status == .ok, "\(exactReport.message ?? "") \(report.message ?? "")")
        #expect(report.warnings.contains { $0.contains("models[m].scores.columns.probabilities.dog") && $0.contains("not a number type") },
                "\(report.warnings)")
        let multiclass = pushdown.filter { $0.measurement == "modelwatch_multiclass" }
        #expect(!multiclass.isEmpty && multiclass.allSatisfy { $0.fields["log_loss"] == nil && $0.fields["n_probabilities"] == nil })
        #expect(exact.contains { $0.measurement == "modelwatch_multiclass" && $0.fields["log_loss"] != nil }, "exact mode parses the text")
        let compared = PushdownCorrectnessTests.compare(pushdown: pushdown, exact: exact) { _, _, a, b in
            PushdownCorrectnessTests.close(a, b, relative: 1e-12) || abs(a - b) < 1e-12
        }
        #expect(compared > 500, "\(compared) fields compared")
    }
}
