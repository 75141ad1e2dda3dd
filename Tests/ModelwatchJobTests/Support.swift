import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchJob
import Testing

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

/// Loads the config at `configPath` (no environment) and runs it in-process as of `asOf`, to a file.
func runPipeline(configPath: String, asOf: String, in directory: TemporaryDirectory, output: String = "out.lp") throws -> PipelineRun {
    let configuration = try ConfigLoader.load(path: configPath, environment: [:])
    return runPipeline(configuration, asOfMs: ms(asOf), outputPath: directory.file(output))
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

/// One line of InfluxDB line protocol, parsed back for assertions (escapes undone).
struct LineProtocolLine: CustomStringConvertible {
    let raw: String
    let measurement: String
    /// Tag keys in the order written.
    let tagKeys: [String]
    let tags: [String: String]
    /// Field keys in the order written.
    let fieldKeys: [String]
    /// Field values as written (`1i`, `0.5`, `"text"`, `true`).
    let fields: [String: String]
    let timestampMs: Int64

    var description: String { raw }

    init?(_ line: String) {
        raw = line
        // Measurement and tags end at the first unescaped space (quotes are literal there); the timestamp
        // follows the last space; the fields are in between (string fields may hold spaces).
        var keyEnd: String.Index?
        var escaped = false
        for index in line.indices {
            if escaped { escaped = false; continue }
            if line[index] == "\\" { escaped = true; continue }
            if line[index] == " " { keyEnd = index; break }
        }
        guard let keyEnd, let lastSpace = line.lastIndex(of: " "), lastSpace > keyEnd,
              let timestamp = Int64(line[line.index(after: lastSpace)...]) else { return nil }
        timestampMs = timestamp
        let sections = [String(line[..<keyEnd]), String(line[line.index(after: keyEnd)..<lastSpace])]
        let key = Self.split(sections[0], on: ",", quotes: false)
        measurement = Self.unescape(key[0])
        var tagKeys: [String] = []
        var tags: [String: String] = [:]
        for pair in key.dropFirst() {
            let parts = Self.split(pair, on: "=", quotes: false)
            guard parts.count == 2 else { return nil }
            tagKeys.append(Self.unescape(parts[0]))
            tags[Self.unescape(parts[0])] = Self.unescape(parts[1])
        }
        self.tagKeys = tagKeys
        self.tags = tags
        var fieldKeys: [String] = []
        var fields: [String: String] = [:]
        for pair in Self.split(sections[1], on: ",") {
            let parts = Self.split(pair, on: "=", limit: 2)
            guard parts.count == 2 else { return nil }
            fieldKeys.append(Self.unescape(parts[0]))
            fields[Self.unescape(parts[0])] = parts[1]
        }
        self.fieldKeys = fieldKeys
        self.fields = fields
    }

    /// A float or integer field as a Double.
    func number(_ key: String) -> Double? {
        guard var text = fields[key] else { return nil }
        if text.hasSuffix("i") { text.removeLast() }
        return Double(text)
    }

    /// An integer field (`12i`).
    func integer(_ key: String) -> Int? {
        guard let text = fields[key], text.hasSuffix("i") else { return nil }
        return Int(text.dropLast())
    }

    /// A string field, unescaped.
    func string(_ key: String) -> String? {
        guard let text = fields[key], text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 else { return nil }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped { result.append(character); escaped = false } else if character == "\\" { escaped = true } else { result.append(character) }
        }
        return result
    }

    /// A boolean field.
    func boolean(_ key: String) -> Bool? {
        switch fields[key] {
        case "true"?, "t"?, "T"?, "True"?, "TRUE"?: true
        case "false"?, "f"?, "F"?, "False"?, "FALSE"?: false
        default: nil
        }
    }

    /// Splits on `separator` outside escapes (and outside double quotes when `quotes`).
    private static func split(_ text: String, on separator: Character, quotes: Bool = true, limit: Int = .max) -> [String] {
        var parts: [String] = [""]
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { parts[parts.count - 1].append(character); escaped = false; continue }
            if character == "\\" { escaped = true; parts[parts.count - 1].append(character); continue }
            if quotes && character == "\"" { quoted.toggle() }
            if character == separator && !quoted && parts.count < limit { parts.append(""); continue }
            parts[parts.count - 1].append(character)
        }
        return parts
    }

    /// Undoes the escapes of measurements, tag keys and values and field keys (`\,` `\=` `\ ` `\\`).
    private static func unescape(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                if !",= \\".contains(character) { result.append("\\") }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
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
