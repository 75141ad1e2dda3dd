import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import SyntheticData
import Synchronization
import Testing

/// Counts requests and always answers 503, as a throttling or failing server would.
final class FailingTransport: HTTPTransport, Sendable {
    let requests = Atomic<Int>(0)
    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        requests.add(1, ordering: .relaxed)
        return HTTPResponse(status: 503)
    }
}

/// A clock that only moves when the writer sleeps, so retries run instantly and deterministically.
final class SleepClock: Sendable {
    let elapsedNanoseconds = Atomic<Int64>(0)
    let origin = ContinuousClock.now
    var now: ContinuousClock.Instant { origin + .nanoseconds(elapsedNanoseconds.load(ordering: .relaxed)) }
    func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        elapsedNanoseconds.add(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
    }
}

@Suite("The retry budget bounds the whole run")
struct RetryBudgetTests {
    @Test("after one delivery fails temporarily, the rest of the run makes one attempt per call and spools")
    func budgetIsPerRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-budget-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var scenario = ScenarioConfig.named("healthy")!
        scenario.days = 9
        scenario.predictionsPerHour = 10
        let written = try ScenarioFiles.write(scenario, to: directory.path, modelName: "first", gzip: false)
        // Two models over the same files, no profile; a 20 s retry budget and a spool.
        var yaml = try String(contentsOfFile: written.configPath, encoding: .utf8)
            .replacingOccurrences(of: "    reference_profile: reference-profile.json\n", with: "")
        let model = yaml[yaml.range(of: "models:\n")!.upperBound...]
        yaml += model.replacingOccurrences(of: "name: first", with: "name: second")
        yaml = yaml.replacingOccurrences(of: "run:\n", with: "delivery:\n  retry_budget: 20s\n  spool_dir: spool\nrun:\n")
        try yaml.write(toFile: written.configPath, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: written.configPath, environment: ["INFLUX_URL": "http://127.0.0.1:9"])
        #expect(config.models.count == 2)

        let transport = FailingTransport()
        let clock = SleepClock()
        let runner = JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { clock.now }, transport: transport,
            delivery: DeliveryEnvironment(now: { clock.now }, wallClockMilliseconds: { 1_795_000_000_000 }, sleep: { clock.sleep($0) }, random: { 0.5 }),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
        let report = runner.run(RunRequest(configuration: config, asOfMs: written.endMs, output: .influx))

        #expect(report.exitStatus == .temporaryFailure)
        #expect(report.models.allSatisfy { $0.status == .temporaryFailure })
        let slept = Double(clock.elapsedNanoseconds.load(ordering: .relaxed)) / 1e9
        #expect(slept <= 20, "the run waited \(slept) s, more than one retry budget")
        // The first call retries within the budget; the five later calls (the retry of the spool before the
        // first heartbeat, that heartbeat, the second model, the retry before its heartbeat, the second
        // heartbeat) make one attempt each.
        let firstCallAttempts = report.models[0].delivery.map { $0.retries + 1 } ?? 0
        #expect(transport.requests.load(ordering: .relaxed) <= firstCallAttempts + 5)
        // Nothing is lost: every point of both models is in the spool.
        let spooled = report.models.reduce(0) { $0 + ($1.delivery?.pointsSpooled ?? 0) }
        #expect(spooled == report.models.reduce(0) { $0 + $1.pointsEncoded + 3 }, "metric points plus heartbeat, deadline and its floor row")
    }
}
