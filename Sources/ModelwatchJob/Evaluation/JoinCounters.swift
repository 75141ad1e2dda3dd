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
    /// Labels attached to a stored score.
    public var labelsMatched = 0
    /// Labels whose id matches no score row read this run.
    public var orphanLabels = 0
    /// Extra label rows for an id that already had a label (latest label time wins).
    public var duplicateLabels = 0
    /// Labels observed after the as-of time (ignored, so a past as-of reproduces what was known then).
    public var lateLabels = 0

    public init() {}

    /// All rows read.
    public var rowsRead: Int { scoreRowsRead + labelRowsRead }
}
