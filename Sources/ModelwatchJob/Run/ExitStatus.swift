/// Exit codes cron can act on (sysexits.h).
public enum ExitStatus: Int32, Sendable, Comparable, CaseIterable {
    /// Everything was computed and delivered.
    case ok = 0
    /// Bad command-line usage.
    case usage = 64
    /// Bad input data: rows beyond the error budget, or points the server rejected as malformed.
    case dataError = 65
    /// A temporary failure: InfluxDB unreachable or throttling past the retry budget (points are spooled),
    /// the run's time budget ran out, or another run holds the lock. Retrying later is expected to work.
    case temporaryFailure = 75
    /// Configuration problem: invalid config, missing files, credentials or database; fix and rerun.
    case configError = 78

    /// The `status` field of the heartbeat.
    public var statusText: String {
        switch self {
        case .ok: "ok"
        case .usage: "usage_error"
        case .dataError: "data_error"
        case .temporaryFailure: "temporary_failure"
        case .configError: "config_error"
        }
    }

    /// Severity order used to pick the worst outcome of several models: ok < data < temporary < config.
    private var severity: Int {
        switch self {
        case .ok: 0
        case .dataError: 1
        case .temporaryFailure: 2
        case .configError: 3
        case .usage: 4
        }
    }

    public static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.severity < rhs.severity }
}

/// An error that ends a model's evaluation (or the run) with a specific exit status and user-facing text.
public struct JobError: Error, CustomStringConvertible, Sendable {
    public let status: ExitStatus
    public let message: String

    /// The file that could not be read, when that is the error (its cause typed).
    public private(set) var fileAccess: FileAccessError?

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// An error about a file that cannot be read, with its typed cause.
    public init(_ status: ExitStatus, _ message: String, fileAccess: FileAccessError) {
        self.init(status, message)
        self.fileAccess = fileAccess
    }

    /// A configuration error (78) for a file that cannot be read: `key: cannot read `path`: cause`.
    public init(key: String, _ fileAccess: FileAccessError) {
        self.init(.configError, "\(key): cannot read \(fileAccess)")
        self.fileAccess = fileAccess
    }

    public var description: String { message }

    /// A configuration error (78).
    public static func config(_ error: ConfigError) -> JobError { JobError(.configError, error.description) }
}
