import DriftMetrics
import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// `models[].estimation`: the config key, what the profile stores, and the estimates a run writes (the demo fixture
/// has `estimation: {calibration: isotonic}` on `demo-model`, restatement off, maturity 7 windows).
@Suite("Performance estimation in the job")
struct EstimationRunTests {
    static let asOf = "2026-11-09T05:00:00Z"

    static func yaml(_ estimation: String?) -> String {
        """
        models:
          - name: m
            window: 1d
            maturity: 7d
        \(estimation.map { "    estimation: \($0)\n" } ?? "")    scores: {path: scores.csv}
            labels: {path: labels.csv}

        """
    }

    @Test("estimation is off unless configured; calibration defaults to isotonic and accepts none", arguments: [
        ("", "off"), ("{}", "isotonic"), ("{calibration: isotonic}", "isotonic"), ("{calibration: none}", "none"),
    ])
    func configuration(_ text: String, _ expected: String) throws {
        let configuration = try ConfigLoader.parse(yaml: Self.yaml(text.isEmpty ? nil : text), file: "/etc/m.yaml", environment: [:])
        let estimation = try #require(configuration.models.first).estimation
        #expect((estimation?.calibration.rawValue ?? "off") == expected)
    }

    @Test("an invalid estimation setting names its key", arguments: [
        ("{calibration: platt}", "models[m].estimation.calibration", "isotonic"),
        ("{calibrate: none}", "models[m].estimation.calibrate", "unknown key"),
        ("isotonic", "models[m].estimation", "mapping"),
    ])
    func invalid(_ text: String, _ key: String, _ fragment: String) throws {
        do {
            _ = try ConfigLoader.parse(yaml: Self.yaml(text), file: "/etc/m.yaml", environment: [:])
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test("a profile without an estimation section keeps its fingerprint: nothing is encoded for it")
    func oldProfilesKeepTheirFingerprint() throws {
        let data = try #require(FileManager.default.contents(atPath: Fixture.path("demo/reference-profile.json")))
        let profile = try ReferenceProfile.decode(data)
        #expect(profile.estimation?.calibration == .isotonic)
        let old = ReferenceProfile.make(model: profile.model, source: profile.source, rowCount: profile.rowCount, features: profile.features, score: profile.score)
        #expect(!String(decoding: old.encoded(), as: UTF8.self).contains("estimation"))
        #expect(try ReferenceProfile.decode(old.encoded()) == old)
        #expect(old.fingerprint != profile.fingerprint)
    }

    @Test("a tampered estimation section fails the fingerprint check")
    func estimationIsFingerprinted() throws {
        let data = try #require(FileManager.default.contents(atPath: Fixture.path("demo/reference-profile.json")))
        var text = String(decoding: data, as: UTF8.self)
        let range = try #require(text.range(of: "\"labelledRows\" : 188"))
        text.replaceSubrange(range, with: "\"labelledRows\" : 189")
        #expect(throws: ProfileError.self) { try ReferenceProfile.decode(Data(text.utf8)) }
    }

    @Test("the final window's estimate sits beside its realized values; the input window is estimated only")
    func writesEstimates() throws {
        let run = try runPipeline(configPath: Fixture.path("demo/modelwatch.yaml"), asOf: Self.asOf, in: TemporaryDirectory())
        let all = ["model": "demo-model", "segment": "all", "segment_value": "all"]
        let estimates = run.points("modelwatch_estimated_performance", all)
        #expect(estimates.count == 2)
        let final = try #require(estimates.first { $0.boolean("provisional") == false })
        let realized = try run.point("modelwatch_performance", all)
        #expect(final.timestampMs == realized.timestampMs)
        #expect(final.number("realized_auc") == realized.number("auc"))
        let estimated = try #require(final.number("auc"))
        #expect(final.number("auc_difference") == realized.number("auc")! - estimated)
        #expect(final.integer("n") == realized.integer("n_scored"))
        #expect(final.string("calibration") == "isotonic")
        let input = try #require(estimates.first { $0.boolean("provisional") == true })
        #expect(input.timestampMs == ms(Self.asOf) - ms(Self.asOf) % 86_400_000)
        #expect(input.number("realized_auc") == nil && input.number("auc_difference") == nil)
        #expect(input.number("auc_se") != nil && input.number("auc_lower")! <= input.number("auc")!)
        // The other model has no `estimation` key: no estimates.
        #expect(run.points("modelwatch_estimated_performance", ["model": "demo model (daily, restated)"]).isEmpty)
        let thresholds = run.points("modelwatch_estimated_threshold", all.merging(["threshold": "0.5"]) { $1 })
        #expect(thresholds.count == 2)
        #expect(thresholds.allSatisfy { $0.number("precision") != nil && $0.number("accuracy_se") != nil })
    }

    @Test("a profile without an estimation section writes no estimate and says why")
    func oldProfileWarns() throws {
        let directory = TemporaryDirectory()
        let data = try #require(FileManager.default.contents(atPath: Fixture.path("demo/reference-profile.json")))
        let profile = try ReferenceProfile.decode(data)
        let old = ReferenceProfile.make(model: profile.model, source: profile.source, rowCount: profile.rowCount, features: profile.features, score: profile.score)
        let path = directory.write("old-profile.json", String(decoding: old.encoded(), as: UTF8.self))
        var configuration = try loadConfiguration(Fixture.path("demo/modelwatch.yaml"), in: directory)
        configuration.models[0].referenceProfile = path
        let run = runPipeline(configuration, asOfMs: ms(Self.asOf), outputPath: directory.file("out.lp"))
        #expect(run.report.exitStatus == .ok)
        #expect(run.points("modelwatch_estimated_performance").isEmpty)
        #expect(run.points("modelwatch_performance").count > 0)
        #expect(run.report.models[0].warnings.contains { $0.contains("no estimation section") }, "\(run.report.models[0].warnings)")
    }
}
