/// Counts of what the encoder had to drop or rewrite.
public struct EncodingStatistics: Sendable, Equatable {
    /// Points written.
    public var encodedPoints = 0
    /// Points skipped because no field survived.
    public var skippedPoints = 0
    /// NaN or infinite float fields dropped.
    public var droppedNonFiniteFields = 0
    /// Tags omitted because the key or value was empty.
    public var droppedTags = 0
    /// Names or values whose newlines or trailing backslash were rewritten.
    public var rewrittenValues = 0

    public init() {}
}

extension EncodingStatistics {
    /// Adds the counts of `other` to these.
    mutating func add(_ other: EncodingStatistics) {
        encodedPoints += other.encodedPoints
        skippedPoints += other.skippedPoints
        droppedNonFiniteFields += other.droppedNonFiniteFields
        droppedTags += other.droppedTags
        rewrittenValues += other.rewrittenValues
    }
}
