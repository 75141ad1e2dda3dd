#if canImport(Glibc)
import Glibc
#endif
import HTTPTransport

/// One HiveServer2 session over HTTP: opened on creation, statements run asynchronously and polled, results
/// fetched as column batches until an empty one (Spark's `hasMoreRows` is unreliable), and every operation and the
/// session closed even on error. One Thrift call per HTTP POST (`Content-Type: application/x-thrift`), with the
/// `Authorization` header on every request and cookies the server sets sent back (session affinity behind a load
/// balancer, Hive's auth cookie).
///
/// The transport and the sleep between polls are injected, so the codec and every error path are testable without
/// a server.
public final class HiveServer2Session {
    private let endpoint: HiveServer2Endpoint
    private let transport: any HTTPTransport
    private let sleep: (Duration) -> Void
    private var sequence: Int32 = 0
    private var cookies: [(String, String)] = []
    private var session: TCLI.Handle?
    /// The protocol version the server agreed to (`serverProtocolVersion`).
    public private(set) var serverProtocol: Int32 = -1

    /// Opens a session. Throws ``HiveServer2Error`` (unreachable, unauthorized, not a HiveServer2 endpoint, …).
    public init(endpoint: HiveServer2Endpoint, transport: any HTTPTransport, sleep: @escaping (Duration) -> Void = HiveServer2Session.systemSleep) throws(HiveServer2Error) {
        self.endpoint = endpoint
        self.transport = transport
        self.sleep = sleep
        var reply = try call("OpenSession") { TCLI.openSession(sequence: $0, configuration: endpoint.sessionConfiguration) }
        let response = try TCLI.readOpenSession(&reply)
        guard response.status.isSuccess, let handle = response.session else {
            throw Self.failure(response.status, doing: "opening a session")
        }
        session = handle
        serverProtocol = response.serverProtocol
        guard response.serverProtocol >= TCLI.minimumServerProtocol else {
            close()
            throw HiveServer2Error(.protocolError, "the server speaks HiveServer2 protocol V\(response.serverProtocol + 1); column-based results need V6 or later")
        }
    }

    deinit { close() }

    /// Runs `sql` and returns its whole result. The operation is closed afterwards, also on error.
    public func query(_ sql: String, maxRowsPerFetch: Int64 = 10_000) throws(HiveServer2Error) -> HiveResultSet {
        guard let session else { throw HiveServer2Error(.sessionLost, "the HiveServer2 session is closed") }
        var reply = try call("ExecuteStatement") {
            TCLI.executeStatement(sequence: $0, session: session, statement: sql, queryTimeoutSeconds: endpoint.queryTimeoutSeconds)
        }
        let (status, handle) = try TCLI.readExecuteStatement(&reply)
        guard status.isSuccess, let operation = handle else { throw Self.failure(status, doing: "running the statement") }
        do {
            let result = try results(of: operation, maxRowsPerFetch: maxRowsPerFetch)
            closeOperation(operation)
            return result
        } catch {
            if error.kind != .sessionLost && error.kind != .unreachable { closeOperation(operation) }
            throw error
        }
    }

