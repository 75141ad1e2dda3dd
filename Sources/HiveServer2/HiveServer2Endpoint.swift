import Foundation
import HTTPTransport

/// Where and how to reach a HiveServer2 endpoint over HTTP(S): the URL of its Thrift path (e.g.
/// `http://spark:10001/cliservice` or `https://<workspace>/sql/1.0/warehouses/<id>`), credentials, TLS and timeouts.
public struct HiveServer2Endpoint: Sendable {
    /// How requests authenticate. Secrets leave this value only in the `Authorization` header.
    public enum Credentials: Sendable {
        /// HTTP Basic (Spark Thrift server with NONE, LDAP or CUSTOM authentication).
        case basic(user: String, password: String)
        /// `Authorization: Bearer <token>` (Databricks personal access or OAuth tokens).
        case bearer(String)
    }

    public var url: String
    public var credentials: Credentials
    public var tls: TLSOptions
    public var connectTimeout: Duration
    /// Time allowed for one HTTP exchange (one Thrift call; a query is polled, so this is not the query's limit).
    public var requestTimeout: Duration
    /// Passed to the server as the statement's `queryTimeout` (0: none).
    public var queryTimeoutSeconds: Int64
    /// OpenSession `configuration`, e.g. `use:database`.
    public var sessionConfiguration: [(String, String)]

    public init(
        url: String, credentials: Credentials, tls: TLSOptions = TLSOptions(), connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60), queryTimeoutSeconds: Int64 = 0, sessionConfiguration: [(String, String)] = []
    ) {
        self.url = url
        self.credentials = credentials
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.queryTimeoutSeconds = queryTimeoutSeconds
        self.sessionConfiguration = sessionConfiguration
    }

    /// Whether a session opened on `other` serves this endpoint too: the same URL, credentials, TLS options and
    /// session configuration.
    public func canShareSession(with other: HiveServer2Endpoint) -> Bool {
        url == other.url && authorization == other.authorization && tls == other.tls
            && sessionConfiguration.elementsEqual(other.sessionConfiguration) { $0 == $1 }
    }

    /// The `Authorization` header value.
    var authorization: String {
        switch credentials {
        case .basic(let user, let password): return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case .bearer(let token): return "Bearer " + token
        }
    }
}
