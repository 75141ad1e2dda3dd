import Foundation
import HTTPTransport
import InfluxDelivery
import Testing

@Suite("Retries: Retry-After, backoff with full jitter, the retry budget")
struct RetryTests {
    @Test("Retry-After parsing", arguments: [
        ("120", Duration?.some(.seconds(120))),
        (" 7 ", .some(.seconds(7))),
        ("0", .some(.zero)),
        // 1_785_000_000 s = Sat, 25 Jul 2026 17:20:00 GMT
        ("Sat, 25 Jul 2026 17:20:30 GMT", .some(.seconds(30))),
        ("Sat, 25 Jul 2026 17:19:00 GMT", .some(.zero)),  // in the past: retry now
        ("soon", nil), ("", nil), ("-5", nil), ("Sat, 25 Jul 2026 17:20:30 UTC", nil),
    ])
    func retryAfterParsing(header: String, expected: Duration?) {
        #expect(RetryAfter.delay(header, nowEpochMilliseconds: 1_785_000_000_000) == expected)
    }

    @Test("429/503 wait for Retry-After (capped), then succeed", arguments: [
        (429, "3", Duration.seconds(3)),
        (503, "Sat, 25 Jul 2026 17:20:05 GMT", .seconds(5)),
        (429, "3600", .seconds(30)),  // capped by retryAfterCap
    ])
    func honoursRetryAfter(code: Int, header: String, expectedSleep: Duration) throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        let transport = ScriptedTransport([status(code, ["Retry-After": header])])
        let writer = try makeWriter(transport, fake, dir: dir, policy: DeliveryPolicy(retryBudget: .seconds(60), retryAfterCap: .seconds(30)))
        let report = writer.deliver(lines: Lines.body(Lines.points(4)))
        #expect(report.outcome == .delivered)
        #expect(fake.sleeps == [expectedSleep])
        #expect(report.pointsDelivered == 4 && report.retries == 1)
    }

    @Test("503 without Retry-After falls back to backoff")
    func backoffWithoutRetryAfter() throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        fake.randomValue = 0.5
        let transport = ScriptedTransport([status(503), status(503)])
        let policy = DeliveryPolicy(initialBackoff: .seconds(2), maxBackoff: .seconds(100))
        let report = try makeWriter(transport, fake, dir: dir, policy: policy).deliver(lines: Lines.body(Lines.points(1)))
        #expect(report.outcome == .delivered)
        #expect(fake.sleeps == [.seconds(1), .seconds(2)])  // 0.5 × 2 s, 0.5 × 4 s
    }

    @Test("full-jitter backoff stays within [0, min(cap, base·2^(n-1)))", arguments: 1...12)
    func backoffBounds(retry: Int) {
        let policy = DeliveryPolicy(initialBackoff: .milliseconds(500), maxBackoff: .seconds(20))
        let ceiling = min(Duration.seconds(20), .milliseconds(500) * (1 << (retry - 1)))
        #expect(policy.backoff(retry: retry, random: 0) == .zero)
        for r in stride(from: 0.0, to: 1.0, by: 0.125) {
            let d = policy.backoff(retry: retry, random: r)
            #expect(d >= .zero && d < ceiling)
        }
        #expect(policy.backoff(retry: retry, random: 0.999_999) <= ceiling)
    }

    @Test("a spent retry budget spools the batch and every later batch, in order, and reports temporaryFailure")
    func budgetExhaustion() throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        fake.randomValue = 0.99
        let transport = ScriptedTransport(otherwise: { _, _ in failure(.connectionRefused) })
        let policy = DeliveryPolicy(maxBatchLines: 2, maxAttempts: 100, initialBackoff: .seconds(1), maxBackoff: .seconds(8), retryBudget: .seconds(20))
        let points = Lines.points(5)
        let report = try makeWriter(transport, fake, dir: dir, policy: policy).deliver(lines: Lines.body(points))
        guard case .temporaryFailure(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("budget"))
        #expect(fake.elapsed <= .seconds(20), "never sleeps past the budget")
        #expect(report.pointsSpooled == 5 && report.pointsDelivered == 0 && report.pointsLost == 0)
        #expect(report.batches == 3)
        #expect(transport.sentLines.allSatisfy { points[0..<2].contains($0) }, "later batches are not sent once one failed")
        let spool = try Spool(directory: dir.path + "/spool")
        let files = spool.entries()
        #expect(files.count == 3)
        let spooled = try files.flatMap { try Lines.spooled($0.path) }
        #expect(spooled == points, "spool keeps creation order")
    }

    @Test("a stop request ends the retries: the failed batch and every later one are spooled", arguments: [false, true])
    func stopRequestSpools(duringSleep: Bool) throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        if duringSleep { fake.stopWhileSleeping = true } else { fake.stopRequested = true }
        let transport = ScriptedTransport(otherwise: { _, _ in status(503) })
        let policy = DeliveryPolicy(maxBatchLines: 2, maxAttempts: 10, retryBudget: .seconds(60))
        let report = try makeWriter(transport, fake, dir: dir, policy: policy).deliver(lines: Lines.body(Lines.points(5)))
        guard case .temporaryFailure(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.hasPrefix("stop requested (SIGTERM or SIGINT): not retrying, batches spooled: HTTP 503"), "\(message)")
        #expect(transport.requestCount == 1, "one attempt, no retry after the stop")
        #expect(fake.sleeps.count == (duringSleep ? 1 : 0))
        #expect(report.retries == 0)
        #expect(report.pointsSpooled == 5 && report.pointsLost == 0 && report.batches == 3)
    }

    @Test("maxAttempts bounds the attempts per batch")
    func attemptsBound() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport(otherwise: { _, _ in status(500) })
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(maxAttempts: 4)).deliver(lines: Lines.body(Lines.points(1)))
        #expect(transport.requestCount == 4)
        #expect(report.retries == 3)
        #expect(report.pointsSpooled == 1)
    }

    @Test("a Retry-After longer than the remaining budget is not slept: the batch is spooled at once")
    func retryAfterBeyondBudget() throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        let transport = ScriptedTransport([status(503, ["Retry-After": "25"])])
        let policy = DeliveryPolicy(retryBudget: .seconds(10), retryAfterCap: .seconds(60))
        let report = try makeWriter(transport, fake, dir: dir, policy: policy).deliver(lines: Lines.body(Lines.points(2)))
        guard case .temporaryFailure = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(fake.sleeps.isEmpty && report.pointsSpooled == 2 && transport.requestCount == 1)
    }

    @Test("nothing to send and an empty spool: no request, delivered")
    func nothingToSend() throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport()
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir).deliver(lines: [])
        #expect(report.outcome == .delivered && transport.requestCount == 0 && report.batches == 0)
    }
}
