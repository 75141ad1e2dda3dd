import Foundation
import HTTPTransport
import InfluxDelivery
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Fault scenarios against a real InfluxDB 1.x (`influxd`), each asserting the exact set of stored points.
@Suite(
    "Real influxd scenarios", .serialized,
    .enabled(if: RealServers.enabled, "influxd/victoria-metrics missing and MODELWATCH_ALLOW_SKIP=1"))
struct RealInfluxScenarioTests {
    static let api = InfluxAPI.v1(database: "mw", retentionPolicy: nil)

    private func startServer(authEnabled: Bool = false) throws -> InfluxServer {
        let server = try InfluxServer(authEnabled: authEnabled)
        if !authEnabled { try server.createDatabase("mw") }
        return server
    }

    @Test("server down at start: everything is spooled; the next run replays it and adds its own points")
    func serverDownThenUp() throws {
        let dir = TempDirectory()
        let deadPort = try FreePort.find()
        let first = try RealServers.writer(
            url: "http://127.0.0.1:\(deadPort)", api: Self.api, policy: RealServers.policy(retryBudget: .seconds(1)), dir: dir
        ).deliver(lines: Lines.body(Lines.points(120, series: "down")))
        guard case .temporaryFailure = first.outcome else { Issue.record("\(first.outcome)"); return }
        #expect(first.pointsSpooled == 120 && first.spoolFiles == 3)

        let server = try startServer()
        defer { server.stop() }
        let second = try RealServers.writer(url: server.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(30, series: "down", from: 120)))
        #expect(second.outcome == .delivered)
        #expect(second.pointsReplayed == 120 && second.pointsDelivered == 150 && second.spoolFiles == 0)
        PointAudit("server down, then up", expectedKeys: Lines.keys(150), storedKeys: try server.storedKeys(database: "mw", series: "down")).check()
    }

    @Test("429 with Retry-After is waited out and everything lands once")
    func tooManyRequests() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: Int(server.url.split(separator: ":").last!)!)
        defer { proxy.stop() }
        proxy.enqueue(.respond(status: 429, headers: ["Retry-After": "1"]), .respond(status: 429, headers: ["Retry-After": "1"]))
        let dir = TempDirectory()
        let start = ContinuousClock.now
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(100, series: "429")))
        #expect(report.outcome == .delivered && report.retries == 2)
        #expect(ContinuousClock.now - start >= .seconds(2), "Retry-After honoured")
        PointAudit("429 + Retry-After", expectedKeys: Lines.keys(100), storedKeys: try server.storedKeys(database: "mw", series: "429")).check()
    }

    @Test("503 without Retry-After backs off and everything lands once")
    func unavailable() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.enqueue(.respond(status: 503), .respond(status: 503), .passThrough, .respond(status: 503))
        let dir = TempDirectory()
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(100, series: "503")))
        #expect(report.outcome == .delivered && report.retries == 3)
        PointAudit("503 without Retry-After", expectedKeys: Lines.keys(100), storedKeys: try server.storedKeys(database: "mw", series: "503")).check()
    }

    @Test("a redirect (http to https) is a configuration error: nothing is resent elsewhere, the points are spooled and replayed once the URL is fixed")
    func redirect() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.enqueue(.respond(status: 301, headers: ["Location": "https://127.0.0.1:1/write"], body: "<html>Moved Permanently</html>"))
        let dir = TempDirectory()
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(40, series: "redirect")))
        guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("redirects (HTTP 301) to https://127.0.0.1:1/write"), "\(message)")
        #expect(report.outcome.suggestedExitCode == 78 && report.pointsSpooled == 40 && report.retries == 0)
        // The operator fixes the URL: the next run replays the spool.
        let fixed = try RealServers.writer(url: server.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(10, series: "redirect", from: 40)))
        #expect(fixed.outcome == .delivered && fixed.pointsReplayed == 40 && fixed.pointsDelivered == 50)
        PointAudit("redirect, then fixed URL", expectedKeys: Lines.keys(50), storedKeys: try server.storedKeys(database: "mw", series: "redirect")).check()
    }

    @Test("a login page answering 200 in front of the server is not a write: the points are spooled, none is lost")
    func loginPage() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.enqueue(.respond(status: 200, headers: ["Content-Type": "text/html"], body: "<html><title>Log in</title></html>"))
        let dir = TempDirectory()
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(25, series: "page")))
        guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("an HTML page titled \"Log in\""), "\(message)")
        #expect(report.pointsDelivered == 0 && report.pointsSpooled == 25)
        // The proxy now passes writes through: the next run replays the spool.
        let next = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(5, series: "page", from: 25)))
        #expect(next.outcome == .delivered && next.pointsReplayed == 25 && next.pointsDelivered == 30)
        PointAudit("login page, then through", expectedKeys: Lines.keys(30), storedKeys: try server.storedKeys(database: "mw", series: "page")).check()
    }

    @Test("413 on large bodies: batches are halved until they fit")
    func tooLarge() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.defaultAction = .tooLargeAbove(bytes: 4_000)
        let dir = TempDirectory()
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(maxBatchLines: 5000, gzip: false), dir: dir)
            .deliver(lines: Lines.body(Lines.points(1000, series: "413")))
        #expect(report.outcome == .delivered && report.pointsDelivered == 1000)
        #expect(report.requests > 16)
        #expect(proxy.requests.filter { $0.bodyBytes <= 4_000 }.map(\.bodyBytes).reduce(0, +) == Lines.body(Lines.points(1000, series: "413")).count)
        PointAudit("413 split", expectedKeys: Lines.keys(1000), storedKeys: try server.storedKeys(database: "mw", series: "413")).check()
    }

    @Test("400 partial write: influxd stores the good points, the bad one goes to the dead letter, nothing is resent")
    func partialWrite() throws {
        let server = try startServer()
        defer { server.stop() }
        let dir = TempDirectory()
        var lines = Lines.points(20, series: "400")
        let bad = "model_test,series=400 idx=oops,value=1 1785000099000"
        lines.insert(bad, at: 7)
        let report = try RealServers.writer(url: server.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(lines))
        guard case .dataRejected(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("unable to parse"))
        #expect(report.pointsRejected == 1 && report.pointsDelivered == 20 && report.requests == 1)
        let deadLetter = dir.read("dead-letter.lp").split(separator: "\n").map(String.init)
        #expect(deadLetter.filter { !$0.hasPrefix("#") } == [bad], "\(deadLetter)")
        PointAudit("400 partial write", expectedKeys: Lines.keys(20), storedKeys: try server.storedKeys(database: "mw", series: "400")).check()
    }

    @Test("401 with a wrong password: configuration error, batch spooled; fixed credentials replay it")
    func unauthorized() throws {
        let server = try startServer(authEnabled: true)
        defer { server.stop() }
        try server.query("CREATE USER admin WITH PASSWORD 'right-pass' WITH ALL PRIVILEGES")
        try server.query("CREATE DATABASE mw", user: "admin", password: "right-pass")
        let dir = TempDirectory()
        let wrong = try RealServers.writer(
            url: server.url, api: Self.api, credentials: .userPassword(user: "admin", password: "wrong-pass"), policy: RealServers.policy(), dir: dir
        ).deliver(lines: Lines.body(Lines.points(60, series: "401")))
        guard case .configurationError(let message) = wrong.outcome else { Issue.record("\(wrong.outcome)"); return }
        #expect(message.contains("401") && !message.contains("wrong-pass"))
        #expect(wrong.pointsSpooled == 60 && wrong.requests == 1)

        let right = try RealServers.writer(
            url: server.url, api: Self.api, credentials: .userPassword(user: "admin", password: "right-pass"), policy: RealServers.policy(), dir: dir
        ).deliver(lines: [])
        #expect(right.outcome == .delivered && right.pointsReplayed == 60)
        PointAudit("401 then fixed credentials", expectedKeys: Lines.keys(60),
                   storedKeys: try server.storedKeys(database: "mw", series: "401", user: "admin", password: "right-pass")).check()
    }

    @Test("server paused (SIGSTOP) past the request timeout, then resumed: retries deliver everything once")
    func pausedServer() throws {
        let server = try startServer()
        defer { server.stop() }
        let pid = server.pid
        kill(pid, SIGSTOP)
        let resumer = Thread {
            Thread.sleep(forTimeInterval: 3)
            kill(pid, SIGCONT)
        }
        resumer.start()
        let dir = TempDirectory()
        let report = try RealServers.writer(
            url: server.url, api: Self.api, policy: RealServers.policy(maxAttempts: 20, retryBudget: .seconds(20)), dir: dir,
            requestTimeout: .seconds(1)
        ).deliver(lines: Lines.body(Lines.points(200, series: "paused")))
        kill(pid, SIGCONT)
        #expect(report.outcome == .delivered && report.retries >= 1)
        PointAudit("SIGSTOP past timeout, SIGCONT", expectedKeys: Lines.keys(200), storedKeys: try server.storedKeys(database: "mw", series: "paused")).check()
    }

    @Test("lost acknowledgement (answer delayed past the timeout after the write): the retry overwrites, no duplicate")
    func lostAcknowledgement() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.enqueue(.delayAnswer(.seconds(2)))
        let dir = TempDirectory()
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir, requestTimeout: .seconds(1))
            .deliver(lines: Lines.body(Lines.points(50, series: "lostack")))
        #expect(report.outcome == .delivered && report.retries == 1)
        PointAudit("lost ack", expectedKeys: Lines.keys(50), storedKeys: try server.storedKeys(database: "mw", series: "lostack")).check()
    }

    @Test("server dies mid-run (connections reset after 2 batches): the rest is spooled in order and replayed by the next run")
    func diesMidRun() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.enqueue(.passThrough, .passThrough)
        proxy.defaultAction = .reset
        let dir = TempDirectory()
        let first = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(retryBudget: .seconds(2)), dir: dir)
            .deliver(lines: Lines.body(Lines.points(250, series: "dies")))
        guard case .temporaryFailure = first.outcome else { Issue.record("\(first.outcome)"); return }
        #expect(first.pointsDelivered == 100 && first.pointsSpooled == 150)
        proxy.defaultAction = .passThrough
        let second = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir).deliver(lines: [])
        #expect(second.outcome == .delivered && second.pointsReplayed == 150)
        PointAudit("dies mid-run, next run replays", expectedKeys: Lines.keys(250), storedKeys: try server.storedKeys(database: "mw", series: "dies")).check()
    }

    @Test("connection reset once: retried and delivered once")
    func resetOnce() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.enqueue(.reset)
        let dir = TempDirectory()
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(40, series: "reset")))
        #expect(report.outcome == .delivered && report.retries == 1)
        PointAudit("reset once", expectedKeys: Lines.keys(40), storedKeys: try server.storedKeys(database: "mw", series: "reset")).check()
    }

    @Test("Retry-After 3600 with a 20 s budget: not waited for, the message says what the server asked and how much budget was left; the next run replays")
    func retryAfterBeyondBudget() throws {
        let server = try startServer()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: port(of: server))
        defer { proxy.stop() }
        proxy.enqueue(.respond(status: 503, headers: ["Retry-After": "3600"], body: "maintenance"))
        let dir = TempDirectory()
        let policy = DeliveryPolicy(maxBatchLines: 50, retryBudget: .seconds(20), retryAfterCap: .seconds(30))
        let started = ContinuousClock.now
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: policy, dir: dir)
            .deliver(lines: Lines.body(Lines.points(80, series: "ra3600")))
        #expect(ContinuousClock.now - started < .seconds(10), "nothing waited for")
        guard case .temporaryFailure(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.hasPrefix("not retried: the server asked to wait 3600 s (Retry-After, honoured up to 30 s), more than the "), "\(message)")
        #expect(message.contains(" s left of the 20 s retry budget; HTTP 503: maintenance") && !message.contains("spent"), "\(message)")
        #expect(report.pointsSpooled == 80 && report.retries == 0)
        let next = try RealServers.writer(url: proxy.url, api: Self.api, policy: policy, dir: dir).deliver(lines: [])
        #expect(next.outcome == .delivered && next.pointsReplayed == 80 && next.spoolFiles == 0)
        PointAudit("Retry-After beyond the budget", expectedKeys: Lines.keys(80), storedKeys: try server.storedKeys(database: "mw", series: "ra3600")).check()
    }

    private func port(of server: InfluxServer) -> Int { Int(server.url.split(separator: ":").last!)! }
}
