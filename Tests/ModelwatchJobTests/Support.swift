import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchConfiguration
import ModelwatchJob
import Testing
import TestSupport

// Shared helpers for the ModelwatchJob tests: fixtures, temporary directories, a deterministic run
// environment and a small line protocol reader for assertions.
//
// Note: HTTPTransport, InfluxDelivery and Logging are not declared dependencies of this test target;
// they are imported because `RunEnvironment` is built from their types (SwiftPM makes the modules of
// transitive dependencies visible).

/// Checked-in test data under `Fixtures/` (copied into the test bundle as a resource).
enum Fixture {
    /// The `Fixtures` directory of the test bundle.
    static let directory: String = {
        if let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return url.path }
        return sourceDirectory
    }()

    /// `Fixtures` in the source tree (where goldens are regenerated).
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// Absolute path of a fixture, e.g. `join/scores.csv`.
    static func path(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }
}

/// A fresh directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init(_ label: String = "modelwatch-test") {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// A state root of this directory's own (`state/`): tests that run one shared fixture config (the demo's) in
    /// parallel must not read or replace each other's finalised-window files, which change a run's catch-up windows.
    var stateRoot: StateDirectory { StateDirectory(root: file("state"), origin: "test") }

    /// Writes `text` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let target = file(name)
        try! FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// Every path below the directory, relative, sorted.
    func listing() -> [String] {
        (FileManager.default.subpaths(atPath: path) ?? []).sorted()
    }
}

/// A transport that never reaches a server; in-process pipeline tests write files, never InfluxDB.
struct UnreachableTransport: HTTPTransport {
    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        throw TransportError(kind: .connectionRefused, message: "test transport: no server")
    }
}

extension RunEnvironment {
    /// Frozen clocks (every duration is zero), no sleeping, no network, no logs, version `test`.
    static var frozen: RunEnvironment {
        let start = ContinuousClock.now
        let wallMs: Int64 = 1_795_000_000_000
        return RunEnvironment(
            wallClockMs: { wallMs }, now: { start }, transport: UnreachableTransport(),
            delivery: DeliveryEnvironment(now: { start }, wallClockMilliseconds: { wallMs }, sleep: { _ in }, random: { 0.5 }),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test")
    }
}

/// Epoch milliseconds of an RFC 3339 time.
func ms(_ text: String) -> Int64 {
    guard let value = TimeText.parseRFC3339(text) else { fatalError("bad time in a test: \(text)") }
    return value
}

/// The result of one in-process run written to a file.
struct PipelineRun {
    let report: RunReport
    /// The bytes of the output file (empty when it was not written).
    let bytes: [UInt8]
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var lines: [LineProtocolLine] { text.split(separator: "\n").map { LineProtocolLine(String($0))! } }

    /// Points of one measurement, optionally filtered by tags.
    func points(_ measurement: String, _ tags: [String: String] = [:]) -> [LineProtocolLine] {
        lines.filter { line in
            line.measurement == measurement && tags.allSatisfy { line.tags[$0.key] == $0.value }
        }
    }

    /// The single point matching, or a test failure.
    func point(_ measurement: String, _ tags: [String: String] = [:]) throws -> LineProtocolLine {
        let matches = points(measurement, tags)
        guard matches.count == 1 else {
            throw TestFailure("expected one \(measurement) point with \(tags), found \(matches.count):\n\(text)")
        }
        return matches[0]
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Loads the config at `configPath` (no environment; its state in `directory`) and runs it in-process as of
/// `asOf`, to a file.
func runPipeline(configPath: String, asOf: String, in directory: TemporaryDirectory, output: String = "out.lp") throws -> PipelineRun {
    let configuration = try loadConfiguration(configPath, in: directory)
    return runPipeline(configuration, asOfMs: ms(asOf), outputPath: directory.file(output))
}

/// Loads the config at `configPath` with its state under `directory` (``TemporaryDirectory/stateRoot``).
func loadConfiguration(_ configPath: String, in directory: TemporaryDirectory) throws -> JobConfiguration {
    try ConfigLoader.load(path: configPath, environment: [:], stateRoot: directory.stateRoot)
}

/// Writes `yaml` as a config in `directory` and runs it.
func runPipeline(yaml: String, asOf: String, in directory: TemporaryDirectory) throws -> PipelineRun {
    let configPath = directory.write("modelwatch.yaml", yaml)
    return try runPipeline(configPath: configPath, asOf: asOf, in: directory)
}

func runPipeline(_ configuration: JobConfiguration, asOfMs: Int64, outputPath: String) -> PipelineRun {
    let report = JobRunner(environment: .frozen).run(RunRequest(configuration: configuration, asOfMs: asOfMs, output: .file(outputPath)))
    let bytes = FileManager.default.contents(atPath: outputPath).map { [UInt8]($0) } ?? []
    return PipelineRun(report: report, bytes: bytes)
}

/// A one-model config for reader tests: scores (with a version column and a `region` segment) and labels (with
/// a time column), both with millisecond epoch times, and the given features.
func readerTestModel(scores: String, labels: String, numeric: [String], categorical: [String]) throws -> ModelConfiguration {
    let yaml = """
        models:
          - name: m
            window: 1h
            maturity: 1h
            segments: [region]
            scores:
              path: '\(scores)'
              columns: {version: model_version}
              timestamp_unit: milliseconds
            labels:
              path: '\(labels)'
              columns: {time: label_time}
              timestamp_unit: milliseconds
            features:
              numeric: [\(numeric.joined(separator: ", "))]
              categorical: [\(categorical.joined(separator: ", "))]
        """
    return try #require(try ConfigLoader.parse(yaml: yaml, file: "test.yaml", environment: [:]).models.first)
}
