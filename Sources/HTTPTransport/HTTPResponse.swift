/// A complete HTTP response. Header names are lower-cased; a repeated header keeps its last value.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid bytes are replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
