/// Every metric of one labelled window: one value per `modelwatch_performance`, `modelwatch_threshold`,
/// `modelwatch_topk` and `modelwatch_calibration_bin` field except those the caller adds
/// (`n_scored`, `label_coverage`, `sufficient`, `provisional`).
///
/// A nil metric is undefined for this window and must be written as an absent field, never as 0.
public struct PerformanceResult: Sendable, Equatable {
    /// Why the ranking metrics (AUC and its interval) are absent.
    public enum UndefinedReason: String, Sendable, Equatable, CaseIterable {
        /// No labelled rows.
        case emptyWindow = "empty window"
        /// Every label is negative.
        case noPositives = "no positives"
        /// Every label is positive.
        case noNegatives = "no negatives"
    }

    /// Labelled rows (`n`).
    public var n: Int
    /// Positive labels (`n_pos`).
    public var nPositive: Int
    /// Negative labels (`n_neg`).
    public var nNegative: Int
    /// nPositive / n (`base_rate`); nil for an empty window.
    public var baseRate: Double?
    /// Mean score (`mean_score`); nil for an empty window.
    public var meanScore: Double?

    /// ROC AUC with ties counted half (`auc`); nil when a class is absent.
    public var auc: Double?
    /// DeLong standard error (`auc_se`); nil with fewer than 2 positives or 2 negatives (sample variances).
    public var aucStandardError: Double?
    /// Lower end of the 95% DeLong interval, clamped to [0, 1] (`auc_ci_lower`).
    public var aucConfidenceLower: Double?
    /// Upper end of the 95% DeLong interval, clamped to [0, 1] (`auc_ci_upper`).
    public var aucConfidenceUpper: Double?
    /// Step-wise average precision (`average_precision`); nil without positives.
    public var averagePrecision: Double?
    /// Why ``auc`` is nil (`undefined_reason`): `"empty window"`, `"no positives"` or `"no negatives"`.
    public var undefinedReason: String?

    /// Log loss, natural log, clipped to [eps, 1 − eps] (`log_loss`); nil for an empty window.
    public var logLoss: Double?
    /// Brier score, mean((p − y)²) (`brier`); nil for an empty window.
    public var brier: Double?
    /// Count-weighted expected calibration error over the reliability bins (`ece`).
    public var ece: Double?
    /// Maximum calibration error over the non-empty bins (`mce`).
    public var mce: Double?
    /// Σ labels / Σ scores (`observed_expected`); nil when Σ scores = 0.
    public var observedExpected: Double?
    /// Intercept with logit(score) as offset (`calibration_in_the_large`); nil with one class or no convergence.
    public var calibrationInTheLarge: Double?
    /// Intercept a of logit P(y) = a + b·logit(score) (`calibration_intercept`); nil when the fit is undefined.
    public var calibrationIntercept: Double?
    /// Slope b of the same fit (`calibration_slope`); nil when the fit is undefined.
    public var calibrationSlope: Double?

    /// Metrics at each configured threshold, in the order of ``PerformanceOptions/thresholds``.
    public var thresholds: [ThresholdMetrics]
    /// Metrics at each configured top-k fraction, in the order of ``PerformanceOptions/topKFractions``.
    public var topK: [TopKMetrics]
    /// All reliability bins, empty ones included, in index order.
    public var calibrationBins: [ReliabilityBin]

    /// Creates a result; ``PerformanceEvaluator/evaluate(scores:labels:options:)`` is the usual way to get one.
    public init(
        n: Int, nPositive: Int, nNegative: Int, baseRate: Double?, meanScore: Double?,
        auc: Double?, aucStandardError: Double?, aucConfidenceLower: Double?, aucConfidenceUpper: Double?,
        averagePrecision: Double?, undefinedReason: String?,
        logLoss: Double?, brier: Double?, ece: Double?, mce: Double?, observedExpected: Double?,
        calibrationInTheLarge: Double?, calibrationIntercept: Double?, calibrationSlope: Double?,
        thresholds: [ThresholdMetrics], topK: [TopKMetrics], calibrationBins: [ReliabilityBin]
    ) {
        self.n = n
        self.nPositive = nPositive
        self.nNegative = nNegative
        self.baseRate = baseRate
        self.meanScore = meanScore
        self.auc = auc
        self.aucStandardError = aucStandardError
        self.aucConfidenceLower = aucConfidenceLower
        self.aucConfidenceUpper = aucConfidenceUpper
        self.averagePrecision = averagePrecision
        self.undefinedReason = undefinedReason
        self.logLoss = logLoss
        self.brier = brier
        self.ece = ece
        self.mce = mce
        self.observedExpected = observedExpected
        self.calibrationInTheLarge = calibrationInTheLarge
        self.calibrationIntercept = calibrationIntercept
        self.calibrationSlope = calibrationSlope
        self.thresholds = thresholds
        self.topK = topK
        self.calibrationBins = calibrationBins
    }
}
