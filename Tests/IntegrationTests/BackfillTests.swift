import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics
import ModelwatchJob
import Synchronization
import SyntheticData
import Testing
import TestSupport

/// Backfill and restatement: one pass over the data must leave exactly what one scheduled run per window
/// would have left, and restated windows must overwrite, never duplicate.
@Suite("Backfill and restatement", .serialized)
struct BackfillTests {
    static let day: Int64 = 86_400_000

    /// A 12-day healthy scenario with its reference profile, in a temporary directory.
    static func scenario() throws -> (directory: URL, config: JobConfiguration, start: Int64) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-backfill-\(UUID().uuidString)")
        var scenario = ScenarioConfig.named("healthy")!
        scenario.days = 12
        scenario.predictionsPerHour = 20
        let written = try ScenarioFiles.write(scenario, to: directory.path, modelName: "backfill-model", gzip: false)
        let config = try ConfigLoader.load(path: written.configPath, environment: [:])
        let built = try ProfileBuilder.build(model: config.models[0], range: written.referenceRange, inputPath: nil, options: config.run)
        try ProfileBuilder.write(built, to: config.models[0].referenceProfile!)
        return (directory, config, scenario.startMs)
    }

    static func runner(transport: any HTTPTransport = CurlTransport(), stopRequested: @escaping @Sendable () -> Bool = { false }) -> JobRunner {
        JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { ContinuousClock.now }, transport: transport,
            delivery: .system, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test",
            stopRequested: stopRequested))
    }

    /// Lines keyed by series and timestamp, the last write winning, as InfluxDB stores them; heartbeats excluded.
    static func lastWriteWins(_ files: [String]) throws -> [String: String] {
        var state: [String: String] = [:]
        for file in files {
            for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("modelwatch_run") && !line.hasPrefix("modelwatch_deadline") {
                let parts = Self.splitUnescaped(String(line))
                state[parts.seriesAndTime] = parts.fields
            }
        }
        return state
    }

    /// Splits a line at its two unescaped spaces outside quotes: series, fields, timestamp.
    static func splitUnescaped(_ line: String) -> (seriesAndTime: String, fields: String) {
        var positions: [String.Index] = []
        var escaped = false
        var quoted = false
        for index in line.indices {
            let character = line[index]
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { quoted.toggle(); continue }
            if character == " " && !quoted { positions.append(index) }
        }
        let series = String(line[..<positions[0]])
        let fields = String(line[line.index(after: positions[0])..<positions[1]])
        let time = String(line[line.index(after: positions[1])...])
        return ("\(series) @\(time)", fields)
    }

    @Test("a backfill equals the union of per-window runs, point for point")
    func backfillEqualsPerWindowRuns() throws {
        let (directory, config, start) = try Self.scenario()
        defer { try? FileManager.default.removeItem(at: directory) }
        let from = start + 8 * Self.day
        let to = start + 12 * Self.day
        var runFiles: [String] = []
        var runMatched = 0, runInputs = 0
        var asOf = from
        while asOf <= to {
            let file = directory.appendingPathComponent("run-\(asOf).lp").path
            let report = Self.runner().run(RunRequest(configuration: config, asOfMs: asOf, output: .file(file)))
            #expect(report.exitStatus == .ok)
            runFiles.append(file)
            runMatched += report.models.first?.counters.labelsMatched ?? 0
            runInputs += report.models.first?.inputRows ?? 0
            asOf += Self.day
        }
        let backfillFile = directory.appendingPathComponent("backfill.lp").path
        var progressCalls = 0
        let report = Self.runner().backfill(
            BackfillRequest(configuration: config, fromMs: from, toMs: to, output: .file(backfillFile), checkpointDirectory: nil, windowsPerBatch: 2),
            progress: { _ in progressCalls += 1 })
        #expect(report.exitStatus == .ok, "\(SummaryRenderer.render(report))")
        #expect(progressCalls == 3)
        // The summary covers every as-of time: its join and input figures are those of the five runs added up.
        let span = try #require(report.models.first?.backfill)
        #expect(span.windows == 5 && span.firstAsOfMs == from && span.lastAsOfMs == to)
        #expect(runMatched > 0 && span.labelsMatched == runMatched)
        #expect(runInputs > 0 && span.inputRows == runInputs)
        let summary = SummaryRenderer.render(report)
        #expect(summary.hasPrefix("modelwatch backfill from "), "\(summary)")
        #expect(summary.contains("5 as-of times from "), "\(summary)")
        #expect(summary.contains(" in 5 final windows") && summary.contains(" predictions in 5 input windows"), "\(summary)")

        let expected = try Self.lastWriteWins(runFiles)
        let actual = try Self.lastWriteWins([backfillFile])
        #expect(expected.count > 500)
        #expect(Set(actual.keys) == Set(expected.keys))
        let differing = expected.filter { actual[$0.key] != $0.value }.map(\.key).sorted()
        #expect(differing.isEmpty, "first differing series: \(differing.prefix(3))")
    }

    @Test("an interrupted backfill resumes after the last delivered batch")
    func resumesFromCheckpoint() throws {
        let (directory, config, start) = try Self.scenario()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoints = directory.appendingPathComponent("checkpoints").path
        let from = start + 8 * Self.day
        let to = start + 11 * Self.day
        // Simulate an interruption: a checkpoint that says the first two as-of times were delivered.
        let whole = Self.runner().backfill(
            BackfillRequest(configuration: config, fromMs: from, toMs: to, output: .file(directory.appendingPathComponent("whole.lp").path), checkpointDirectory: nil),
            progress: { _ in })
        #expect(whole.exitStatus == .ok)
        let key = "backfill-model|\(from)|\(to)|\(config.fingerprint)"
        let checkpointFile = (checkpoints as NSString).appendingPathComponent("backfill-\(Fingerprint.fnv1a64Hex(key)).checkpoint")
        try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
        try (TimeText.format(from + Self.day) + "\n").write(toFile: checkpointFile, atomically: true, encoding: .utf8)
        var seen: [Int] = []
        let resumed = Self.runner().backfill(
            BackfillRequest(configuration: config, fromMs: from, toMs: to, output: .file(directory.appendingPathComponent("resumed.lp").path), checkpointDirectory: checkpoints, windowsPerBatch: 1),
            progress: { seen.append($0.done) })
        #expect(resumed.exitStatus == .ok)
        #expect(seen == [3, 4], "only the two as-of times after the checkpoint are evaluated")
        #expect(!FileManager.default.fileExists(atPath: checkpointFile), "a finished backfill removes its checkpoint")
    }

    @Test("a backfill asked to stop ends after its current batch with exit 75, and the same command resumes to the same points")
    func stopsAfterBatchAndResumes() throws {
        let (directory, config, start) = try Self.scenario()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoints = directory.appendingPathComponent("checkpoints").path
        let from = start + 8 * Self.day
        let to = start + 12 * Self.day
        func backfill(_ name: String, stopAfterFirstBatch: Bool) -> (report: RunReport, done: [Int], file: String) {
            let file = directory.appendingPathComponent(name).path
            let stop = Mutex(false)
            let done = Mutex<[Int]>([])
            let report = Self.runner(stopRequested: { stop.withLock { $0 } }).backfill(
                BackfillRequest(configuration: config, fromMs: from, toMs: to, output: .file(file), checkpointDirectory: checkpoints, windowsPerBatch: 2),
                progress: { progress in
                    done.withLock { $0.append(progress.done) }
                    // The signal arrives while the first batch is being evaluated.
                    if stopAfterFirstBatch { stop.withLock { $0 = true } }
                })
            return (report, done.withLock { $0 }, file)
        }
        let whole = backfill("whole.lp", stopAfterFirstBatch: false)
        #expect(whole.report.exitStatus == .ok)

        let stopped = backfill("stopped.lp", stopAfterFirstBatch: true)
        #expect(stopped.report.exitStatus == .temporaryFailure)
        #expect(stopped.done == [2], "one batch of two windows, then the stop")
        let message = stopped.report.models.first?.message ?? ""
        #expect(message.hasPrefix("stopped (SIGTERM or SIGINT) after the window ending "), "\(message)")
        #expect(message.hasSuffix("the same command resumes from there"), "\(message)")

        let resumed = backfill("resumed.lp", stopAfterFirstBatch: false)
        #expect(resumed.report.exitStatus == .ok)
        #expect(resumed.done == [4, 5])
        #expect(try Self.lastWriteWins([stopped.file, resumed.file]) == Self.lastWriteWins([whole.file]))
    }

    @Test("a late-label restatement overwrites the provisional window in a real InfluxDB, without duplicates")
    func restatementOverwrites() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("modelwatch")
        let (directory, fileConfig, start) = try Self.scenario()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try ConfigLoader.load(path: fileConfig.sourceFile, environment: [
            "INFLUX_URL": server.url, "INFLUX_DATABASE": "modelwatch", "MODELWATCH_STATE_DIR": directory.appendingPathComponent("state").path,
        ])
        let windowEnd = start + 5 * Self.day
        let query = """
            SELECT "n", "provisional" FROM "modelwatch_performance" WHERE "segment" = 'all' AND "version" = 'v1' AND time = \(windowEnd)ms
            """
        // Day 6: the window ending on day 5 is one day old, provisional, with the labels of one day.
        let early = Self.runner().run(RunRequest(configuration: config, asOfMs: start + 6 * Self.day, output: .influx))
        #expect(early.exitStatus == .ok)
        let provisional = try server.query(query, database: "modelwatch").rows
        #expect(provisional.count == 1)
        #expect(provisional.first?["provisional"]?.bool == true)
        let earlyN = try #require(provisional.first?["n"]?.double)
        // Day 12: the same window is final (7 days of labels) and is rewritten in place.
        let late = Self.runner().run(RunRequest(configuration: config, asOfMs: start + 12 * Self.day, output: .influx))
        #expect(late.exitStatus == .ok)
        let final = try server.query(query, database: "modelwatch").rows
        #expect(final.count == 1, "restated, not duplicated")
        #expect(final.first?["provisional"]?.bool == false)
        let lateN = try #require(final.first?["n"]?.double)
        #expect(lateN > earlyN, "late labels arrived: \(earlyN) → \(lateN)")
        #expect(lateN == Double(late.models[0].finalPerformance.first { $0.version == "v1" }?.result.n ?? -1))
    }
}
