import PerformanceMetrics
import Testing

/// Compares ``PerformanceEvaluator`` with golden values from `Fixtures/generate_golden.py`.
///
/// The expected values come from scikit-learn 1.9.1 (`roc_auc_score`, `average_precision_score`, `log_loss`
/// with `labels=[0, 1]`, `brier_score_loss`, `precision/recall/f1_score` with `zero_division=nan`,
/// `calibration_curve` binning), scipy 1.17.1 (`rankdata` midranks for DeLong), numpy 2.4.6 and statsmodels
/// 0.15.0 (GLM Binomial for the logistic recalibration); the versions are also recorded in golden.json.
@Suite("Golden values from scikit-learn, scipy and statsmodels")
struct GoldenTests {
    /// Metrics with a closed form: the Swift and Python sums differ only in float rounding order
    /// (observed: at most 2.4e-13, log loss on the 100k case; everything else within 1e-14).
    static let exactTolerance = 1e-9
    /// The two logistic fits are iterative (Newton here, IRLS with tol 1e-14 in statsmodels); 1e-6 is the
    /// agreed tolerance for them, though they agree within 1e-11 on every case.
    static let fitTolerance = 1e-6

    @Test("golden.json loads and was written by the generator")
    func fixtureLoads() throws {
        let fixture = try GoldenFixture.load()
        #expect(fixture.generator.hasSuffix("generate_golden.py"))
        #expect(fixture.cases.count >= 15)
        #expect(fixture.versions.sklearn == "1.9.1")
    }

    @Test("window metrics match the reference", arguments: GoldenFixture.cases)
    func windowMetrics(_ golden: GoldenFixture.Case) {
        let result = golden.evaluate()
        let want = golden.expected
        let tol = Self.exactTolerance
        #expect(result.n == want.n)
        #expect(result.nPositive == want.nPositive)
        #expect(result.nNegative == want.nNegative)
        #expect(result.undefinedReason == want.undefinedReason)
        expectClose(result.baseRate, want.baseRate, tolerance: tol, "base rate")
        expectClose(result.meanScore, want.meanScore, tolerance: tol, "mean score")
        expectClose(result.auc, want.auc, tolerance: tol, "AUC")
        expectClose(result.aucStandardError, want.aucStandardError, tolerance: tol, "DeLong SE")
        expectClose(result.aucConfidenceLower, want.aucConfidenceLower, tolerance: tol, "CI lower")
        expectClose(result.aucConfidenceUpper, want.aucConfidenceUpper, tolerance: tol, "CI upper")
        expectClose(result.averagePrecision, want.averagePrecision, tolerance: tol, "average precision")
        expectClose(result.logLoss, want.logLoss, tolerance: tol, "log loss")
        expectClose(result.brier, want.brier, tolerance: tol, "Brier")
        expectClose(result.ece, want.ece, tolerance: tol, "ECE")
        expectClose(result.mce, want.mce, tolerance: tol, "MCE")
        expectClose(result.observedExpected, want.observedExpected, tolerance: tol, "O/E")
        expectClose(result.calibrationInTheLarge, want.calibrationInTheLarge, tolerance: Self.fitTolerance, "CITL")
        expectClose(result.calibrationIntercept, want.calibrationIntercept, tolerance: Self.fitTolerance, "intercept")
        expectClose(result.calibrationSlope, want.calibrationSlope, tolerance: Self.fitTolerance, "slope")
    }

    @Test("threshold metrics match the reference", arguments: GoldenFixture.cases)
    func thresholdMetrics(_ golden: GoldenFixture.Case) throws {
        let result = golden.evaluate()
        try #require(result.thresholds.count == golden.expected.thresholds.count)
        for (got, want) in zip(result.thresholds, golden.expected.thresholds) {
            let at = "at threshold \(want.threshold)"
            #expect(got.threshold == want.threshold)
            #expect([got.tp, got.fp, got.tn, got.fn] == [want.tp, want.fp, want.tn, want.fn], "\(at)")
            expectClose(got.precision, want.precision, tolerance: Self.exactTolerance, "precision \(at)")
            expectClose(got.recall, want.recall, tolerance: Self.exactTolerance, "recall \(at)")
            expectClose(got.f1, want.f1, tolerance: Self.exactTolerance, "F1 \(at)")
            expectClose(got.fpr, want.fpr, tolerance: Self.exactTolerance, "FPR \(at)")
            expectClose(got.specificity, want.specificity, tolerance: Self.exactTolerance, "specificity \(at)")
            expectClose(
                got.predictedPositiveRate, want.predictedPositiveRate, tolerance: Self.exactTolerance, "PPR \(at)"
            )
            expectInterval(got.precisionInterval, want.precisionInterval, "precision interval \(at)")
            expectInterval(got.recallInterval, want.recallInterval, "recall interval \(at)")
        }
    }

    /// Wilson intervals: the same formula in the same order as scipy, so within a few ulps.
    private func expectInterval(_ got: ProportionInterval?, _ want: [Double]?, _ what: String) {
        #expect((got == nil) == (want == nil), "\(what): \(String(describing: got)) vs \(String(describing: want))")
        guard let got, let want, want.count == 2 else { return }
        expectClose(got.lower, want[0], tolerance: 1e-14, "\(what), lower end")
        expectClose(got.upper, want[1], tolerance: 1e-14, "\(what), upper end")
    }

    @Test("top-k metrics match the reference", arguments: GoldenFixture.cases)
    func topKMetrics(_ golden: GoldenFixture.Case) throws {
        let result = golden.evaluate()
        try #require(result.topK.count == golden.expected.topK.count)
        for (got, want) in zip(result.topK, golden.expected.topK) {
            let at = "at top \(want.fraction)"
            #expect(got.fraction == want.fraction)
            #expect(got.k == want.k, "\(at)")
            #expect(got.selected == want.selected, "\(at)")
            #expect(got.scoreCutoff == want.scoreCutoff, "\(at)")
            expectClose(got.precision, want.precision, tolerance: Self.exactTolerance, "precision \(at)")
            expectClose(got.recall, want.recall, tolerance: Self.exactTolerance, "recall \(at)")
            expectInterval(got.precisionInterval, want.precisionInterval, "precision interval \(at)")
            expectInterval(got.recallInterval, want.recallInterval, "recall interval \(at)")
        }
    }

    @Test("reliability bins match calibration_curve binning", arguments: GoldenFixture.cases)
    func reliabilityBins(_ golden: GoldenFixture.Case) throws {
        let result = golden.evaluate()
        try #require(result.calibrationBins.count == golden.expected.calibrationBins.count)
        for (got, want) in zip(result.calibrationBins, golden.expected.calibrationBins) {
            let at = "in bin \(want.index)"
            #expect(got.index == want.index)
            // Edges are bit-identical to numpy.linspace, and every row lands in the same bin.
            #expect(got.lower == want.lower, "\(at)")
            #expect(got.upper == want.upper, "\(at)")
            #expect(got.count == want.count, "\(at)")
            expectClose(
                got.meanPredicted, want.meanPredicted, tolerance: Self.exactTolerance, "mean predicted \(at)"
            )
            expectClose(got.observedRate, want.observedRate, tolerance: Self.exactTolerance, "observed rate \(at)")
        }
    }
}
