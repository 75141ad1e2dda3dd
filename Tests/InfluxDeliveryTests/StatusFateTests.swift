import HTTPTransport
import InfluxDelivery
import Testing

@Suite("Status → fate table")
struct StatusFateTests {
    enum Expected: Equatable { case delivered, rejected, configuration, spooledAfterRetries }

    @Test(
        "each status has the documented fate",
        arguments: [
            (200, Expected.delivered), (204, .delivered), (400, .rejected), (422, .rejected), (405, .rejected),
            (401, .configuration), (403, .configuration), (404, .configuration), (301, .configuration),
            (302, .configuration), (307, .configuration), (308, .configuration),
            (429, .spooledAfterRetries), (503, .spooledAfterRetries), (500, .spooledAfterRetries),
            (502, .spooledAfterRetries), (504, .spooledAfterRetries), (408, .spooledAfterRetries),
        ])
    func statusFate(code: Int, expected: Expected) throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        let transport = ScriptedTransport(otherwise: { _, _ in status(code, [:], #"{"error":"simulated"}"#) })
        let writer = try makeWriter(transport, fake, dir: dir, policy: DeliveryPolicy(maxAttempts: 3))
        let report = writer.deliver(lines: Lines.body(Lines.points(3)))

        switch expected {
        case .delivered:
            #expect(report.outcome == .delivered)
            #expect(report.pointsDelivered == 3)
            #expect(transport.requestCount == 1)
        case .rejected:
            guard case .dataRejected = report.outcome else { Issue.record("\(report.outcome)"); return }
            #expect(report.pointsRejected == 3)
            #expect(report.pointsSpooled == 0)
            #expect(transport.requestCount == 1, "4xx data errors are never retried")
            #expect(report.outcome.suggestedExitCode == 65)
        case .configuration:
            guard case .configurationError = report.outcome else { Issue.record("\(report.outcome)"); return }
            #expect(report.pointsSpooled == 3)
            #expect(transport.requestCount == 1, "configuration errors are never retried")
            #expect(report.outcome.suggestedExitCode == 78)
        case .spooledAfterRetries:
            guard case .temporaryFailure = report.outcome else { Issue.record("\(report.outcome)"); return }
            #expect(report.pointsSpooled == 3)
            #expect(transport.requestCount == 3)
            #expect(report.retries == 2)
            #expect(report.outcome.suggestedExitCode == 75)
        }
    }

    @Test(
        "transport failures are retried, TLS and bad URLs are configuration errors",
        arguments: [
            (TransportError.Kind.connectionRefused, true), (.timedOut, true), (.connectionReset, true),
            (.nameResolution, true), (.other, true), (.tls, false), (.invalidRequest, false),
        ])
    func transportFailures(kind: TransportError.Kind, retried: Bool) throws {
        let dir = TempDirectory()
        let fake = FakeEnvironment()
        let transport = ScriptedTransport([failure(kind)])
        let writer = try makeWriter(transport, fake, dir: dir)
        let report = writer.deliver(lines: Lines.body(Lines.points(2)))
        if retried {
            #expect(report.outcome == .delivered)
            #expect(report.retries == 1)
            #expect(report.pointsDelivered == 2)
        } else {
            guard case .configurationError = report.outcome else { Issue.record("\(report.outcome)"); return }
            #expect(report.pointsSpooled == 2)
            #expect(transport.requestCount == 1)
        }
    }

    @Test("a redirect names its target and says to fix influx.url, and a secret in it is redacted")
    func redirectAdvice() throws {
        let dir = TempDirectory()
        // A proxy that echoes the request's query into Location would echo a password sent there.
        let location = "https://influx.example:8086/write?db=db&p=s3cr3t-token-value"
        let transport = ScriptedTransport([status(301, ["Location": location], "<html>Moved</html>")])
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir).deliver(lines: Lines.body(Lines.points(2)))
        guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.hasPrefix(
            "the server redirects (HTTP 301) to https://influx.example:8086/write?db=db&p=<redacted>, and modelwatch does not follow redirects"),
            "\(message)")
        #expect(!message.contains("s3cr3t"))
        #expect(message.contains("set influx.url"))
        #expect(report.pointsSpooled == 2 && transport.requestCount == 1)
    }

    @Test("a 2xx carrying an HTML page is not a write: the points are spooled and the page is named by its title", arguments: [
        ("text/html; charset=utf-8", true), ("TEXT/HTML", true), ("application/json", false), ("text/plain", false),
    ])
    func webPageIsNotAWrite(contentType: String, isPage: Bool) throws {
        let dir = TempDirectory()
        let page = "<!DOCTYPE html><html><head>\n<TITLE>\n  Sign in · Example SSO\n</title></head><body>…</body></html>"
        let transport = ScriptedTransport([status(200, ["Content-Type": contentType], page)])
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir).deliver(lines: Lines.body(Lines.points(4)))
        guard isPage else {
            #expect(report.outcome == .delivered && report.pointsDelivered == 4)
            return
        }
        guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.hasPrefix("the server answered HTTP 200 with an HTML page, which no InfluxDB write API does"), "\(message)")
        #expect(message.hasSuffix("server said: HTTP 200: an HTML page titled \"Sign in · Example SSO\""), "\(message)")
        #expect(report.pointsDelivered == 0 && report.pointsSpooled == 4 && transport.requestCount == 1)
        #expect(report.outcome.suggestedExitCode == 78)
    }

    @Test("error pages are named by their title", arguments: [
        ("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>", "an HTML page titled \"502 Bad Gateway\""),
        ("<html><body>no title</body></html>", "an HTML page"),
        ("<html><title></title></html>", "an HTML page"),
    ])
    func errorPageTitle(body: String, shown: String) throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport(otherwise: { _, _ in status(502, ["Content-Type": "text/html"], body) })
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(maxAttempts: 2))
            .deliver(lines: Lines.body(Lines.points(1)))
        guard case .temporaryFailure(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message == "gave up after 2 attempts, the most one batch gets: HTTP 502: \(shown)")
    }

    @Test("401, 403 and 404 messages say what to fix", arguments: [
        (401, "token"), (403, "write permission"), (404, "create database \"db\""),
    ])
    func configurationAdvice(code: Int, advice: String) throws {
        let dir = TempDirectory()
        let transport = ScriptedTransport([status(code, [:], #"{"error":"nope"}"#)])
        let report = try makeWriter(transport, FakeEnvironment(), dir: dir).deliver(lines: Lines.body(Lines.points(1)))
        guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains(advice), "\(message)")
        #expect(message.contains("nope"))
    }
}
