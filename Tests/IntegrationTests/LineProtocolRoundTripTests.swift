import Foundation
import HTTPTransport
import InfluxDelivery
import LineProtocol
import Testing
import TestSupport

/// Writes hostile names through the encoder and the real delivery path into a real InfluxDB 1.x and reads
/// them back with InfluxQL: the escaping rules are verified by the server, not by our own reading of the spec.
@Suite("Line protocol round trip through a real InfluxDB", .serialized)
struct LineProtocolRoundTripTests {
    static let hostileTagValues = [
        "us east", "apac,north", "a=b", #"back\slash"#, "São Paulo", "東京 ⚡", #"quote"d"#, "comma, space=equals",
    ]

    @Test("tag values with spaces, commas, equals signs, backslashes and non-ASCII read back unchanged; so does an escaped field key")
    func hostileNamesRoundTrip() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("roundtrip")
        var points: [Point] = []
        for (index, value) in Self.hostileTagValues.enumerated() {
            var point = Point(measurement: "rt measurement,x", tags: [(key: "segment value", value: value), (key: "i", value: String(index))], timestampMs: 1_700_000_000_000 + Int64(index))
            point.add("plain", Double(index) + 0.5)
            point.add("f k=,", .integer(Int64(index)))
            point.add("text", .string(#"say "hi" \ "# + value))
            points.append(point)
        }
        var encoder = LineProtocolEncoder()
        let body = encoder.encode(points)
        let writer = InfluxWriter(
            target: InfluxTarget(baseURL: server.url, api: .v1(database: "roundtrip", retentionPolicy: nil)),
            spool: nil, deadLetterPath: nil, transport: CurlTransport())
        let report = writer.deliver(lines: body)
        #expect(report.outcome == .delivered)
        #expect(report.pointsDelivered == points.count)

        let tagValues = try server.query(#"SHOW TAG VALUES FROM "rt measurement,x" WITH KEY = "segment value""#, database: "roundtrip")
        let stored = Set(tagValues.rows.compactMap { $0["value"]?.string })
        #expect(stored == Set(Self.hostileTagValues))

        let rows = try server.query(#"SELECT "plain", "f k=,", "text", "segment value" FROM "rt measurement,x" ORDER BY time"#, database: "roundtrip").rows
        #expect(rows.count == points.count)
        for (index, row) in rows.enumerated() {
            #expect(row["plain"]?.double == Double(index) + 0.5)
            #expect(row["f k=,"]?.double == Double(index))
            #expect(row["text"]?.string == #"say "hi" \ "# + Self.hostileTagValues[index])
            #expect(row["segment value"]?.string == Self.hostileTagValues[index])
        }
    }

    @Test("a trailing backslash is rewritten so the rest of the point survives")
    func trailingBackslash() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("roundtrip")
        var point = Point(measurement: "m", tags: [(key: "t", value: #"ends\"#)], timestampMs: 1_700_000_000_000)
        point.add("v", 1.0)
        var encoder = LineProtocolEncoder()
        let writer = InfluxWriter(
            target: InfluxTarget(baseURL: server.url, api: .v1(database: "roundtrip", retentionPolicy: nil)),
            spool: nil, deadLetterPath: nil, transport: CurlTransport())
        #expect(writer.deliver(lines: encoder.encode([point])).outcome == .delivered)
        let rows = try server.query(#"SELECT "v", "t" FROM "m""#, database: "roundtrip").rows
        #expect(rows.count == 1)
        #expect(rows.first?["t"]?.string == "ends/")
    }
}
