/// TLS settings for one request. Peer verification is on by default; `insecureSkipVerify`
/// turns off both certificate and host-name checks and should be logged as a warning by the caller.
public struct TLSOptions: Sendable, Hashable {
    /// PEM bundle of trusted CAs; `nil` uses the system store.
    public var caBundlePath: String?
    /// PEM client certificate for mutual TLS.
    public var clientCertPath: String?
    /// PEM private key matching `clientCertPath`.
    public var clientKeyPath: String?
    /// Disables peer and host verification. Never the default.
    public var insecureSkipVerify: Bool

    public init(
        caBundlePath: String? = nil, clientCertPath: String? = nil, clientKeyPath: String? = nil,
        insecureSkipVerify: Bool = false
    ) {
        self.caBundlePath = caBundlePath
        self.clientCertPath = clientCertPath
        self.clientKeyPath = clientKeyPath
        self.insecureSkipVerify = insecureSkipVerify
    }
}
