/// The frozen reference of one categorical feature: category counts (capped) and missingness.
///
/// At most `maxCategories` categories are stored: the most frequent ones, ties broken by category in
/// ascending UTF-8 byte (= Unicode code point) order. The present values of the remaining categories are
/// aggregated in ``otherCount`` (the "`__other__`" bucket, see ``otherBucketName``); it is a separate field,
/// not a key of ``categories``, so it cannot collide with a real category of that name. Drift bins only the
/// most frequent stored categories and puts everything else, on both sides, in one "other" bin
/// (``CategoricalDrift``); the stored categories also give ``CategoricalSummary`` its reference shares and
/// unseen rate.
public struct CategoricalFeatureProfile: Sendable, Hashable, Codable {
    /// Present reference values (including those in the other bucket).
    public let count: Int
    /// Missing reference values.
    public let missingCount: Int
    /// Stored categories and their reference counts (all > 0).
    public let categories: [String: Int]
    /// Present values of categories beyond the cap.
    public let otherCount: Int

    /// Display name of the bucket that aggregates categories beyond the cap.
    public static let otherBucketName = "__other__"
    /// Default cap on stored categories.
    public static let defaultMaxCategories = 1000

    /// Builds the profile from category counts (categories with a count ≤ 0 are ignored) and the number of
    /// missing values, storing at most `maxCategories` categories.
    public static func build(
        counts: [String: Int], missingCount: Int, maxCategories: Int = defaultMaxCategories
    ) -> CategoricalFeatureProfile {
        let count = counts.values.reduce(0) { $0 + Swift.max(0, $1) }
        let kept = rankedByCount(counts, limit: Swift.max(0, maxCategories))
        return CategoricalFeatureProfile(
            count: count,
            missingCount: Swift.max(0, missingCount),
            categories: Dictionary(uniqueKeysWithValues: kept.map { ($0.category, $0.count) }),
            otherCount: count - kept.reduce(0) { $0 + $1.count }
        )
    }

    /// Reference share of `category` among present values; 0 when it is not stored or there are none.
    public func share(of category: String) -> Double {
        guard count > 0, let c = categories[category] else { return 0 }
        return Double(c) / Double(count)
    }

    /// The stored categories in ascending UTF-8 byte order.
    public var orderedCategories: [String] {
        categories.keys.sorted(by: utf8Less)
    }

    /// The `limit` most frequent stored categories (ties by UTF-8 bytes) in ascending UTF-8 byte order: the
    /// category bins of drift (``CategoricalDrift``).
    public func binnedCategories(_ limit: Int) -> [String] {
        guard categories.count > limit else { return orderedCategories }
        return Self.rankedByCount(categories, limit: Swift.max(0, limit)).map(\.category).sorted(by: utf8Less)
    }

    /// Positive counts, most frequent first, ties by category in ascending UTF-8 byte order; only the first
    /// `limit` when a limit is given (the rest are not sorted: a slice's thousands of categories, per feature and
    /// per slice, were sorted in full for ten of them).
    static func rankedByCount(_ counts: [String: Int], limit: Int? = nil) -> [(category: String, count: Int)] {
        var ranked = counts.filter { $0.value > 0 }.map { (category: $0.key, count: $0.value) }
        if let limit, ranked.count > limit {
            guard limit > 0 else { return [] }
            // Only categories counted at least as often as the limit-th most frequent can rank within the limit.
            let threshold = ranked.map(\.count).sorted(by: >)[limit - 1]
            ranked.removeAll { $0.count < threshold }
        }
        ranked.sort { $0.count != $1.count ? $0.count > $1.count : utf8Less($0.category, $1.category) }
        if let limit, ranked.count > limit { ranked.removeLast(ranked.count - limit) }
        return ranked
    }

    /// Structural problems (empty when the profile is consistent); checked after decoding.
    func problems() -> [String] {
        var found: [String] = []
        if count < 0 || missingCount < 0 || otherCount < 0 { found.append("negative count") }
        if categories.values.contains(where: { $0 <= 0 }) { found.append("non-positive category count") }
        if categories.values.reduce(0, +) + otherCount != count {
            found.append("category counts plus otherCount do not add up to count")
        }
        return found
    }
}

/// Deterministic, locale-free string order: UTF-8 bytes (the same as Python's code-point order). Compares the
/// strings' contiguous bytes when they have them (native strings do), the UTF-8 views' elements otherwise.
func utf8Less(_ a: String, _ b: String) -> Bool {
    let contiguous = a.utf8.withContiguousStorageIfAvailable { a in
        b.utf8.withContiguousStorageIfAvailable { b in
            for index in 0..<Swift.min(a.count, b.count) where a[index] != b[index] { return a[index] < b[index] }
            return a.count < b.count
        }
    }
    if let contiguous, let less = contiguous { return less }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}
