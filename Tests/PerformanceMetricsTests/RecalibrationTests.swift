@testable import PerformanceMetrics
import Testing
import TestSupport

@Suite("Logistic recalibration and the DeLong interval")
struct RecalibrationTests {
    @Test("the pauc README example: AUC 0.708, 95% CI 0.378–1.000 with the upper end clamped")
    func paucReadmeExample() throws {
        let scores = [0.1, 0.35, 0.24, 0.8, 0.2, 0.85, 0.13, 0.85, 0.74, 0.58, 0.71, 0.25]
        let labels = [0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1].map { $0 == 1 }
        let result = PerformanceEvaluator.evaluate(scores: scores, labels: labels, options: PerformanceOptions())
        let auc = try #require(result.auc)
        let lower = try #require(result.aucConfidenceLower)
        #expect((auc * 1000).rounded() == 708)
        #expect((lower * 1000).rounded() == 378)
        #expect(result.aucConfidenceUpper == 1)
    }

    @Test("the line-searched Newton fit agrees with the plain one when both converge")
    func lineSearchAgrees() throws {
        let (scores, labels) = SplitMix64.rows(seed: 3, count: 4000, kind: "continuous")
        let sorted = SortedScores(scores: scores, labels: labels)
        let groups = LogitGroups(sorted)
        let plain = try #require(LogisticRecalibration.fitInterceptAndSlope(groups, start: (0, 0), lineSearch: false))
        let searched = try #require(LogisticRecalibration.fitInterceptAndSlope(groups, start: (0, 0), lineSearch: true))
        #expect(abs(plain.0 - searched.0) < 1e-9)
        #expect(abs(plain.1 - searched.1) < 1e-9)
    }

    @Test("scores clipped to the same logit collapse into one group")
    func clippedScoresShareAGroup() {
        let sorted = SortedScores(scores: [0, 1e-300, 0.5, 1, 1 - 1e-16], labels: [false, true, false, true, false])
        let groups = LogitGroups(sorted)
        #expect(groups.logits.count == 3)
        #expect(groups.totals == [2, 1, 2])
        #expect(groups.positives == [1, 0, 1])
    }

    @Test("a well-calibrated sample has slope near 1 and intercepts near 0")
    func wellCalibrated() throws {
        // Labels drawn with P(y) = score, so the true recalibration is a = 0, b = 1 (sampling error ~0.02).
        var generator = SplitMix64(seed: 11)
        var scores: [Double] = []
        var labels: [Bool] = []
        for _ in 0..<50_000 {
            let score = Double(generator.next() >> 11) * 0x1p-53
            scores.append(score)
            labels.append(Double(generator.next() >> 11) * 0x1p-53 < score)
        }
        let result = PerformanceEvaluator.evaluate(scores: scores, labels: labels, options: PerformanceOptions())
        #expect(abs(try #require(result.calibrationSlope) - 1) < 0.1)
        #expect(abs(try #require(result.calibrationIntercept)) < 0.1)
        #expect(abs(try #require(result.calibrationInTheLarge)) < 0.1)
        #expect(abs(try #require(result.observedExpected) - 1) < 0.05)
    }
}
