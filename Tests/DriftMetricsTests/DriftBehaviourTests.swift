import DriftMetrics
import Foundation
import Testing
import TestSupport

/// The documented drift conventions, checked with hand-computed expectations.
@Suite("Drift conventions")
struct DriftBehaviourTests {
    @Test("bins are right-closed: a value equal to an edge goes to the lower bin")
    func rightClosedBins() {
        #expect(SortedSample.binCounts(sorted: [0.5, 1, 1.5, 2, 2.5], edges: [1, 2]) == [2, 2, 1])
        #expect(SortedSample.binCounts(sorted: [], edges: [1, 2]) == [0, 0, 0])
        #expect(SortedSample.binCounts(sorted: [-1e300, 1e300], edges: []) == [2])
    }

    @Test("bin counts equal placing every value in the bin of the number of edges below it",
          arguments: [0, 1, 5, 1_000, 40_000])
    func binCountsMatchValueByValuePlacement(count: Int) {
        var random = SplitMix64(seed: UInt64(count) &+ 3)
        let edges = [-2.0, -0.5, 0, 0.25, 1, 7.5]
        // Values on the edges, zeros of both signs, ties and values beyond both ends.
        let pool = edges + [-0.0, -9, -1, 0.1, 0.5, 3, 100]
        let sorted = SortedSample.sortedFinite((0..<count).map { _ in pool[random.next(below: pool.count)] })
        var expected = [Int](repeating: 0, count: edges.count + 1)
        for value in sorted { expected[edges.filter { $0 < value }.count] += 1 }
        #expect(SortedSample.binCounts(sorted: sorted, edges: edges) == expected)
    }

    @Test("an identical sample gives PSI, JS and KS of exactly 0")
    func identicalIsZero() {
        var rng = SplitMix64(seed: 5)
        let values = (0..<5_000).map { _ in (rng.nextDouble() * 1000).rounded() }
        let profile = NumericFeatureProfile.build(presentValues: values, missingCount: 17)
        let drift = NumericDrift.compare(profile: profile, presentValues: values.reversed(), missingCount: 17)
        #expect(drift.psi == 0 && drift.js == 0 && drift.ks == 0 && drift.ksErrorBound == 0)
        #expect(drift.emptyBins == 0)

        let counts = ["a": 3, "b": 9, "c": 1]
        let categorical = CategoricalFeatureProfile.build(counts: counts, missingCount: 2)
        let categoricalDrift = CategoricalDrift.compare(profile: categorical, counts: counts, missingCount: 2)
        #expect(categoricalDrift.psi == 0 && categoricalDrift.js == 0)
    }

    @Test("with the quantile form an identical sample stays within the KS bound")
    func quantileFormIdentical() throws {
        var rng = SplitMix64(seed: 6)
        let values = (0..<30_000).map { _ in rng.nextDouble() }
        let profile = NumericFeatureProfile.build(presentValues: values, missingCount: 0)
        let drift = NumericDrift.compare(profile: profile, presentValues: values, missingCount: 0)
        let ks = try #require(drift.ks)
        let bound = try #require(drift.ksErrorBound)
        #expect(ks <= bound)
        #expect(bound == 0.5 / 10_000 + 1 / 30_000.0)
        #expect(drift.psi == 0)
    }

    /// PSI by hand: reference shares [0.5, 0.5, 0] (two value bins + missing), current [1, 0, 0] floored to
    /// [1, 1e-4, 1e-4]: (1 − 0.5)·ln 2 + (1e-4 − 0.5)·ln(1e-4 / 0.5) + 0, the reference document's 4.60 example.
    @Test("the 1e-4 floor applies to proportions without renormalisation")
    func floor() throws {
        let psi = try #require(BinnedDistance.psi(reference: [5, 5, 0], current: [8, 0, 0]))
        let expected = 0.5 * log(2.0) + (1e-4 - 0.5) * log(1e-4 / 0.5)
        #expect(abs(psi - expected) < 1e-12)
        #expect((psi * 100).rounded() == 460, "the reference document quotes 4.60")
        // Disjoint supports: JS distance is 1 in base 2.
        #expect(BinnedDistance.jensenShannon(reference: [1, 0], current: [0, 1]) == 1)
    }

    @Test("an all-missing window: PSI and JS over the missing bin, no KS, never NaN")
    func allMissingWindow() throws {
        let profile = NumericFeatureProfile.build(presentValues: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], missingCount: 0)
        let drift = NumericDrift.compare(profile: profile, presentValues: [], missingCount: 12)
        let psi = try #require(drift.psi)
        let js = try #require(drift.js)
        #expect(psi.isFinite && js == 1)
        #expect(drift.ks == nil && drift.ksErrorBound == nil)
        #expect(drift.emptyBins == profile.binCounts.count)

        let none = NumericDrift.compare(profile: profile, presentValues: [], missingCount: 0)
        #expect(none.psi == nil && none.js == nil && none.ks == nil)

        let nonFinite = NumericDrift.compare(profile: profile, presentValues: [.nan, .infinity], missingCount: 2)
        #expect(nonFinite == NumericDrift.compare(profile: profile, presentValues: [], missingCount: 2))
    }

    @Test("an all-missing reference still compares; KS needs present values on both sides")
    func allMissingReference() throws {
        let profile = NumericFeatureProfile.build(presentValues: [], missingCount: 8)
        #expect(profile.edges.isEmpty && profile.binCounts == [0] && profile.summary == nil)
        let drift = NumericDrift.compare(profile: profile, presentValues: [1, 2], missingCount: 0)
        #expect(try #require(drift.psi).isFinite)
        #expect(drift.js == 1)
        #expect(drift.ks == nil)
    }

    @Test("a constant reference has one edge and two bins")
    func constantReference() {
        let profile = NumericFeatureProfile.build(presentValues: Array(repeating: 2.5, count: 50), missingCount: 0)
        #expect(profile.edges == [2.5])
        #expect(profile.binCounts == [50, 0])
        #expect(profile.binShares == [1, 0])
        #expect(profile.missingShare == 0)
        #expect(profile.summary?.std == 0)
    }

    @Test("categorical caps keep the most frequent categories and fold the rest into the other bucket")
    func categoricalCap() {
        let profile = CategoricalFeatureProfile.build(
            counts: ["a": 5, "b": 5, "c": 9, "d": 1, "e": -3], missingCount: 4, maxCategories: 2
        )
        #expect(profile.categories == ["c": 9, "a": 5])
        #expect(profile.otherCount == 6)
        #expect(profile.count == 20)
        #expect(profile.share(of: "b") == 0)
        #expect(profile.share(of: "c") == 0.45)
        // "b" was in the reference but beyond the cap, so it counts as unseen.
        let summary = CategoricalSummary(counts: ["b": 1, "c": 3], reference: profile)
        #expect(summary.unseenRate == 0.25)
    }
}
