/// The frozen reference of one numeric feature (or of the score): decile bins, missingness, KS reference
/// and summary statistics.
///
/// **Bins.** The inner edges are the nine type-7 reference deciles `Q(0.1) … Q(0.9)` with equal edges
/// collapsed, and the outer edges are open (−∞, +∞): `edges.count + 1` bins, 10 without ties. Heavy ties
/// therefore give fewer bins (a constant feature has one edge and two bins, one of them empty). A value
/// `x` goes to bin `#{edges < x}` (right-closed, see ``SortedSample/binCounts(sorted:edges:)``), for the
/// reference and every current window alike, so an identical sample gives PSI exactly 0.
public struct NumericFeatureProfile: Sendable, Hashable, Codable {
    /// Present (finite) reference values.
    public let count: Int
    /// Missing reference values (null, empty, NaN, ±inf, unparseable).
    public let missingCount: Int
    /// Inner bin edges, strictly increasing (at most 9).
    public let edges: [Double]
    /// Reference present values per bin (`edges.count + 1` entries).
    public let binCounts: [Int]
    /// The reference distribution for KS.
    public let cdf: ReferenceCDF
    /// Summary statistics of the present reference values; nil when there are none.
    public let summary: NumericSummary?

    /// Share of the present reference values in each bin (all 0 when there are no present values).
    public var binShares: [Double] {
        binCounts.map { count > 0 ? Double($0) / Double(count) : 0 }
    }

    /// missing / (present + missing); 0 for an empty reference.
    public var missingShare: Double {
        let total = count + missingCount
        return total > 0 ? Double(missingCount) / Double(total) : 0
    }

    /// Builds the profile from the present reference values (any order; non-finite values are skipped) and
    /// the number of missing values.
    public static func build(presentValues: [Double], missingCount: Int) -> NumericFeatureProfile {
        build(sortedPresentValues: SortedSample.sortedFinite(presentValues), missingCount: missingCount)
    }

    /// Builds the profile from present reference values that are already finite and sorted ascending.
    public static func build(sortedPresentValues x: [Double], missingCount: Int) -> NumericFeatureProfile {
        var edges: [Double] = []
        for edge in Quantile.linear(sorted: x, probabilities: Quantile.decileProbabilities)
        where edges.last != edge {
            edges.append(edge)
        }
        return NumericFeatureProfile(
            count: x.count,
            missingCount: Swift.max(0, missingCount),
            edges: edges,
            binCounts: SortedSample.binCounts(sorted: x, edges: edges),
            cdf: x.isEmpty ? .exact(values: [], cumulativeCounts: []) : ReferenceCDF.build(sorted: x),
            summary: NumericSummary(sortedFiniteValues: x)
        )
    }

    /// Structural problems (empty when the profile is consistent); checked after decoding.
    func problems() -> [String] {
        var found: [String] = []
        if count < 0 || missingCount < 0 { found.append("negative count") }
        if edges.count > 9 { found.append("more than 9 inner edges") }
        if !edges.allSatisfy(\.isFinite) { found.append("non-finite edge") }
        if zip(edges, edges.dropFirst()).contains(where: { $0 >= $1 }) { found.append("edges not strictly increasing") }
        if binCounts.count != edges.count + 1 { found.append("binCounts must have edges.count + 1 entries") }
        if binCounts.contains(where: { $0 < 0 }) || binCounts.reduce(0, +) != count {
            found.append("binCounts do not add up to count")
        }
        if (summary?.count ?? 0) != count { found.append("summary count differs from count") }
        return found + cdf.problems(referenceCount: count)
    }
}
