/// A complete HTTP response. Header names are lower-cased; a repeated header keeps its last value, except
/// `Set-Cookie`, whose every value is also in ``setCookies`` (a server may set several cookies in one answer).
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// Every `Set-Cookie` header value, in the order received.
    public var setCookies: [String]
    /// Set when the status line arrived but libcurl refused the rest of the answer (for example a header holding a
    /// NUL byte): what libcurl said. The status is still the server's; headers and body may be incomplete.
    public var incomplete: String?

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], incomplete: String? = nil, setCookies: [String]? = nil) {
        self.status = status
        self.setCookies = setCookies ?? headers.first { $0.key.lowercased() == "set-cookie" }.map { [$0.value] } ?? []
        self.incomplete = incomplete
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid bytes are replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
