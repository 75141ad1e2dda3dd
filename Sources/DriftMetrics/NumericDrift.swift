/// Drift of a numeric feature (or the score) in one window against its ``NumericFeatureProfile``.
public enum NumericDrift {
    /// Compares a window's present values (any order; non-finite values are skipped, the caller counts them
    /// as missing) and missing count with the reference profile.
    public static func compare(
        profile: NumericFeatureProfile, presentValues: [Double], missingCount: Int
    ) -> DriftResult {
        compare(
            profile: profile, sortedPresentValues: SortedSample.sortedFinite(presentValues),
            missingCount: missingCount
        )
    }

    /// Compares present values that are already finite and sorted ascending (sort once, then also pass them
    /// to ``NumericSummary/init(sortedFiniteValues:)``).
    ///
    /// * PSI and JS use the profile's bins plus a missing bin, shares of all rows (present + missing).
    /// * KS uses present values only.
    /// * A window whose values are all missing gets PSI and JS over the missing bin (the value bins are 0,
    ///   so PSI is driven by the floor and JS is large unless the reference is mostly missing too), KS nil,
    ///   and every reference bin counted in ``DriftResult/emptyBins``. A window with no rows at all gets nil
    ///   PSI, JS and KS.
    public static func compare(
        profile: NumericFeatureProfile, sortedPresentValues x: [Double], missingCount: Int
    ) -> DriftResult {
        compare(profile: profile, sample: SortedArray(values: x), missingCount: missingCount)
    }

    /// ``compare(profile:sortedPresentValues:missingCount:)`` of a buffer of finite values sorted ascending (a
    /// part of a larger sort, say): the same result as on an array of them.
    public static func compare(
        profile: NumericFeatureProfile, sortedPresentValues x: UnsafeBufferPointer<Double>, missingCount: Int
    ) -> DriftResult {
        compare(profile: profile, sample: SortedArray(values: x), missingCount: missingCount)
    }

    /// Compares present values given as runs (distinct values with their counts): the same result as
    /// ``compare(profile:sortedPresentValues:missingCount:)`` on ``SortedRuns/expanded()``.
    public static func compare(profile: NumericFeatureProfile, sortedRuns: SortedRuns, missingCount: Int) -> DriftResult {
        compare(profile: profile, sample: sortedRuns, missingCount: missingCount)
    }

    static func compare<Sample: AscendingSample>(profile: NumericFeatureProfile, sample x: Sample, missingCount: Int) -> DriftResult {
        let currentBins = SortedSample.binCounts(sample: x, edges: profile.edges)
        let current = currentBins + [Swift.max(0, missingCount)]
        let reference = profile.binCounts + [profile.missingCount]
        let ks = profile.cdf.ksStatistic(current: x, referenceCount: profile.count)
        return DriftResult(
            psi: BinnedDistance.psi(reference: reference, current: current),
            js: BinnedDistance.jensenShannon(reference: reference, current: current),
            ks: ks,
            ksErrorBound: ks == nil ? nil : profile.cdf.ksErrorBound(referenceCount: profile.count),
            emptyBins: currentBins.count { $0 == 0 }
        )
    }
}
