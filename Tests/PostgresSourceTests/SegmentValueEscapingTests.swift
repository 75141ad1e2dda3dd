import Foundation
import LineProtocol
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport

/// Push-down mode writes the same segment tag values as exact mode for values that need escaping or spell a
/// reserved value: the mapping is one function, applied where each mode reads its segment values.
@Suite("Segment value escaping, exact and push-down", .serialized, .enabled(if: Postgres.enabled, "PostgreSQL missing and MODELWATCH_ALLOW_SKIP=1"))
struct SegmentValueEscapingTests {
    /// SQL literals of the raw values: t\, t/, x⏎y, x y, tab⇥x, tab x, (missing), (other), the empty value, 50%.
    static let sqlValues = [#"E't\\'"#, "'t/'", #"E'x\ny'"#, "'x y'", #"E'tab\tx'"#, "'tab x'", "'(missing)'", "'(other)'", "''", "'50%'"]
    static let rawValues = ["t\\", "t/", "x\ny", "x y", "tab\tx", "tab x", "(missing)", "(other)", "", "50%"]

    @Test("colliding and reserved-looking segment values: exact and push-down write the same distinct tag values")
    func sameTagValuesInBothModes() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let (directory, configPath, yaml) = try ExactModeTests.loadScenario(into: server)
        defer { try? FileManager.default.removeItem(at: directory) }
        try server.psql("""
            UPDATE scores SET region = (ARRAY[\(Self.sqlValues.joined(separator: ", "))])[1 + abs(hashtext(prediction_id)) % \(Self.sqlValues.count)];
            ANALYZE scores;
            """, database: "modelwatch")
        func segmentValues(_ mode: String) throws -> Set<String> {
            let postgresYAML = yaml
                .replacingOccurrences(of: "segment_cap: 10", with: "segment_cap: 20")
                .replacingOccurrences(of: "path: scores.csv", with: "postgres: \(Postgres.block(server, "table: scores", extra: "mode: \(mode)"))")
                .replacingOccurrences(of: "path: labels.csv", with: "postgres: \(Postgres.block(server, "table: labels"))")
            let (report, lines) = try Job.run(
                configPath: configPath, yaml: postgresYAML, environment: Postgres.environment(server), asOf: ExactModeTests.asOf,
                output: directory.appendingPathComponent("\(mode).lp"))
            #expect(report.exitStatus == .ok, "\(mode): \(report.models.map { $0.message ?? "" })")
            let parsed = lines.compactMap(LineProtocolLine.init)
            #expect(parsed.count == lines.count)
            return Set(parsed.filter { $0.measurement == "modelwatch_output" && $0.tags["segment"] == "region" }.compactMap { $0.tags["segment_value"] })
        }
        let exact = try segmentValues("exact")
        let pushdown = try segmentValues("pushdown")
        #expect(exact == pushdown)
        let expected = Set(Self.rawValues.map { $0.isEmpty ? "(missing)" : TagValueEscaping.escaped($0, reserved: ["(missing)", "(other)"]) })
        #expect(exact == expected, "\(exact.sorted())")
        #expect(exact.count == Self.rawValues.count)
    }
}
