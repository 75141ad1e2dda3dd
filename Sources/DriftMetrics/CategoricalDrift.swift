/// Drift of a categorical feature in one window against its ``CategoricalFeatureProfile``.
public enum CategoricalDrift {
    /// Compares a window's category counts (categories with a count ≤ 0 are ignored) and missing count
    /// with the reference profile.
    ///
    /// Bins, in order: the stored reference categories (ascending UTF-8 order), one unseen bin (current
    /// values whose category is not stored; its reference count is the profile's `otherCount`), and the
    /// missing bin. PSI and JS as in ``BinnedDistance``; KS is always nil. A window with only missing values
    /// is compared over the same bins (all mass in the missing bin); a window with no rows gets nil PSI and JS.
    public static func compare(
        profile: CategoricalFeatureProfile, counts: [String: Int], missingCount: Int
    ) -> DriftResult {
        let categories = profile.orderedCategories
        var matched = 0
        var currentBins: [Int] = []
        currentBins.reserveCapacity(categories.count)
        for category in categories {
            let c = Swift.max(0, counts[category] ?? 0)
            currentBins.append(c)
            matched += c
        }
        let present = counts.values.reduce(0) { $0 + Swift.max(0, $1) }
        let current = currentBins + [present - matched, Swift.max(0, missingCount)]
        let reference = categories.map { profile.categories[$0] ?? 0 } + [profile.otherCount, profile.missingCount]
        return DriftResult(
            psi: BinnedDistance.psi(reference: reference, current: current),
            js: BinnedDistance.jensenShannon(reference: reference, current: current),
            ks: nil,
            ksErrorBound: nil,
            emptyBins: currentBins.count { $0 == 0 }
        )
    }
}
