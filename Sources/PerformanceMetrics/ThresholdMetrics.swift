/// Confusion matrix and rates at one score threshold, where a row is predicted positive when `score >= threshold`.
///
/// A rate whose denominator is 0 is nil ("undefined"), never 0, so it cannot be mistaken for a real collapse.
public struct ThresholdMetrics: Sendable, Equatable {
    /// The threshold.
    public var threshold: Double
    /// Positives with `score >= threshold`.
    public var tp: Int
    /// Negatives with `score >= threshold`.
    public var fp: Int
    /// Negatives with `score < threshold`.
    public var tn: Int
    /// Positives with `score < threshold`.
    public var fn: Int

    /// Creates the metrics from the four counts.
    public init(threshold: Double, tp: Int, fp: Int, tn: Int, fn: Int) {
        self.threshold = threshold
        self.tp = tp
        self.fp = fp
        self.tn = tn
        self.fn = fn
    }

    /// tp / (tp + fp); nil when nothing is predicted positive.
    public var precision: Double? { ratio(tp, tp + fp) }
    /// tp / (tp + fn); nil when there are no positives.
    public var recall: Double? { ratio(tp, tp + fn) }
    /// 2·tp / (2·tp + fp + fn), from counts as scikit-learn does; nil when tp + fp + fn = 0.
    public var f1: Double? { ratio(2 * tp, 2 * tp + fp + fn) }
    /// fp / (fp + tn); nil when there are no negatives.
    public var fpr: Double? { ratio(fp, fp + tn) }
    /// tn / (tn + fp); nil when there are no negatives.
    public var specificity: Double? { ratio(tn, tn + fp) }
    /// (tp + fp) / n; nil for an empty window.
    public var predictedPositiveRate: Double? { ratio(tp + fp, tp + fp + tn + fn) }
    /// 95% Wilson interval of ``precision`` (tp out of tp + fp); nil when precision is.
    public var precisionInterval: ProportionInterval? { .wilson(successes: tp, trials: tp + fp) }
    /// 95% Wilson interval of ``recall`` (tp out of tp + fn); nil when recall is.
    public var recallInterval: ProportionInterval? { .wilson(successes: tp, trials: tp + fn) }

    /// Computes the metrics at `threshold` by binary search in the sorted window.
    init(threshold: Double, sorted: SortedScores) {
        let above = sorted.countAtOrAbove(threshold)
        self.init(
            threshold: threshold, tp: above.positives, fp: above.negatives,
            tn: sorted.nNegative - above.negatives, fn: sorted.nPositive - above.positives
        )
    }
}

/// numerator / denominator, or nil when the denominator is 0.
@inline(__always)
func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator == 0 ? nil : Double(numerator) / Double(denominator)
}
