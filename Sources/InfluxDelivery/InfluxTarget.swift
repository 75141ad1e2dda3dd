import HTTPTransport

/// Where and how to write: server, API, credentials, precision, TLS and timeouts.
public struct InfluxTarget: Sendable {
    /// Scheme, host and port, optionally a path prefix (e.g. `https://influx.example:8086`); never user-info
    /// (the initialiser moves it out, see `URLUserInfo`).
    public var baseURL: String
    /// The user-info the configured URL had, as written; never sent in the URL nor printed.
    public let urlUserInfo: String?
    private let credentialsFromURL: Bool
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
        let (url, userInfo) = URLUserInfo.split(baseURL)
        self.baseURL = url
        self.urlUserInfo = userInfo
        self.api = api
        if credentials == .none, let userInfo {
            let (user, password) = URLUserInfo.credentials(userInfo)
            self.credentials = .userPassword(user: user, password: password)
            credentialsFromURL = true
        } else {
            self.credentials = credentials
            credentialsFromURL = false
        }
        self.precision = precision
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    /// The warning for credentials in the URL, or nil.
    public var urlCredentialsWarning: String? {
        guard urlUserInfo != nil else { return nil }
        let use = credentialsFromURL
            ? "they are used for this run (sent in the Authorization header, never printed)"
            : "they are ignored: the credentials configured otherwise win"
        return "influx.url contains credentials (user-info before `@`), which is discouraged: URLs end up in shell history, "
            + "process listings and unit files; set INFLUX_USER and INFLUX_PASSWORD (or INFLUX_TOKEN) instead; \(use)"
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
