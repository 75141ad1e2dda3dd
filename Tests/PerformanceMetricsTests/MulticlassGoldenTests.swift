import PerformanceMetrics
import Testing

/// Compares ``MulticlassEvaluator`` with golden values from `Fixtures/generate_golden_tasks.py`.
///
/// The expected values come from scikit-learn 1.9.1: `confusion_matrix(labels=range(K))`, `accuracy_score`,
/// `balanced_accuracy_score`, `precision_recall_fscore_support(labels=range(K))` (per class with
/// `zero_division=np.nan`, averages with `zero_division=0`), `cohen_kappa_score`, `log_loss(labels=range(K))`,
/// `brier_score_loss(labels=range(K), scale_by_half=False)`, `roc_auc_score` per class one-vs-rest (and with
/// `multi_class="ovr"` where every class is defined), `top_k_accuracy_score(labels=range(K))` (the class-1
/// column for K = 2), and the per-class recall intervals from scipy 1.17.1 `binomtest(...).proportion_ci("wilson")`.
@Suite("Multiclass metrics: golden values from scikit-learn")
struct MulticlassGoldenTests {
    /// Ratios of counts and compensated sums against numpy's: rounding only.
    static let tolerance = 1e-12

    @Test("golden_tasks.json has the multiclass cases")
    func fixtureLoads() throws {
        let fixture = try TaskGoldenFixture.load()
        #expect(fixture.multiclass.count >= 18)
        #expect(fixture.multiclass.contains { $0.generated != nil && $0.classCount == 5 })
    }

    private func evaluate(_ golden: TaskGoldenFixture.MulticlassCase) -> MulticlassResult {
        let rows = golden.rows()
        return MulticlassEvaluator.evaluate(
            labels: rows.labels, predictions: rows.predictions, classCount: golden.classCount,
            probabilities: rows.probabilities, topK: golden.topK
        )
    }

    @Test("confusion counts, accuracy, kappa and averages match the reference", arguments: TaskGoldenFixture.multiclassCases)
    func labelMetrics(_ golden: TaskGoldenFixture.MulticlassCase) {
        let result = evaluate(golden)
        let want = golden.expected
        let tol = Self.tolerance
        #expect(result.n == want.n)
        #expect(result.confusion.counts == want.confusion)
        expectClose(result.accuracy, want.accuracy, tolerance: tol, "accuracy")
        expectClose(result.balancedAccuracy, want.balancedAccuracy, tolerance: tol, "balanced accuracy")
        expectClose(result.macroPrecision, want.macroPrecision, tolerance: tol, "macro precision")
        expectClose(result.macroRecall, want.macroRecall, tolerance: tol, "macro recall")
        expectClose(result.macroF1, want.macroF1, tolerance: tol, "macro F1")
        expectClose(result.weightedPrecision, want.weightedPrecision, tolerance: tol, "weighted precision")
        expectClose(result.weightedRecall, want.weightedRecall, tolerance: tol, "weighted recall")
        expectClose(result.weightedF1, want.weightedF1, tolerance: tol, "weighted F1")
        expectClose(result.microPrecision, want.microPrecision, tolerance: tol, "micro precision")
        expectClose(result.microRecall, want.microRecall, tolerance: tol, "micro recall")
        expectClose(result.microF1, want.microF1, tolerance: tol, "micro F1")
        expectClose(result.cohenKappa, want.cohenKappa, tolerance: tol, "Cohen's kappa")
    }

    @Test("per-class precision, recall, F1, support and recall interval match the reference",
          arguments: TaskGoldenFixture.multiclassCases)
    func perClass(_ golden: TaskGoldenFixture.MulticlassCase) throws {
        let result = evaluate(golden)
        try #require(result.classes.count == golden.expected.classes.count)
        for (k, (got, want)) in zip(result.classes, golden.expected.classes).enumerated() {
            #expect(got.classIndex == k)
            #expect(got.support == want.support, "support of class \(k)")
            expectClose(got.precision, want.precision, tolerance: Self.tolerance, "precision of class \(k)")
            expectClose(got.recall, want.recall, tolerance: Self.tolerance, "recall of class \(k)")
            expectClose(got.f1, want.f1, tolerance: Self.tolerance, "F1 of class \(k)")
            #expect((got.recallInterval == nil) == (want.recallInterval == nil), "recall interval of class \(k)")
            if let interval = got.recallInterval, let bounds = want.recallInterval {
                expectClose(interval.lower, bounds[0], tolerance: 1e-14, "recall interval of class \(k), lower")
                expectClose(interval.upper, bounds[1], tolerance: 1e-14, "recall interval of class \(k), upper")
            }
        }
    }

    @Test("log loss, Brier, one-vs-rest AUC and top-k accuracy match the reference",
          arguments: TaskGoldenFixture.multiclassCases)
    func probabilityMetrics(_ golden: TaskGoldenFixture.MulticlassCase) throws {
        let result = evaluate(golden)
        guard let want = golden.expected.probabilities else {
            #expect(result.probabilities == nil)
            return
        }
        let got = try #require(result.probabilities)
        let tol = Self.tolerance
        expectClose(got.logLoss, want.logLoss, tolerance: tol, "log loss")
        expectClose(got.brier, want.brier, tolerance: tol, "Brier")
        try #require(got.rocAUC.count == want.rocAUC.count)
        for (k, (auc, expected)) in zip(got.rocAUC, want.rocAUC).enumerated() {
            expectClose(auc, expected, tolerance: tol, "one-vs-rest AUC of class \(k)")
        }
        expectClose(got.rocAUCMacro, want.rocAUCMacro, tolerance: tol, "macro AUC")
        expectClose(got.rocAUCWeighted, want.rocAUCWeighted, tolerance: tol, "weighted AUC")
        #expect(got.topKAccuracy.map(\.k) == golden.topK)
        try #require(got.topKAccuracy.count == want.topKAccuracy.count)
        for (topK, expected) in zip(got.topKAccuracy, want.topKAccuracy) {
            // A count over n: exact.
            #expect(topK.value == expected, "top-\(topK.k) accuracy")
        }
    }

    @Test("balanced accuracy ignores exactly the classes scikit-learn warns about", arguments: TaskGoldenFixture.multiclassCases)
    func balancedAccuracyIgnoresAbsentClasses(_ golden: TaskGoldenFixture.MulticlassCase) {
        guard let warned = golden.expected.balancedAccuracyWarned else { return }
        let result = evaluate(golden)
        // scikit-learn warns when a predicted class is absent from the labels; those classes have no recall.
        let ignored = result.classes.filter { $0.support == 0 && $0.predicted > 0 }
        #expect(!ignored.isEmpty == warned)
        #expect(ignored.allSatisfy { $0.recall == nil })
    }

    @Test("tied probabilities rank the higher class index first among K ≥ 3 classes")
    func topKTies() throws {
        // One row, p = (0.4, 0.4, 0.2): argsort(mergesort)[::-1] is [1, 0, 2].
        func topOne(label: Int) throws -> Double? {
            let result = MulticlassEvaluator.evaluate(
                labels: [label], predictions: [label], classCount: 3, probabilities: [0.4, 0.4, 0.2], topK: [1, 2]
            )
            return try #require(result.probabilities).topKAccuracy[0].value
        }
        #expect(try topOne(label: 1) == 1)
        #expect(try topOne(label: 0) == 0)
    }
}
