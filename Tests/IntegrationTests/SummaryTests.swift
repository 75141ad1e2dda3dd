import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import SyntheticData
import Testing

@Suite("The one-screen summary answers: model, data or world?")
struct SummaryTests {
    @Test("a feature that went missing is named with its missing rate; a drifted one with its PSI")
    func summaryNamesBrokenFeatures() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-summary-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var scenario = ScenarioConfig.named("demo")!
        scenario.predictionsPerHour = 40
        let written = try ScenarioFiles.write(scenario, to: directory.path, modelName: "summary-model", gzip: false)
        let config = try ConfigLoader.load(path: written.configPath, environment: [:])
        let built = try ProfileBuilder.build(model: config.models[0], range: written.referenceRange, inputPath: nil, options: config.run)
        try ProfileBuilder.write(built, to: config.models[0].referenceProfile!)
        let runner = JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { ContinuousClock.now }, transport: CurlTransport(), delivery: .system,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
        let report = runner.run(RunRequest(configuration: config, asOfMs: written.endMs, output: .file(directory.appendingPathComponent("p.lp").path)))
        let summary = SummaryRenderer.render(report)
        #expect(report.exitStatus == .ok)
        // The demo preset: f_num_04 entirely missing from day 13, f_num_02 shifted by one standard deviation from day 11.
        #expect(summary.contains("missing      f_num_04 100%"), "\(summary)")
        #expect(report.models.first?.driftiest.first?.feature == "f_num_02", "\(summary)")
        #expect(summary.contains("top drift: f_num_02 PSI"))
    }
}
