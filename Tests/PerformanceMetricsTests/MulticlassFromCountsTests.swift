import Foundation
import PerformanceMetrics
import Testing

/// PostgreSQL push-down evaluates a multiclass window from the counted confusion matrix and the probability sums:
/// these must give what the rows give.
@Suite struct MulticlassFromCountsTests {
    @Test("the metrics of the counted confusion matrix equal those of the rows", arguments: [
        ([0, 1, 2, 2, 1, 0, 0], [0, 2, 2, 1, 1, 0, 1], 3),  // ordinary
        ([0, 0, 1, 1], [0, 0, 0, 0], 3),  // a class never predicted, one absent
        ([1, 1, 1], [1, 1, 1], 2),  // one class present: no kappa
        ([0, 3, 1, 3], [3, 3, 0, 1], 4),  // the last class as (other) on both sides
        ([], [], 3),  // an empty window
    ])
    func countsEqualRows(labels: [Int], predictions: [Int], classCount: Int) {
        let rows = MulticlassEvaluator.evaluate(labels: labels, predictions: predictions, classCount: classCount)
        var counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for (t, p) in zip(labels, predictions) { counts[t][p] += 1 }
        let counted = MulticlassEvaluator.evaluate(confusion: ConfusionMatrix(counts: counts))
        #expect(counted == rows)
    }

    @Test("log loss and Brier from their sums equal those of the rows; AUC and top-k are absent")
    func probabilitySums() throws {
        let labels = [0, 1, 2, 1]
        let probabilities = [0.7, 0.2, 0.1, 0.0, 1.0, 0.0, 0.3, 0.3, 0.4, 0.5, 0.25, 0.25]
        let rows = try #require(MulticlassEvaluator.evaluate(
            labels: labels, predictions: [0, 1, 2, 0], classCount: 3, probabilities: probabilities, topK: [2]).probabilities)
        var logLoss = 0.0, brier = 0.0
        for (row, y) in labels.enumerated() {
            logLoss += -Foundation.log(min(max(probabilities[row * 3 + y], Double.ulpOfOne), 1 - Double.ulpOfOne))
            for k in 0..<3 {
                let d = probabilities[row * 3 + k] - (k == y ? 1 : 0)
                brier += d * d
            }
        }
        let sums = MulticlassProbabilityMetrics(count: labels.count, logLossSum: logLoss, brierSum: brier)
        #expect(abs(sums.logLoss! - rows.logLoss!) <= 1e-15 * rows.logLoss!)
        #expect(abs(sums.brier! - rows.brier!) <= 1e-15 * rows.brier!)
        #expect(sums.rocAUC.isEmpty && sums.rocAUCMacro == nil && sums.rocAUCWeighted == nil && sums.topKAccuracy.isEmpty)
        #expect(MulticlassProbabilityMetrics(count: 0, logLossSum: 0, brierSum: 0).logLoss == nil)
    }
}
