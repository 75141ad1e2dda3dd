/// The HTTP methods the exporter needs: `POST` for writes, `GET` for probes and queries.
public enum HTTPMethod: String, Sendable, Hashable {
    case get = "GET"
    case post = "POST"
}
