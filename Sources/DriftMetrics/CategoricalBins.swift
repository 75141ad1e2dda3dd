/// The drift bins of one categorical feature, fixed by its reference profile and a bin count: built once per run
/// and shared by every slice and window that is compared with the reference.
///
/// Bins, in order: the `limit` most frequent stored reference categories (ties by UTF-8 bytes), in ascending UTF-8
/// order; one **other** bin (reference: every other present value, stored or beyond the profile's cap; current:
/// every present value of another category, unseen ones included); and the missing bin.
public struct CategoricalBins: Sendable {
    /// The categories with a bin of their own, in ascending UTF-8 byte order.
    public let categories: [String]
    /// Reference counts: one per category in ``categories``, then other, then missing.
    public let reference: [Int]

    /// The bins of `profile` with at most `limit` category bins (at least one).
    public init(profile: CategoricalFeatureProfile, limit: Int = CategoricalDrift.defaultBinnedCategories) {
        categories = profile.binnedCategories(Swift.max(1, limit))
        let binned = categories.map { profile.categories[$0] ?? 0 }
        reference = binned + [profile.count - binned.reduce(0, +), profile.missingCount]
    }

    /// Compares a window's category counts (categories with a count ≤ 0 are ignored) and missing count with the
    /// reference: PSI and JS as in ``BinnedDistance``; KS is always nil; `emptyBins` counts the category bins the
    /// window leaves empty. A window with only missing values is compared over the same bins (all mass in the
    /// missing bin); a window with no rows gets nil PSI and JS.
    public func compare(counts: [String: Int], missingCount: Int) -> DriftResult {
        var current: [Int] = []
        current.reserveCapacity(reference.count)
        var matched = 0
        for category in categories {
            let count = Swift.max(0, counts[category] ?? 0)
            current.append(count)
            matched += count
        }
        let emptyBins = current.count { $0 == 0 }
        let present = counts.values.reduce(0) { $0 + Swift.max(0, $1) }
        current += [present - matched, Swift.max(0, missingCount)]
        return DriftResult(
            psi: BinnedDistance.psi(reference: reference, current: current),
            js: BinnedDistance.jensenShannon(reference: reference, current: current),
            ks: nil,
            ksErrorBound: nil,
            emptyBins: emptyBins
        )
    }
}
