/// What one ``Generator/generate(includeHeaders:chunkSize:scores:labels:)`` run emitted.
public struct GenerationSummary: Sendable, Hashable {
    /// Score rows (predictions), header excluded.
    public var predictions: Int
    /// Label rows, header excluded.
    public var labels: Int
    /// Bytes handed to the scores sink, header included.
    public var scoreBytes: Int
    /// Bytes handed to the labels sink, header included.
    public var labelBytes: Int
    /// The most labels buffered at once while waiting for their `label_time` (the memory bound).
    public var peakPendingLabels: Int
}
