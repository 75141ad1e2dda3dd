/// How a delivery run ended, worst first. The job maps it to its exit status.
///
/// | Outcome | Suggested exit | Meaning |
/// |---|---|---|
/// | `pointsLost` | 74 (`EX_IOERR`) | points neither delivered nor spooled (the spool could not be written, or none is configured): they are gone |
/// | `configurationError` | 78 (`EX_CONFIG`) | 401/403/404, TLS or URL problem, an unreadable spool entry: the operator must fix something; data is spooled |
/// | `temporaryFailure` | 75 (`EX_TEMPFAIL`) | server unreachable, slow or overloaded past the retry budget; data is spooled |
/// | `dataRejected` | 65 (`EX_DATAERR`) | 400/422 or a single line too large: lines dead-lettered, the rest delivered |
/// | `delivered` | 0 | everything acknowledged |
public enum DeliveryOutcome: Sendable, Hashable {
    case delivered
    case dataRejected(String)
    case temporaryFailure(String)
    case configurationError(String)
    case pointsLost(String)

    /// Higher is worse; a run reports the worst outcome it met.
    var severity: Int {
        switch self {
        case .delivered: return 0
        case .dataRejected: return 1
        case .temporaryFailure: return 2
        case .configurationError: return 3
        case .pointsLost: return 4
        }
    }

    /// The sysexits-style status for this outcome.
    public var suggestedExitCode: Int32 {
        switch self {
        case .delivered: return 0
        case .dataRejected: return 65
        case .temporaryFailure: return 75
        case .configurationError: return 78
        case .pointsLost: return 74
        }
    }

    func worse(_ other: DeliveryOutcome) -> DeliveryOutcome { other.severity > severity ? other : self }
}
