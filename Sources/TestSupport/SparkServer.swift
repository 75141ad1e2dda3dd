import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A real Apache Spark Thrift JDBC/ODBC server (HiveServer2 protocol) in HTTP transport mode on a free loopback
/// port, from the PyPI `pyspark` package in the repository's `.venv-spark` (`make spark-venv`; or the folder in
/// `MODELWATCH_SPARK_HOME`), with Java 17 (`openjdk-17-jre-headless`). Authentication is Spark's default, NONE:
/// any HTTP Basic user and password pass, a request without `Authorization` gets 401.
///
/// Spark takes 10–40 s to start on two cores, so a test process starts one (``shared()``) and every Spark suite
/// uses it. The JVM runs under a watchdog shell that stops it by PID when this test process ends (the test
/// runner has no end-of-process hook); ``stop()`` stops it earlier. Its warehouse, metastore and logs live in a
/// temporary directory, also its working directory (Spark writes `metastore_db/` and `derby.log` there).
public final class SparkServer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The Thrift path (`hive.server2.thrift.http.path`).
    public let httpPath = "cliservice"
    private let process: Process
    private var stopped = false
    private let lock = NSLock()

    /// The `pyspark` folder (SPARK_HOME), or nil when it is not installed.
    public static func sparkHome() -> String? {
        if let home = ProcessInfo.processInfo.environment["MODELWATCH_SPARK_HOME"], !home.isEmpty { return home }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lib = root.appendingPathComponent(".venv-spark/lib")
        for python in (try? FileManager.default.contentsOfDirectory(atPath: lib.path))?.sorted() ?? [] {
            let home = lib.appendingPathComponent(python).appendingPathComponent("site-packages/pyspark").path
            if FileManager.default.isExecutableFile(atPath: home + "/bin/spark-submit") { return home }
        }
        return nil
    }

    /// Whether Spark tests can run here (pyspark and a java binary).
    public static var isInstalled: Bool {
        sparkHome() != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/java")
    }

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedServer: Result<SparkServer, any Error>?

    /// The process's one Spark server, started on first use (a failed start is remembered, not retried).
    public static func shared() throws -> SparkServer {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let sharedServer { return try sharedServer.get() }
        let result = Result { try SparkServer() }
        sharedServer = result
        return try result.get()
    }

    /// Starts a server and waits (up to `timeout`) until its HTTP endpoint answers.
    public init(timeout: Duration = .seconds(240)) throws {
        guard let home = Self.sparkHome() else {
            throw ServerError.binaryMissing("pyspark in .venv-spark (make spark-venv) or MODELWATCH_SPARK_HOME")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/java") else {
            throw ServerError.binaryMissing("java (apt-get install openjdk-17-jre-headless)")
        }
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("modelwatch-spark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.find()
        let log = directory.appendingPathComponent("spark.log")
        // The watchdog: runs spark-submit (which execs the JVM) in the background and stops it when this process
        // (its parent's PID, passed in) is gone, or when it receives TERM itself.
        let watchdog = """
            parent=$1; shift; cd "$MODELWATCH_SPARK_DIR" || exit 1
            "$@" & child=$!
            trap 'kill "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT
            while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
            kill "$child" 2>/dev/null; wait "$child"
            """
        let arguments = [
            "-c", watchdog, "spark-watchdog", String(getpid()), "\(home)/bin/spark-submit",
            "--master", "local[2]", "--driver-memory", "2g",
            "--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
            "--conf", "spark.sql.warehouse.dir=\(directory.appendingPathComponent("warehouse").path)",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.sql.shuffle.partitions=4",
            "--conf", "spark.driver.extraJavaOptions=-Dderby.system.home=\(directory.path)",
            "--hiveconf", "hive.server2.transport.mode=http",
            "--hiveconf", "hive.server2.thrift.http.port=\(port)",
            "--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1",
            "--hiveconf", "hive.server2.thrift.http.path=\(httpPath)",
            "spark-internal",
        ]
        process = try ServerProcess.launch("/bin/bash", arguments: arguments, environment: [
            "SPARK_HOME": home, "SPARK_LOCAL_IP": "127.0.0.1", "MODELWATCH_SPARK_DIR": directory.path,
            "SPARK_LOG_DIR": directory.path, "SPARK_CONF_DIR": directory.path,
        ], log: log)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ServerError.exited("Spark Thrift server", logTail()) }
            if answers() { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        stop()
        throw ServerError.notReady("Spark Thrift server", logTail())
    }

    deinit { stop() }

    /// Whether the HTTP endpoint answers (401 to a request without credentials means it is up).
    private func answers() -> Bool {
        var request = URLRequest(url: URL(string: "\(baseURL)/\(httpPath)")!)
        request.httpMethod = "POST"
        request.timeoutInterval = 2
        guard let (_, status) = try? HTTP.send(request) else { return false }
        return status == 401 || status == 200
    }

    /// Stops the server (the watchdog, by PID, stops the JVM it started) and deletes its directory.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        ServerProcess.stop(process, removing: directory)
    }

    /// The last lines of the server's log.
    public func logTail(lines: Int = 40) -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("spark.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
