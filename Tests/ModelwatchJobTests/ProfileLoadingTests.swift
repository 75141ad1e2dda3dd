import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// The reference profile is decoded while the data is read; its errors must be what they were when it was
/// loaded first: a configuration error naming the key, nothing written, and ahead of a data error.
@Suite("Reference profile loaded beside the read")
struct ProfileLoadingTests {
    static let asOf = "2026-11-20T03:00:00Z"

    /// The join fixture's model, with a reference profile and the score file given.
    static func config(profile: String, scores: String = Fixture.path("join/scores.csv"), model: String = "churn") -> String {
        """
        models:
          - name: \(model)
            window: 1h
            maturity: 1h
            reference_profile: '\(profile)'
            scores:
              path: '\(scores)'
              columns: {}
            labels:
              path: '\(Fixture.path("join/labels.csv"))'
              columns: {time: label_time}
        """
    }

    /// Builds a profile of the join fixture's scores for `model` into `directory`.
    static func buildProfile(for model: String, in directory: TemporaryDirectory) throws -> String {
        let configuration = try ConfigLoader.parse(yaml: config(profile: "unused.json", model: model), file: "p.yaml", environment: [:])
        let built = try ProfileBuilder.build(
            model: configuration.models[0], range: TimeRange(startMs: ms("2026-11-20T00:00:00Z"), endMs: ms("2026-11-21T00:00:00Z")),
            inputPath: nil, options: configuration.run)
        let path = directory.file("\(model)-profile.json")
        try ProfileBuilder.write(built, to: path)
        return path
    }

    @Test("a valid profile: the run succeeds and writes the score drift against it")
    func validProfile() throws {
        let directory = TemporaryDirectory()
        let run = try runPipeline(yaml: Self.config(profile: try Self.buildProfile(for: "churn", in: directory)), asOf: Self.asOf, in: directory)
        #expect(run.report.exitStatus == .ok, "\(SummaryRenderer.render(run.report))")
        let output = String(decoding: run.bytes, as: UTF8.self)
        #expect(output.contains("modelwatch_output,") && output.contains("psi="))
    }

    @Test("a missing, invalid or other model's profile is a configuration error naming the key, and nothing is written",
          arguments: ["missing", "invalid", "other model"])
    func brokenProfile(kind: String) throws {
        let directory = TemporaryDirectory()
        let path: String
        switch kind {
        case "missing": path = directory.file("absent.json")
        case "invalid": path = directory.write("invalid.json", "{\"model\": ")
        default: path = try Self.buildProfile(for: "fraud", in: directory)
        }
        let run = try runPipeline(yaml: Self.config(profile: path), asOf: Self.asOf, in: directory)
        #expect(run.report.exitStatus == (kind == "missing" ? .noInput : .configError))
        let model = try #require(run.report.models.first)
        #expect(model.message?.contains("models[churn].reference_profile") == true, "\(model.message ?? "")")
        #expect(!String(decoding: run.bytes, as: UTF8.self).contains("modelwatch_performance"))
    }

    @Test("a broken profile is reported ahead of a data error in the scores")
    func profileErrorFirst() throws {
        let directory = TemporaryDirectory()
        let scores = directory.write("scores.csv", "")  // an empty CSV: a data error of the read
        let valid = try runPipeline(yaml: Self.config(profile: try Self.buildProfile(for: "churn", in: directory), scores: scores), asOf: Self.asOf, in: directory)
        #expect(valid.report.exitStatus == .dataError)
        let run = try runPipeline(yaml: Self.config(profile: directory.file("absent.json"), scores: scores), asOf: Self.asOf, in: directory)
        #expect(run.report.exitStatus == .noInput)
        #expect(run.report.models.first?.message?.contains("reference_profile") == true)
    }
}
