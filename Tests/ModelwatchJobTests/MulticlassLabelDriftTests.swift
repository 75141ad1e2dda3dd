import Foundation
import Testing
import TestSupport

/// Label drift of a multiclass model compares the window's true classes with the profile's `(label)` entry by
/// the labels' own names, as the profile stores them. Found by the benchmark's agreement check
/// (Tests/Benchmarks/tasks_agree.py): the window counted a label outside the class list as `(other)`, a name the
/// profile never holds, so the same label distribution read as drift.
@Suite("Multiclass label drift against the reference profile")
struct MulticlassLabelDriftTests {
    /// 400 predictions a day on 2026-10-01 (the reference) and on 2026-10-08 (the final window of a run as of
    /// 2026-10-10 with window 1d and maturity 1d), each labelled an hour later with the label sequence `pattern`.
    static func write(pattern: [String], in directory: TemporaryDirectory) -> String {
        var scores = "prediction_id,prediction_time,predicted\n"
        var labels = "prediction_id,label,label_time\n"
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for (day, start) in [("r", 1_790_812_800), ("c", 1_791_417_600)] {   // 2026-10-01, 2026-10-08
            for i in 0..<400 {
                let t = start + i * 180
                scores += "\(day)\(i),\(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(t)))),cat\n"
                labels += "\(day)\(i),\(pattern[i % pattern.count]),\(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(t + 3600))))\n"
            }
        }
        directory.write("scores.csv", scores)
        directory.write("labels.csv", labels)
        return directory.write("modelwatch.yaml", """
            models:
              - name: species
                task: multiclass
                classes: [cat, dog, bird]
                window: 1d
                maturity: 1d
                minimum_samples: {n: 50, per_class: 5}
                reference_profile: reference-profile.json
                scores: {path: scores.csv, columns: {prediction: predicted}}
                labels: {path: labels.csv, columns: {time: label_time}}
            """)
    }

    /// The `modelwatch_label` point of the final window [2026-10-08, 2026-10-09) after profiling 2026-10-01.
    static func labelPoint(pattern: [String]) throws -> LineProtocolLine {
        let directory = TemporaryDirectory()
        let config = write(pattern: pattern, in: directory)
        let profiled = try Executable.run(["profile", "--config", config, "--from", "2026-10-01T00:00:00Z", "--to", "2026-10-02T00:00:00Z",
                                           "--out", directory.file("reference-profile.json")])
        #expect(profiled.status == 0, "\(profiled)")
        let file = directory.file("points.lp")
        let run = try Executable.run(["run", "--config", config, "--as-of", "2026-10-10T00:00:00Z", "--output", "file:\(file)"])
        #expect(run.status == 0, "\(run)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
        return try #require(lines.first { $0.measurement == "modelwatch_label" && $0.tags["segment"] == "all" && $0.timestampMs == 1_791_504_000_000 })
    }

    @Test("the same true classes as the reference give no label drift, labels outside the class list included", arguments: [
        ["cat", "cat", "dog", "bird", "fish"],                  // one class outside the list
        ["cat", "dog", "dog", "bird", "fish", "eel", "fish"],   // two, each with a reference bin of its own
        ["cat", "dog", "bird", "bird"],                         // none
    ])
    func sameLabelsNoDrift(pattern: [String]) throws {
        let point = try Self.labelPoint(pattern: pattern)
        #expect(point.fields["count"] == "400i")
        #expect(Double(point.fields["psi"] ?? "") == 0, "\(point)")
        #expect(Double(point.fields["js"] ?? "") == 0, "\(point)")
    }

    @Test("a shift among the labels outside the class list is label drift, though both are (other) to the metrics")
    func shiftOutsideTheListIsDrift() throws {
        let directory = TemporaryDirectory()
        let config = Self.write(pattern: ["cat", "dog", "bird", "fish"], in: directory)
        // The window's outside-the-list labels become `eel` instead of `fish`: the same `(other)` for the metrics.
        let labels = try String(contentsOfFile: directory.file("labels.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.hasPrefix("c") ? $0.replacingOccurrences(of: ",fish,", with: ",eel,") : String($0) }
        directory.write("labels.csv", labels.joined(separator: "\n") + "\n")
        let profiled = try Executable.run(["profile", "--config", config, "--from", "2026-10-01T00:00:00Z", "--to", "2026-10-02T00:00:00Z",
                                           "--out", directory.file("reference-profile.json")])
        #expect(profiled.status == 0, "\(profiled)")
        let file = directory.file("points.lp")
        let run = try Executable.run(["run", "--config", config, "--as-of", "2026-10-10T00:00:00Z", "--output", "file:\(file)"])
        #expect(run.status == 0, "\(run)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
        let point = try #require(lines.first { $0.measurement == "modelwatch_label" && $0.tags["segment"] == "all" && $0.timestampMs == 1_791_504_000_000 })
        // Reference bins (bird, cat, dog, fish, other, missing) = 100, 100, 100, 100, 0, 0; the window's 100 + 100 + 100
        // + 0 + 100 (eel: unseen) + 0. PSI = 2 · (0.25 − 1e-4) · ln(0.25 / 1e-4) (floored shares, docs/drift.md).
        let expected = 2 * (0.25 - 1e-4) * log(0.25 / 1e-4)
        #expect(abs((Double(point.fields["psi"] ?? "") ?? .nan) - expected) < 1e-12, "\(point)")
    }
}
