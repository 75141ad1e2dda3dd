import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server (Debian package `postgresql`) on a free loopback port with a temporary data
/// directory, password authentication (scram-sha-256) and settings tuned for throwaway test data.
///
/// `initdb` refuses to run as root, so under root the server runs as the `postgres` system user (via
/// `runuser`), which is given ownership of the temporary directory. Nothing outside it is touched.
public final class PostgresServer: @unchecked Sendable {
    /// The superuser's name and password.
    public let user = "postgres"
    public let password: String
    public let port: Int
    public let host = "127.0.0.1"
    /// The temporary directory holding the cluster (`data/`), the socket and the log.
    public let directory: URL
    private let binDirectory: String
    private let runAsPostgres: Bool
    private var stopped = false

    /// The directory of `initdb`/`pg_ctl`, or nil when PostgreSQL is not installed.
    public static func binDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions {
            let bin = "\(root)/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: bin + "/initdb") { return bin }
        }
        return nil
    }

    /// Whether PostgreSQL tests can run here.
    public static var isInstalled: Bool { binDirectory() != nil }

    /// Runs `initdb` and starts the server; waits until it accepts connections.
    public init() throws {
        guard let bin = Self.binDirectory() else { throw ServerError.binaryMissing("PostgreSQL (apt-get install postgresql)") }
        binDirectory = bin
        runAsPostgres = getuid() == 0
        password = "pw-" + UUID().uuidString.prefix(8).lowercased()
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("modelwatch-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.find()
        let passwordFile = directory.appendingPathComponent("pwfile")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if runAsPostgres {
            try Self.run("/bin/chown", ["-R", "postgres:postgres", directory.path])
        }
        let data = directory.appendingPathComponent("data").path
        try runServerTool("initdb", [
            "-D", data, "-U", user, "--auth=scram-sha-256", "--pwfile=\(passwordFile.path)", "-E", "UTF8", "--locale=C",
            "--no-sync",
        ])
        let options = [
            "-p \(port)", "-k \(directory.path)", "-c listen_addresses=127.0.0.1", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=128MB", "-c max_wal_size=2GB",
            "-c work_mem=64MB",
        ].joined(separator: " ")
        try runServerTool("pg_ctl", ["-D", data, "-o", options, "-l", directory.appendingPathComponent("postgres.log").path, "-w", "-t", "60", "start"])
    }

    deinit { stop() }

    /// Stops the server (immediate shutdown) and deletes its directory.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        try? runServerTool("pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops the server without deleting anything (to simulate an outage); ``start()`` brings it back.
    public func kill() throws {
        try runServerTool("pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
    }

    /// The tail of the server log, for failure messages.
    public func logTail() -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("postgres.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(3000))
    }

    /// Runs SQL through `psql` as the superuser (for set-up: DDL, COPY, generate_series).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let (status, output) = try Self.capture(binDirectory + "/psql", [
            "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", String(port), "-U", user, "-d", database, "-At", "-c", sql,
        ], environment: ["PGPASSWORD": password])
        guard status == 0 else { throw ServerError.exited("psql", output) }
        return output
    }

    private func runServerTool(_ tool: String, _ arguments: [String]) throws {
        let path = binDirectory + "/" + tool
        let (status, output) = runAsPostgres
            ? try Self.capture("/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
            : try Self.capture(path, arguments)
        guard status == 0 else { throw ServerError.exited(tool, output + "\n" + logTail()) }
    }

    private static func run(_ path: String, _ arguments: [String]) throws {
        let (status, output) = try capture(path, arguments)
        guard status == 0 else { throw ServerError.exited(path, output) }
    }

    /// Runs a program, returning its exit status and combined output.
    static func capture(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: path) ? path : "/usr" + path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
