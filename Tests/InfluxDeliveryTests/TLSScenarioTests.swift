import Foundation
import HTTPTransport
import InfluxDelivery
import Testing
import TestSupport

/// TLS options against a real HTTPS VictoriaMetrics with a throwaway self-signed certificate.
@Suite(
    "TLS verification (real HTTPS server)", .serialized,
    .enabled(if: RealServers.enabled, "influxd/victoria-metrics missing and MODELWATCH_ALLOW_SKIP=1"))
struct TLSScenarioTests {
    enum Expected { case delivered, configurationError }

    /// Creates a self-signed certificate for 127.0.0.1 with the openssl CLI.
    private func makeCertificate(in dir: TempDirectory) throws -> (cert: String, key: String) {
        let cert = dir.path + "/cert.pem", key = dir.path + "/key.pem"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl failed")
        return (cert, key)
    }

    @Test("verification is on by default; a CA bundle or the explicit insecure option make the write succeed", arguments: [
        ("default", Expected.configurationError), ("caBundle", .delivered), ("insecure", .delivered),
    ])
    func verification(mode: String, expected: Expected) throws {
        let certDir = TempDirectory()
        let (cert, key) = try makeCertificate(in: certDir)
        let vm = try VictoriaMetricsServer(tls: (cert, key))
        defer { vm.stop() }
        let tls: TLSOptions = switch mode {
        case "caBundle": TLSOptions(caBundlePath: cert)
        case "insecure": TLSOptions(insecureSkipVerify: true)
        default: TLSOptions()
        }
        let dir = TempDirectory()
        let logs = LogCapture()
        let writer = InfluxWriter(
            target: InfluxTarget(baseURL: vm.url, api: .v2(org: "o", bucket: "mw"), credentials: .token("tls-token"), tls: tls,
                                 connectTimeout: .seconds(2), requestTimeout: .seconds(5)),
            policy: RealServers.policy(), spool: try Spool(directory: dir.path + "/spool"), deadLetterPath: nil,
            transport: CurlTransport(), logger: logs.logger)
        let report = writer.deliver(lines: Lines.body(Lines.points(10, series: "tls")))
        switch expected {
        case .delivered:
            #expect(report.outcome == .delivered && report.pointsDelivered == 10)
        case .configurationError:
            guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
            #expect(message.contains("tls"), "\(message)")
            #expect(report.pointsSpooled == 10 && report.requests == 1, "TLS failures are not retried")
        }
        #expect(logs.text.contains("TLS verification is disabled") == (mode == "insecure"))
        #expect(!logs.text.contains("tls-token"))
    }
}
