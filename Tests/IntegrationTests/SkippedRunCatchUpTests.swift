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

/// Runs that were skipped (a stopped job, a host down) leave the windows that matured meanwhile provisional;
/// the next run finalises every one of them, so InfluxDB ends up holding what one run per day would have left.
@Suite("A run after skipped runs finalises the windows that matured meanwhile", .serialized)
struct SkippedRunCatchUpTests {
    static let day: Int64 = 86_400_000

    /// A daily model with a week's maturity on 14 days of generated data, its reference profile built.
    static func scenario(_ directory: URL) throws -> (configPath: String, start: Int64) {
        var scenario = ScenarioConfig.named("healthy")!
        scenario.days = 14
        scenario.predictionsPerHour = 20
        let written = try ScenarioFiles.write(scenario, to: directory.path, modelName: "catch-up", gzip: false)
        let config = try ConfigLoader.load(path: written.configPath, environment: ["MODELWATCH_STATE_DIR": directory.appendingPathComponent("state-profile").path])
        let built = try ProfileBuilder.build(model: config.models[0], range: written.referenceRange, inputPath: nil, options: config.run)
        try ProfileBuilder.write(built, to: config.models[0].referenceProfile!)
        return (written.configPath, scenario.startMs)
    }

    static func runner() -> JobRunner {
        JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { ContinuousClock.now }, transport: CurlTransport(),
            delivery: .system, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
    }

    static func configuration(_ path: String, server: InfluxServer, database: String, stateRoot: URL) throws -> JobConfiguration {
        try ConfigLoader.load(path: path, environment: ["INFLUX_URL": server.url, "INFLUX_DATABASE": database, "MODELWATCH_STATE_DIR": stateRoot.path])
    }

    /// Every measurement but the heartbeat's (whose finish times differ by design), as InfluxDB returns it.
    static func stored(_ server: InfluxServer, _ database: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for measurement in Schema.all where measurement.name != Schema.run.name && measurement.name != Schema.deadline.name {
            let response = try server.query("SELECT * FROM \"\(measurement.name)\" GROUP BY *", database: database)
            for series in response.series {
                for row in series.values {
                    let tags = (series.tags ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                    result["\(series.name),\(tags) @\(row.first?.description ?? "")"] = row.dropFirst().map(\.description).joined(separator: ",")
                }
            }
        }
        return result
    }

    @Test("run at T, skip three daily runs, run at T+4d: the three matured windows are final and equal to a run-per-day reference in a real InfluxDB")
    func skippedDailyRunsAreFinalised() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-catchup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (configPath, start) = try Self.scenario(directory)
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("gap")
        try server.createDatabase("daily")
        let gap = try Self.configuration(configPath, server: server, database: "gap", stateRoot: directory.appendingPathComponent("state-gap"))
        let daily = try Self.configuration(configPath, server: server, database: "daily", stateRoot: directory.appendingPathComponent("state-daily"))
        let first = start + 9 * Self.day

        // The reference: one run per day.
        for day in 0...4 {
            let report = Self.runner().run(RunRequest(configuration: daily, asOfMs: first + Int64(day) * Self.day, output: .influx))
            #expect(report.exitStatus == .ok, "\(SummaryRenderer.render(report))")
            #expect(report.models.first?.windowsFinalisedLate == 0, "a run per day has nothing to catch up")
        }
        // The gap: a run at T, none for three days, one at T+4d.
        let before = Self.runner().run(RunRequest(configuration: gap, asOfMs: first, output: .influx))
        #expect(before.exitStatus == .ok, "\(SummaryRenderer.render(before))")
        let after = Self.runner().run(RunRequest(configuration: gap, asOfMs: first + 4 * Self.day, output: .influx))
        #expect(after.exitStatus == .ok, "\(SummaryRenderer.render(after))")
        #expect(after.models.first?.windowsFinalisedLate == 3)
        #expect(SummaryRenderer.render(after).contains("catch-up     3 earlier final windows written"), "\(SummaryRenderer.render(after))")

        // The three windows that matured during the gap are final (their timestamps: T−7d+1d … T−7d+3d).
        let maturity = 7 * Self.day
        for offset in 1...3 {
            let time = first - maturity + Int64(offset) * Self.day
            let rows = try server.query(
                "SELECT \"provisional\" FROM \"modelwatch_performance\" WHERE time = \(time)ms AND \"segment\" = 'all'", database: "gap").rows
            #expect(!rows.isEmpty, "a performance point at the window ending \(TimeText.format(time))")
            #expect(rows.allSatisfy { $0["provisional"] == .bool(false) }, "window ending \(TimeText.format(time)): \(rows)")
        }
        let expected = try Self.stored(server, "daily")
        let actual = try Self.stored(server, "gap")
        #expect(expected.count > 500)
        #expect(Set(actual.keys) == Set(expected.keys), "missing: \(Set(expected.keys).subtracting(actual.keys).sorted().prefix(3)), extra: \(Set(actual.keys).subtracting(expected.keys).sorted().prefix(3))")
        let differing = expected.filter { actual[$0.key] != $0.value }.map(\.key).sorted()
        #expect(differing.isEmpty, "first differing: \(differing.prefix(3))")

        // The next daily run has nothing left to catch up.
        let next = Self.runner().run(RunRequest(configuration: gap, asOfMs: first + 5 * Self.day, output: .influx))
        #expect(next.exitStatus == .ok)
        #expect(next.models.first?.windowsFinalisedLate == 0)
    }

