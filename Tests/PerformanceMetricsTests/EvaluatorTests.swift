import OrderedKeys
import PerformanceMetrics
import Testing
import TestSupport

@Suite("PerformanceEvaluator edge cases")
struct EvaluatorTests {
    static let options = PerformanceOptions(thresholds: [0.5], topKFractions: [0.1], calibrationBins: 10)

    @Test("an empty window has counts of 0, every metric nil and the bins still listed")
    func emptyWindow() throws {
        let result = PerformanceEvaluator.evaluate(scores: [], labels: [], options: Self.options)
        #expect(result.n == 0 && result.nPositive == 0 && result.nNegative == 0)
        #expect(result.undefinedReason == "empty window")
        let metrics = [
            result.baseRate, result.meanScore, result.auc, result.aucStandardError, result.aucConfidenceLower,
            result.aucConfidenceUpper, result.averagePrecision, result.logLoss, result.brier, result.ece, result.mce,
            result.observedExpected, result.calibrationInTheLarge, result.calibrationIntercept, result.calibrationSlope,
        ]
        #expect(metrics.allSatisfy { $0 == nil })
        let threshold = try #require(result.thresholds.first)
        #expect([threshold.tp, threshold.fp, threshold.tn, threshold.fn] == [0, 0, 0, 0])
        #expect(threshold.precision == nil && threshold.predictedPositiveRate == nil)
        let top = try #require(result.topK.first)
        #expect(top.k == 0 && top.selected == 0 && top.scoreCutoff == nil && top.precision == nil)
        #expect(result.calibrationBins.count == 10)
        #expect(result.calibrationBins.allSatisfy { $0.count == 0 && $0.meanPredicted == nil })
    }

    @Test(
        "a window with one class has no AUC and says why",
        arguments: [(true, "no negatives"), (false, "no positives")]
    )
    func oneClass(label: Bool, reason: String) {
        let result = PerformanceEvaluator.evaluate(
            scores: [0.2, 0.4, 0.9], labels: [label, label, label], options: Self.options
        )
        #expect(result.auc == nil && result.aucStandardError == nil && result.aucConfidenceLower == nil)
        #expect(result.undefinedReason == reason)
        #expect(result.calibrationSlope == nil && result.calibrationInTheLarge == nil)
        // Log loss and Brier stay defined (labels = [0, 1]).
        #expect(result.logLoss != nil && result.brier != nil)
        // AP: nil without positives (scikit-learn would say 0.0), 1 without negatives (as scikit-learn).
        #expect(result.averagePrecision == (label ? 1 : nil))
    }

    @Test("all-equal scores give AUC 0.5, AP = prevalence and no calibration slope")
    func allScoresEqual() {
        let result = PerformanceEvaluator.evaluate(
            scores: Array(repeating: 0.3, count: 8), labels: [true, false, false, true, false, false, false, true],
            options: Self.options
        )
        #expect(result.auc == 0.5)
        #expect(result.averagePrecision == 0.375)
        #expect(result.calibrationSlope == nil)
        #expect(result.calibrationInTheLarge != nil)
    }

    @Test("the DeLong SE needs two rows of each class")
    func deLongNeedsTwoPerClass() {
        let result = PerformanceEvaluator.evaluate(
            scores: [0.1, 0.4, 0.8], labels: [false, true, true], options: Self.options
        )
        #expect(result.auc == 1)
        #expect(result.aucStandardError == nil && result.aucConfidenceLower == nil && result.aucConfidenceUpper == nil)
    }

    @Test("perfectly separated classes have no calibration slope but a calibration-in-the-large")
    func separation() {
        let result = PerformanceEvaluator.evaluate(
            scores: [0.1, 0.2, 0.3, 0.6, 0.7, 0.8], labels: [false, false, false, true, true, true],
            options: Self.options
        )
        #expect(result.auc == 1)
        #expect(result.calibrationSlope == nil && result.calibrationIntercept == nil)
        #expect(result.calibrationInTheLarge != nil)
    }

    @Test("ranking metrics work on any finite score, and -0.0 ties with 0.0")
    func rankingOnRawScores() {
        let labels = [false, true, false, true, true, false]
        let raw = PerformanceEvaluator.evaluate(
            scores: [-3.5, 2.0, -0.0, 0.0, 40.0, -1e300], labels: labels, options: PerformanceOptions(thresholds: [0])
        )
        // Pairs (pos, neg): 2.0 beats all 3; 0.0 ties -0.0 (½) and beats -3.5 and -1e300; 40 beats all 3 → 8.5/9.
        #expect(raw.auc == 8.5 / 9)
        #expect(raw.thresholds.first?.fp == 1)  // -0.0 >= 0
    }

    @Test("row order does not change the sorted metrics")
    func rowOrderInvariance() {
        let (scores, labels) = SplitMix64.rows(seed: 99, count: 5000, kind: "rounded")
        let options = PerformanceOptions(thresholds: [0.2, 0.5], topKFractions: [0.05, 0.3])
        let forward = PerformanceEvaluator.evaluate(scores: scores, labels: labels, options: options)
        let backward = PerformanceEvaluator.evaluate(
            scores: scores.reversed(), labels: labels.reversed(), options: options
        )
        #expect(forward.auc == backward.auc)
        #expect(forward.aucStandardError == backward.aucStandardError)
        #expect(forward.averagePrecision == backward.averagePrecision)
        #expect(forward.thresholds == backward.thresholds)
        #expect(forward.topK == backward.topK)
        #expect(forward.calibrationBins.map(\.count) == backward.calibrationBins.map(\.count))
    }

    @Test("base rate and mean score")
    func baseRateAndMeanScore() {
        let result = PerformanceEvaluator.evaluate(
            scores: [0.2, 0.4, 0.9, 0.5], labels: [false, true, true, false], options: Self.options
        )
        #expect(result.baseRate == 0.5)
        expectClose(result.meanScore, 0.5, tolerance: 1e-15, "mean score")
        expectClose(result.observedExpected, 1.0, tolerance: 1e-15, "O/E")
    }

    @Test(
        "keys sorted by the caller give the same result as the evaluator's own sort",
        arguments: [(kind: "rounded", count: 20_000), (kind: "continuous", count: 20_000), (kind: "rounded", count: 500)]
    )
    func presortedKeys(kind: String, count: Int) {
        let (scores, labels) = SplitMix64.rows(seed: 7, count: count, kind: kind)
        let positives = zip(scores, labels).filter { $0.1 }.map { OrderedKeys.key($0.0) }.sorted()
        let negatives = zip(scores, labels).filter { !$0.1 }.map { OrderedKeys.key($0.0) }.sorted()
        let options = PerformanceOptions(thresholds: [0.3, 0.5], topKFractions: [0.01, 0.1], calibrationBins: 10)
        let own = PerformanceEvaluator.evaluate(scores: scores, labels: labels, options: options)
        let presorted = PerformanceEvaluator.evaluate(
            scores: scores, labels: labels, sortedPositiveKeys: positives, sortedNegativeKeys: negatives, options: options)
        #expect(own.auc != nil)
        #expect(presorted == own)
        #expect(presorted.auc?.bitPattern == own.auc?.bitPattern && presorted.aucStandardError?.bitPattern == own.aucStandardError?.bitPattern)
        #expect(presorted.calibrationSlope?.bitPattern == own.calibrationSlope?.bitPattern)
    }
}
