/// The reference distribution a profile keeps for the Kolmogorov–Smirnov statistic.
///
/// * ``exact(values:cumulativeCounts:)`` when the reference has at most ``exactDistinctLimit`` distinct
///   values: every distinct value with the number of reference values ≤ it. KS is then exact
///   (`scipy.stats.ks_2samp(...).statistic`).
/// * ``quantiles(_:)`` otherwise: the ``quantileResolution`` + 1 type-7 quantiles `Q(i / M)`,
///   `i = 0 … M`, `M = 10 000`. The reference CDF is estimated as `F̂(v) = 0` below `Q(0)` (the minimum),
///   `1` from `Q(1)` (the maximum) on, and `(i* + ½) / M` in between, where `i*` is the largest `i` with
///   `Q(i/M) ≤ v`.
///
/// **Accuracy of the quantile form.** For a reference of `n` values and any `v`, with `k = #{x ≤ v}`:
/// if `1 ≤ k ≤ n − 1`, type-7 interpolation gives `Q(p) ≤ v` for every `p ≤ (k − 1)/(n − 1)` and
/// `Q(p) > v` for every `p ≥ k/(n − 1)`, so `P* = sup{p : Q(p) ≤ v}` is within `1/n` of `F(v) = k/n`;
/// the grid puts `i*/M` in `[P* − 1/M, P*]`, and the half-step offset centres it. Hence
/// `|F̂(v) − F(v)| ≤ 1/(2M) + 1/n` everywhere (exact at the ends), and since KS is a supremum of
/// differences of CDFs, `|D̂ − D| ≤ 1/(2M) + 1/n < 1.5·10⁻⁴` for `n > 10 000` — up to the floating-point
/// rounding of the stored quantiles. See ``ksErrorBound(referenceCount:)``.
public enum ReferenceCDF: Sendable, Hashable, Codable {
    /// Distinct reference values (strictly increasing) and the count of reference values ≤ each.
    case exact(values: [Double], cumulativeCounts: [Int])
    /// Type-7 quantiles at probabilities `i / 10 000`, `i = 0 … 10 000` (non-decreasing).
    case quantiles([Double])

    /// Largest number of distinct values stored exactly.
    public static let exactDistinctLimit = 10_000
    /// `M`: the quantile form stores `M + 1` quantiles.
    public static let quantileResolution = 10_000

    /// Builds the representation from a sorted, finite, non-empty reference sample.
    static func build(sorted x: [Double]) -> ReferenceCDF {
        var values: [Double] = []
        var cumulative: [Int] = []
        for (index, value) in x.enumerated() {
            if let last = values.last, last == value {
                cumulative[cumulative.count - 1] = index + 1
            } else {
                if values.count == exactDistinctLimit {
                    let m = quantileResolution
                    let probabilities = (0...m).map { Double($0) / Double(m) }
                    return .quantiles(Quantile.linear(sorted: x, probabilities: probabilities))
                }
                values.append(value)
                cumulative.append(index + 1)
            }
        }
        return .exact(values: values, cumulativeCounts: cumulative)
    }

    /// Worst-case |D̂ − D| of ``ksStatistic(sortedCurrent:referenceCount:)``: 0 when exact,
    /// `1/(2·10 000) + 1/n` for the quantile form.
    public func ksErrorBound(referenceCount n: Int) -> Double {
        switch self {
        case .exact: return 0
        case .quantiles: return 0.5 / Double(Self.quantileResolution) + 1 / Double(Swift.max(n, 1))
        }
    }

    /// KS D between the reference and a sorted, finite current sample; nil when either side is empty.
    ///
    /// Evaluates `|F_ref − F_cur|` at every point of either sample, as `ks_2samp` does with
    /// `searchsorted(side="right")`. In the exact form the supremum is found in integers,
    /// `max |k_ref·n_cur − k_cur·n_ref|`, and returned as the correctly rounded `h / lcm(n_ref, n_cur)`,
    /// which is what `ks_2samp` returns in its exact mode (it snaps D to `round(D·lcm) / lcm`).
    func ksStatistic(sortedCurrent current: [Double], referenceCount: Int) -> Double? {
        ksStatistic(current: SortedArray(values: current), referenceCount: referenceCount)
    }

    /// ``ksStatistic(sortedCurrent:referenceCount:)`` of any ascending current sample.
    func ksStatistic<Sample: AscendingSample>(current: Sample, referenceCount: Int) -> Double? {
        guard current.count > 0, referenceCount > 0 else { return nil }
        if case let .exact(values, cumulativeCounts) = self,
           let exact = Self.exactStatistic(values, cumulativeCounts, referenceCount, current)
        {
            return exact
        }
        let (points, cdf) = steps(referenceCount: referenceCount)
        guard !points.isEmpty else { return nil }
        let currentCount = Double(current.count)
        var statistic = 0.0
        Self.walk(points, current) { i, j in
            let referenceCDF = i == 0 ? 0 : cdf[i - 1]
            statistic = Swift.max(statistic, Swift.abs(referenceCDF - Double(j) / currentCount))
        }
        return statistic.isFinite ? statistic : nil
    }

