/// A request that produced no HTTP response. `message` is libcurl's text (host and port at most);
/// it never contains request headers, so credentials cannot leak through it.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, coarse enough for retry decisions.
    public enum Kind: String, Sendable, Hashable {
        /// Nothing listens on the port (ECONNREFUSED) or the host is unreachable.
        case connectionRefused
        /// The connect or total timeout expired.
        case timedOut
        /// The peer closed or reset the connection, or sent nothing.
        case connectionReset
        /// Certificate, key or handshake problem. Usually configuration, not transient.
        case tls
        /// The host name does not resolve.
        case nameResolution
        /// The request itself is invalid (bad URL, unsupported scheme, bad option).
        case invalidRequest
        /// Anything else libcurl reports.
        case other
    }

    public var kind: Kind
    public var message: String
    /// The libcurl `CURLcode`, or 0 for errors that did not come from libcurl.
    public var code: Int

    public init(kind: Kind, message: String, code: Int = 0) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { "\(kind.rawValue) (curl \(code)): \(message)" }
}
