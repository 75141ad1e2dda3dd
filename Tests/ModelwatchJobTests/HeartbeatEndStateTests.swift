import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
@testable import ModelwatchConfiguration
@testable import ModelwatchJob
@testable import ModelwatchSources
import Synchronization
import Testing
import TestSupport

/// Answers 503 to the first `refusals` write requests and 204 afterwards, keeping the lines it accepted.
private final class RecoveringServer: HTTPTransport, Sendable {
    let refusals: Int
    private let state = Mutex<(requests: Int, accepted: [String])>((0, []))

    init(refusals: Int) { self.refusals = refusals }

    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        state.withLock { state in
            state.requests += 1
            guard state.requests > refusals else { return HTTPResponse(status: 503) }
            state.accepted += String(decoding: request.body, as: UTF8.self).split(separator: "\n").map(String.init)
            return HTTPResponse(status: 204)
        }
    }

    var accepted: [LineProtocolLine] { state.withLock { $0.accepted }.compactMap(LineProtocolLine.init) }
    var requests: Int { state.withLock { $0.requests } }
}

/// The heartbeat describes the run's end state: the exit status after every retry, the spool after the last
/// replay, and what earlier runs left behind; a run whose writes failed shows in the next run's heartbeats.
@Suite("Heartbeats describe the run's end state")
struct HeartbeatEndStateTests {
    static let wallMs: Int64 = 1_795_000_000_000
    static let dayMs: Int64 = 86_400_000

    /// The demo configuration with its spool at `spool` and its state (the finalised-window files) beside it: each
    /// test has its own, since the cases run in parallel and a shared state directory would have them replace
    /// each other's files (a write's temporary file is named after the process).
    static func configuration(spool: String, retryBudgetSeconds: Double = 0) throws -> JobConfiguration {
        let state = (spool as NSString).deletingLastPathComponent + "/state"
        var configuration = try ConfigLoader.load(
            path: Fixture.path("demo/modelwatch.yaml"),
            environment: ["INFLUX_URL": "http://127.0.0.1:9", "INFLUX_DATABASE": "mw", "MODELWATCH_STATE_DIR": state])
        configuration.delivery.spoolDirectory = spool
        configuration.delivery.gzip = false
        configuration.delivery.retryBudgetSeconds = retryBudgetSeconds
        return configuration
    }

