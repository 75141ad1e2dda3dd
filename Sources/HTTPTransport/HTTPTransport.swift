/// Sends one request and waits for the whole response (synchronous: the exporter is a batch job).
///
/// An HTTP error status is a response, not a thrown error; only the absence of a response throws.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse
}
