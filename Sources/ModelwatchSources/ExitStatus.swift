import ModelwatchConfiguration

/// Exit codes cron can act on (sysexits.h).
public enum ExitStatus: Int32, Sendable, Comparable, CaseIterable {
    /// Everything was computed and delivered.
    case ok = 0
    /// Bad command-line usage.
    case usage = 64
    /// Bad input data: rows beyond the error budget, or points the server rejected as malformed.
    case dataError = 65
    /// Points lost: they could be neither delivered nor spooled (the spool is on a full or read-only disk, or no
    /// spool is configured and InfluxDB did not take them). Unlike 75, waiting does not bring them back.
    case ioError = 74
    /// A temporary failure: InfluxDB unreachable or throttling past the retry budget (points are spooled),
    /// the run's time budget ran out, or another run holds the lock. Retrying later is expected to work.
    case temporaryFailure = 75
    /// Configuration problem: invalid config, missing table or column, credentials or database; fix and rerun.
    case configError = 78
    /// An input file named in the config does not exist or cannot be read (scores, labels, a reference
    /// profile): `EX_NOINPUT`. The config file itself is a configuration problem (78).
    case noInput = 66
    /// An output file or directory cannot be created or written (`--output file:`, `--out`, the run lock,
    /// the spool directory, a backfill checkpoint): `EX_CANTCREAT`.
    case cannotCreate = 73

    /// The `status` field of the heartbeat.
    public var statusText: String {
        switch self {
        case .ok: "ok"
        case .usage: "usage_error"
        case .dataError: "data_error"
        case .ioError: "io_error"
        case .temporaryFailure: "temporary_failure"
        case .configError: "config_error"
        case .noInput: "no_input"
        case .cannotCreate: "cannot_create"
        }
    }

    /// Severity order used to pick the worst outcome of several models: ok < data (65) < temporary (75) <
    /// no input (66) < cannot create (73) < config (78) < points lost (74) < usage (64). A missing input or an
    /// unwritable output needs someone at the machine, unlike a temporary failure; the config is the widest fix;
    /// lost points cannot be recovered by any later run.
    private var severity: Int {
        switch self {
        case .ok: 0
        case .dataError: 1
        case .temporaryFailure: 2
        case .noInput: 3
        case .cannotCreate: 4
        case .configError: 5
        case .ioError: 6
        case .usage: 7
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

    /// An error for a file that cannot be read: `key: cannot read `path`: cause`; 66 for an input file, 78 (the
    /// default) for the config file itself.
    public init(_ status: ExitStatus = .configError, key: String, _ fileAccess: FileAccessError) {
        self.init(status, "\(key): cannot read \(fileAccess)")
        self.fileAccess = fileAccess
    }

    public var description: String { message }

    /// A configuration error (78).
    public static func config(_ error: ConfigError) -> JobError { JobError(.configError, error.description) }
}
