#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One estimated metric: the value, NannyML's sampling error and the band of ± ``EstimatedValue/bandWidth``
/// sampling errors around the value, clipped to [0, 1].
public struct EstimatedValue: Sendable, Equatable {
    /// Sampling errors on each side of the band (NannyML's `SAMPLING_ERROR_RANGE`).
    public static let bandWidth = 3.0

    /// The estimate.
    public var value: Double
    /// Its standard error; nil when the reference cannot supply one (a class or a prediction side missing there).
    public var standardError: Double?
    /// value − 3 · standardError, at least 0; nil without a standard error.
    public var lower: Double? { standardError.map { max(0, value - Self.bandWidth * $0) } }
    /// value + 3 · standardError, at most 1; nil without a standard error.
    public var upper: Double? { standardError.map { min(1, value + Self.bandWidth * $0) } }

    /// An estimate with its standard error.
    public init(value: Double, standardError: Double?) {
        self.value = value
        self.standardError = standardError
    }

    /// std / sqrt(n · fraction) (NannyML's `_universal_sampling_error`); nil when a component is missing or not
    /// positive-sized.
    static func standardError(std: Double?, fraction: Double?, rows: Int) -> Double? {
        guard let std, let fraction, std.isFinite, fraction > 0, rows > 0 else { return nil }
        return std / (Double(rows) * fraction).squareRoot()
    }
}

/// The expected confusion matrix at one threshold and the rates estimated from it.
public struct EstimatedThresholdMetrics: Sendable, Equatable {
    /// The threshold (positive means score >= threshold).
    public var threshold: Double
    /// Σ p over rows predicted positive: expected true positives.
    public var expectedTP: Double
    /// Σ (1 − p) over rows predicted positive.
    public var expectedFP: Double
    /// Σ (1 − p) over rows predicted negative.
    public var expectedTN: Double
    /// Σ p over rows predicted negative.
    public var expectedFN: Double
    /// TP / (TP + FP); nil when nothing is predicted positive (NannyML writes 0).
    public var precision: EstimatedValue?
    /// TP / (TP + FN); nil when no positive is expected.
    public var recall: EstimatedValue?
    /// TP / (TP + (FP + FN) / 2); nil when the denominator is 0.
    public var f1: EstimatedValue?
    /// TN / (TN + FP); nil when no negative is expected.
    public var specificity: EstimatedValue?
    /// (TP + TN) / n; nil for an empty window.
    public var accuracy: EstimatedValue?
}

/// CBPE estimates of one window.
public struct PerformanceEstimate: Sendable, Equatable {
    /// Scored rows the estimate is made from (labelled or not).
    public var n: Int
    /// Σ p: the expected number of positives.
    public var expectedPositives: Double
    /// Estimated ROC AUC; nil when every probability is 0 or every one is 1 (no expected positive or negative).
    public var auc: EstimatedValue?
    /// One entry per requested threshold, in order.
    public var thresholds: [EstimatedThresholdMetrics]

    /// Σ p / n; nil for an empty window.
    public var expectedBaseRate: Double? { n == 0 ? nil : expectedPositives / Double(n) }
}
