/// One HTTP request, fully described by value so that fakes can record and compare it.
///
/// Header order is preserved. Put credentials in headers (never in the URL): transports and
/// errors never echo headers, but URLs may end up in logs.
public struct HTTPRequest: Sendable {
    public var url: String
    public var method: HTTPMethod
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Time allowed to establish the TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// Time allowed for the whole exchange, connection included.
    public var totalTimeout: Duration
    public var tls: TLSOptions

    public init(
        url: String, method: HTTPMethod = .get, headers: [(String, String)] = [], body: [UInt8] = [],
        connectTimeout: Duration = .seconds(5), totalTimeout: Duration = .seconds(30), tls: TLSOptions = TLSOptions()
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.tls = tls
    }

    /// The first value of the header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }
}
