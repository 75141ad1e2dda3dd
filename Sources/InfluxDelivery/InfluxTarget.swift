import HTTPTransport

/// Where and how to write: server, API, credentials, precision, TLS and timeouts.
public struct InfluxTarget: Sendable {
    /// Scheme, host and port, optionally a path prefix (e.g. `https://influx.example:8086`).
    public var baseURL: String
    public var api: InfluxAPI
    public var credentials: InfluxCredentials
    public var precision: WritePrecision
    public var tls: TLSOptions
    public var connectTimeout: Duration
    /// Total time for one write request, connect included.
    public var requestTimeout: Duration

    public init(
        baseURL: String, api: InfluxAPI, credentials: InfluxCredentials = .none,
        precision: WritePrecision = .milliseconds, tls: TLSOptions = TLSOptions(),
        connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(30)
    ) {
        self.baseURL = baseURL
        self.api = api
        self.credentials = credentials
        self.precision = precision
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    /// The full write URL (no credentials in it).
    public var writeURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let precisionValue = precision.queryValue(for: api)
        switch api {
        case .v1(let database, let rp):
            var url = "\(base)/write?db=\(URLQuery.escape(database))&precision=\(precisionValue)"
            if let rp { url += "&rp=\(URLQuery.escape(rp))" }
            return url
        case .v2(let org, let bucket):
            return "\(base)/api/v2/write?org=\(URLQuery.escape(org))&bucket=\(URLQuery.escape(bucket))&precision=\(precisionValue)"
        case .v3(let database):
            return "\(base)/api/v3/write_lp?db=\(URLQuery.escape(database))&precision=\(precisionValue)"
        }
    }
}
