import DriftMetrics
import Testing

/// Categorical profiles, summaries and drift against `Fixtures/golden.json`.
///
/// Golden values: `Fixtures/generate_golden.py` (numpy 2.4.6 / scipy 1.17.1, Python 3.11.7): JS from
/// `scipy.spatial.distance.jensenshannon(base=2)` and PSI from a numpy re-implementation, both over the case's
/// `driftBins` (20 unless stated) most frequent stored categories in code-point order + one other bin + the
/// missing bin; rankings and shares by plain Python. `high_cardinality_healthy_window` (1,000 categories, 960 rows
/// from the same distribution) gets PSI 0.031, where one bin per stored category would give 0.87 (and 100 bins
/// give `high_cardinality_100_bins`'s value).
@Suite("Categorical drift matches numpy/scipy golden values")
struct CategoricalGoldenTests {
    @Test("profile, summary and drift match", arguments: Golden.shared.categorical)
    func matches(_ c: CategoricalCase) {
        let profile = CategoricalFeatureProfile.build(
            counts: c.reference.counts, missingCount: c.reference.missing, maxCategories: c.maxCategories
        )
        #expect(profile.categories == c.expected.storedCategories, "stored categories of \(c.name)")
        #expect(profile.otherCount == c.expected.otherCount)
        #expect(profile.count == c.expected.referenceCount)

        let drift = CategoricalBins(profile: profile, limit: c.driftBins).compare(counts: c.current.counts, missingCount: c.current.missing)
        #expect(isClose(drift.psi, c.expected.psi, absolute: 1e-12), "PSI of \(c.name): \(String(describing: drift.psi))")
        #expect(isClose(drift.js, c.expected.js, absolute: 1e-12), "JS of \(c.name): \(String(describing: drift.js))")
        #expect(drift.ks == nil && drift.ksErrorBound == nil)
        #expect(drift.emptyBins == c.expected.emptyBins)

        let summary = CategoricalSummary(counts: c.current.counts, reference: profile, topN: c.topN)
        #expect(summary.distinctCount == c.expected.distinctCount)
        #expect(isClose(summary.unseenRate, c.expected.unseenRate), "unseen rate of \(c.name)")
        #expect(summary.top.map(\.category) == c.expected.top.map(\.category), "ranking of \(c.name)")
        for (entry, expected) in zip(summary.top, c.expected.top) {
            #expect(entry.count == expected.count)
            #expect(isClose(entry.share, expected.share))
            #expect(isClose(entry.referenceShare, expected.referenceShare))
        }
    }

    @Test("without a reference, reference shares and the unseen rate are nil")
    func summaryWithoutReference() {
        let summary = CategoricalSummary(counts: ["b": 2, "a": 2, "c": 1, "zero": 0])
        #expect(summary.count == 5)
        #expect(summary.distinctCount == 3)
        #expect(summary.top.map(\.category) == ["a", "b", "c"])
        #expect(summary.top.allSatisfy { $0.referenceShare == nil })
        #expect(summary.unseenRate == nil)
    }

    @Test("a window with no rows has no PSI or JS, and nothing is NaN")
    func emptyWindow() {
        let profile = CategoricalFeatureProfile.build(counts: ["a": 3], missingCount: 0)
        let drift = CategoricalDrift.compare(profile: profile, counts: [:], missingCount: 0)
        #expect(drift.psi == nil && drift.js == nil && drift.ks == nil)
        #expect(drift.emptyBins == 1)
        let summary = CategoricalSummary(counts: [:], reference: profile)
        #expect(summary.top.isEmpty && summary.unseenRate == nil && summary.distinctCount == 0)
    }
}
