/// Statistics of a categorical feature's present values in one window: the `distinct_count` and
/// `unseen_rate` fields of `modelwatch_feature` and the ranked rows of `modelwatch_feature_category`.
public struct CategoricalSummary: Sendable, Hashable {
    /// One of the most frequent categories.
    public struct Entry: Sendable, Hashable {
        /// The category value.
        public let category: String
        /// Its count in the window.
        public let count: Int
        /// Its share of the window's present values.
        public let share: Double
        /// Its share of the reference's present values: 0 when not stored in the reference (unseen, or beyond
        /// the reference's category cap), nil when no reference was given.
        public let referenceShare: Double?
    }

    /// Present values (sum of the positive counts).
    public let count: Int
    /// Distinct categories with a positive count.
    public let distinctCount: Int
    /// The `topN` most frequent categories, ties broken by category in ascending UTF-8 byte order; rank 1 first.
    public let top: [Entry]
    /// Share of present values whose category is not stored in the reference (categories beyond the
    /// reference's cap count as unseen); nil without a reference or without present values.
    public let unseenRate: Double?

    /// Default number of ranked categories.
    public static let defaultTopN = 10

    /// Summarises category counts (counts ≤ 0 are ignored), optionally against a reference profile.
    public init(counts: [String: Int], reference: CategoricalFeatureProfile? = nil, topN: Int = defaultTopN) {
        var present = 0, distinct = 0
        for categoryCount in counts.values where categoryCount > 0 {
            present += categoryCount
            distinct += 1
        }
        count = present
        distinctCount = distinct
        top = CategoricalFeatureProfile.rankedByCount(counts, limit: Swift.max(0, topN)).map { item in
            Entry(
                category: item.category, count: item.count, share: Double(item.count) / Double(present),
                referenceShare: reference?.share(of: item.category)
            )
        }
        if let reference, present > 0 {
            var unseen = 0
            for (category, categoryCount) in counts where categoryCount > 0 && reference.categories[category] == nil {
                unseen += categoryCount
            }
            unseenRate = Double(unseen) / Double(present)
        } else {
            unseenRate = nil
        }
    }
}
