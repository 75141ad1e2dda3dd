import Foundation

/// A failure talking to a HiveServer2 endpoint (Spark Thrift server, Databricks SQL warehouse), with the text the
/// user sees. Messages never contain credentials: the transport never echoes headers, and server texts are
/// shortened to their first line.
public struct HiveServer2Error: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to choose an exit status.
    public enum Kind: Sendable, Equatable {
        /// No HTTP answer: connection refused, name not resolved, timed out, connection reset (retry later).
        case unreachable
        /// HTTP 401 or 403: the credentials were refused.
        case unauthorized
        /// Another HTTP status that is not a Thrift reply (a wrong `http_path` gives 404; a gateway 502/503).
        case httpStatus(Int)
        /// TLS handshake or certificate failure.
        case tls
        /// The server ran the call and reported an error (a missing table, a syntax error, a failed query).
        case server(sqlState: String?)
        /// The session or operation handle is no longer known to the server (it restarted, or the session expired).
        case sessionLost
        /// The reply is not the TCLIService message expected (not a HiveServer2 endpoint, or an unsupported feature).
        case protocolError
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// Whether the next run may succeed without a configuration change.
    public var isTemporary: Bool {
        switch kind {
        case .unreachable, .sessionLost: return true
        case .httpStatus(let status): return status == 429 || status >= 500
        case .unauthorized, .tls, .server, .protocolError: return false
        }
    }

    /// A server's error text cut to something a log line can hold: the first line, without the Java exception
    /// prefixes HiveServer2 wraps it in, at most `limit` characters.
    public static func shorten(_ text: String, limit: Int = 400) -> String {
        var line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        for prefix in ["org.apache.hive.service.cli.HiveSQLException: ", "Error running query: ", "org.apache.spark.sql.AnalysisException: "] {
            while line.hasPrefix(prefix) { line.removeFirst(prefix.count) }
        }
        line = line.trimmingCharacters(in: .whitespaces)
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }
}