    @Test("after a gap longer than 35 days only the last 35 days of windows are finalised, with a warning in the summary")
    func catchUpIsCapped() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-catchup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (configPath, start) = try Self.scenario(directory)
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("modelwatch")
        let configuration = try Self.configuration(configPath, server: server, database: "modelwatch", stateRoot: directory.appendingPathComponent("state"))
        let asOf = start + 13 * Self.day
        // As if the last run that delivered a final window had been 50 days ago.
        let first = Self.runner().run(RunRequest(configuration: configuration, asOfMs: asOf - 50 * Self.day, output: .influx))
        #expect(first.exitStatus == .ok, "\(SummaryRenderer.render(first))")
        let report = Self.runner().run(RunRequest(configuration: configuration, asOfMs: asOf, output: .influx))
        #expect(report.exitStatus == .ok, "\(SummaryRenderer.render(report))")
        #expect(report.models.first?.windowsFinalisedLate == 35)
        let summary = SummaryRenderer.render(report)
        #expect(summary.contains("warning      runs were skipped for more than 35 days"), "\(summary)")
        #expect(summary.contains("catch-up     35 earlier final windows written"), "\(summary)")
    }

    @Test("a corrupted or another model's finalised-window state file is a configuration error (78) naming its path; no metric point is written",
          arguments: ["garbage\n", "modelwatch finalised-window 1\nmodel someone-else\nwindow_end 2026-01-01T00:00:00Z\n"])
    func foreignStateIsAConfigError(content: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-catchup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (configPath, start) = try Self.scenario(directory)
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("modelwatch")
        let configuration = try Self.configuration(configPath, server: server, database: "modelwatch", stateRoot: directory.appendingPathComponent("state"))
        let asOf = start + 9 * Self.day
        #expect(Self.runner().run(RunRequest(configuration: configuration, asOfMs: asOf, output: .influx)).exitStatus == .ok)
        let stateFiles = try FileManager.default.contentsOfDirectory(atPath: configuration.stateDirectory + "/finalised")
        #expect(stateFiles.count == 1 && stateFiles[0].hasPrefix("catch-up-") && stateFiles[0].hasSuffix(".state"), "\(stateFiles)")
        let path = configuration.stateDirectory + "/finalised/" + stateFiles[0]
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try server.query("DROP SERIES FROM \"modelwatch_performance\"", database: "modelwatch")
        let report = Self.runner().run(RunRequest(configuration: configuration, asOfMs: asOf + Self.day, output: .influx))
        #expect(report.exitStatus == .configError)
        #expect(report.models.first?.message?.contains("`\(path)`") == true, "\(report.models.first?.message ?? "")")
        #expect(try server.query("SELECT * FROM \"modelwatch_performance\"", database: "modelwatch").rows.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == content, "the file is left for the user to look at")
    }
}
