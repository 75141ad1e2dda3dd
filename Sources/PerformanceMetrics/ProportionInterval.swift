/// A two-sided 95% confidence interval for a binomial proportion k/n.
///
/// The Wilson score interval without continuity correction (Newcombe 1998, method 3), computed in the same
/// order of operations as `scipy.stats.binomtest(k, n).proportion_ci(method="wilson")`: it stays inside
/// [0, 1], is 0 at the lower end when k = 0 and 1 at the upper end when k = n, and keeps close to its nominal
/// coverage for small n and proportions near 0 or 1, where the normal (Wald) interval p ± z·√(p(1−p)/n)
/// collapses to a point.
public struct ProportionInterval: Sendable, Equatable {
    /// Lower end.
    public var lower: Double
    /// Upper end.
    public var upper: Double

    /// The Wilson interval of `successes` out of `trials`; nil when there are no trials (the proportion is undefined).
    public static func wilson(successes k: Int, trials n: Int) -> ProportionInterval? {
        guard n > 0, (0...n).contains(k) else { return nil }
        let z = DeLongInterval.z95
        let count = Double(n)
        let p = Double(k) / count
        let q = 1 - p
        let denominator = 2 * (count + z * z)
        let center = (2 * count * p + z * z) / denominator
        let delta = z / denominator * (4 * count * p * q + z * z).squareRoot()
        return ProportionInterval(lower: k == 0 ? 0 : center - delta, upper: k == n ? 1 : center + delta)
    }
}
