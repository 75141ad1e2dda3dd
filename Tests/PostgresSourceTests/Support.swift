import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchConfiguration
import ModelwatchJob
import PostgresSource
import Testing
import TestSupport

/// PostgreSQL tests run whenever the server binaries are installed; without them they fail, unless
/// `MODELWATCH_ALLOW_SKIP=1`, which skips them.
enum Postgres {
    static let enabled = PostgresServer.isInstalled || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1"

    /// Starts a server with an empty `modelwatch` database.
    static func start() throws -> PostgresServer {
        let server = try PostgresServer()
        try server.psql("CREATE DATABASE modelwatch")
        return server
    }

    /// A superuser connection to the `modelwatch` database.
    static func connect(_ server: PostgresServer, applicationName: String = "modelwatch-test") throws -> PostgresConnection {
        try PostgresConnection(PostgresSettings(
            host: server.host, port: server.port, database: "modelwatch", user: server.user, password: server.password,
            sslMode: "disable", applicationName: applicationName))
    }

    /// The `postgres:` block of a source, as YAML flow mapping text.
    static func block(_ server: PostgresServer, _ relation: String, extra: String = "") -> String {
        "{host: \(server.host), port: \(server.port), database: modelwatch, user: \(server.user), sslmode: disable, \(relation)\(extra.isEmpty ? "" : ", " + extra)}"
    }

    static func environment(_ server: PostgresServer) -> [String: String] {
        ["MODELWATCH_PG_PASSWORD": server.password]
    }
}

/// Runs the job in-process and returns the report and the line protocol it wrote.
enum Job {
    static func runner() -> JobRunner {
        JobRunner(environment: RunEnvironment(
            wallClockMs: { 1_795_000_000_000 }, now: { ContinuousClock.now }, transport: CurlTransport(),
            delivery: .system, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), version: "test"))
    }

    static func run(configPath: String, yaml: String? = nil, environment: [String: String], asOf: String, output: URL) throws -> (RunReport, [String]) {
        let configuration: JobConfiguration
        if let yaml {
            configuration = try ConfigLoader.parse(yaml: yaml, file: configPath, environment: environment)
        } else {
            configuration = try ConfigLoader.load(path: configPath, environment: environment)
        }
        let report = runner().run(RunRequest(
            configuration: configuration, asOfMs: TimeText.parseRFC3339(asOf)!, output: .file(output.path)))
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return (report, text.split(separator: "\n").map(String.init))
    }

    /// Lines without the heartbeat (whose duration and row counts differ between sources by design).
    static func metricLines(_ lines: [String]) -> [String] {
        lines.filter { !$0.hasPrefix("modelwatch_run,") && !$0.hasPrefix("modelwatch_deadline,") }
    }
}

/// A temporary directory readable by the server's system user (for server-side COPY).
func temporaryDirectory(_ name: String) throws -> URL {
    let url = URL(fileURLWithPath: "/tmp").appendingPathComponent("modelwatch-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    return url
}
