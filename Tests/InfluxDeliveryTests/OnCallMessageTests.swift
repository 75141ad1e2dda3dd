import Foundation
import HTTPTransport
import InfluxDelivery
import Testing

/// The words an on-call engineer reads say what happened, without knowing the delivery policy.
@Suite("Messages say what happened")
struct OnCallMessageTests {
    @Test("a Retry-After longer than the rest of the retry budget is named, with the time that was left")
    func retryAfterBeyondBudget() throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        let transport = ScriptedTransport(otherwise: { _, _ in
            fake.advance(.milliseconds(250))  // the request took 0.25 s
            return status(503, ["Retry-After": "3600"], "overloaded")
        })
        let writer = try makeWriter(transport, fake, dir: dir, policy: DeliveryPolicy(retryBudget: .seconds(20), retryAfterCap: .seconds(30)))
        let report = writer.deliver(lines: Lines.body(Lines.points(3)))
        #expect(report.outcome == .temporaryFailure(
            "not retried: the server asked to wait 3600 s (Retry-After, honoured up to 30 s), more than the 19.8 s left of "
                + "the 20 s retry budget; HTTP 503: overloaded"))
        #expect(fake.sleeps == [] && report.pointsSpooled == 3)
    }

    @Test("a backoff that would end after the retry budget says so")
    func backoffBeyondBudget() throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        fake.randomValue = 0.9
        let transport = ScriptedTransport(otherwise: { _, _ in status(502, [:], "bad gateway") })
        let policy = DeliveryPolicy(maxAttempts: 10, initialBackoff: .seconds(4), maxBackoff: .seconds(20), retryBudget: .seconds(10))
        let report = try makeWriter(transport, fake, dir: dir, policy: policy).deliver(lines: Lines.body(Lines.points(2)))
        // Sleeps 3.6 s, then 7.2 s would end at 10.8 s.
        #expect(report.outcome == .temporaryFailure(
            "not retried: the next retry (after 7.2 s of backoff) would end after the 6.4 s left of the 10 s retry budget; HTTP 502: bad gateway"))
    }

    @Test("after an earlier failure of the run, a one-attempt call says why it did not retry")
    func failFastWording() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport(otherwise: { _, _ in status(503, [:], "busy") })
        let policy = DeliveryPolicy(maxAttempts: 1, retryBudget: .zero)
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: policy).deliver(lines: Lines.body(Lines.points(1)))
        guard case .temporaryFailure(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.hasPrefix("tried once and not retried: an earlier write of this run already failed"), "\(message)")
        #expect(!message.contains("1 attempts"))
    }

    @Test("rejected points that the dead-letter file cannot take are reported as only logged, with the path and the cause")
    func deadLetterUnwritable() throws {
        let dir = TempDirectory()
        let logs = LogCapture()
        let transport = ScriptedTransport([status(400, [:], #"{"error":"field type conflict"}"#)])
        let path = "/dev/null/dead-letter.lp"  // below a file: cannot be created, even by root
        let writer = InfluxWriter(
            target: InfluxTarget(baseURL: "http://influx.invalid:8086", api: .v1(database: "db", retentionPolicy: nil)),
            policy: DeliveryPolicy(), spool: try Spool(directory: dir.path + "/spool"), deadLetterPath: path,
            transport: transport, environment: FakeEnvironment().environment, logger: logs.logger)
        let report = writer.deliver(lines: Lines.body(Lines.points(4)))
        #expect(report.pointsRejected == 4 && report.pointsRejectedNotSaved == 4)
        let error = try #require(report.deadLetterError)
        #expect(error.hasPrefix("the dead-letter file \(path) could not be written (open \(path): Not a directory)"), "\(error)")
        #expect(logs.text.contains("rejected points not saved") && logs.text.contains(Lines.points(4)[3]), "the lines are in the log")
    }
}