    static func run(_ configuration: JobConfiguration, transport: any HTTPTransport, wallMs: Int64, asOfMs: Int64) -> RunReport {
        let start = ContinuousClock.now
        let environment = RunEnvironment(
            wallClockMs: { wallMs }, now: { start }, transport: transport,
            delivery: DeliveryEnvironment(now: { start }, wallClockMilliseconds: { wallMs }, sleep: { _ in }, random: { 0.5 }),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test")
        return JobRunner(environment: environment).run(RunRequest(configuration: configuration, asOfMs: asOfMs, output: .influx))
    }

    static func heartbeats(_ lines: [LineProtocolLine]) -> [String: LineProtocolLine] {
        Dictionary(lines.filter { $0.measurement == "modelwatch_run" }.map { ($0.tags["model"] ?? "", $0) }, uniquingKeysWith: { _, last in last })
    }

    /// (refused requests, retry budget): refused once without a retry budget (the points get through on the
    /// replay before the heartbeat), four times within the first call's retries, six times (every attempt
    /// of the first call; the replay before the heartbeat gets through).
    @Test("refused first writes that get through in the end: exit 0, an empty spool and nothing for the alerts",
          arguments: [(1, 0.0), (4, 60.0), (6, 60.0)])
    func recoveredRunReportsSuccess(refusals: Int, retryBudgetSeconds: Double) throws {
        let directory = TemporaryDirectory()
        let server = RecoveringServer(refusals: refusals)
        let configuration = try Self.configuration(spool: directory.file("spool"), retryBudgetSeconds: retryBudgetSeconds)
        let report = Self.run(configuration, transport: server,
                              wallMs: Self.wallMs, asOfMs: ms(GoldenOutputTests.asOf))
        #expect(report.exitStatus == .ok, "\(report.models.map { $0.message ?? "" })")
        let heartbeats = Self.heartbeats(server.accepted)
        #expect(heartbeats.count == 2)
        for (model, heartbeat) in heartbeats {
            #expect(heartbeat.fields["exit_code"] == "0i", "\(model)")
            #expect(heartbeat.fields["status"] == "\"ok\"", "\(model)")
            #expect(heartbeat.fields["spool_depth_bytes"] == "0i", "\(model)")
            #expect(heartbeat.fields["points_lost"] == "0i", "\(model)")
            #expect(heartbeat.fields["earlier_runs_points_replayed"] == "0i", "\(model)")
        }
        // Every point of the run arrived once the server answered.
        #expect(server.accepted.count == report.models.reduce(0) { $0 + $1.pointsEncoded + JobRunner.heartbeatPoints })
    }

    @Test("a run whose writes are all refused exits 75; the next run replays its points first and every heartbeat says how many and how old")
    func failedRunShowsInTheNextHeartbeat() throws {
        let directory = TemporaryDirectory()
        let configuration = try Self.configuration(spool: directory.file("spool"))
        let asOf = ms(GoldenOutputTests.asOf)
        let refused = Self.run(configuration, transport: RecoveringServer(refusals: .max), wallMs: Self.wallMs, asOfMs: asOf)
        #expect(refused.exitStatus == .temporaryFailure)
        let spooled = refused.models.reduce(0) { $0 + ($1.delivery?.pointsSpooled ?? 0) }
        #expect(spooled == refused.models.reduce(0) { $0 + $1.pointsEncoded + JobRunner.heartbeatPoints })

        // The next day's run: the server is back.
        let server = RecoveringServer(refusals: 0)
        let next = Self.run(configuration, transport: server, wallMs: Self.wallMs + Self.dayMs, asOfMs: asOf + Self.dayMs)
        #expect(next.exitStatus == .ok)
        func finished(_ wallMs: Int64) -> String { "\(wallMs / 1000)i" }
        let current = server.accepted.filter {
            $0.measurement == "modelwatch_run" && $0.fields["finished_at_seconds"] == finished(Self.wallMs + Self.dayMs)
        }
        #expect(current.count == 2)
        for heartbeat in current {
            #expect(heartbeat.fields["earlier_runs_points_replayed"] == "\(spooled)i")
            #expect(heartbeat.fields["earlier_runs_oldest_age_seconds"] == "\(Self.dayMs / 1000)i")
            #expect(heartbeat.fields["exit_code"] == "0i" && heartbeat.fields["spool_depth_bytes"] == "0i")
        }
        // The failed run's own heartbeats arrive too (stamped with their as-of time), saying exit 75.
        let old = server.accepted.filter { $0.measurement == "modelwatch_run" && $0.fields["finished_at_seconds"] == finished(Self.wallMs) }
        #expect(old.count == 2 && old.allSatisfy { $0.fields["exit_code"] == "75i" })
    }

    @Test("the heartbeat's deadline is 1.5 expected intervals after the finish: expected_interval, else the window")
    func deadlineFollowsTheExpectedInterval() throws {
        let directory = TemporaryDirectory()
        var configuration = try loadConfiguration(Fixture.path("demo/modelwatch.yaml"), in: directory)
        configuration.models[1].expectedIntervalSeconds = 3_600
        let run = runPipeline(configuration, asOfMs: ms(GoldenOutputTests.asOf), outputPath: directory.file("out.lp"))
        let lines = String(decoding: run.bytes, as: UTF8.self).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
        let deadlines = lines.filter { $0.measurement == "modelwatch_deadline" && $0.tags["kind"] == "deadline" }
        let finished = RunEnvironment.frozen.wallClockMs()
        #expect(deadlines.map(\.timestampMs) == [finished + 3 * Self.dayMs / 2, finished + 5_400_000])
        #expect(deadlines.map { $0.fields["expected_interval_seconds"] } == ["86400i", "3600i"])
        let floors = lines.filter { $0.measurement == "modelwatch_deadline" && $0.tags["kind"] == "as_of" }
        #expect(floors.count == 2 && floors.allSatisfy { $0.fields["finished_at_seconds"] == "0i" && $0.timestampMs <= finished })
    }
}
