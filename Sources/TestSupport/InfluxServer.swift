import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A real InfluxDB 1.x (`influxd`) on free loopback ports with a temporary data directory.
///
/// Tests start one per suite and stop it when done; nothing outside the temporary directory is touched.
public final class InfluxServer: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let url: String
    /// The temporary directory holding meta, data and WAL.
    public let directory: URL
    private let process: Process

    /// Starts `influxd` and waits until `/ping` answers 204.
    ///
    /// - Parameters:
    ///   - authEnabled: turn on HTTP authentication (an admin user must then be created).
    ///   - httpPort: the HTTP port, for a server that must come up where a client already points; a free one by default.
    public init(authEnabled: Bool = false, httpPort chosenPort: Int? = nil) throws {
        guard let binary = Self.binary() else { throw ServerError.binaryMissing("influxd (apt-get install influxdb)") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-influxd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let httpPort = try chosenPort ?? FreePort.find()
        let rpcPort = try FreePort.find()
        url = "http://127.0.0.1:\(httpPort)"
        let config = directory.appendingPathComponent("influxdb.conf")
        try "reporting-disabled = true\n".write(to: config, atomically: true, encoding: .utf8)
        process = try ServerProcess.launch(binary, arguments: ["-config", config.path], environment: [
            "INFLUXDB_META_DIR": directory.appendingPathComponent("meta").path,
            "INFLUXDB_DATA_DIR": directory.appendingPathComponent("data").path,
            "INFLUXDB_DATA_WAL_DIR": directory.appendingPathComponent("wal").path,
            "INFLUXDB_HTTP_BIND_ADDRESS": "127.0.0.1:\(httpPort)",
            "INFLUXDB_BIND_ADDRESS": "127.0.0.1:\(rpcPort)",
            "INFLUXDB_REPORTING_DISABLED": "true",
            "INFLUXDB_HTTP_LOG_ENABLED": "false",
            "INFLUXDB_DATA_QUERY_LOG_ENABLED": "false",
            "INFLUXDB_HTTP_AUTH_ENABLED": authEnabled ? "true" : "false",
        ], log: directory.appendingPathComponent("influxd.log"))
        try waitUntilReady()
    }

    deinit { stop() }

    /// Stops the server and deletes its directory.
    public func stop() {
        ServerProcess.stop(process, removing: directory)
    }

    /// The process id (to pause it with SIGSTOP in fault tests).
    public var pid: Int32 { process.processIdentifier }

    /// Runs an InfluxQL statement and returns the decoded JSON response.
    @discardableResult
    public func query(_ influxQL: String, database: String? = nil, user: String? = nil, password: String? = nil) throws -> QueryResponse {
        var components = URLComponents(string: url + "/query")!
        var items = [URLQueryItem(name: "q", value: influxQL), URLQueryItem(name: "epoch", value: "ms")]
        if let database { items.append(URLQueryItem(name: "db", value: database)) }
        if let user, let password {
            items.append(URLQueryItem(name: "u", value: user))
            items.append(URLQueryItem(name: "p", value: password))
        }
        components.queryItems = items
        var request = URLRequest(url: components.url!)
        request.httpMethod = "POST"
        let (data, status) = try HTTP.send(request)
        guard status == 200 else { throw ServerError.http(status, String(decoding: data, as: UTF8.self)) }
        return try JSONDecoder().decode(QueryResponse.self, from: data)
    }

    /// Creates a database.
    public func createDatabase(_ name: String) throws {
        try query("CREATE DATABASE \"\(name)\"")
    }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if !process.isRunning { throw ServerError.exited("influxd", logTail()) }
            var request = URLRequest(url: URL(string: url + "/ping")!)
            request.timeoutInterval = 1
            if let (_, status) = try? HTTP.send(request), status == 204 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ServerError.notReady("influxd", logTail())
    }

    private func logTail() -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("influxd.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    private static func binary() -> String? {
        ["/usr/bin/influxd", "/usr/local/bin/influxd"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// InfluxDB `/query` JSON response.
public struct QueryResponse: Decodable, Sendable {
    public struct Statement: Decodable, Sendable {
        public let series: [Series]?
        public let error: String?
    }
    public struct Series: Decodable, Sendable {
        public let name: String
        public let tags: [String: String]?
        public let columns: [String]
        public let values: [[JSONValue]]

        /// Rows as dictionaries keyed by column name.
        public var rows: [[String: JSONValue]] {
            values.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
        }
    }
    public let results: [Statement]

    /// All series of the first statement (empty if none).
    public var series: [Series] { results.first?.series ?? [] }
    /// All rows of all series of the first statement.
    public var rows: [[String: JSONValue]] { series.flatMap(\.rows) }
}

/// A JSON scalar from a query result.
public enum JSONValue: Decodable, Sendable, Equatable, CustomStringConvertible {
    case number(Double), string(String), bool(Bool), null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else { self = .string(try container.decode(String.self)) }
    }

    public var double: Double? { if case .number(let value) = self { value } else { nil } }
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var description: String {
        switch self {
        case .number(let value): "\(value)"
        case .string(let value): value
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }
}

/// Errors of the test servers.
public enum ServerError: Error, CustomStringConvertible {
    case binaryMissing(String), exited(String, String), notReady(String, String), http(Int, String)
    public var description: String {
        switch self {
        case .binaryMissing(let what): "test server binary missing: \(what)"
        case .exited(let what, let log): "\(what) exited during start-up:\n\(log)"
        case .notReady(let what, let log): "\(what) did not become ready in time:\n\(log)"
        case .http(let status, let body): "HTTP \(status): \(body)"
        }
    }
}

/// Finds free loopback TCP ports.
public enum FreePort {
    /// A port that was free a moment ago (bind to port 0, read it back, close).
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.notReady("socket", "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ServerError.notReady("bind", "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Minimal synchronous HTTP for test set-up and read-back (never used by modelwatch itself).
public enum HTTP {
    /// Sends a request and waits for the answer.
    public static func send(_ request: URLRequest) throws -> (Data, Int) {
        final class Box: @unchecked Sendable { var result: Result<(Data, Int), any Error>? }
        let box = Box()
        let semaphore = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { box.result = .failure(error) }
            else { box.result = .success((data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0)) }
            semaphore.signal()
        }
        task.resume()
        semaphore.wait()
        return try box.result!.get()
    }
}