    private func results(of operation: TCLI.Handle, maxRowsPerFetch: Int64) throws(HiveServer2Error) -> HiveResultSet {
        // Poll with impyla's step backoff: 10 ms, 50 ms, 100 ms, 500 ms, then every second.
        let steps: [Duration] = [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)]
        var poll = 0
        while true {
            var reply = try call("GetOperationStatus") { TCLI.getOperationStatus(sequence: $0, operation: operation) }
            let state = try TCLI.readOperationStatus(&reply)
            guard state.status.isSuccess else { throw Self.failure(state.status, doing: "polling the statement") }
            if state.state == TCLI.OperationState.finished { break }
            if TCLI.OperationState.running.contains(state.state) {
                sleep(steps[min(poll, steps.count - 1)])
                poll += 1
                continue
            }
            let name = state.state >= 0 && Int(state.state) < TCLI.OperationState.names.count ? TCLI.OperationState.names[Int(state.state)] : "state \(state.state)"
            let text = state.errorMessage.map { HiveServer2Error.shorten($0) } ?? "the statement ended \(name)"
            if Self.mentionsInvalidHandle(text) { throw HiveServer2Error(.sessionLost, "the server no longer knows the query (\(text))") }
            throw HiveServer2Error(.server(sqlState: state.sqlState), text)
        }
        guard operation.hasResultSet else { return HiveResultSet(columns: [], rows: []) }
        var metadataReply = try call("GetResultSetMetadata") { TCLI.getResultSetMetadata(sequence: $0, operation: operation) }
        let (metadataStatus, columns, format) = try TCLI.readResultSetMetadata(&metadataReply)
        guard metadataStatus.isSuccess else { throw Self.failure(metadataStatus, doing: "reading the result's columns") }
        if let format, format != 1 {
            throw HiveServer2Error(.protocolError, "the server offers result format \(format) (Databricks TSparkRowSetType), not column-based (1)")
        }
        var rows: [[HiveValue]] = []
        while true {
            var reply = try call("FetchResults") { TCLI.fetchResults(sequence: $0, operation: operation, maxRows: maxRowsPerFetch) }
            let (status, batch) = try TCLI.readFetchResults(&reply)
            guard status.isSuccess else { throw Self.failure(status, doing: "fetching results") }
            let count = batch.first?.values.count ?? 0
            if count == 0 { break }
            guard batch.count == columns.count, batch.allSatisfy({ $0.values.count == count }) else {
                throw HiveServer2Error(.protocolError, "the server sent a batch of \(batch.count) columns of unequal or unexpected length (the result has \(columns.count))")
            }
            for row in 0..<count { rows.append(batch.map { $0.values[row] }) }
        }
        return HiveResultSet(columns: columns, rows: rows)
    }

    /// Closes the session (and with it any open operation); errors are ignored, it is clean-up.
    public func close() {
        guard let handle = session else { return }
        session = nil
        _ = try? call("CloseSession") { TCLI.closeSession(sequence: $0, session: handle) }
    }

    private func closeOperation(_ operation: TCLI.Handle) {
        _ = try? call("CloseOperation") { TCLI.closeOperation(sequence: $0, operation: operation) }
    }

    // MARK: - One call

    /// POSTs one CALL and returns a reader at the fields of its response struct.
    private func call(_ method: String, _ encode: (Int32) -> [UInt8]) throws(HiveServer2Error) -> ThriftReader {
        sequence &+= 1
        var headers = [
            ("Content-Type", "application/x-thrift"), ("Accept", "application/x-thrift"),
            ("User-Agent", "modelwatch-hiveserver2"), ("Authorization", endpoint.authorization),
        ]
        if !cookies.isEmpty { headers.append(("Cookie", cookies.map { "\($0.0)=\($0.1)" }.joined(separator: "; "))) }
        let request = HTTPRequest(
            url: endpoint.url, method: .post, headers: headers, body: encode(sequence),
            connectTimeout: endpoint.connectTimeout, totalTimeout: endpoint.requestTimeout, tls: endpoint.tls)
        let response: HTTPResponse
        do {
            response = try transport.send(request)
        } catch {
            if error.kind == .tls { throw HiveServer2Error(.tls, "TLS failed with \(Self.hostPart(endpoint.url)): \(error.message)") }
            let during = session == nil ? "" : " during \(method) (the session is lost; the next run starts over)"
            let kind: HiveServer2Error.Kind = session == nil ? .unreachable : (method == "OpenSession" ? .unreachable : .sessionLost)
            throw HiveServer2Error(kind, "cannot reach \(Self.hostPart(endpoint.url))\(during): \(error.message)")
        }
        for setCookie in response.setCookies {
            guard let pair = setCookie.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingSpaces, value = String(pair[pair.index(after: equals)...])
            cookies.removeAll { $0.0 == name }
            cookies.append((name, value))
        }

        switch response.status {
        case 200: break
        case 401, 403:
            throw HiveServer2Error(.unauthorized, "\(Self.hostPart(endpoint.url)) refused the credentials (HTTP \(response.status))\(Self.bodyHint(response))")
        default:
            throw HiveServer2Error(.httpStatus(response.status), "\(Self.hostPart(endpoint.url)) answered HTTP \(response.status) to \(method)\(Self.bodyHint(response))")
        }
        return try TCLI.openReply(response.body, method: method, sequence: sequence)
    }

    /// The error for a failed `TStatus`.
    private static func failure(_ status: TCLI.Status, doing what: String) -> HiveServer2Error {
        let text = HiveServer2Error.shorten(status.errorMessage ?? status.infoMessages.first ?? "status \(status.code)")
        if status.code == TCLI.Status.invalidHandle || mentionsInvalidHandle(text) {
            return HiveServer2Error(.sessionLost, "the server no longer knows the session while \(what) (it restarted or the session expired): \(text)")
        }
        return HiveServer2Error(.server(sqlState: status.sqlState), text)
    }

    private static func mentionsInvalidHandle(_ text: String) -> Bool {
        text.contains("Invalid SessionHandle") || text.contains("Invalid OperationHandle") || text.contains("Invalid session")
    }

    /// `scheme://host:port` of a URL (no path, no user info), for messages.
    static func hostPart(_ url: String) -> String {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty else { return url }
        var authority = parts[2]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return "\(parts[0])//\(authority)"
    }

    /// The first line of a short text body (a gateway's or Spark's own message), for HTTP errors.
    private static func bodyHint(_ response: HTTPResponse) -> String {
        let message = response.headers["x-databricks-reason-phrase"] ?? response.headers["x-thriftserver-error-message"] ?? response.bodyText
        let text = HiveServer2Error.shorten(message, limit: 200)
        return text.isEmpty || text.contains("<") ? "" : ": \(text)"
    }

    /// Sleeps the calling thread.
    public static func systemSleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
