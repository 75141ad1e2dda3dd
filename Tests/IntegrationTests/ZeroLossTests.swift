import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import MetricSchema
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import SyntheticData
import Testing
import TestSupport

/// With no delivery settings at all, an InfluxDB outage loses nothing: the run's points go to the spool in
/// the state directory, and the next run (or `modelwatch flush`) delivers each of them once.
@Suite("Zero loss by default")
struct ZeroLossTests {
    @Test("a run with no delivery settings against a stopped InfluxDB spools every point; once it is up, the next run or flush delivers each once", arguments: ["flush", "run"])
    func outageThenRecovery(next: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-zeroloss-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var scenario = ScenarioConfig.named("healthy")!
        scenario.days = 9
        scenario.predictionsPerHour = 10
        let written = try ScenarioFiles.write(scenario, to: directory.path, modelName: "zero-loss", gzip: false)
        let yaml = try String(contentsOfFile: written.configPath, encoding: .utf8)
            .replacingOccurrences(of: "    reference_profile: reference-profile.json\n", with: "")
        #expect(!yaml.contains("delivery"), "the config has no delivery settings")
        try yaml.write(toFile: written.configPath, atomically: true, encoding: .utf8)

        // InfluxDB is down: nothing listens on the port the config points at.
        let port = try FreePort.find()
        let stateRoot = directory.appendingPathComponent("state").path
        let environment = ["INFLUX_URL": "http://127.0.0.1:\(port)", "INFLUX_DATABASE": "modelwatch", "MODELWATCH_STATE_DIR": stateRoot]
        let configuration = try ConfigLoader.load(path: written.configPath, environment: environment)
        let spool = configuration.delivery.spoolDirectory
        #expect(spool.hasPrefix(stateRoot + "/"))

        let clock = SleepClock()
        let runner = JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { clock.now }, transport: CurlTransport(),
            delivery: DeliveryEnvironment(now: { clock.now }, wallClockMilliseconds: { 1_795_000_000_000 }, sleep: { clock.sleep($0) }, random: { 0.5 }),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
        let outage = runner.run(RunRequest(configuration: configuration, asOfMs: written.endMs, output: .influx))
        #expect(outage.exitStatus == .temporaryFailure)
        let model = try #require(outage.models.first)
        let points = model.pointsEncoded + JobRunner.heartbeatPoints  // the metric points, the heartbeat and its deadline rows
        #expect(model.delivery?.pointsSpooled == points, "every point is spooled")
        #expect(model.delivery?.pointsLost == 0)
        #expect(spoolFiles(spool).count > 0)

        // InfluxDB comes up where the config points.
        let server = try InfluxServer(httpPort: port)
        defer { server.stop() }
        try server.createDatabase("modelwatch")
        let replayed: Int
        if next == "flush" {
            let flushed = runner.flush(configuration)
            #expect(flushed.status == .ok, "\(flushed.text)")
            replayed = flushed.report?.pointsReplayed ?? -1
        } else {
            let rerun = runner.run(RunRequest(configuration: configuration, asOfMs: written.endMs, output: .influx))
            #expect(rerun.exitStatus == .ok, "\(SummaryRenderer.render(rerun))")
            replayed = rerun.models.reduce(0) { $0 + ($1.delivery?.pointsReplayed ?? 0) }
        }
        #expect(replayed == points, "each spooled point is sent once")
        #expect(spoolFiles(spool).isEmpty, "the spool is empty afterwards")
        // Every point arrived (the re-run writes the same series and times again, which overwrite).
        let stored = try Schema.all.reduce(0) { total, measurement in
            total + (try server.query("SELECT * FROM \"\(measurement.name)\"", database: "modelwatch").rows.count)
        }
        #expect(stored == points)
        // A later flush has nothing left to send.
        #expect(runner.flush(configuration).report?.pointsReplayed == 0)
    }

    private func spoolFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".lp") }
    }
}
