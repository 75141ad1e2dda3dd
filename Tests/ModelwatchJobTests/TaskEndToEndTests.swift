import Foundation
import Testing
import TestSupport

/// Regression and multiclass models through the command line into a real InfluxDB: the written metrics of the
/// final window equal what the test computes itself from the rows it generated (joined, matured and windowed
/// by hand), out-of-list classes are counted, and bad labels are reported.
@Suite("Regression and multiclass models end to end against a real InfluxDB", .serialized)
struct TaskEndToEndTests {
    static let asOf = "2026-11-20T00:00:00Z"
    /// The final performance window [2026-11-18, 2026-11-19) with window 1d and maturity 1d.
    static let finalStart = 1_795_046_400 - 86_400
    static let finalEnd = 1_795_046_400
    static let start = 1_795_046_400 - 2 * 86_400

    /// Deterministic uniform numbers in [0, 1).
    struct Random {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53
        }
    }

    static func time(_ seconds: Int) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Label delay of row `i`: 3 h, or 50 h for every 11th row (after the as-of time for the final window).
    static func labelTime(_ i: Int, _ t: Int) -> Int { t + (i % 11 == 0 ? 50 : 3) * 3600 }

    /// Runs the config once more into a file and checks every line against the schema (types included).
    static func checkSchema(_ config: String, in directory: TemporaryDirectory) throws {
        let file = directory.file("points.lp")
        let run = try Executable.run(["run", "--config", config, "--as-of", asOf, "--output", "file:\(file)"])
        #expect(run.status == 0, "\(run)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
        #expect(lines.count > 10)
        #expect(SchemaConformance.violations(lines) == [])
    }

    static func query(_ server: InfluxServer, _ q: String) throws -> [[String: JSONValue]] {
        try server.query(q, database: "mw").rows
    }

    @Test("a regression model writes MAE, RMSE, bias and R² of the matured final window, as computed from the joined rows")
    func regression() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("mw")
        let directory = TemporaryDirectory()
        var random = Random(state: 7)
        var scores = "prediction_id,prediction_time,prediction,region\n"
        var labels = "prediction_id,label,label_time\nbad1,not-a-number,\(Self.time(Self.start))\n"
        var pairs: [(prediction: Double, target: Double)] = []
        for i in 0..<(3 * 480) {
            let t = Self.start + i * 180
            let target = (100 + 40 * (random.next() - 0.5)).rounded() / 4
            let prediction = (target + 3 * random.next() - 1).rounded() / 1
            scores += "r\(i),\(Self.time(t)),\(prediction),\(i % 2 == 0 ? "east" : "west")\n"
            guard i % 7 != 0 else { continue }
            labels += "r\(i),\(target),\(Self.time(Self.labelTime(i, t)))\n"
            if t >= Self.finalStart, t < Self.finalEnd, Self.labelTime(i, t) <= Self.finalEnd + 86_400 { pairs.append((prediction, target)) }
        }
        directory.write("scores.csv", scores)
        directory.write("labels.csv", labels)
        let config = directory.write("modelwatch.yaml", """
            models:
              - name: eta
                task: regression
                window: 1d
                maturity: 1d
                minimum_samples: {n: 50}
                segments: [region]
                scores: {path: scores.csv}
                labels: {path: labels.csv, columns: {time: label_time}}
            """)
        let run = try Executable.run(["run", "--config", config, "--as-of", Self.asOf], environment: ["INFLUX_URL": server.url, "INFLUX_DATABASE": "mw"])
        #expect(run.status == 0, "one bad label is within the bad-row budget: \(run)")
        #expect(run.stdout.contains("not-a-number") && run.stdout.contains("is not a finite number"), "the bad label is reported: \(run)")
        #expect(run.stdout.contains("MAE") && run.stdout.contains("RMSE"), "the summary shows the headline metrics: \(run)")

        let n = Double(pairs.count)
        let errors = pairs.map { $0.prediction - $0.target }
        let mae = errors.map(abs).reduce(0, +) / n
        let mse = errors.map { $0 * $0 }.reduce(0, +) / n
        let bias = errors.reduce(0, +) / n
        let meanTarget = pairs.map(\.target).reduce(0, +) / n
        let residualSquares: Double = errors.map { $0 * $0 }.reduce(0, +)
        let totalSquares: Double = pairs.map { (pair: (prediction: Double, target: Double)) -> Double in
            let d = pair.target - meanTarget
            return d * d
        }.reduce(0, +)
        let r2 = 1 - residualSquares / totalSquares
        let rows = try Self.query(server, "SELECT * FROM modelwatch_regression WHERE segment = 'all' AND time = \(Self.finalEnd)s")
        let row = try #require(rows.first, "no regression point for the final window")
        #expect(row["n"]?.double == n)
        #expect(abs((row["mae"]?.double ?? .nan) - mae) < 1e-9)
        #expect(abs((row["rmse"]?.double ?? .nan) - mse.squareRoot()) < 1e-9)
        #expect(abs((row["bias"]?.double ?? .nan) - bias) < 1e-9)
        #expect(abs((row["r2"]?.double ?? .nan) - r2) < 1e-9)
        #expect((row["mae_ci_lower"]?.double ?? .nan) < mae && mae < (row["mae_ci_upper"]?.double ?? .nan))
        #expect(row["sufficient"]?.bool == true && row["provisional"]?.bool == false)
        let segments = try Self.query(server, "SELECT n FROM modelwatch_regression WHERE segment = 'region' AND time = \(Self.finalEnd)s")
        #expect(segments.compactMap { $0["n"]?.double }.reduce(0, +) == n, "the segment slices add up to the all-rows slice")
        let label = try Self.query(server, "SELECT count, mean FROM modelwatch_label WHERE segment = 'all' AND time = \(Self.finalEnd)s")
        #expect(label.first?["count"]?.double == n)
        #expect(abs((label.first?["mean"]?.double ?? .nan) - meanTarget) < 1e-9)
        let output = try Self.query(server, "SELECT count FROM modelwatch_output WHERE segment = 'all' AND time = \(Self.finalEnd + 86_400)s")
        #expect(output.first?["count"]?.double == 480, "the prediction's distribution is monitored as the output")
        try Self.checkSchema(config, in: directory)
    }

    @Test("a corrected regression label counts from its label time on: before the as-of it replaces the target, after it the first label still holds")
    func correctedTargets() throws {
        let directory = TemporaryDirectory()
        var scores = "prediction_id,prediction_time,prediction\n"
        var labels = "prediction_id,label,label_time\n"
        for i in 0..<100 {
            let t = Self.finalStart + i * 600
            scores += "c\(i),\(Self.time(t)),10\n"
            labels += "c\(i),10,\(Self.time(t + 3600))\n"
            // Half the rows are corrected to 20 before the as-of time, the other half to 30 after it.
            labels += i % 2 == 0 ? "c\(i),20,\(Self.time(Self.finalEnd + 12 * 3600))\n" : "c\(i),30,\(Self.time(Self.finalEnd + 30 * 3600))\n"
        }
        directory.write("scores.csv", scores)
        directory.write("labels.csv", labels)
        let config = directory.write("modelwatch.yaml", """
            models:
              - name: corrected
                task: regression
                window: 1d
                maturity: 1d
                minimum_samples: {n: 10}
                scores: {path: scores.csv}
                labels: {path: labels.csv, columns: {time: label_time}}
            """)
        let file = directory.file("points.lp")
        let run = try Executable.run(["run", "--config", config, "--as-of", Self.asOf, "--output", "file:\(file)"])
        #expect(run.status == 0, "\(run)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
        let point = try #require(lines.first { $0.measurement == "modelwatch_regression" && $0.timestampMs == Int64(Self.finalEnd) * 1000 })
        #expect(point.fields["n"] == "100i")
        #expect(point.fields["mae"].flatMap(Double.init) == 5, "50 rows at error 10 (corrected before T), 50 at 0 (corrected after T): \(point.fields)")
        let join = try #require(lines.first { $0.measurement == "modelwatch_join" })
        #expect(join.fields["duplicate_labels"] == "50i" && join.fields["late_labels"] == "50i", "\(join.fields)")
    }

    @Test("a multiclass model writes accuracy, per-class recall and confusion counts, with out-of-list classes as (other)")
    func multiclass() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("mw")
        let directory = TemporaryDirectory()
        var random = Random(state: 11)
        let classes = ["cat", "dog", "bird"]
        var scores = "prediction_id,prediction_time,predicted,p_cat,p_dog,p_bird\n"
        var labels = "prediction_id,label,label_time\n"
        var pairs: [(label: String, predicted: String)] = []
        for i in 0..<(3 * 480) {
            let t = Self.start + i * 180
            let label = i % 53 == 0 ? "fish" : classes[Int(random.next() * 3)]
            var predicted = random.next() < 0.75 ? label : classes[Int(random.next() * 3)]
            if i % 41 == 0 { predicted = "lizard" }
            var p = [0.2, 0.2, 0.2]
            if let index = classes.firstIndex(of: predicted) { p[index] = 0.6 } else { p = [0.5, 0.25, 0.25] }
            scores += "m\(i),\(Self.time(t)),\(predicted),\(p[0]),\(p[1]),\(p[2])\n"
            guard i % 5 != 0 else { continue }
            labels += "m\(i),\(label),\(Self.time(Self.labelTime(i, t)))\n"
            if t >= Self.finalStart, t < Self.finalEnd, Self.labelTime(i, t) <= Self.finalEnd + 86_400 { pairs.append((label, predicted)) }
        }
        directory.write("scores.csv", scores)
        directory.write("labels.csv", labels)
        let config = directory.write("modelwatch.yaml", """
            models:
              - name: species
                task: multiclass
                classes: [cat, dog, bird]
                window: 1d
                maturity: 1d
                minimum_samples: {n: 50, per_class: 5}
                scores:
                  path: scores.csv
                  columns: {prediction: predicted, probabilities: {cat: p_cat, dog: p_dog, bird: p_bird}}
                labels: {path: labels.csv, columns: {time: label_time}}
            """)
        let run = try Executable.run(["run", "--config", config, "--as-of", Self.asOf], environment: ["INFLUX_URL": server.url, "INFLUX_DATABASE": "mw"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("accuracy") && run.stdout.contains("macro-F1"), "\(run)")

        func mapped(_ name: String) -> String { classes.contains(name) ? name : "(other)" }
        let n = Double(pairs.count)
        let correct = Double(pairs.count { mapped($0.label) == mapped($0.predicted) })
        let rows = try Self.query(server, "SELECT * FROM modelwatch_multiclass WHERE segment = 'all' AND time = \(Self.finalEnd)s")
        let row = try #require(rows.first, "no multiclass point for the final window")
        #expect(row["n"]?.double == n)
        #expect(abs((row["accuracy"]?.double ?? .nan) - correct / n) < 1e-12)
        #expect(row["other_labels"]?.double == Double(pairs.count { mapped($0.label) == "(other)" }))
        #expect(row["other_predictions"]?.double == Double(pairs.count { mapped($0.predicted) == "(other)" }))
        #expect(row["classes"]?.double == 4)
        #expect(row["log_loss"]?.double != nil && row["top_k_accuracy"]?.double != nil)

        let perClass = try Self.query(server, "SELECT recall, support FROM modelwatch_multiclass_class WHERE segment = 'all' AND time = \(Self.finalEnd)s GROUP BY \"class\"")
        #expect(perClass.count == 4)
        var recalls: [String: Double] = [:]
        for series in try server.query("SELECT recall FROM modelwatch_multiclass_class WHERE segment = 'all' AND time = \(Self.finalEnd)s GROUP BY \"class\"", database: "mw").series {
            recalls[series.tags?["class"] ?? ""] = series.rows.first?["recall"]?.double
        }
        for name in classes {
            let support = pairs.filter { $0.label == name }
            let expected = Double(support.count { $0.predicted == name }) / Double(support.count)
            #expect(abs((recalls[name] ?? .nan) - expected) < 1e-12, "recall of \(name)")
        }
        var cells = 0.0
        for series in try server.query("SELECT count FROM modelwatch_confusion WHERE segment = 'all' AND time = \(Self.finalEnd)s GROUP BY \"class\", predicted_class", database: "mw").series {
            let expected = pairs.count { mapped($0.label) == series.tags?["class"] && mapped($0.predicted) == series.tags?["predicted_class"] }
            #expect(series.rows.first?["count"]?.double == Double(expected), "\(series.tags ?? [:])")
            cells += series.rows.first?["count"]?.double ?? 0
        }
        #expect(cells == n, "the confusion counts add up to n")
        let shares = try Self.query(server, "SELECT share FROM modelwatch_output_class WHERE time = \(Self.finalEnd + 86_400)s")
        #expect(abs(shares.compactMap { $0["share"]?.double }.reduce(0, +) - 1) < 1e-9, "the predicted classes' shares add up to 1")
        try Self.checkSchema(config, in: directory)
    }

    @Test("the generated regression and multiclass scenarios profile and run, and their incidents show in the metrics", arguments: ["regression", "multiclass"])
    func generatedScenario(kind: String) throws {
        let directory = TemporaryDirectory()
        let out = directory.file("scenario")
        let generated = try Executable.run(["generate", "--scenario", kind, "--out", out, "--rate", "60", "--model-name", "m"])
        #expect(generated.status == 0, "\(generated)")
        let profiled = try Executable.run(["profile", "--config", "\(out)/modelwatch.yaml", "--from", "2026-10-01T00:00:00Z", "--to", "2026-10-04T00:00:00Z"])
        #expect(profiled.status == 0, "\(profiled)")
        func final(asOf: String) throws -> [LineProtocolLine] {
            let file = directory.file("\(asOf).lp")
            let run = try Executable.run(["run", "--config", "\(out)/modelwatch.yaml", "--as-of", asOf, "--output", "file:\(file)"])
            #expect(run.status == 0, "\(run)")
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
            #expect(SchemaConformance.violations(lines) == [])
            // The final window ends at as-of − maturity (3 days).
            let finalEnd = try #require(lines.first { $0.measurement == "modelwatch_join" }).timestampMs
            return lines.filter { $0.timestampMs == finalEnd && $0.tags["segment"] == "all" }
        }
        func field(_ lines: [LineProtocolLine], _ measurement: String, _ key: String, tag: (String, String)? = nil) -> Double? {
            lines.first { $0.measurement == measurement && (tag == nil || $0.tags[tag!.0] == tag!.1) }?.fields[key].flatMap { Double($0.replacingOccurrences(of: "i", with: "")) }
        }
        let before = try final(asOf: "2026-10-24T00:00:00Z")
        let after = try final(asOf: "2026-10-31T00:00:00Z")
        if kind == "regression" {
            let biasBefore = try #require(field(before, "modelwatch_regression", "bias"))
            let biasAfter = try #require(field(after, "modelwatch_regression", "bias"))
            #expect(abs(biasBefore) < 1.5 && biasAfter > 6, "bias \(biasBefore) → \(biasAfter)")
            #expect(try #require(field(after, "modelwatch_regression", "bias_ci_lower")) > 0, "the bias interval excludes 0 after the incident")
            #expect(try #require(field(after, "modelwatch_label", "psi")) < 0.1, "the targets did not drift, the predictions did")
        } else {
            let recallBefore = try #require(field(before, "modelwatch_multiclass_class", "recall", tag: ("class", "returns")))
            let recallAfter = try #require(field(after, "modelwatch_multiclass_class", "recall", tag: ("class", "returns")))
            #expect(recallBefore > 0.75 && recallAfter < 0.5, "returns recall \(recallBefore) → \(recallAfter)")
            let confused = try #require(field(after, "modelwatch_confusion", "share", tag: ("predicted_class", "shipping")).map { _ in
                after.first { $0.measurement == "modelwatch_confusion" && $0.tags["class"] == "returns" && $0.tags["predicted_class"] == "shipping" }
            } ?? nil)
            #expect(Double(confused.fields["share"] ?? "") ?? 0 > 0.5)
            #expect(try #require(field(after, "modelwatch_label", "psi")) < 0.1, "the true classes did not drift")
        }
    }
}
