/// Drift of a categorical feature in one window against its ``CategoricalFeatureProfile``.
public enum CategoricalDrift {
    /// Default of `binnedCategories`: the reference's most frequent categories that get a bin of their own.
    ///
    /// One bin per stored category (up to 1,000) would make PSI and JS measure sampling noise on
    /// high-cardinality features: every rare category missing from a small window adds `share · ln(share / 1e-4)`
    /// to PSI (the demo's 1,000-category `f_cat_02` scored 1.62 on a healthy 960-row day). With 20 category bins, an
    /// "other" bin and the missing bin, the noise floor is about 21 · (1/n_ref + 1/n_cur): 0.02 at 1,000 rows.
    public static let defaultBinnedCategories = 20

    /// Compares a window's category counts (categories with a count ≤ 0 are ignored) and missing count
    /// with the reference profile.
    ///
    /// Bins, in order: the `binnedCategories` most frequent stored reference categories (ties by UTF-8 bytes),
    /// in ascending UTF-8 order; one **other** bin (reference: every other present value, stored or beyond the
    /// profile's cap; current: every present value of another category, unseen ones included); and the missing
    /// bin. PSI and JS as in ``BinnedDistance``; KS is always nil; `emptyBins` counts the category bins the window
    /// leaves empty. A window with only missing values is compared over the same bins (all mass in the missing
    /// bin); a window with no rows gets nil PSI and JS.
    public static func compare(
        profile: CategoricalFeatureProfile, counts: [String: Int], missingCount: Int,
        binnedCategories: Int = defaultBinnedCategories
    ) -> DriftResult {
        let categories = profile.binnedCategories(binnedCategories)
        var matched = 0
        var referenceMatched = 0
        var currentBins: [Int] = []
        var referenceBins: [Int] = []
        currentBins.reserveCapacity(categories.count)
        referenceBins.reserveCapacity(categories.count)
        for category in categories {
            let c = Swift.max(0, counts[category] ?? 0)
            currentBins.append(c)
            matched += c
            let r = profile.categories[category] ?? 0
            referenceBins.append(r)
            referenceMatched += r
        }
        let present = counts.values.reduce(0) { $0 + Swift.max(0, $1) }
        let current = currentBins + [present - matched, Swift.max(0, missingCount)]
        let reference = referenceBins + [profile.count - referenceMatched, profile.missingCount]
        return DriftResult(
            psi: BinnedDistance.psi(reference: reference, current: current),
            js: BinnedDistance.jensenShannon(reference: reference, current: current),
            ks: nil,
            ksErrorBound: nil,
            emptyBins: currentBins.count { $0 == 0 }
        )
    }
}
