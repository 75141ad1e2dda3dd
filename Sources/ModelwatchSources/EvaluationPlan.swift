import ModelwatchConfiguration

/// A half-open time range [start, end) in epoch milliseconds.
public struct TimeRange: Sendable, Hashable, CustomStringConvertible {
    public var startMs: Int64
    public var endMs: Int64

    public init(startMs: Int64, endMs: Int64) {
        self.startMs = startMs
        self.endMs = endMs
    }

    public func contains(_ ms: Int64) -> Bool { ms >= startMs && ms < endMs }
    public var description: String { "[\(TimeText.format(startMs)), \(TimeText.format(endMs)))" }
}

/// Which windows one run evaluates, derived from the as-of time T, the window W and the maturity D.
///
/// - T is aligned down to a multiple of W since the Unix epoch (UTC), so re-running any as-of time
///   inside the same window writes identical points.
/// - Input and output monitoring covers predictions in [T−W, T), timestamped T.
/// - Performance covers predictions in [T−D−W, T−D), joined with labels observed up to T, timestamped
///   T−D; it is final. With restatement on, the windows ending T−D+W … T are recomputed too and marked
///   provisional, because their labels may still arrive.
public struct EvaluationPlan: Sendable, Equatable {
    /// The aligned as-of time T.
    public let asOfMs: Int64
    /// [T−W, T).
    public let inputWindow: TimeRange
    /// Performance windows, oldest first: the final window (if any) and the provisional ones.
    public let performanceWindows: [PerformanceWindow]

    /// A performance window and whether its labels may still arrive.
    public struct PerformanceWindow: Sendable, Hashable {
        public let range: TimeRange
        public let provisional: Bool

        public init(range: TimeRange, provisional: Bool) {
            self.range = range
            self.provisional = provisional
        }
    }

    public init(asOfMs: Int64, windowSeconds: Int64, maturitySeconds: Int64, restateProvisional: Bool) {
        let windowMs = windowSeconds * 1000
        let maturityMs = maturitySeconds * 1000
        let aligned = Self.floor(asOfMs, to: windowMs)
        self.asOfMs = aligned
        inputWindow = TimeRange(startMs: aligned - windowMs, endMs: aligned)
        let finalEnd = aligned - maturityMs
        var windows = [PerformanceWindow(range: TimeRange(startMs: finalEnd - windowMs, endMs: finalEnd), provisional: false)]
        if restateProvisional {
            var end = finalEnd + windowMs
            while end <= aligned {
                windows.append(PerformanceWindow(range: TimeRange(startMs: end - windowMs, endMs: end), provisional: true))
                end += windowMs
            }
        }
        performanceWindows = windows
    }

    /// A plan with explicit performance windows (used by backfill, which evaluates each window once, at
    /// the last as-of time that would have written it).
    public init(asOfMs: Int64, windowSeconds: Int64, performanceWindows: [PerformanceWindow]) {
        let windowMs = windowSeconds * 1000
        self.asOfMs = Self.floor(asOfMs, to: windowMs)
        inputWindow = TimeRange(startMs: self.asOfMs - windowMs, endMs: self.asOfMs)
        self.performanceWindows = performanceWindows
    }

    /// Every prediction time this plan needs: from the oldest performance window to T.
    public var readRange: TimeRange {
        TimeRange(startMs: min(performanceWindows.map(\.range.startMs).min() ?? inputWindow.startMs, inputWindow.startMs), endMs: asOfMs)
    }

    /// The final (not provisional) performance window, if the plan has one.
    public var finalWindow: PerformanceWindow? { performanceWindows.first { !$0.provisional } }

    /// Floors toward negative infinity to a multiple of `step`.
    package static func floor(_ value: Int64, to step: Int64) -> Int64 {
        let remainder = value % step
        return remainder < 0 ? value - remainder - step : value - remainder
    }
}
