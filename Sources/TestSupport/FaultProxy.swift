import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A scriptable loopback HTTP proxy for fault-injection tests: it sits between the writer and a real
/// server and, per request, passes through, answers with a canned status (429 + Retry-After, 503, 401,
/// 413 above a body size), holds the server's answer past the client's timeout, or resets the connection.
///
/// POSIX sockets, one accept thread and one thread per connection; one request per connection
/// (it answers with `Connection: close`). Scripted actions are consumed in order, one per request;
/// when the script is empty `defaultAction` applies.
public final class FaultProxy: @unchecked Sendable {
    /// What to do with one request.
    public enum Action: Sendable {
        /// Forward to the upstream server and relay its answer.
        case passThrough
        /// Answer without contacting the upstream.
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        /// Answer 413 when the request body is larger than `bytes`, otherwise pass through.
        case tooLargeAbove(bytes: Int)
        /// Forward to the upstream (which stores the data), then hold the answer for `delay` before relaying it.
        case delayAnswer(Duration)
        /// Read the request, then reset the connection (RST) without answering or forwarding.
        case reset
        /// Answer `status` with a plain-text body that echoes the request's `header` (a gateway that shows what it
        /// was sent, e.g. the `Authorization` header).
        case echoHeader(status: Int, header: String)
    }

    /// One request the proxy saw.
    public struct SeenRequest: Sendable {
        public var requestLine: String
        /// Lower-cased header names.
        public var headers: [String: String]
        public var bodyBytes: Int
    }

    public let port: Int
    public let upstreamPort: Int
    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }

    private let listenFD: Int32
    private let lock = NSLock()
    private var script: [Action] = []
    private var fallback: Action = .passThrough
    private var seen: [SeenRequest] = []
    private var stopped = false

    /// Starts listening on a free loopback port, forwarding to `127.0.0.1:<upstreamPort>`.
    public init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.notReady("FaultProxy", "socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ServerError.notReady("FaultProxy", "bind/listen failed: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "FaultProxy.accept"
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting connections (connections in flight finish on their own threads).
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped {
            shutdown(listenFD, Int32(SHUT_RDWR))
            close(listenFD)
        }
    }

    /// Appends actions for the next requests, in order.
    public func enqueue(_ actions: Action...) {
        lock.lock()
        script += actions
        lock.unlock()
    }

    /// The action used when the script is empty (initially `.passThrough`).
    public var defaultAction: Action {
        get { lock.lock(); defer { lock.unlock() }; return fallback }
        set { lock.lock(); fallback = newValue; lock.unlock() }
    }

    /// Every request seen so far, in arrival order.
    public var requests: [SeenRequest] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    // MARK: - Connection handling

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return  // listening socket closed by stop()
            }
            let thread = Thread { [self] in handle(client) }
            thread.name = "FaultProxy.connection"
            thread.start()
        }
    }

    private func nextAction() -> Action {
        lock.lock()
        defer { lock.unlock() }
        return script.isEmpty ? fallback : script.removeFirst()
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let (head, body) = Self.readRequest(client) else {
            close(client)
            return
        }
        let headerLines = head.components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in headerLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let action = nextAction()
        lock.lock()
        seen.append(SeenRequest(requestLine: headerLines.first ?? "", headers: headers, bodyBytes: body.count))
        lock.unlock()

        switch action {
        case .passThrough:
            Self.sendAll(client, forward(headerLines: headerLines, body: body))
        case .respond(let status, let extra, let text):
            Self.sendAll(client, Self.response(status: status, headers: extra, body: text))
        case .tooLargeAbove(let limit):
            if body.count > limit {
                Self.sendAll(client, Self.response(status: 413, headers: ["Content-Type": "application/json"],
                                                   body: #"{"error":"Request Entity Too Large"}"#))
            } else {
                Self.sendAll(client, forward(headerLines: headerLines, body: body))
            }
        case .delayAnswer(let delay):
            let answer = forward(headerLines: headerLines, body: body)
            let (seconds, attoseconds) = delay.components
            Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
            Self.sendAll(client, answer)
        case .echoHeader(let status, let name):
            let value = headers[name.lowercased()] ?? "(none)"
            Self.sendAll(client, Self.response(status: status, body: "gateway refused the request; it carried \(name): \(value)"))
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        close(client)
    }

    /// Sends the request upstream with `Connection: close` and returns everything the upstream answers
    /// (a 502 if the upstream is unreachable).
    private func forward(headerLines: [String], body: [UInt8]) -> [UInt8] {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return Self.response(status: 502, body: "proxy: socket failed") }
        defer { close(upstream) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return Self.response(status: 502, body: "proxy: upstream unreachable") }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(upstream, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head = headerLines.filter { !$0.lowercased().hasPrefix("connection:") && !$0.isEmpty }
        head.append("Connection: close")
        Self.sendAll(upstream, Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body)
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(upstream, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            answer += chunk[0..<n]
        }
        return answer.isEmpty ? Self.response(status: 502, body: "proxy: empty upstream answer") : answer
    }

    private static func readRequest(_ fd: Int32) -> (String, [UInt8])? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int? = nil
        var contentLength = 0
        while true {
            if headEnd == nil, let range = buffer.firstRange(of: separator) {
                headEnd = range.upperBound
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headEnd, buffer.count - headEnd >= contentLength {
                let head = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self)
                return (head, Array(buffer[headEnd..<(headEnd + contentLength)]))
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
        }
    }

    private static func response(status: Int, headers: [String: String] = [:], body: String) -> [UInt8] {
        let reasons = [401: "Unauthorized", 413: "Request Entity Too Large", 429: "Too Many Requests",
                       500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"]
        var text = "HTTP/1.1 \(status) \(reasons[status] ?? "Status")\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        return Array(text.utf8)
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
