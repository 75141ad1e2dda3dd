import PerformanceMetrics
import Testing

/// ``RegressionMoments`` (push-down's finish) against the golden values from scikit-learn and numpy
/// (`Fixtures/generate_golden_tasks.py`, as ``RegressionGoldenTests``), on moments taken here by two passes.
@Suite("Regression metrics from moments: golden values from scikit-learn and numpy")
struct RegressionMomentsTests {
    /// Mean and sample standard deviation by two passes (nil below two values).
    static func moments(_ values: [Double]) -> (mean: Double, sd: Double?) {
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, nil) }
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (squares / Double(values.count - 1)).squareRoot())
    }

    @Test("every field push-down writes matches the reference; the median and the quantiles are absent",
          arguments: TaskGoldenFixture.regressionCases)
    func metrics(_ golden: TaskGoldenFixture.RegressionCase) throws {
        let (targets, predictions) = golden.rows()
        let magnitude = (targets + predictions).map(abs).max() ?? 1
        // e² of residuals beyond ~1e154 or below ~1e-160 leaves the double range in the database (docs/postgres.md).
        guard !targets.isEmpty, magnitude < 1e150, magnitude == 0 || magnitude > 1e-150 else { return }
        let errors = zip(predictions, targets).map { $0 - $1 }
        let e = Self.moments(errors), a = Self.moments(errors.map(abs)), s = Self.moments(errors.map { $0 * $0 })
        let y = Self.moments(targets)
        let ssTot = targets.reduce(0) { $0 + ($1 - y.mean) * ($1 - y.mean) }
        let result = RegressionMoments.result(RegressionMoments(
            n: targets.count, meanError: e.mean, errorStandardDeviation: e.sd, meanAbsoluteError: a.mean,
            absoluteErrorStandardDeviation: a.sd, meanSquaredError: s.mean, squaredErrorStandardDeviation: s.sd,
            maxAbsoluteError: errors.map(abs).max()!, targetSquaredDeviations: (ssTot, 1),
            constantTarget: targets.min() == targets.max(),
            absolutePercentageErrorSum: zip(errors, targets).reduce(0) { $0 + abs($1.0) / max(abs($1.1), Double.ulpOfOne) }))
        let want = golden.expected
        func close(_ got: Double?, _ expected: Double?, _ what: String, unit: Double) {
            expectRelativelyClose(got, expected, relative: 1e-10, magnitude: unit, what)
        }
        #expect(result.n == want.n)
        close(result.meanAbsoluteError, want.meanAbsoluteError, "MAE", unit: magnitude)
        close(result.meanSquaredError, want.meanSquaredError, "MSE", unit: magnitude * magnitude)
        close(result.rootMeanSquaredError, want.rootMeanSquaredError, "RMSE", unit: magnitude)
        close(result.r2, want.r2, "R²", unit: 1)
        close(result.meanError, want.meanError, "bias", unit: magnitude)
        close(result.meanAbsolutePercentageError, want.meanAbsolutePercentageError, "MAPE", unit: 1)
        #expect(result.maxError == want.maxError)
        #expect(result.medianAbsoluteError == nil && result.residualQuantiles.isEmpty)
        for (got, expected, what) in [(result.meanAbsoluteErrorInterval, want.meanAbsoluteErrorInterval, "MAE"),
                                      (result.meanErrorInterval, want.meanErrorInterval, "bias"),
                                      (result.rootMeanSquaredErrorInterval, want.rootMeanSquaredErrorInterval, "RMSE")] {
            #expect((got == nil) == (expected == nil), "\(what) interval")
            guard let got, let expected, expected.count == 2 else { continue }
            close(got.lower, expected[0], "\(what) interval lower", unit: magnitude)
            close(got.upper, expected[1], "\(what) interval upper", unit: magnitude)
        }
    }

    @Test("no rows give the empty result")
    func empty() {
        let result = RegressionMoments.result(nil)
        #expect(result.n == 0 && result.meanAbsoluteError == nil && result.r2 == nil)
    }
}
