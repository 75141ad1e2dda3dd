import DriftMetrics
import Testing

/// Numeric summaries, profiles and drift against `Fixtures/golden.json`.
///
/// Golden values: `Fixtures/generate_golden.py` with numpy 2.4.6 / scipy 1.17.1 (Python 3.11.7): `np.quantile`
/// (linear), `statistics.mean`/`statistics.stdev` (exact, ddof = 1), `scipy.stats.ks_2samp`,
/// `scipy.spatial.distance.jensenshannon(base=2)`, and a numpy re-implementation of the PSI rule
/// (`np.searchsorted(side="left")` bins + missing bin, 1e-4 floor). The `generated` cases are regenerated here
/// from splitmix64 seeds rather than stored.
@Suite("Numeric drift matches numpy/scipy golden values")
struct NumericGoldenTests {
    static let cases = Golden.shared.numeric + Golden.shared.generated

    @Test("profile bins and summary match numpy", arguments: cases)
    func profileMatches(_ c: NumericCase) {
        let (reference, _) = c.samples()
        let profile = NumericFeatureProfile.build(presentValues: reference.values, missingCount: reference.missing)
        #expect(profile.edges == c.expected.edges, "decile edges (np.quantile) of \(c.name)")
        #expect(profile.binCounts == c.expected.referenceBinCounts, "reference bins (searchsorted left) of \(c.name)")
        #expect(profile.count == reference.values.count)
        #expect(profile.missingCount == reference.missing)
        switch profile.cdf {
        case .exact: #expect(c.expected.cdfKind == "exact", "\(c.name)")
        case .quantiles: #expect(c.expected.cdfKind == "quantiles", "\(c.name)")
        }
        expectSummary(profile.summary, c.expected.referenceSummary, c.name + " reference")
    }

    @Test("current summary matches numpy", arguments: cases)
    func currentSummaryMatches(_ c: NumericCase) {
        let (_, current) = c.samples()
        expectSummary(NumericSummary(values: current.values), c.expected.currentSummary, c.name + " current")
    }

    @Test("PSI, JS and KS match the golden values", arguments: cases)
    func driftMatches(_ c: NumericCase) {
        let (reference, current) = c.samples()
        let profile = NumericFeatureProfile.build(presentValues: reference.values, missingCount: reference.missing)
        let drift = NumericDrift.compare(profile: profile, presentValues: current.values, missingCount: current.missing)
        let sorted = SortedSample.sortedFinite(current.values)
        #expect(SortedSample.binCounts(sorted: sorted, edges: profile.edges) == c.expected.currentBinCounts)
        #expect(isClose(drift.psi, c.expected.psi, absolute: 1e-12), "PSI of \(c.name): \(String(describing: drift.psi))")
        #expect(isClose(drift.js, c.expected.js, absolute: 1e-12), "JS of \(c.name): \(String(describing: drift.js))")
        #expect(isClose(drift.ks, c.expected.ks, absolute: 1e-12), "KS of \(c.name): \(String(describing: drift.ks))")
        #expect(isClose(drift.ksErrorBound, c.expected.ksErrorBound, absolute: 1e-15))
        #expect(drift.emptyBins == c.expected.emptyBins, "empty bins of \(c.name)")
        if let ks = drift.ks, let exact = c.expected.ksExact, let bound = drift.ksErrorBound {
            // The quantile form must stay within its documented bound of scipy's exact statistic.
            #expect(abs(ks - exact) <= bound + 1e-15, "KS \(ks) vs scipy \(exact), bound \(bound)")
        }
    }
}

/// Checks a summary field by field: order statistics bit-exact (numpy's lerp is reproduced), mean and std to
/// 1e-9 relative.
func expectSummary(
    _ actual: NumericSummary?, _ expected: ExpectedSummary?, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual, let expected else {
        #expect(actual == nil && expected == nil, "summary presence of \(label)", sourceLocation: sourceLocation)
        return
    }
    #expect(actual.count == expected.count, "count of \(label)", sourceLocation: sourceLocation)
    #expect(isClose(actual.mean, expected.mean), "mean of \(label): \(actual.mean) vs \(expected.mean)", sourceLocation: sourceLocation)
    #expect(isClose(actual.std, expected.std), "std of \(label): \(String(describing: actual.std)) vs \(String(describing: expected.std))", sourceLocation: sourceLocation)
    let pairs: [(String, Double, Double)] = [
        ("min", actual.min, expected.min), ("max", actual.max, expected.max),
        ("p01", actual.p01, expected.p01), ("p05", actual.p05, expected.p05), ("p25", actual.p25, expected.p25),
        ("p50", actual.p50, expected.p50), ("p75", actual.p75, expected.p75), ("p95", actual.p95, expected.p95),
        ("p99", actual.p99, expected.p99), ("zeroRate", actual.zeroRate, expected.zeroRate),
    ]
    for (name, a, e) in pairs {
        #expect(a == e, "\(name) of \(label): \(a) vs numpy \(e)", sourceLocation: sourceLocation)
    }
}
