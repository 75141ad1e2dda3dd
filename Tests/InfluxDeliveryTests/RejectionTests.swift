import HTTPTransport
import InfluxDelivery
import Testing

@Suite("400/422 dead letter, 413 split")
struct RejectionTests {
    @Test("a 1.x partial write dead-letters only the line the server names; the others count as delivered")
    func partialWriteDeadLetter() throws {
        let dir = TempDirectory()
        var points = Lines.points(4)
        let bad = "model_test,series=s idx=oops 1785000000500"
        points.insert(bad, at: 2)
        let body = #"{"error":"partial write: unable to parse '\#(bad)': invalid number dropped=0"}"#
        let transport = ScriptedTransport([status(400, ["X-Influxdb-Error": "unable to parse '\(bad)': invalid number"], body)])
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir).deliver(lines: Lines.body(points))
        guard case .dataRejected(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("invalid number"))
        #expect(report.pointsRejected == 1 && report.pointsDelivered == 4 && report.pointsSpooled == 0)
        #expect(transport.requestCount == 1)
        let letter = dir.read("dead/letter.lp").split(separator: "\n").map(String.init)
        #expect(letter.count == 2)
        #expect(letter.first?.hasPrefix("# rejected at epoch_ms=") == true)
        #expect(letter.first?.contains("invalid number") == true)
        #expect(letter.last == bad)
    }

    @Test("a 400 that names no line dead-letters the whole batch, and the file is appended to", arguments: [
        InfluxAPI.v1(database: "db", retentionPolicy: nil), .v2(org: "o", bucket: "b"),
    ])
    func wholeBatchDeadLetter(api: InfluxAPI) throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport([
            status(400, [:], #"{"code":"invalid","message":"partial write: field type conflict dropped=1"}"#),
            status(422, [:], #"{"code":"unprocessable entity","message":"points outside retention"}"#),
        ])
        let points = Lines.points(4)
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir, api: api, policy: DeliveryPolicy(maxBatchLines: 2)).deliver(lines: Lines.body(points))
        #expect(report.pointsRejected == 4 && report.pointsDelivered == 0)
        let letter = dir.read("dead/letter.lp").split(separator: "\n").map(String.init)
        #expect(letter.filter { !$0.hasPrefix("#") } == points)
        #expect(letter.filter { $0.hasPrefix("#") }.count == 2)
        #expect(letter[0].contains("invalid: partial write: field type conflict"))
    }

    @Test("413 splits the batch in halves recursively until each part fits; order is kept")
    func recursiveSplit() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport(otherwise: { _, lines in
            lines.count > 3 * 60 ? status(413, [:], #"{"error":"Request Entity Too Large"}"#) : status(204)
        })
        let points = Lines.points(10)
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir).deliver(lines: Lines.body(points))
        #expect(report.outcome == .delivered)
        #expect(report.pointsDelivered == 10)
        let delivered = transport.sent.filter { $0.lines.count <= 3 * 60 }.flatMap { Lines.split($0.lines) }
        #expect(delivered == points, "every point delivered exactly once, in order")
        #expect(report.retries == 0)
    }

    @Test("a single line that is still 413 goes to the dead letter; its neighbours are delivered")
    func singleLineTooLarge() throws {
        let dir = TempDirectory()
        var points = Lines.points(3)
        let huge = "model_test,series=s note=\"\(String(repeating: "x", count: 2000))\" 1785000009000"
        points.insert(huge, at: 1)
        let transport = ScriptedTransport(otherwise: { _, lines in lines.count > 1000 ? status(413) : status(204) })
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir).deliver(lines: Lines.body(points))
        guard case .dataRejected = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(report.pointsDelivered == 3 && report.pointsRejected == 1)
        #expect(dir.read("dead/letter.lp").contains(huge))
    }

    @Test("401 mid-run: the failing batch and all later batches are spooled, earlier ones stay delivered")
    func unauthorizedSpoolsTheRest() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport([status(204), status(401, [:], #"{"error":"authorization failed"}"#)])
        let points = Lines.points(6)
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(maxBatchLines: 2)).deliver(lines: Lines.body(points))
        guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("authorization failed"))
        #expect(report.pointsDelivered == 2 && report.pointsSpooled == 4)
        #expect(transport.requestCount == 2)
    }
}
