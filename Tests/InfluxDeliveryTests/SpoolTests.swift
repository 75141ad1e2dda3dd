import Foundation
import HTTPTransport
import InfluxDelivery
import Testing

@Suite("Durable spool: ordering, replay, cap, lock")
struct SpoolTests {
    @Test("a failed run spools; the next run replays oldest first, then sends its own points, and empties the spool")
    func replayOrder() throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        let old = Lines.points(4, series: "old")
        let new = Lines.points(3, series: "new")
        let policy = DeliveryPolicy(maxBatchLines: 2, maxAttempts: 1)
        do {
            let down = ScriptedTransport(otherwise: { _, _ in failure(.connectionRefused) })
            let report = try makeWriter(down, fake, dir: dir, policy: policy).deliver(lines: Lines.body(old))
            #expect(report.pointsSpooled == 4 && report.spoolFiles == 2 && report.spoolDepthBytes > 0)
        }
        fake.advance(.seconds(60))
        let up = ScriptedTransport()
        let report = try makeWriter(up, fake, dir: dir, policy: policy).deliver(lines: Lines.body(new))
        #expect(report.outcome == .delivered)
        #expect(report.pointsReplayed == 4 && report.pointsDelivered == 7)
        #expect(report.spoolFiles == 0 && report.spoolDepthBytes == 0)
        #expect(up.sentLines == old + new)
    }

    @Test("replay stops at the first temporary failure, keeps the file, and spools new points behind it")
    func replayStopsOnFailure() throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        let policy = DeliveryPolicy(maxBatchLines: 2, maxAttempts: 1)
        do {
            let down = ScriptedTransport(otherwise: { _, _ in failure(.timedOut) })
            _ = try makeWriter(down, fake, dir: dir, policy: policy).deliver(lines: Lines.body(Lines.points(4, series: "a")))
        }
        let flaky = ScriptedTransport([status(204), status(503)])
        let report = try makeWriter(flaky, fake, dir: dir, policy: policy).deliver(lines: Lines.body(Lines.points(2, series: "b")))
        guard case .temporaryFailure = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(report.pointsReplayed == 2)
        #expect(flaky.requestCount == 2, "new points are not sent while older ones wait in the spool")
        let spool = try Spool(directory: dir.path + "/spool")
        let remaining = try spool.entries().flatMap { try Lines.spooled($0.path) }
        #expect(remaining == Array(Lines.points(4, series: "a")[2...]) + Lines.points(2, series: "b"))
    }

    @Test("file names sort in creation order even when the wall clock goes backwards")
    func namesSortInCreationOrder() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport(otherwise: { _, _ in failure(.connectionRefused) })
        final class Clock: @unchecked Sendable { var values: [Int64] = [5_000, 9_000, 1_000, 1_000] }
        let clock = Clock()
        let fake = FakeEnvironment()
        var environment = fake.environment
        environment.wallClockMilliseconds = { clock.values.isEmpty ? 0 : clock.values.removeFirst() }
        let writer = InfluxWriter(
            target: InfluxTarget(baseURL: "http://x", api: .v1(database: "db", retentionPolicy: nil)),
            policy: DeliveryPolicy(maxBatchLines: 1, maxAttempts: 1), spool: try Spool(directory: dir.path + "/spool"),
            deadLetterPath: nil, transport: transport, environment: environment)
        let points = Lines.points(4)
        _ = writer.deliver(lines: Lines.body(points))
        let entries = try #require(writer.spool).entries()
        #expect(entries.count == 4)
        #expect(entries.map(\.name) == entries.map(\.name).sorted())
        let contents = try entries.map { try Lines.spooled($0.path) }
        #expect(contents == points.map { [$0] }, "one batch per file, a header and line protocol only")
        #expect(entries[0].name == "000000000005000-000001.lp")
    }

    @Test("when the spool exceeds its cap the oldest files are dropped and counted")
    func capDropsOldest() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport(otherwise: { _, _ in failure(.connectionRefused) })
        let points = Lines.points(6)  // 51 bytes each; a file of two is 102 bytes and a 55-byte header
        let writer = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(maxBatchLines: 2, maxAttempts: 1), spoolMaxBytes: 350)
        let report = writer.deliver(lines: Lines.body(points))
        #expect(report.pointsSpooled == 6)
        #expect(report.pointsDroppedSpoolFull == 2)
        #expect(report.spoolDepthBytes <= 350 && report.spoolFiles == 2)
        let kept = try #require(writer.spool).entries().flatMap { try Lines.spooled($0.path) }
        #expect(kept == Array(points[2...]), "the newest points survive")
    }

    @Test("a second spool on the same directory is refused while the first is open, and allowed after")
    func lock() throws {
        let dir = TempDirectory()
        var first: Spool? = try Spool(directory: dir.path)
        #expect(throws: SpoolError.self) { _ = try Spool(directory: dir.path) }
        do {
            _ = try Spool(directory: dir.path)
        } catch {
            #expect(error.description.contains("another modelwatch run holds the spool lock"))
        }
        _ = first
        first = nil
        _ = try Spool(directory: dir.path)
    }

    @Test("a stale temp file from a crash is removed at open and never replayed")
    func staleTempFile() throws {
        let dir = TempDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/spool", withIntermediateDirectories: true)
        try "half a batch".write(toFile: dir.path + "/spool/.tmp-1-2", atomically: false, encoding: .utf8)
        let spool = try Spool(directory: dir.path + "/spool")
        #expect(spool.entries().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/spool/.tmp-1-2"))
    }

    @Test("without a spool, undeliverable points are counted as lost, not silently dropped")
    func noSpoolCountsLoss() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport(otherwise: { _, _ in status(503) })
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(maxAttempts: 2), spool: false).deliver(lines: Lines.body(Lines.points(3)))
        #expect(report.pointsLost == 3 && report.pointsSpooled == 0)
    }
}
