import Foundation
import Gzip
import HTTPTransport
import InfluxDelivery
import Logging
import Testing

/// A transport that answers from a script and records every request (bodies decompressed).
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    typealias Answer = Result<HTTPResponse, TransportError>
    private let lock = NSLock()
    private var script: [Answer]
    private let fallback: @Sendable (HTTPRequest, [UInt8]) -> Answer
    private(set) var sent: [(request: HTTPRequest, lines: [UInt8])] = []

    init(_ script: [Answer] = [], otherwise fallback: @escaping @Sendable (HTTPRequest, [UInt8]) -> Answer = { _, _ in .success(HTTPResponse(status: 204)) }) {
        self.script = script
        self.fallback = fallback
    }

    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let lines = request.header("Content-Encoding") == "gzip" ? ((try? Gzip.decompress(request.body)) ?? []) : request.body
        lock.lock()
        sent.append((request, lines))
        let answer = script.isEmpty ? nil : script.removeFirst()
        lock.unlock()
        return try (answer ?? fallback(request, lines)).get()
    }

    var requestCount: Int { lock.lock(); defer { lock.unlock() }; return sent.count }
    /// Every line the fake received with a 2xx… or not: all lines sent, in order.
    var sentLines: [String] { lock.lock(); defer { lock.unlock() }; return sent.flatMap { Lines.split($0.lines) } }
}

/// Deterministic clocks: sleeping advances time instantly.
final class FakeEnvironment: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private(set) var elapsed: Duration = .zero
    private(set) var sleeps: [Duration] = []
    var randomValue: Double = 0.5
    let wallStartMs: Int64 = 1_785_000_000_000
    /// What `stopRequested` answers; `stopWhileSleeping` turns it on at the first sleep.
    var stopRequested = false
    var stopWhileSleeping = false

    var environment: DeliveryEnvironment {
        DeliveryEnvironment(
            now: { [self] in lock.lock(); defer { lock.unlock() }; return start + elapsed },
            wallClockMilliseconds: { [self] in
                lock.lock(); defer { lock.unlock() }
                return wallStartMs + elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            },
            sleep: { [self] d in
                lock.lock(); elapsed += d; sleeps.append(d)
                if stopWhileSleeping { stopRequested = true }
                lock.unlock()
            },
            random: { [self] in lock.lock(); defer { lock.unlock() }; return randomValue },
            stopRequested: { [self] in lock.lock(); defer { lock.unlock() }; return stopRequested })
    }

    func advance(_ d: Duration) { lock.lock(); elapsed += d; lock.unlock() }
}

/// Collects every log message and metadata value, to check what is (not) logged.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }

    fileprivate func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let meta = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            capture.append("\(event.level) \(event.message) \(meta)")
        }
    }
}

/// A temporary directory removed at deinit.
final class TempDirectory {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func read(_ name: String) -> String { (try? String(contentsOfFile: "\(path)/\(name)", encoding: .utf8)) ?? "" }
}

enum Lines {
    static func split(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The points of a spool file: its lines after the `#modelwatch-spool` header, which must be there.
    static func spooled(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let lines = split(Array(try String(contentsOfFile: path, encoding: .utf8).utf8))
        #expect(lines.first?.hasPrefix("#modelwatch-spool v1 lines=\(lines.count - 1) ") == true, "\(path): \(lines.first ?? "")", sourceLocation: sourceLocation)
        return Array(lines.dropFirst())
    }

    /// `count` distinct points `m,series=<series> value=<i> <ts>` with ms timestamps.
    static func points(_ count: Int, series: String = "s", from first: Int = 0, baseMs: Int64 = 1_785_000_000_000) -> [String] {
        (first..<(first + count)).map { "model_test,series=\(series) idx=\($0)i,value=\(Double($0) / 2) \(baseMs + Int64($0) * 1000)" }
    }

    static func body(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }
}

func status(_ code: Int, _ headers: [String: String] = [:], _ body: String = "") -> ScriptedTransport.Answer {
    .success(HTTPResponse(status: code, headers: headers, body: Array(body.utf8)))
}

func failure(_ kind: TransportError.Kind, _ message: String = "simulated") -> ScriptedTransport.Answer {
    .failure(TransportError(kind: kind, message: message, code: 7))
}

/// A writer wired to fakes, with a spool and dead-letter file in `dir`.
func makeWriter(
    _ transport: ScriptedTransport, _ fake: FakeEnvironment, dir: TempDirectory, api: InfluxAPI = .v1(database: "db", retentionPolicy: nil),
    credentials: InfluxCredentials = .token("s3cr3t-token-value"), policy: DeliveryPolicy = DeliveryPolicy(), spool: Bool = true,
    spoolMaxBytes: Int = 1 << 30, logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
) throws -> InfluxWriter {
    InfluxWriter(
        target: InfluxTarget(baseURL: "http://influx.invalid:8086", api: api, credentials: credentials),
        policy: policy, spool: spool ? try Spool(directory: dir.path + "/spool", maxBytes: spoolMaxBytes) : nil,
        deadLetterPath: dir.path + "/dead/letter.lp", transport: transport, environment: fake.environment, logger: logger)
}
