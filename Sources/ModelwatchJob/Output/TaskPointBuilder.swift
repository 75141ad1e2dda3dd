import LineProtocol
import MetricSchema
import PerformanceMetrics

/// Maps regression and multiclass results onto their measurements (``Schema/regression``, ``Schema/multiclass``, …).
extension PointBuilder {
    /// The `modelwatch_regression` point of one window's slice.
    static func regression(
        _ result: RegressionResult, tags: [(key: String, value: String)], timestampMs: Int64, scored: Int, sufficient: Bool,
        provisional: Bool, meanPrediction: Double?, meanTarget: Double?
    ) -> Point {
        var point = Point(measurement: Schema.regression.name, tags: tags, timestampMs: timestampMs)
        point.add("n", result.n)
        point.add("n_scored", scored)
        point.add("label_coverage", scored == 0 ? nil : Double(result.n) / Double(scored))
        point.add("mae", result.meanAbsoluteError)
        point.add("mae_ci_lower", result.meanAbsoluteErrorInterval?.lower)
        point.add("mae_ci_upper", result.meanAbsoluteErrorInterval?.upper)
        point.add("mse", result.meanSquaredError)
        point.add("rmse", result.rootMeanSquaredError)
        point.add("rmse_ci_lower", result.rootMeanSquaredErrorInterval?.lower)
        point.add("rmse_ci_upper", result.rootMeanSquaredErrorInterval?.upper)
        point.add("r2", result.r2)
        point.add("bias", result.meanError)
        point.add("bias_ci_lower", result.meanErrorInterval?.lower)
        point.add("bias_ci_upper", result.meanErrorInterval?.upper)
        point.add("median_absolute_error", result.medianAbsoluteError)
        point.add("mape", result.meanAbsolutePercentageError)
        point.add("max_error", result.maxError)
        let names = ["residual_p05", "residual_p25", "residual_p50", "residual_p75", "residual_p95"]
        for (name, quantile) in zip(names, result.residualQuantiles) { point.add(name, quantile.value) }
        point.add("mean_prediction", meanPrediction)
        point.add("mean_target", meanTarget)
        point.add("sufficient", .boolean(sufficient))
        point.add("provisional", .boolean(provisional))
        return point
    }

    /// The `modelwatch_multiclass` point of one window's slice, one `modelwatch_multiclass_class` point per
    /// class and one `modelwatch_confusion` point per non-zero cell. `probabilityRows` (written as
    /// `n_probabilities`) and `topK` are nil without probability columns; push-down passes no `topK` (it has no
    /// top-k accuracy).
    static func multiclass(
        _ result: MulticlassResult, classNames: [String], tags: [(key: String, value: String)], timestampMs: Int64, scored: Int,
        sufficient: Bool, provisional: Bool, otherLabels: Int, otherPredictions: Int, probabilityRows: Int?, topK: Int?,
        minimumPerClass: Int
    ) -> [Point] {
        var point = Point(measurement: Schema.multiclass.name, tags: tags, timestampMs: timestampMs)
        point.add("n", result.n)
        point.add("n_scored", scored)
        point.add("label_coverage", scored == 0 ? nil : Double(result.n) / Double(scored))
        point.add("classes", classNames.count)
        point.add("other_labels", otherLabels)
        point.add("other_predictions", otherPredictions)
        point.add("accuracy", result.accuracy)
        point.add("balanced_accuracy", result.balancedAccuracy)
        point.add("macro_precision", result.macroPrecision)
        point.add("macro_recall", result.macroRecall)
        point.add("macro_f1", result.macroF1)
        point.add("weighted_precision", result.weightedPrecision)
        point.add("weighted_recall", result.weightedRecall)
        point.add("weighted_f1", result.weightedF1)
        point.add("micro_f1", result.microF1)
        point.add("cohen_kappa", result.cohenKappa)
        if let probabilityRows { point.add("n_probabilities", probabilityRows) }
        if let topK { point.add("top_k", topK) }
        if let probabilities = result.probabilities {
            point.add("log_loss", probabilities.logLoss)
            point.add("brier", probabilities.brier)
            point.add("roc_auc_macro", probabilities.rocAUCMacro)
            point.add("roc_auc_weighted", probabilities.rocAUCWeighted)
            point.add("top_k_accuracy", probabilities.topKAccuracy.first?.value)
        }
        point.add("sufficient", .boolean(sufficient))
        point.add("provisional", .boolean(provisional))
        var points = [point]
        guard result.n > 0 else { return points }
        let trueCounts = result.confusion.trueCounts
        for metrics in result.classes {
            let name = classNames[metrics.classIndex]
            var classPoint = Point(measurement: Schema.multiclassClass.name, tags: tags + [(Tags.className, name)], timestampMs: timestampMs)
            classPoint.add("support", metrics.support)
            classPoint.add("predicted", metrics.predicted)
            classPoint.add("tp", metrics.truePositives)
            classPoint.add("fp", metrics.falsePositives)
            classPoint.add("fn", metrics.falseNegatives)
            classPoint.add("precision", metrics.precision)
            classPoint.add("recall", metrics.recall)
            let interval = metrics.recallInterval
            classPoint.add("recall_ci_lower", interval?.lower)
            classPoint.add("recall_ci_upper", interval?.upper)
            classPoint.add("f1", metrics.f1)
            classPoint.add("label_share", Double(metrics.support) / Double(result.n))
            if let probabilities = result.probabilities, metrics.classIndex < probabilities.rocAUC.count {
                classPoint.add("roc_auc", probabilities.rocAUC[metrics.classIndex])
            }
            classPoint.add("sufficient", .boolean(metrics.support >= minimumPerClass))
            points.append(classPoint)
        }
        for (t, row) in result.confusion.counts.enumerated() {
            for (p, count) in row.enumerated() where count > 0 {
                var cell = Point(
                    measurement: Schema.confusion.name,
                    tags: tags + [(Tags.className, classNames[t]), (Tags.predictedClass, classNames[p])], timestampMs: timestampMs)
                cell.add("count", count)
                cell.add("share", Double(count) / Double(trueCounts[t]))
                points.append(cell)
            }
        }
        return points
    }
}
