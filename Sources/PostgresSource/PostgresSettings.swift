/// How to reach one PostgreSQL database. The password is already resolved (from the environment or a
/// file); it is handed to libpq as a separate keyword, never formatted into a connection string or a message.
public struct PostgresSettings: Sendable, Equatable {
    /// Host name, IP address, or a Unix-socket directory (starting with `/`).
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    /// The password, or nil to let libpq use `~/.pgpass`, peer or certificate authentication.
    public var password: String?
    /// libpq `sslmode`: `disable`, `allow`, `prefer`, `require`, `verify-ca` or `verify-full`.
    public var sslMode: String
    /// CA bundle for `verify-ca` / `verify-full`.
    public var sslRootCert: String?
    /// Seconds to wait for the connection (libpq `connect_timeout`, at least 2).
    public var connectTimeoutSeconds: Int
    /// `application_name`, visible in `pg_stat_activity`.
    public var applicationName: String

    /// The `sslmode` values libpq accepts.
    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    public init(
        host: String, port: Int = 5432, database: String, user: String, password: String?, sslMode: String = "prefer",
        sslRootCert: String? = nil, connectTimeoutSeconds: Int = 10, applicationName: String = "modelwatch"
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.applicationName = applicationName
    }

    /// Keyword/value pairs for `PQconnectdbParams`.
    ///
    /// Every session runs with UTC time zone, ISO dates and shortest round-trip float output, so values read
    /// as text parse the same as in a CSV file; `default_transaction_read_only` makes a configured query
    /// unable to modify data.
    var keywords: [(String, String)] {
        var pairs: [(String, String)] = [
            ("host", host), ("port", String(port)), ("dbname", database), ("user", user),
            ("sslmode", sslMode), ("connect_timeout", String(max(connectTimeoutSeconds, 2))),
            ("application_name", applicationName), ("client_encoding", "UTF8"),
            ("options", "-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=3 -c default_transaction_read_only=on"),
        ]
        if let password { pairs.append(("password", password)) }
        if let sslRootCert { pairs.append(("sslrootcert", sslRootCert)) }
        return pairs
    }
}
