import Foundation
@testable import ModelwatchConfiguration
@testable import ModelwatchJob
@testable import ModelwatchSources
import Synchronization
import Testing
import TestSupport

/// Models a run does not start: when it is asked to stop (SIGTERM or SIGINT, seen by the job as
/// ``RunEnvironment/stopRequested``; the signal handling itself is tested on the real executable in
/// `IntegrationTests/StopSignalTests`) and when its time budget has run out.
@Suite("Models skipped by a stop request or the time budget")
struct SkippedModelTests {
    /// Runs the two-model demo fixture in `environment` to a file; the report and the written lines.
    static func runDemo(_ environment: RunEnvironment) throws -> (report: RunReport, lines: [String]) {
        let directory = TemporaryDirectory()
        let configuration = try loadConfiguration(Fixture.path("demo/modelwatch.yaml"), in: directory)
        #expect(configuration.models.count == 2 && configuration.run.timeBudgetSeconds == 600)
        let output = directory.file("out.lp")
        let report = JobRunner(environment: environment)
            .run(RunRequest(configuration: configuration, asOfMs: ms(GoldenOutputTests.asOf), output: .file(output)))
        return (report, try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init))
    }

    @Test("a stop asked for during the first model: it is finished and written whole, the second is skipped with a heartbeat saying why, and the run exits 75")
    func stopBetweenModels() throws {
        // Asked before each model: not yet before the first, already before the second.
        let asked = Mutex(0)
        var environment = RunEnvironment.frozen
        environment.stopRequested = { asked.withLock { count in count += 1; return count > 1 } }
        let (report, written) = try Self.runDemo(environment)
        #expect(report.exitStatus == .temporaryFailure)
        #expect(report.models.map(\.status) == [.ok, .temporaryFailure])
        #expect(report.models[1].message == "the run was asked to stop (SIGTERM or SIGINT) before this model")
        // The summary says why and nothing else: no rows, join or inputs of a model that was not read.
        let summary = SummaryRenderer.render(report)
        let skipped = try #require(summary.range(of: "model demo model (daily, restated)  [temporary_failure]  0.00s\n"))
        #expect(summary[skipped.upperBound...].split(separator: "\n").prefix(2) == [
            "  skipped      the run was asked to stop (SIGTERM or SIGINT) before this model",
            "  points       heartbeat only · 3 delivered",
        ])
        let golden = try String(contentsOfFile: GoldenOutputTests.goldenPath, encoding: .utf8).split(separator: "\n").map(String.init)
        // The first model's points and heartbeat are exactly those of an uninterrupted run.
        let firstModel = golden.filter { $0.contains(",model=demo-model ") || $0.contains(",model=demo-model,") }
        #expect(!firstModel.isEmpty)
        #expect(Array(written.prefix(firstModel.count)) == firstModel)
        // The second model wrote its heartbeat only, stamped with its own window's as-of time.
        let rest = written.dropFirst(firstModel.count).compactMap(LineProtocolLine.init)
        #expect(rest.map(\.measurement) == ["modelwatch_run", "modelwatch_deadline", "modelwatch_deadline"])
        let heartbeat = try #require(rest.first)
        #expect(heartbeat.tags["model"] == "demo model (daily, restated)")
        #expect(heartbeat.fields["status"] == "\"temporary_failure\"" && heartbeat.fields["exit_code"] == "75i")
        #expect(heartbeat.fields["points_written"] == "0i" && heartbeat.fields["rows_read"] == "0i")
        let uninterrupted = try #require(golden.compactMap(LineProtocolLine.init).first {
            $0.measurement == "modelwatch_run" && $0.tags["model"] == "demo model (daily, restated)"
        })
        #expect(heartbeat.timestampMs == uninterrupted.timestampMs)
        #expect(SchemaConformance.violations(written.compactMap(LineProtocolLine.init)) == [])
    }

    @Test("a model not started before the time budget ran out is skipped with a heartbeat saying why, and the run exits 75")
    func timeBudgetRunsOut() throws {
        // A clock that jumps 11 minutes while the first model is evaluated (its stop check is the first call).
        let origin = ContinuousClock.now
        let elapsed = Mutex(Duration.zero)
        var environment = RunEnvironment.frozen
        environment.now = { origin + elapsed.withLock { $0 } }
        environment.stopRequested = { elapsed.withLock { $0 += .seconds(660) }; return false }
        let (report, written) = try Self.runDemo(environment)
        #expect(report.exitStatus == .temporaryFailure)
        #expect(report.models.map(\.status) == [.ok, .temporaryFailure])
        #expect(report.models[1].message == "the run's time budget (10m) ran out before this model")
        let heartbeats = written.compactMap(LineProtocolLine.init).filter { $0.measurement == "modelwatch_run" }
        #expect(heartbeats.map { $0.tags["model"] ?? "" } == ["demo-model", "demo model (daily, restated)"], "every model has its heartbeat")
        #expect(heartbeats.last?.fields["status"] == "\"temporary_failure\"" && heartbeats.last?.fields["exit_code"] == "75i")
    }

    @Test("a read abandoned at the end of the stop grace fails its model with exit 75 and writes only the heartbeats")
    func readAbandoned() throws {
        // The stop arrives once the first model has started; its grace is over before the first chunk is read.
        let asked = Mutex(0)
        var environment = RunEnvironment.frozen
        environment.stopRequested = { asked.withLock { count in count += 1; return count > 1 } }
        environment.abortRequested = { true }
        let (report, written) = try Self.runDemo(environment)
        #expect(report.exitStatus == .temporaryFailure)
        #expect(report.models.map(\.status) == [.temporaryFailure, .temporaryFailure])
        #expect(report.models[0].message == FileRecords.abandoned.message)
        #expect(!report.models[0].skipped && report.models[1].skipped)
        let lines = written.compactMap(LineProtocolLine.init).filter { $0.measurement != "modelwatch_deadline" }
        #expect(lines.map(\.measurement) == ["modelwatch_run", "modelwatch_run"], "no metric point of the abandoned model")
        #expect(lines.allSatisfy { $0.fields["exit_code"] == "75i" })
    }
}
