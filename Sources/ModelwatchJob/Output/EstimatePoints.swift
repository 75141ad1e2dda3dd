import LineProtocol
import MetricSchema
import PerformanceMetrics

/// Maps CBPE estimates (and, on a final window, the realized values beside them) onto
/// `modelwatch_estimated_performance` and `modelwatch_estimated_threshold`.
extension PointBuilder {
    /// Points for one estimated slice: the AUC point and one per threshold.
    ///
    /// - Parameter realized: the realized metrics of the same window and slice (labels so far), on performance windows.
    static func estimated(
        _ estimate: PerformanceEstimate, realized: (result: PerformanceResult, sufficient: Bool)?, tags: [(key: String, value: String)],
        timestampMs: Int64, sufficient: Bool, provisional: Bool, calibration: String, fingerprint: String, thresholdLabels: [String]
    ) -> [Point] {
        var point = Point(measurement: Schema.estimatedPerformance.name, tags: tags, timestampMs: timestampMs)
        point.add("n", estimate.n)
        point.add("expected_base_rate", estimate.expectedBaseRate)
        add("auc", estimate.auc, realized: realized.map { $0.result.auc } ?? nil, to: &point)
        if let (result, realizedSufficient) = realized {
            point.add("realized_auc_ci_lower", result.aucConfidenceLower)
            point.add("realized_auc_ci_upper", result.aucConfidenceUpper)
            if let lower = estimate.auc?.lower, let upper = estimate.auc?.upper,
               let realizedLower = result.aucConfidenceLower, let realizedUpper = result.aucConfidenceUpper {
                point.add("auc_divergence", max(0, lower - realizedUpper, realizedLower - upper))
            }
            point.add("realized_sufficient", .boolean(realizedSufficient))
            point.add("label_coverage", estimate.n == 0 ? nil : Double(result.n) / Double(estimate.n))
        }
        point.add("calibration", .string(calibration))
        point.add("profile_fingerprint", .string(fingerprint))
        point.add("sufficient", .boolean(sufficient))
        point.add("provisional", .boolean(provisional))
        var points = [point]
        guard estimate.n > 0 else { return points }
        for (index, metrics) in estimate.thresholds.enumerated() {
            var threshold = Point(measurement: Schema.estimatedThreshold.name, tags: tags + [(Tags.threshold, thresholdLabels[index])], timestampMs: timestampMs)
            let matrix = realized.flatMap { $0.result.n > 0 ? $0.result.thresholds[index] : nil }
            add("precision", metrics.precision, realized: matrix?.precision, to: &threshold)
            add("recall", metrics.recall, realized: matrix?.recall, to: &threshold)
            add("f1", metrics.f1, realized: matrix?.f1, to: &threshold)
            add("specificity", metrics.specificity, realized: matrix?.specificity, to: &threshold)
            add("accuracy", metrics.accuracy, realized: matrix.flatMap { ratio($0.tp + $0.tn, $0.tp + $0.fp + $0.tn + $0.fn) }, to: &threshold)
            points.append(threshold)
        }
        return points
    }

    /// `<metric>`, `_se`, `_lower`, `_upper`, and with a realized value `realized_<metric>` and `<metric>_difference`.
    private static func add(_ metric: String, _ value: EstimatedValue?, realized: Double?, to point: inout Point) {
        point.add(metric, value?.value)
        point.add("\(metric)_se", value?.standardError)
        point.add("\(metric)_lower", value?.lower)
        point.add("\(metric)_upper", value?.upper)
        point.add("realized_\(metric)", realized)
        if let realized, let estimate = value?.value { point.add("\(metric)_difference", realized - estimate) }
    }

    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }
}
