/// Computes the metrics of one labelled window of a multiclass model.
public enum MulticlassEvaluator {
    /// Evaluates predicted classes (and optionally class probabilities) against true classes.
    ///
    /// Everything except the probability metrics comes from the K × K confusion counts, so it is exact up to
    /// one division (kappa: two).
    ///
    /// - Parameters:
    ///   - labels: The true class of each row, in `0..<classCount`.
    ///   - predictions: The predicted class of each row, in `0..<classCount`.
    ///   - classCount: K ≥ 2.
    ///   - probabilities: Optional n × K probabilities, row-major (row i's class k at `i * K + k`), each row
    ///     finite, in [0, 1] and summing to 1 (scikit-learn rejects or warns otherwise; the caller checks).
    ///   - topK: The k of each top-k accuracy (needs `probabilities`).
    /// - Precondition: equal lengths, class indices in range, `probabilities.count == n * K` when given.
    public static func evaluate(
        labels: [Int], predictions: [Int], classCount: Int, probabilities: [Double]? = nil, topK: [Int] = []
    ) -> MulticlassResult {
        precondition(classCount >= 2, "need at least two classes")
        var result = evaluate(confusion: ConfusionMatrix(labels: labels, predictions: predictions, classCount: classCount))
        result.probabilities = probabilities.map {
            MulticlassProbabilityMetrics(labels: labels, probabilities: $0, classCount: classCount, topK: topK)
        }
        return result
    }

    /// Evaluates the counted confusion matrix alone (no probability metrics): everything but the probability
    /// metrics is a function of the counts, so this equals ``evaluate(labels:predictions:classCount:probabilities:topK:)``
    /// on any rows with these counts (PostgreSQL push-down counts them in the database).
    /// - Precondition: `confusion.classCount >= 2`.
    public static func evaluate(confusion: ConfusionMatrix) -> MulticlassResult {
        let classCount = confusion.classCount
        precondition(classCount >= 2, "need at least two classes")
        let n = confusion.total
        let trueCounts = confusion.trueCounts
        let predictedCounts = confusion.predictedCounts
        let classes = (0..<classCount).map { k in
            let tp = confusion.counts[k][k]
            return ClassMetrics(
                classIndex: k, truePositives: tp, falsePositives: predictedCounts[k] - tp,
                falseNegatives: trueCounts[k] - tp
            )
        }

        // Balanced accuracy: mean recall over the classes that occur in the labels.
        var recallSum = NeumaierSum()
        var present = 0
        for metrics in classes {
            if let recall = metrics.recall {
                recallSum.add(recall)
                present += 1
            }
        }

        func macro(_ value: (ClassMetrics) -> Double?) -> Double? {
            guard n > 0 else { return nil }
            var sum = NeumaierSum()
            for metrics in classes { sum.add(value(metrics) ?? 0) }
            return sum.value / Double(classCount)
        }
        func weighted(_ value: (ClassMetrics) -> Double?) -> Double? {
            guard n > 0 else { return nil }
            var sum = NeumaierSum()
            for metrics in classes { sum.add(Double(metrics.support) * (value(metrics) ?? 0)) }
            return sum.value / Double(n)
        }
        let correct = confusion.correct
        let wrong = n - correct

        return MulticlassResult(
            n: n, confusion: confusion, classes: classes,
            accuracy: ratio(correct, n),
            balancedAccuracy: present > 0 ? recallSum.value / Double(present) : nil,
            macroPrecision: macro(\.precision), macroRecall: macro(\.recall), macroF1: macro(\.f1),
            weightedPrecision: weighted(\.precision), weightedRecall: weighted(\.recall),
            weightedF1: weighted(\.f1),
            microPrecision: ratio(correct, correct + wrong), microRecall: ratio(correct, correct + wrong),
            microF1: ratio(2 * correct, 2 * correct + 2 * wrong),
            cohenKappa: cohenKappa(confusion, trueCounts: trueCounts, predictedCounts: predictedCounts),
            probabilities: nil
        )
    }

    /// Unweighted Cohen's kappa as `cohen_kappa_score`: 1 − Σ_{i≠j} C_ij / Σ_{i≠j} E_ij with
    /// E_ij = predicted_i · true_j / n; nil when n = 0 or the chance disagreement Σ_{i≠j} E_ij is 0.
    ///
    /// Σ_{i≠j} E_ij = n − Σ_k predicted_k · true_k / n, from integer counts.
    static func cohenKappa(_ confusion: ConfusionMatrix, trueCounts: [Int], predictedCounts: [Int]) -> Double? {
        let n = confusion.total
        guard n > 0 else { return nil }
        var chanceAgreement = 0.0
        for k in 0..<confusion.classCount {
            chanceAgreement += Double(predictedCounts[k]) * Double(trueCounts[k])
        }
        let count = Double(n)
        let chanceDisagreement = count - chanceAgreement / count
        guard chanceDisagreement > 0 else { return nil }
        return 1 - Double(n - confusion.correct) / chanceDisagreement
    }
}
