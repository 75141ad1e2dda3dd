import ModelwatchConfiguration
import ModelwatchSources

/// How old the newest data is at an as-of time: the newest prediction before it and the newest label
/// observed by it, as far as the rows read show them.
///
/// File sources are read whole, so the newest prediction is found even when it is far older than the
/// windows; a PostgreSQL source reads only the time range it needs, so there it is the newest in that range.
public struct DataFreshness: Sendable, Equatable {
    /// The as-of time the ages are measured from.
    public var asOfMs: Int64
    /// The newest prediction time before the as-of time, if any was read.
    public var newestPredictionMs: Int64?
    /// The newest label observation time at or before the as-of time, if any (never without a label time column).
    public var newestLabelMs: Int64?

    public init(asOfMs: Int64, newestPredictionMs: Int64?, newestLabelMs: Int64?) {
        self.asOfMs = asOfMs
        self.newestPredictionMs = newestPredictionMs
        self.newestLabelMs = newestLabelMs
    }

    /// The freshness of `table` at `asOfMs`.
    public init(table: ScoreTable, asOfMs: Int64) {
        self.init(asOfMs: asOfMs, newestPredictionMs: table.newestPredictionMs(before: asOfMs),
                  newestLabelMs: table.newestLabelMs(atOrBefore: asOfMs))
    }

    /// Seconds from the newest prediction to the as-of time.
    public var predictionAgeSeconds: Int? { newestPredictionMs.map { Int((asOfMs - $0) / 1000) } }
    /// Seconds from the newest label to the as-of time.
    public var labelAgeSeconds: Int? { newestLabelMs.map { Int((asOfMs - $0) / 1000) } }

    /// The warning when the input window holds no prediction while older predictions exist (the data stopped
    /// arriving, or the job reads the wrong place), else nil.
    public func staleWarning(inputRows: Int, inputWindow: TimeRange) -> String? {
        guard inputRows == 0, let newest = newestPredictionMs, newest < inputWindow.startMs else { return nil }
        return "no prediction in the input window \(inputWindow); the newest is \(Self.age(asOfMs - newest)) old "
            + "(\(TimeText.format(newest))): is the data still arriving?"
    }

    /// `3d 4h`, `5h 20m`, `12m`, `40s`: the two largest units of a duration.
    static func age(_ milliseconds: Int64) -> String {
        var seconds = max(0, milliseconds / 1000)
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var parts: [String] = []
        for (name, size) in units where seconds >= size || (parts.isEmpty && size == 1) {
            parts.append("\(seconds / size)\(name)")
            seconds %= size
            if parts.count == 2 { break }
        }
        return parts.joined(separator: " ")
    }
}
