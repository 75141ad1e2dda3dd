import OrderedKeys

/// Confidence-based performance estimation (CBPE, as NannyML defines it for binary classifiers): with
/// calibrated probabilities p, each row is expected to be a positive with probability p, so a window's expected
/// confusion matrix, and the metrics derived from it, follow from the scores alone, before any label arrives.
///
/// Valid while P(label | score) is what the reference saw: covariate shift is fine, concept drift is not.
public enum PerformanceEstimator {
    /// Estimates a window's ROC AUC and the threshold metrics at `thresholds` from its scores.
    ///
    /// Each threshold's standard errors come from the reference's matrix at the same threshold; a threshold the
    /// reference lacks gets estimates without standard errors.
    ///
    /// - Precondition: every score is finite (the caller filters).
    public static func estimate(scores: [Double], reference: EstimationReference, thresholds: [Double]) -> PerformanceEstimate {
        var keys = scores.map { score -> UInt64 in
            precondition(score.isFinite, "scores must be finite; filter NaN and ±inf before estimating")
            return OrderedKeys.key(score)
        }
        OrderedKeys.sort(&keys)
        let n = keys.count
        // Thresholds from the highest down, so one descending walk records each threshold's sums.
        let order = thresholds.indices.sorted { thresholds[$0] > thresholds[$1] }
        var nextThreshold = 0
        var above = [(rows: Int, probability: Double)](repeating: (0, 0), count: thresholds.count)
        var calibration = reference.calibration
        var knot = (calibration?.scores.count ?? 1) - 1
        var expectedPositives = NeumaierSum()
        var area = NeumaierSum()
        var index = n
        while index > 0 {
            index -= 1
            let score = OrderedKeys.value(keys[index])
            while nextThreshold < order.count, score < thresholds[order[nextThreshold]] {
                above[order[nextThreshold]] = (n - 1 - index, expectedPositives.value)
                nextThreshold += 1
            }
            let p = calibrate(score, calibration: &calibration, knot: &knot)
            // Trapezoid of the expected ROC curve over this row: width (1 − p) / F, mean height (TPbefore + p / 2) / T.
            area.add((1 - p) * (expectedPositives.value + 0.5 * p))
            expectedPositives.add(p)
        }
        let positives = expectedPositives.value
        while nextThreshold < order.count {
            above[order[nextThreshold]] = (n, positives)
            nextThreshold += 1
        }
        let negatives = Double(n) - positives
        var auc: EstimatedValue?
        if positives > 0, negatives > 0 {
            auc = EstimatedValue(
                value: min(1, max(0, area.value / (positives * negatives))),
                standardError: EstimatedValue.standardError(std: reference.aucPlacementStd, fraction: reference.aucMinorityFraction, rows: n))
        }
        let metrics = thresholds.indices.map { index in
            thresholdMetrics(
                threshold: thresholds[index], predictedPositive: above[index].rows, tp: above[index].probability,
                n: n, positives: positives, reference: reference.thresholds.first { $0.threshold == thresholds[index] },
                referenceRows: reference.rows)
        }
        return PerformanceEstimate(n: n, expectedPositives: positives, auc: auc, thresholds: metrics)
    }

    /// The calibrated probability of `score` (the score itself without a map), for scores visited in descending
    /// order: `knot` only moves down, so the walk costs O(n + knots) instead of a search per row.
    @inline(__always)
    private static func calibrate(_ score: Double, calibration: inout IsotonicCalibration?, knot: inout Int) -> Double {
        guard let map = calibration else { return min(1, max(0, score)) }
        let xs = map.scores
        if score >= xs[xs.count - 1] { return map.probabilities[xs.count - 1] }
        if score <= xs[0] { return map.probabilities[0] }
        while knot > 0, xs[knot] > score { knot -= 1 }
        return map.interpolate(score, below: knot)
    }

    private static func thresholdMetrics(
        threshold: Double, predictedPositive: Int, tp: Double, n: Int, positives: Double,
        reference: ThresholdMetrics?, referenceRows: Int
    ) -> EstimatedThresholdMetrics {
        let fp = Double(predictedPositive) - tp
        let fn = positives - tp
        let tn = Double(n - predictedPositive) - fn
        // NannyML's sampling-error components are the population std of 0/1 outcomes of the rows that count for a
        // metric in the reference (a proportion q has std √(q(1 − q))) and those rows' share of the reference.
        func se(_ successes: Int, _ relevant: Int, factor: Double = 1) -> Double? {
            guard relevant > 0, referenceRows > 0 else { return nil }
            let q = Double(successes) / Double(relevant)
            return EstimatedValue.standardError(
                std: factor * (q * (1 - q)).squareRoot(), fraction: Double(relevant) / Double(referenceRows), rows: n)
        }
        func value(_ numerator: Double, _ denominator: Double, _ standardError: Double?) -> EstimatedValue? {
            denominator > 0 ? EstimatedValue(value: min(1, max(0, numerator / denominator)), standardError: standardError) : nil
        }
        var f1Error: Double?
        if let r = reference {
            let relevant = r.tp + r.fp + r.fn
            if relevant > 0 { f1Error = se(r.tp, relevant, factor: Double(relevant) / (0.5 * Double(r.fp + r.fn) + Double(r.tp))) }
        }
        return EstimatedThresholdMetrics(
            threshold: threshold, expectedTP: tp, expectedFP: fp, expectedTN: tn, expectedFN: fn,
            precision: value(tp, tp + fp, reference.flatMap { se($0.tp, $0.tp + $0.fp) }),
            recall: value(tp, tp + fn, reference.flatMap { se($0.tp, $0.tp + $0.fn) }),
            f1: value(tp, tp + 0.5 * (fp + fn), f1Error),
            specificity: value(tn, tn + fp, reference.flatMap { se($0.tn, $0.tn + $0.fp) }),
            accuracy: value(tp + tn, Double(n), reference.flatMap { se($0.tp + $0.tn, referenceRows) }))
    }
}
