/// What one `deliver` or `replaySpool` call did, in points (lines) and requests.
public struct DeliveryReport: Sendable, Hashable {
    /// Points acknowledged by the server with 2xx (replayed ones included).
    public var pointsDelivered = 0
    /// Points written to the dead-letter file (400/422, or a single line still 413).
    public var pointsRejected = 0
    /// Points written to the spool by this call.
    public var pointsSpooled = 0
    /// Points from spool files that this call delivered (also counted in `pointsDelivered`).
    public var pointsReplayed = 0
    /// Oldest spooled points deleted because the spool exceeded its cap (`points_dropped_spool_full`).
    public var pointsDroppedSpoolFull = 0
    /// Points neither delivered, dead-lettered nor spooled (no spool configured, or the spool write
    /// failed). Any non-zero value is logged as an error.
    public var pointsLost = 0
    /// Of `pointsRejected`, the points the dead-letter file could not take (see `deadLetterError`): they are
    /// only in the log.
    public var pointsRejectedNotSaved = 0
    /// Why the dead-letter file could not be written (path and cause), if it could not.
    public var deadLetterError: String?
    /// Spool files that failed their check (length, checksum or a line that is not a complete point) and were
    /// moved to the quarantine by this call.
    public var spoolFilesQuarantined = 0
    /// Where this call moved them (paths).
    public var quarantinedFiles: [String] = []
    /// Requests re-sent after a retryable failure.
    public var retries = 0
    /// Write requests sent (413 halves included).
    public var requests = 0
    /// Batches formed from the input (before any 413 split).
    public var batches = 0
    public var outcome: DeliveryOutcome = .delivered
    /// Bytes in the spool after the call (write this as a metric).
    public var spoolDepthBytes = 0
    /// Files in the spool after the call.
    public var spoolFiles = 0

    public init() {}

    mutating func record(_ outcome: DeliveryOutcome) { self.outcome = self.outcome.worse(outcome) }

    /// Adds the report of a later call on the same spool, so several calls read as one: counts add up, the
    /// outcome is the worse of the two, and the spool's depth and file count are the later call's (they describe
    /// the spool after it).
    public mutating func absorb(_ later: DeliveryReport) {
        pointsDelivered += later.pointsDelivered
        pointsRejected += later.pointsRejected
        pointsSpooled += later.pointsSpooled
        pointsReplayed += later.pointsReplayed
        pointsDroppedSpoolFull += later.pointsDroppedSpoolFull
        pointsLost += later.pointsLost
        pointsRejectedNotSaved += later.pointsRejectedNotSaved
        deadLetterError = later.deadLetterError ?? deadLetterError
        spoolFilesQuarantined += later.spoolFilesQuarantined
        quarantinedFiles += later.quarantinedFiles
        retries += later.retries
        requests += later.requests
        batches += later.batches
        record(later.outcome)
        spoolDepthBytes = later.spoolDepthBytes
        spoolFiles = later.spoolFiles
    }
}
