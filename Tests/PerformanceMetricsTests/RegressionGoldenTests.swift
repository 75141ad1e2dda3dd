import PerformanceMetrics
import Testing

/// Compares ``RegressionEvaluator`` with golden values from `Fixtures/generate_golden_tasks.py`.
///
/// The expected values come from scikit-learn 1.9.1 (`mean_absolute_error`, `mean_squared_error`,
/// `root_mean_squared_error`, `r2_score`, `median_absolute_error`, `mean_absolute_percentage_error`,
/// `max_error`) and numpy 2.4.6 (`mean` of the residuals, `quantile` with linear interpolation, `std(ddof=1)`
/// for the intervals, z from `scipy.stats.norm.ppf(0.975)`, scipy 1.17.1). Where scikit-learn's squares
/// overflow or underflow (the 1e300 and 1e-200 cases) it ran on the data times an exact power of two and the
/// results were scaled back. For a constant target whose numpy mean is not exactly the constant, the expected
/// R² is scikit-learn's documented convention, and the fixture keeps what scikit-learn returned.
@Suite("Regression metrics: golden values from scikit-learn and numpy")
struct RegressionGoldenTests {
    /// Relative tolerance: the Swift sums are compensated and numpy's pairwise, so they differ in rounding only.
    static let relative = 1e-12

    @Test("golden_tasks.json loads and was written by the generator")
    func fixtureLoads() throws {
        let fixture = try TaskGoldenFixture.load()
        #expect(fixture.generator.hasSuffix("generate_golden_tasks.py"))
        #expect(fixture.versions.sklearn == "1.9.1")
        #expect(fixture.regression.count >= 14)
    }

    @Test("regression metrics match the reference", arguments: TaskGoldenFixture.regressionCases)
    func metrics(_ golden: TaskGoldenFixture.RegressionCase) throws {
        let (targets, predictions) = golden.rows()
        let result = RegressionEvaluator.evaluate(predictions: predictions, targets: targets)
        let want = golden.expected
        // Errors are compared relative to the case's magnitude, scale-free metrics relative to 1.
        let magnitude = (targets + predictions).map(abs).max() ?? 1
        func close(_ got: Double?, _ expected: Double?, _ what: String, unit: Double) {
            expectRelativelyClose(got, expected, relative: Self.relative, magnitude: unit, what)
        }
        #expect(result.n == want.n)
        close(result.meanAbsoluteError, want.meanAbsoluteError, "MAE", unit: magnitude)
        close(result.meanSquaredError, want.meanSquaredError, "MSE", unit: magnitude * magnitude)
        close(result.rootMeanSquaredError, want.rootMeanSquaredError, "RMSE", unit: magnitude)
        close(result.r2, want.r2, "R²", unit: 1)
        close(result.meanError, want.meanError, "bias", unit: magnitude)
        close(result.medianAbsoluteError, want.medianAbsoluteError, "median absolute error", unit: magnitude)
        close(result.meanAbsolutePercentageError, want.meanAbsolutePercentageError, "MAPE", unit: 1)
        #expect(result.maxError == want.maxError, "max error is an element of the data")
        let quantiles = want.residualQuantiles ?? []
        try #require(result.residualQuantiles.count == quantiles.count)
        for (got, expected) in zip(result.residualQuantiles, quantiles) {
            close(got.value, expected, "residual quantile \(got.level)", unit: magnitude)
        }
        expectInterval(result.meanAbsoluteErrorInterval, want.meanAbsoluteErrorInterval, "MAE interval", magnitude)
        expectInterval(result.meanErrorInterval, want.meanErrorInterval, "bias interval", magnitude)
        expectInterval(
            result.rootMeanSquaredErrorInterval, want.rootMeanSquaredErrorInterval, "RMSE interval", magnitude
        )
    }

    private func expectInterval(_ got: MeanInterval?, _ want: [Double]?, _ what: String, _ magnitude: Double) {
        #expect((got == nil) == (want == nil), "\(what): \(String(describing: got)) vs \(String(describing: want))")
        guard let got, let want, want.count == 2 else { return }
        expectRelativelyClose(got.lower, want[0], relative: 1e-10, magnitude: magnitude, "\(what), lower end")
        expectRelativelyClose(got.upper, want[1], relative: 1e-10, magnitude: magnitude, "\(what), upper end")
    }

    @Test("residual quantiles are at 5, 25, 50, 75 and 95% and the median one equals numpy's median of e")
    func quantileLevels() {
        let result = RegressionEvaluator.evaluate(predictions: [1, 5, 2, 8], targets: [0, 0, 0, 0])
        #expect(result.residualQuantiles.map(\.level) == [0.05, 0.25, 0.5, 0.75, 0.95])
        // numpy.quantile([1, 2, 5, 8], q): 1.15, 1.75, 3.5, 5.75, 7.55.
        #expect(result.residualQuantiles[2].value == 3.5)
        #expect(result.medianAbsoluteError == 3.5)
    }

    @Test("a constant target gives R² 0 for any error however the mean rounds, and 1 when exact")
    func constantTargetConvention() {
        for value in [0.1, 0.7, 1e-300, 3.0, -2.5e300] {
            let targets = [Double](repeating: value, count: 1001)
            #expect(RegressionEvaluator.evaluate(predictions: targets, targets: targets).r2 == 1)
            var off = targets
            off[500] = value * 2
            #expect(RegressionEvaluator.evaluate(predictions: off, targets: targets).r2 == 0)
        }
    }

    @Test("errors near the largest double give finite MAE, bias, RMSE and intervals (numpy's sums overflow)")
    func nearLargestDouble() throws {
        let result = RegressionEvaluator.evaluate(predictions: [1e308, 5e307], targets: [-5e307, -5e307])
        // e = (1.5e308, 1e308): MAE 1.25e308, RMSE √1.625 · 1e308, s(e) = √0.125 · 1e308.
        expectRelativelyClose(result.meanAbsoluteError, 1.25e308, relative: 1e-15, magnitude: 0, "MAE")
        expectRelativelyClose(result.meanError, 1.25e308, relative: 1e-15, magnitude: 0, "bias")
        expectRelativelyClose(
            result.rootMeanSquaredError, 1.625.squareRoot() * 1e308, relative: 1e-15, magnitude: 0, "RMSE"
        )
        #expect(result.meanSquaredError == .infinity)
        let bias = try #require(result.meanErrorInterval)
        let half = 0.125.squareRoot() * 1e308 * (1.959963984540054 / 2.0.squareRoot())
        expectRelativelyClose(bias.upper, 1.25e308 + half, relative: 1e-14, magnitude: 0, "bias interval")
        let rmse = try #require(result.rootMeanSquaredErrorInterval)
        #expect(rmse.lower.isFinite && rmse.upper.isFinite && rmse.lower <= rmse.upper)
    }

    @Test("intervals and R² are undefined below two rows; the point metrics are defined from one")
    func smallSamples() {
        let empty = RegressionEvaluator.evaluate(predictions: [], targets: [])
        #expect(empty.n == 0 && empty.meanAbsoluteError == nil && empty.residualQuantiles.isEmpty)
        let one = RegressionEvaluator.evaluate(predictions: [3], targets: [1])
        #expect(one.meanAbsoluteError == 2 && one.meanError == 2 && one.rootMeanSquaredError == 2)
        #expect(one.r2 == nil && one.meanAbsoluteErrorInterval == nil && one.meanErrorInterval == nil)
        #expect(one.rootMeanSquaredErrorInterval == nil)
    }
}
