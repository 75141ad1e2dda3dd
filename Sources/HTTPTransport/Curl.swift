import CCurl

/// Process-wide libcurl setup.
public enum Curl {
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Calls `curl_global_init` exactly once (later calls are no-ops). Call it from `main` before any
    /// thread starts; `CurlTransport` also calls it, which is safe because the once-guard is atomic.
    public static func globalInit() {
        precondition(initialized, "curl_global_init failed")
    }

    /// The libcurl version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.11 zlib/1.2.13`.
    public static var version: String { String(cString: curl_version()) }
}
