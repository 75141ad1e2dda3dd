import DriftMetrics
import LineProtocol
import MetricSchema
import PerformanceMetrics

/// Maps metric results onto the schema's measurements and fields.
enum PointBuilder {
    /// Points for one performance slice: the window point, one per threshold, top-k cut-off and calibration bin.
    static func performance(
        _ result: PerformanceResult, tags: [(key: String, value: String)], timestampMs: Int64, scored: Int,
        sufficient: Bool, provisional: Bool, thresholdLabels: [String], topKLabels: [String]
    ) -> [Point] {
        var point = Point(measurement: Schema.performance.name, tags: tags, timestampMs: timestampMs)
        point.add("n", result.n)
        point.add("n_pos", result.nPositive)
        point.add("n_neg", result.nNegative)
        point.add("n_scored", scored)
        point.add("label_coverage", scored == 0 ? nil : Double(result.n) / Double(scored))
        point.add("base_rate", result.baseRate)
        point.add("mean_score", result.meanScore)
        point.add("auc", result.auc)
        point.add("auc_se", result.aucStandardError)
        point.add("auc_ci_lower", result.aucConfidenceLower)
        point.add("auc_ci_upper", result.aucConfidenceUpper)
        point.add("average_precision", result.averagePrecision)
        point.add("log_loss", result.logLoss)
        point.add("brier", result.brier)
        point.add("ece", result.ece)
        point.add("mce", result.mce)
        point.add("observed_expected", result.observedExpected)
        point.add("calibration_in_the_large", result.calibrationInTheLarge)
        point.add("calibration_intercept", result.calibrationIntercept)
        point.add("calibration_slope", result.calibrationSlope)
        point.add("sufficient", .boolean(sufficient))
        point.add("provisional", .boolean(provisional))
        point.add("undefined_reason", .string(result.undefinedReason ?? ""))
        var points = [point]
        guard result.n > 0 else { return points }
        for (index, metrics) in result.thresholds.enumerated() {
            var threshold = Point(measurement: Schema.threshold.name, tags: tags + [(Tags.threshold, thresholdLabels[index])], timestampMs: timestampMs)
            threshold.add("tp", metrics.tp)
            threshold.add("fp", metrics.fp)
            threshold.add("tn", metrics.tn)
            threshold.add("fn", metrics.fn)
            threshold.add("precision", metrics.precision)
            threshold.add("recall", metrics.recall)
            addIntervals(precision: metrics.precisionInterval, recall: metrics.recallInterval, to: &threshold)
            threshold.add("f1", metrics.f1)
            threshold.add("fpr", metrics.fpr)
            threshold.add("specificity", metrics.specificity)
            threshold.add("predicted_positive_rate", metrics.predictedPositiveRate)
            points.append(threshold)
        }
        for (index, metrics) in result.topK.enumerated() {
            var topK = Point(measurement: Schema.topK.name, tags: tags + [(Tags.topKPercent, topKLabels[index])], timestampMs: timestampMs)
            topK.add("k", metrics.k)
            topK.add("selected", metrics.selected)
            topK.add("score_cutoff", metrics.scoreCutoff)
            topK.add("precision", metrics.precision)
            topK.add("recall", metrics.recall)
            addIntervals(precision: metrics.precisionInterval, recall: metrics.recallInterval, to: &topK)
            points.append(topK)
        }
        for bin in result.calibrationBins {
            var point = Point(measurement: Schema.calibrationBin.name, tags: tags + [(Tags.bin, ModelEvaluator.rank(bin.index))], timestampMs: timestampMs)
            point.add("count", bin.count)
            point.add("lower", bin.lower)
            point.add("upper", bin.upper)
            point.add("mean_predicted", bin.meanPredicted)
            point.add("observed_rate", bin.observedRate)
            points.append(point)
        }
        return points
    }

    /// Adds the 95% Wilson intervals of a precision and a recall (absent where the rate is undefined).
    static func addIntervals(precision: ProportionInterval?, recall: ProportionInterval?, to point: inout Point) {
        point.add("precision_ci_lower", precision?.lower)
        point.add("precision_ci_upper", precision?.upper)
        point.add("recall_ci_lower", recall?.lower)
        point.add("recall_ci_upper", recall?.upper)
    }

    /// Adds the distribution statistics shared by features and the score.
    static func addSummary(_ summary: NumericSummary, to point: inout Point) {
        point.add("mean", summary.mean)
        point.add("std", summary.std)
        point.add("min", summary.min)
        point.add("max", summary.max)
        point.add("p01", summary.p01)
        point.add("p05", summary.p05)
        point.add("p25", summary.p25)
        point.add("p50", summary.p50)
        point.add("p75", summary.p75)
        point.add("p95", summary.p95)
        point.add("p99", summary.p99)
        point.add("zero_rate", summary.zeroRate)
    }
}
