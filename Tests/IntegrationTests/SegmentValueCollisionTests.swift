import Foundation
import HTTPTransport
import InfluxDelivery
import LineProtocol
import Logging
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// Segment values that collided when newlines, tabs and a trailing backslash were rewritten, or that spell a
/// reserved value, stay distinct series in a real InfluxDB 1.x, and the run says how many it escaped.
@Suite("Colliding segment values through a real InfluxDB", .serialized)
struct SegmentValueCollisionTests {
    /// The raw values; the empty one is written `(missing)`, the others must each keep a series of their own.
    static let regions = ["t\\", "t/", "x\ny", "x y", "tab\tx", "tab x", "(missing)", "(other)", "", "50%", "plain"]
    static let asOf = "2026-11-20T00:00:00Z"

    static func csvField(_ value: String) -> String { "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    @Test("t\\ and t/, x⏎y and x y, tab⇥x and tab x, (missing), (other) and the empty value are separate series in InfluxDB")
    func collidingValuesStayDistinct() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("modelwatch")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-collide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var scores = "prediction_id,prediction_time,score,region\n"
        let start = TimeText.parseRFC3339("2026-11-19T00:00:00Z")!
        var rowsPerRegion: [String: Int] = [:]
        for index in 0..<(Self.regions.count * 7) {
            let region = Self.regions[index % Self.regions.count]
            rowsPerRegion[region, default: 0] += 1
            scores += "id\(index),\(TimeText.format(start + Int64(index) * 60_000)),0.\(index % 10),\(Self.csvField(region))\n"
        }
        try scores.write(to: directory.appendingPathComponent("scores.csv"), atomically: true, encoding: .utf8)
        try "prediction_id,label,label_time\n".write(to: directory.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
        try """
            models:
              - name: m
                window: 1d
                maturity: 1d
                segments: [region]
                segment_cap: 50
                scores:
                  path: scores.csv
                  columns: {id: prediction_id, time: prediction_time, score: score}
                labels:
                  path: labels.csv
                  columns: {id: prediction_id, label: label, time: label_time}
            """.write(to: directory.appendingPathComponent("modelwatch.yaml"), atomically: true, encoding: .utf8)
        let configuration = try ConfigLoader.load(
            path: directory.appendingPathComponent("modelwatch.yaml").path,
            // The state directory (spool, lock) inside the scratch directory, never the real /var/lib/modelwatch.
            environment: ["INFLUX_URL": server.url, "INFLUX_DATABASE": "modelwatch",
                          "MODELWATCH_STATE_DIR": directory.appendingPathComponent("state").path])
        let runner = JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { ContinuousClock.now }, transport: CurlTransport(),
            delivery: .system, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
        let report = runner.run(RunRequest(configuration: configuration, asOfMs: TimeText.parseRFC3339(Self.asOf)!, output: .influx))
        #expect(report.exitStatus == .ok, "\(SummaryRenderer.render(report))")

        // One series per raw value (the empty value is `(missing)`), plus `all`; each reads back as its value.
        let stored = try server.query(#"SHOW TAG VALUES FROM "modelwatch_output" WITH KEY = "segment_value""#, database: "modelwatch")
            .rows.compactMap { $0["value"]?.string }
        #expect(stored.count == Self.regions.count + 1, "\(stored)")
        let decoded = Set(stored.filter { $0 != "all" && $0 != "(missing)" }.map(TagValueEscaping.unescaped))
        #expect(decoded == Set(Self.regions.filter { !$0.isEmpty }), "\(stored)")
        #expect(stored.contains("(missing)"))

        // Each series counts the rows of its own value only.
        for region in Self.regions {
            let tag = region.isEmpty ? "(missing)" : TagValueEscaping.escaped(region, reserved: ["(missing)", "(other)"])
            let literal = tag.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            let rows = try server.query(
                "SELECT \"count\" FROM \"modelwatch_output\" WHERE \"segment\" = 'region' AND \"segment_value\" = '\(literal)'", database: "modelwatch").rows
            #expect(rows.count == 1, "\(String(reflecting: region))")
            #expect(rows.first?["count"]?.double == Double(rowsPerRegion[region]!), "\(String(reflecting: region))")
        }

        // The summary says how many values were escaped, with an example.
        let summary = SummaryRenderer.render(report)
        #expect(summary.contains("region: 6 values escaped for InfluxDB (e.g. "), "\(summary)")
    }
}
