/// Counts from reading and joining one model's scores and labels.
public struct JoinCounters: Sendable, Equatable {
    /// Score rows read (all files, all times).
    public var scoreRowsRead = 0
    /// Label rows read.
    public var labelRowsRead = 0
    /// Rows that failed to parse (scores and labels).
    public var rowsRejected = 0
    /// Score rows inside the read range (stored).
    public var scoreRowsInRange = 0
    /// Predictions of the final performance window with a label observed by the as-of time.
    public var labelsMatched = 0
    /// Labels observed by the as-of time whose id matches no score row read this run.
    public var orphanLabels = 0
    /// Extra labels (beyond the first) observed by the as-of time for predictions of the final window.
    public var duplicateLabels = 0
    /// Labels observed after the as-of time (ignored, so a past as-of reproduces what was known then).
    public var lateLabels = 0

    public init() {}

    /// All rows read.
    public var rowsRead: Int { scoreRowsRead + labelRowsRead }
}
