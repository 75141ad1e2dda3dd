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
    ///
    /// posix_spawn + waitpid rather than Foundation's `Process`: `pg_ctl start` leaves a daemon holding the
    /// inherited descriptors, and `Process` then never reports the exit of its child.
    static func capture(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let executable = FileManager.default.isExecutableFile(atPath: path) ? path : "/usr" + path
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-pg-out-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let mergedEnvironment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = mergedEnvironment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw ServerError.exited(executable, "posix_spawn failed: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ServerError.exited(executable, "waitpid failed") }
        }
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return (exitCode, String(decoding: data, as: UTF8.self))
    }
}
