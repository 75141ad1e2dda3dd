import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import Testing
import TestSupport

/// A gateway that echoes the `Authorization` header, and credentials in the URL, with a real `influxd` behind:
/// no form of a credential reaches the report, the log, the dead-letter file, the spool or the quarantine.
@Suite(
    "Secrets in every form are redacted, real influxd", .serialized,
    .enabled(if: RealServers.enabled, "influxd/victoria-metrics missing and MODELWATCH_ALLOW_SKIP=1"))
struct SecretScenarioTests {
    static let user = "mwuser"
    static let password = "mw-pass-9f3k"

    /// Every form in which the password could leak.
    static func forms(user: String, password: String) -> [String] {
        let pair = Data("\(user):\(password)".utf8).base64EncodedString()
        return [password, "\(user):\(password)", pair, String(pair.prefix(12)), "Basic \(pair)"]
    }

    /// Fails if any of `forms` is in `text`.
    static func expectClean(_ text: String, _ forms: [String], _ place: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for form in forms { #expect(!text.contains(form), "\(place) contains `\(form)`: \(text)", sourceLocation: sourceLocation) }
    }

    /// Everything the writer left on disk, concatenated.
    static func files(of state: StateDirectory) -> String {
        let root = state.dir.path
        let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        return all.map { "\($0)\n" + ((try? String(contentsOfFile: "\(root)/\($0)", encoding: .utf8)) ?? "") }.joined(separator: "\n")
    }

    @Test("a gateway echoing the Authorization header in its 400/401 body leaks nothing", arguments: [400, 401])
    func gatewayEchoesAuthorization(status: Int) throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("mw")
        let proxy = try FaultProxy(upstreamPort: Int(server.url.split(separator: ":").last!)!)
        defer { proxy.stop() }
        proxy.enqueue(.echoHeader(status: status, header: "Authorization"))
        let state = StateDirectory()
        let logs = LogCapture()
        let credentials = InfluxCredentials.userPassword(user: Self.user, password: Self.password)
        let report = try state.writer(url: proxy.url, credentials: credentials, logger: logs.logger)
            .deliver(lines: Lines.body(Lines.points(20, series: "echo")))

        #expect(proxy.requests.first?.headers["authorization"]?.hasPrefix("Basic ") == true, "the gateway saw the header")
        let forms = Self.forms(user: Self.user, password: Self.password)
        let message: String
        switch report.outcome {
        case .dataRejected(let text) where status == 400: message = text
        case .configurationError(let text) where status == 401: message = text
        default: Issue.record("\(report.outcome)"); return
        }
        #expect(message.contains("it carried Authorization: <redacted>"), "\(message)")
        Self.expectClean("\(report)", forms, "the report")
        Self.expectClean(logs.text, forms, "the log")
        Self.expectClean(Self.files(of: state), forms, "the files")
        if status == 400 {
            #expect(report.pointsRejected == 20 && state.spoolFiles == [])
            #expect(try String(contentsOfFile: state.deadLetter, encoding: .utf8).contains("<redacted>"))
        } else {
            #expect(report.pointsSpooled == 20 && state.spoolFiles.count == 1)
        }
        // The gateway lets the next run through: the spool (if any) replays, nothing is duplicated.
        let next = try state.writer(url: proxy.url, credentials: credentials).deliver(lines: Lines.body(Lines.points(5, series: "echo", from: 20)))
        #expect(next.outcome == .delivered && state.spoolFiles == [] && state.quarantineFiles == [])
        PointAudit(
            "gateway echoing Authorization (\(status))", expectedKeys: status == 400 ? Lines.keys(5, from: 20) : Lines.keys(25),
            storedKeys: try server.storedKeys(database: "mw", series: "echo")
        ).check()
    }

    @Test("credentials in the URL are used, never sent in the URL nor printed, and a warning says they are discouraged")
    func credentialsInURL() throws {
        let server = try InfluxServer(authEnabled: true)
        defer { server.stop() }
        let password = "p@ss:w0rd-7h"
        try server.query("CREATE USER mwuser WITH PASSWORD '\(password)' WITH ALL PRIVILEGES")
        try server.query("CREATE DATABASE mw", user: "mwuser", password: password)
        let proxy = try FaultProxy(upstreamPort: Int(server.url.split(separator: ":").last!)!)
        defer { proxy.stop() }
        proxy.enqueue(.echoHeader(status: 503, header: "Authorization"))  // one echo, then through
        let url = proxy.url.replacing("http://", with: "http://mwuser:p%40ss%3Aw0rd-7h@")
        let state = StateDirectory()
        let logs = LogCapture()
        let writer = try state.writer(url: url, logger: logs.logger)
        #expect(writer.target.writeURL.hasPrefix(proxy.url + "/write?"), "\(writer.target.writeURL)")
        let report = writer.deliver(lines: Lines.body(Lines.points(30, series: "url")))

        #expect(report.outcome == .delivered && report.retries == 1)
        #expect(proxy.requests.allSatisfy { !$0.requestLine.contains("@") && !$0.requestLine.contains("w0rd") })
        #expect(logs.text.contains("influx.url contains credentials") && logs.text.contains("discouraged"), "\(logs.text)")
        let forms = Self.forms(user: "mwuser", password: password) + ["p%40ss%3Aw0rd-7h", "mwuser:p%40ss"]
        Self.expectClean("\(report)", forms, "the report")
        Self.expectClean(logs.text, forms, "the log")
        Self.expectClean(Self.files(of: state), forms, "the files")
        #expect(URLUserInfo.redacted(url) == proxy.url.replacing("http://", with: "http://<redacted>@"))
        PointAudit("credentials in the URL", expectedKeys: Lines.keys(30), storedKeys: try server.storedKeys(
            database: "mw", series: "url", user: "mwuser", password: password)).check()
    }
}
