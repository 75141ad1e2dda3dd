import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A real single-node VictoriaMetrics on a free loopback port with a temporary storage directory,
/// for exercising the InfluxDB v2 write path (`/api/v2/write`).
///
/// Started with `-retentionPeriod 100y` (otherwise points older than about a month are silently
/// dropped). Read back with `export(match:)`, which force-flushes first.
public final class VictoriaMetricsServer: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let url: String
    public let port: Int
    public let directory: URL
    private let process: Process
    private let isTLS: Bool

    /// One series from `/api/v1/export`.
    public struct Series: Decodable, Sendable {
        /// Labels, `__name__` included (`<measurement>_<field>`).
        public let metric: [String: String]
        public let values: [Double]
        public let timestamps: [Int64]
    }

    /// Starts `victoria-metrics` and waits until it is ready (`/health` answers 200; with TLS, the port accepts).
    ///
    /// - Parameter tls: PEM certificate and key to serve HTTPS instead of HTTP (`url` then starts with `https`;
    ///   `export` is unavailable because the test HTTP client does not trust the certificate).
    public init(tls: (certFile: String, keyFile: String)? = nil) throws {
        guard let binary = ["/usr/bin/victoria-metrics", "/usr/local/bin/victoria-metrics"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw ServerError.binaryMissing("victoria-metrics (apt-get install victoria-metrics)") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.find()
        url = "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)"
        self.isTLS = tls != nil
        var arguments = [
            "-httpListenAddr", "127.0.0.1:\(port)", "-storageDataPath", directory.appendingPathComponent("data").path,
            "-retentionPeriod", "100y", "-loggerLevel", "ERROR",
        ]
        if let tls { arguments += ["-tls", "-tlsCertFile", tls.certFile, "-tlsKeyFile", tls.keyFile] }
        process = try ServerProcess.launch(binary, arguments: arguments, log: directory.appendingPathComponent("vm.log"))
        try waitUntilReady()
    }

    deinit { stop() }

    /// Stops the server and deletes its directory.
    public func stop() {
        ServerProcess.stop(process, removing: directory)
    }

    public var pid: Int32 { process.processIdentifier }

    /// Flushes recent writes to searchable storage, then exports every series matching `match`
    /// (a series selector such as `{__name__=~"model_.*"}`).
    public func export(match: String) throws -> [Series] {
        let (_, flushStatus) = try HTTP.send(URLRequest(url: URL(string: url + "/internal/force_flush")!))
        guard flushStatus == 200 else { throw ServerError.http(flushStatus, "force_flush") }
        var request = URLRequest(url: URL(string: url + "/api/v1/export")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var form = URLComponents()
        form.queryItems = [URLQueryItem(name: "match[]", value: match)]
        request.httpBody = Data((form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B").utf8)
        let (data, status) = try HTTP.send(request)
        guard status == 200 else { throw ServerError.http(status, String(decoding: data, as: UTF8.self)) }
        let decoder = JSONDecoder()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try decoder.decode(Series.self, from: Data($0.utf8))
        }
    }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if !process.isRunning {
                throw ServerError.exited("victoria-metrics", logTail())
            }
            if isTLS {
                if Self.portAccepts(port) { return }
                Thread.sleep(forTimeInterval: 0.1)
                continue
            }
            var request = URLRequest(url: URL(string: url + "/health")!)
            request.timeoutInterval = 1
            if let (_, status) = try? HTTP.send(request), status == 200 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ServerError.notReady("victoria-metrics", logTail())
    }

    private static func portAccepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private func logTail() -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("vm.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}
