import PerformanceMetrics
import Testing

@Suite("Threshold metrics: score >= threshold, 0/0 is nil")
struct ThresholdMetricsTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var tp, fp, tn, fn: Int
        var precision, recall, f1, fpr, specificity, ppr: Double?
        var testDescription: String { "tp=\(tp) fp=\(fp) tn=\(tn) fn=\(fn)" }
    }

    static let rows: [Row] = [
        Row(tp: 0, fp: 0, tn: 0, fn: 0, precision: nil, recall: nil, f1: nil, fpr: nil, specificity: nil, ppr: nil),
        // Nothing predicted positive: precision undefined, recall 0, F1 0 (defined from counts).
        Row(tp: 0, fp: 0, tn: 3, fn: 2, precision: nil, recall: 0, f1: 0, fpr: 0, specificity: 1, ppr: 0),
        // No positives and none predicted: recall and F1 undefined.
        Row(tp: 0, fp: 0, tn: 4, fn: 0, precision: nil, recall: nil, f1: nil, fpr: 0, specificity: 1, ppr: 0),
        // No negatives: FPR and specificity undefined.
        Row(
            tp: 2, fp: 0, tn: 0, fn: 1, precision: 1, recall: 2.0 / 3, f1: 0.8, fpr: nil, specificity: nil, ppr: 2.0 / 3
        ),
        // All predicted positive, no positives: precision 0 (defined), recall undefined, F1 0.
        Row(tp: 0, fp: 5, tn: 0, fn: 0, precision: 0, recall: nil, f1: 0, fpr: 1, specificity: 0, ppr: 1),
        Row(
            tp: 3, fp: 1, tn: 5, fn: 1, precision: 0.75, recall: 0.75, f1: 0.75, fpr: 1.0 / 6, specificity: 5.0 / 6,
            ppr: 0.4
        ),
    ]

    @Test("rates are nil exactly when their denominator is 0", arguments: rows)
    func zeroDenominators(_ row: Row) {
        let m = ThresholdMetrics(threshold: 0.5, tp: row.tp, fp: row.fp, tn: row.tn, fn: row.fn)
        expectClose(m.precision, row.precision, tolerance: 1e-15, "precision")
        expectClose(m.recall, row.recall, tolerance: 1e-15, "recall")
        expectClose(m.f1, row.f1, tolerance: 1e-15, "F1")
        expectClose(m.fpr, row.fpr, tolerance: 1e-15, "FPR")
        expectClose(m.specificity, row.specificity, tolerance: 1e-15, "specificity")
        expectClose(m.predictedPositiveRate, row.ppr, tolerance: 1e-15, "predicted positive rate")
    }

    @Test("a score equal to the threshold is predicted positive")
    func scoreOnThresholdIsPositive() throws {
        // Reference doc §2.1: s=[.5,.5,.2,.7], y=[1,0,1,1]; >= 0.5 predicts [1,1,0,1], precision 2/3.
        let result = PerformanceEvaluator.evaluate(
            scores: [0.5, 0.5, 0.2, 0.7], labels: [true, false, true, true],
            options: PerformanceOptions(thresholds: [0.5])
        )
        let m = try #require(result.thresholds.first)
        #expect([m.tp, m.fp, m.tn, m.fn] == [2, 1, 0, 1])
        expectClose(m.precision, 2.0 / 3, tolerance: 1e-15, "precision")
    }

    @Test("thresholds are reported in the configured order, including ones outside the score range")
    func thresholdOrder() {
        let result = PerformanceEvaluator.evaluate(
            scores: [0.1, 0.6, 0.9], labels: [false, true, true],
            options: PerformanceOptions(thresholds: [0.9, -1, 2, 0.6])
        )
        #expect(result.thresholds.map(\.threshold) == [0.9, -1, 2, 0.6])
        #expect(result.thresholds.map(\.tp) == [1, 2, 0, 2])
        #expect(result.thresholds.map(\.fp) == [0, 1, 0, 0])
    }
}
