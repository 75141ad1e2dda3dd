import DriftMetrics
import Testing

/// Type-7 quantiles and summary statistics.
@Suite("Quantiles and numeric summaries")
struct QuantileAndSummaryTests {
    /// Golden: `np.quantile(values, probabilities)` (linear) from `Fixtures/generate_golden.py`, numpy 2.4.6;
    /// the first case is the reference document's example (1.4 / 3.0 / 7.6).
    @Test("quantiles are bit-identical to np.quantile", arguments: Golden.shared.quantiles)
    func quantilesMatchNumpy(_ c: QuantileCase) {
        #expect(Quantile.linear(sorted: c.values, probabilities: c.probabilities) == c.expected)
        for (q, e) in zip(c.probabilities, c.expected) {
            #expect(Quantile.linear(sorted: c.values, probability: q) == e)
        }
    }

    @Test("an empty sample has no quantile and no summary")
    func empty() {
        #expect(Quantile.linear(sorted: [], probability: 0.5) == nil)
        #expect(Quantile.linear(sorted: [], probabilities: [0.5]).isEmpty)
        #expect(NumericSummary(values: []) == nil)
        #expect(NumericSummary(values: [.nan, .infinity, -.infinity]) == nil)
    }

    @Test("non-finite values are skipped, not summarised")
    func nonFiniteSkipped() throws {
        let summary = try #require(NumericSummary(values: [3, .nan, 1, .infinity, 2, -.infinity]))
        #expect(summary.count == 3)
        #expect(summary.mean == 2)
        #expect(summary.std == 1)
        #expect(summary.min == 1 && summary.max == 3 && summary.p50 == 2)
    }

    @Test("a single value has no std; zero rate counts 0 and −0")
    func singleValueAndZeros() throws {
        let single = try #require(NumericSummary(values: [4.25]))
        #expect(single.std == nil)
        #expect(single.mean == 4.25 && single.p01 == 4.25 && single.p99 == 4.25)
        let zeros = try #require(NumericSummary(values: [0, -0.0, 1, 2]))
        #expect(zeros.zeroRate == 0.5)
    }

    /// Expected values by hand: the exact std of {a, b} is |a − b|/√2; numpy's two-pass std overflows to inf
    /// (1e300 scale) or underflows to 0 (1e−300 scale) on the same data.
    @Test("std neither overflows nor underflows at extreme magnitudes")
    func extremeMagnitudes() throws {
        for scale in [1e300, 1e-300, 0x1p-1030, 0x1p1000] {
            let a = 1 * scale, b = 3 * scale
            let summary = try #require(NumericSummary(values: [a, b]))
            #expect(isClose(summary.std, (b - a) / 2.0.squareRoot(), relative: 1e-12), "std at scale \(scale)")
            #expect(isClose(summary.mean, a + (b - a) / 2, relative: 1e-12), "mean at scale \(scale)")
        }
        // Values near the largest double: the mean stays finite, the true std (2.5e308) is not representable.
        let huge = try #require(NumericSummary(values: [-1.7e308, 1.7e308]))
        #expect(huge.mean == 0)
        #expect(huge.std == nil)
        #expect(huge.p50 == 0, "quantile interpolation avoids the overflowing b − a")
    }

    @Test("mean is compensated: large cancelling values do not swamp small ones")
    func compensatedMean() throws {
        let summary = try #require(NumericSummary(values: [1e16, 1, -1e16, 1]))
        #expect(summary.mean == 0.5)
    }
}