    /// The exact statistic in integer arithmetic; nil if `n_ref · n_cur` would overflow `Int`.
    private static func exactStatistic<Sample: AscendingSample>(
        _ values: [Double], _ cumulativeCounts: [Int], _ referenceCount: Int, _ current: Sample
    ) -> Double? {
        let currentCount = current.count
        guard !values.isEmpty, !referenceCount.multipliedReportingOverflow(by: currentCount).overflow else {
            return nil
        }
        var numerator = 0
        walk(values, current) { i, j in
            let k = i == 0 ? 0 : cumulativeCounts[i - 1]
            numerator = Swift.max(numerator, Swift.abs(k * currentCount - j * referenceCount))
        }
        let g = gcd(referenceCount, currentCount)
        return Double(numerator / g) / Double((referenceCount / g) * currentCount)
    }

    /// Visits every distinct point `v` of the union of an ascending array and an ascending sample, in order,
    /// with the number of elements ≤ `v` in each.
    private static func walk<Sample: AscendingSample>(_ a: [Double], _ b: Sample, _ visit: (Int, Int) -> Void) {
        var i = 0, run = 0, j = 0
        let runs = b.runCount
        while i < a.count || run < runs {
            let v: Double
            if i < a.count, run < runs {
                v = Swift.min(a[i], b.value(ofRun: run))
            } else {
                v = i < a.count ? a[i] : b.value(ofRun: run)
            }
            while i < a.count && a[i] <= v { i += 1 }
            while run < runs && b.value(ofRun: run) <= v {
                j = b.end(ofRun: run)
                run += 1
            }
            visit(i, j)
        }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// The reference CDF as a right-continuous step function: strictly increasing jump points and the
    /// CDF value from each jump point on.
    func steps(referenceCount: Int) -> (points: [Double], cdf: [Double]) {
        switch self {
        case let .exact(values, cumulativeCounts):
            let n = Double(referenceCount)
            return (values, cumulativeCounts.map { Double($0) / n })
        case let .quantiles(q):
            let m = q.count - 1
            var points: [Double] = []
            var cdf: [Double] = []
            for (i, value) in q.enumerated() {
                let f = i == m ? 1 : (Double(i) + 0.5) / Double(m)
                if let last = points.last, last == value {
                    cdf[cdf.count - 1] = f
                } else {
                    points.append(value)
                    cdf.append(f)
                }
            }
            return (points, cdf)
        }
    }

    // MARK: Codable with a "kind" discriminator

    private enum CodingKeys: String, CodingKey {
        case kind, values, cumulativeCounts, quantiles
    }

    /// Decodes `{"kind": "exact", "values", "cumulativeCounts"}` or `{"kind": "quantiles", "quantiles"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "exact":
            self = .exact(
                values: try container.decode([Double].self, forKey: .values),
                cumulativeCounts: try container.decode([Int].self, forKey: .cumulativeCounts)
            )
        case "quantiles":
            self = .quantiles(try container.decode([Double].self, forKey: .quantiles))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown reference CDF kind \"\(kind)\""
            )
        }
    }

    /// Encodes with a "kind" discriminator (see ``init(from:)``).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .exact(values, cumulativeCounts):
            try container.encode("exact", forKey: .kind)
            try container.encode(values, forKey: .values)
            try container.encode(cumulativeCounts, forKey: .cumulativeCounts)
        case let .quantiles(q):
            try container.encode("quantiles", forKey: .kind)
            try container.encode(q, forKey: .quantiles)
        }
    }

    /// Structural problems that would make the KS computation wrong, for validation after decoding.
    func problems(referenceCount: Int) -> [String] {
        switch self {
        case let .exact(values, cumulativeCounts):
            var found: [String] = []
            if values.count != cumulativeCounts.count { found.append("values and cumulativeCounts differ in length") }
            if zip(values, values.dropFirst()).contains(where: { $0 >= $1 }) {
                found.append("exact values are not strictly increasing")
            }
            if zip(cumulativeCounts, cumulativeCounts.dropFirst()).contains(where: { $0 >= $1 }) {
                found.append("cumulativeCounts are not strictly increasing")
            }
            if (cumulativeCounts.last ?? 0) != referenceCount {
                found.append("the last cumulative count is not the present count \(referenceCount)")
            }
            return found
        case let .quantiles(q):
            var found: [String] = []
            if q.count != Self.quantileResolution + 1 {
                found.append("expected \(Self.quantileResolution + 1) quantiles, found \(q.count)")
            }
            if zip(q, q.dropFirst()).contains(where: { $0 > $1 }) { found.append("quantiles decrease") }
            return found
        }
    }
}
