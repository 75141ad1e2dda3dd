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

    /// The `Authorization` header value.
    var authorization: String {
        switch credentials {
        case .basic(let user, let password): return "Basic " + Base64.encode(Array("\(user):\(password)".utf8))
        case .bearer(let token): return "Bearer " + token
        }
    }
}

/// RFC 4648 base64, for the Basic header (no Foundation in this module).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(index + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
