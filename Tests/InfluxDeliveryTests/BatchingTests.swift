import Gzip
import HTTPTransport
import InfluxDelivery
import Testing

@Suite("Batching, gzip and request shape")
struct BatchingTests {
    @Test("batches are cut on line boundaries by line count and by bytes", arguments: [
        (10, 3, 1 << 20, [3, 3, 3, 1]),
        (10, 100, 3 * 56, [3, 3, 3, 1]),  // each line is 51 bytes
        (4, 5000, 1, [1, 1, 1, 1]),        // a line longer than maxBytes still gets its own batch
        (1, 5000, 4 << 20, [1]),
    ])
    func splitting(points: Int, maxLines: Int, maxBytes: Int, expected: [Int]) {
        let lines = Lines.points(points)
        let batches = LineBatch(Lines.body(lines)).split(maxLines: maxLines, maxBytes: maxBytes)
        #expect(batches.map(\.lineCount) == expected)
        #expect(batches.flatMap { Lines.split($0.bytes) } == lines)
        #expect(batches.allSatisfy { $0.bytes.last == UInt8(ascii: "\n") })
    }

    @Test("input without a final newline, with blank lines and CRLF, is normalised")
    func normalisation() {
        let batch = LineBatch(Array("a v=1 1\r\n\n\nb v=2 2".utf8))
        #expect(batch.lineCount == 2)
        #expect(String(decoding: batch.bytes, as: UTF8.self) == "a v=1 1\r\nb v=2 2\n")
    }

    @Test("each request carries the documented headers and a gzip body that decompresses to the lines")
    func requestShape() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport()
        let points = Lines.points(7)
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(maxBatchLines: 5)).deliver(lines: Lines.body(points))
        #expect(report.outcome == .delivered && report.pointsDelivered == 7 && report.batches == 2)
        let first = try #require(transport.sent.first).request
        #expect(first.method == .post)
        #expect(first.url == "http://influx.invalid:8086/write?db=db&precision=ms")
        #expect(first.header("Content-Encoding") == "gzip")
        #expect(first.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(first.header("Authorization") == "Token s3cr3t-token-value")
        #expect(Gzip.isGzip(first.body))
        #expect(try Gzip.decompress(first.body) == Lines.body(Array(points[0..<5])))
        #expect(transport.sentLines == points)
    }

    @Test("gzip can be turned off")
    func noGzip() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport()
        _ = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(gzip: false)).deliver(lines: Lines.body(Lines.points(2)))
        let request = try #require(transport.sent.first).request
        #expect(request.header("Content-Encoding") == nil)
        #expect(request.body == Lines.body(Lines.points(2)))
    }

    @Test("URL and Authorization per API", arguments: [
        (InfluxAPI.v1(database: "ml db", retentionPolicy: "rp1"), InfluxCredentials.userPassword(user: "u", password: "p"),
         "http://influx.invalid:8086/write?db=ml%20db&precision=ms&rp=rp1", "Basic dTpw"),
        (.v2(org: "acme", bucket: "ml/autogen"), .token("t"),
         "http://influx.invalid:8086/api/v2/write?org=acme&bucket=ml%2Fautogen&precision=ms", "Token t"),
        (.v3(database: "ml"), .token("t"),
         "http://influx.invalid:8086/api/v3/write_lp?db=ml&precision=millisecond", "Bearer t"),
        (.v1(database: "db", retentionPolicy: nil), .none, "http://influx.invalid:8086/write?db=db&precision=ms", nil),
    ] as [(InfluxAPI, InfluxCredentials, String, String?)])
    func urlAndAuthorization(api: InfluxAPI, credentials: InfluxCredentials, url: String, authorization: String?) throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport()
        _ = try makeWriter(transport, FakeEnvironment(), dir: dir, api: api, credentials: credentials).deliver(lines: Lines.body(Lines.points(1)))
        let request = try #require(transport.sent.first).request
        #expect(request.url == url)
        #expect(request.header("Authorization") == authorization)
    }
}
