import DriftMetrics
import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// The demo-like fixture (Fixtures/demo: a small seeded `modelwatch generate --scenario demo` data set, two
/// models, a reference profile) run end to end to line protocol and compared byte for byte with
/// `Fixtures/golden/demo.lp`.
///
/// After an intended change to the output, regenerate with `UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests`
/// and review the diff of the golden file.
@Suite("Golden line protocol output")
struct GoldenOutputTests {
    static let asOf = "2026-11-09T05:00:00Z"
    static let goldenPath = Fixture.sourceDirectory + "/golden/demo.lp"

    private func run(asOf: String = Self.asOf, output: String) throws -> PipelineRun {
        let directory = TemporaryDirectory()
        return try runPipeline(configPath: Fixture.path("demo/modelwatch.yaml"), asOf: asOf, in: directory, output: output)
    }

    @Test("the demo fixture produces the checked-in line protocol")
    func matchesGolden() throws {
        let run = try run(output: "demo.lp")
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(run.bytes).write(to: URL(fileURLWithPath: Self.goldenPath), options: .atomic)
            return
        }
        let golden = try #require(FileManager.default.contents(atPath: Self.goldenPath), "missing \(Self.goldenPath); run with UPDATE_GOLDEN=1")
        if [UInt8](golden) != run.bytes {
            let expected = String(decoding: golden, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let actual = run.text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }
            let detail = first.map { "line \($0.offset + 1):\n  golden: \($0.element.0)\n  actual: \($0.element.1)" }
                ?? "golden has \(expected.count) lines, output \(actual.count)"
            Issue.record("output differs from \(Self.goldenPath) (UPDATE_GOLDEN=1 regenerates it)\n\(detail)")
        }
    }

    @Test("every drift point says whether its slice reaches minimum_samples.drift, and only then is it sufficient", arguments: [30, 200])
    func driftSufficiency(minimum: Int) throws {
        let directory = TemporaryDirectory()
        var configuration = try loadConfiguration(Fixture.path("demo/modelwatch.yaml"), in: directory)
        for index in configuration.models.indices { configuration.models[index].minimumSamples.drift = minimum }
        let run = runPipeline(configuration, asOfMs: ms(Self.asOf), outputPath: directory.file("out.lp"))
        let drifted = run.lines.filter { ["modelwatch_feature", "modelwatch_output"].contains($0.measurement) && $0.fields["psi"] != nil }
        #expect(drifted.count >= 20)
        var seen: Set<String> = []
        for line in drifted {
            let sufficient = try #require(line.fields["drift_sufficient"], "\(line)")
            #expect(sufficient == String(try #require(line.integer("count")) >= minimum), "\(line)")
            seen.insert(sufficient)
        }
        // The fixture's slices hold 14 to 72 rows: 30 splits them, 200 leaves none sufficient.
        #expect(seen == (minimum == 30 ? ["true", "false"] : ["false"]))
        #expect(!run.lines.contains { $0.fields["psi"] == nil && $0.fields["drift_sufficient"] != nil }, "only next to drift fields")
    }

    @Test("categorical drift is binned over drift_category_bins reference categories; numeric drift is untouched")
    func categoricalDriftBins() throws {
        let directory = TemporaryDirectory()
        func drift(bins: Int) throws -> [String: String] {
            // Each run with a state of its own, as if it were the first.
            let state = TemporaryDirectory()
            var configuration = try loadConfiguration(Fixture.path("demo/modelwatch.yaml"), in: state)
            for index in configuration.models.indices { configuration.models[index].driftCategoryBins = bins }
            let run = runPipeline(configuration, asOfMs: ms(Self.asOf), outputPath: directory.file("bins-\(bins).lp"))
            var psi: [String: String] = [:]
            for line in run.points("modelwatch_feature", ["model": "demo-model"]) {
                psi["\(line.tags["segment"]!)=\(line.tags["segment_value"]!) \(line.tags["feature"]!) \(line.tags["kind"]!)"] = line.fields["psi"]
            }
            return psi
        }
        // The fixture's profile stores 4 categories of f_cat_00 and 48 of f_cat_01.
        let all = try drift(bins: 1000)
        let standard = try drift(bins: CategoricalDrift.defaultBinnedCategories)
        let one = try drift(bins: 1)
        #expect(try drift(bins: 48) == all, "48 bins hold every stored category, like 1,000")
        func keys(_ suffix: String) -> [String] { all.keys.filter { $0.hasSuffix(suffix) }.sorted() }
        let numeric = keys("f_num_00 numeric") + keys("f_num_01 numeric") + keys("f_num_02 numeric")
        let few = keys("f_cat_00 categorical")
        let many = keys("f_cat_01 categorical")
        #expect(numeric.count >= 15 && few.count >= 5 && many.count == few.count)
        #expect(Set(one.keys) == Set(all.keys) && Set(standard.keys) == Set(all.keys))
        #expect(numeric.allSatisfy { one[$0] == all[$0] && standard[$0] == all[$0] }, "numeric drift does not depend on the setting")
        #expect(few.allSatisfy { standard[$0] == all[$0] }, "20 bins hold all 4 categories of f_cat_00")
        #expect(many.filter { standard[$0] != all[$0] }.count >= many.count / 2, "20 of 48 categories binned: other PSI values")
        #expect(few.filter { one[$0] != all[$0] }.count >= few.count / 2, "one category bin: other PSI values")
    }

    @Test("running the same as-of twice, or any as-of in the same window, writes identical bytes")
    func deterministic() throws {
        let first = try run(output: "first.lp")
        let second = try run(output: "second.lp")
        let sameWindow = try run(asOf: "2026-11-09T23:59:59Z", output: "third.lp")
        #expect(!first.bytes.isEmpty)
        #expect(first.bytes == second.bytes)
        #expect(first.bytes == sameWindow.bytes)
    }

    @Test("every measurement, tag and field written is declared in the schema, with its declared type")
    func conformsToTheSchema() throws {
        let run = try run(output: "demo.lp")
        #expect(SchemaConformance.violations(run.lines) == [])
    }

    @Test("the golden output is well-formed: parseable lines, schema measurements, sorted tags, one heartbeat per model")
    func wellFormed() throws {
        let run = try run(output: "demo.lp")
        #expect(run.text.hasSuffix("\n"))
        let lines = run.lines
        let encoded = run.report.models.reduce(0) { $0 + $1.pointsEncoded + JobRunner.heartbeatPoints }
        #expect(lines.count == encoded)
        let measurements = Set(lines.map(\.measurement))
        #expect(measurements.isSubset(of: [
            "modelwatch_performance", "modelwatch_threshold", "modelwatch_topk", "modelwatch_calibration_bin",
            "modelwatch_feature", "modelwatch_feature_category", "modelwatch_output", "modelwatch_output_threshold",
            "modelwatch_join", "modelwatch_run", "modelwatch_deadline", "modelwatch_label_arrivals",
            "modelwatch_estimated_performance", "modelwatch_estimated_threshold",
        ]), "\(measurements)")
        for line in lines {
            #expect(line.tagKeys == line.tagKeys.sorted(), "\(line)")
            #expect(!line.tags.values.contains(""), "\(line)")
            #expect(!line.fields.values.contains { ["nan", "NaN", "inf", "+Inf", "-Inf"].contains($0) }, "\(line)")
        }
        #expect(run.points("modelwatch_run").map { $0.tags["model"]! } == ["demo-model", "demo model (daily, restated)"])
        // Tag values needing escapes (a comma, spaces, quotes, non-ASCII) round-trip.
        let regions = Set(run.points("modelwatch_output", ["model": "demo-model", "segment": "region"]).compactMap { $0.tags["segment_value"] })
        #expect(regions.contains("(other)"))
        #expect(regions.count == 4, "segment_cap 4 keeps three values and `(other)`: \(regions)")
        // The restated model writes its final window and the provisional ones up to T.
        let restated = run.points("modelwatch_performance", ["model": "demo model (daily, restated)"])
        #expect(restated.map(\.timestampMs) == [ms("2026-11-07T00:00:00Z"), ms("2026-11-08T00:00:00Z"), ms("2026-11-09T00:00:00Z")])
        #expect(restated.map { $0.boolean("provisional") } == [false, true, true])
        // Drift against the reference profile is present for the profiled model only.
        #expect(run.points("modelwatch_feature", ["model": "demo-model", "segment": "all"]).allSatisfy { $0.fields["psi"] != nil })
        #expect(run.points("modelwatch_feature", ["model": "demo model (daily, restated)"]).isEmpty)
    }
}
