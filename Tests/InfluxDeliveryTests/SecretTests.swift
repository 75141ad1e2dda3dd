import Foundation
import HTTPTransport
import InfluxDelivery
import Testing

@Suite("Secrets never leak")
struct SecretTests {
    static let token = "s3cr3t-token-value"

    @Test("no token in outcomes, logs, spool files or names, even when the server echoes it", arguments: [
        status(401, [:], #"{"error":"bad token s3cr3t-token-value"}"#),
        status(400, ["X-Influxdb-Error": "Token s3cr3t-token-value"], ""),
        status(503, [:], "s3cr3t-token-value"),
        failure(.connectionRefused, "could not connect with s3cr3t-token-value"),
        failure(.tls, "certificate for s3cr3t-token-value"),
    ])
    func noTokenAnywhere(answer: ScriptedTransport.Answer) throws {
        let dir = TempDirectory()
        let logs = LogCapture()
        let transport = ScriptedTransport(otherwise: { _, _ in answer })
        let writer = try makeWriter(transport, FakeEnvironment(), dir: dir, policy: DeliveryPolicy(maxAttempts: 2), logger: logs.logger)
        let report = writer.deliver(lines: Lines.body(Lines.points(2)))
        #expect(report.outcome != .delivered)
        #expect(!"\(report)".contains(Self.token))
        #expect(!logs.text.contains(Self.token))
        #expect(!logs.text.isEmpty)
        let files = FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []
        for file in files {
            #expect(!file.contains(Self.token))
            let content = (try? String(contentsOfFile: "\(dir.path)/\(file)", encoding: .utf8)) ?? ""
            #expect(!content.contains(Self.token), "\(file)")
        }
        #expect(transport.sent.first?.request.header("Authorization") == "Token \(Self.token)")
        #expect(!(transport.sent.first?.request.url.contains(Self.token) ?? true), "credentials never in the URL")
    }

    @Test("credentials print redacted", arguments: [
        InfluxCredentials.token(token), .userPassword(user: "bob", password: token),
    ])
    func redactedDescription(credentials: InfluxCredentials) {
        #expect(!"\(credentials)".contains(Self.token))
        #expect(!String(reflecting: credentials).contains(Self.token))
        let target = InfluxTarget(baseURL: "http://x", api: .v2(org: "o", bucket: "b"), credentials: credentials)
        #expect(!"\(target)".contains(Self.token))
    }
}
