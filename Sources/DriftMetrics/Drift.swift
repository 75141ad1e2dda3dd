import Foundation

/// Drift of one feature or of the score in one window against its reference profile.
///
/// Every value is finite or nil: a statistic that cannot be computed (no rows on a side) or that would not
/// be finite is nil, never NaN or ±inf.
public struct DriftResult: Sendable, Hashable {
    /// Population stability index over the reference bins plus the missing bin (see ``BinnedDistance/psi(reference:current:)``).
    public let psi: Double?
    /// Jensen–Shannon distance, base 2, over the same bins (see ``BinnedDistance/jensenShannon(reference:current:)``).
    public let js: Double?
    /// Kolmogorov–Smirnov D on present values (numeric only); nil when either side has no present value.
    public let ks: Double?
    /// Worst-case error of ``ks`` (0 when the profile stores the reference exactly); nil when ``ks`` is nil.
    public let ksErrorBound: Double?
    /// Reference value bins (numeric bins, or stored categories) with no current value; the unseen and
    /// missing bins are not counted. Where the reference share is not 0, the floor drives PSI in these bins.
    public let emptyBins: Int

    /// Wraps already computed values (for callers' tests; ``NumericDrift`` and ``CategoricalDrift`` build results).
    public init(psi: Double?, js: Double?, ks: Double?, ksErrorBound: Double?, emptyBins: Int) {
        self.psi = psi
        self.js = js
        self.ks = ks
        self.ksErrorBound = ksErrorBound
        self.emptyBins = emptyBins
    }
}

/// PSI and Jensen–Shannon distance between two binned distributions given as counts over the same bins.
///
/// Callers pass every bin, including the missing bin (and the unseen bin for categoricals), so shares are
/// count / (present + missing) and missingness shifts count as drift.
public enum BinnedDistance {
    /// Floor applied to each share before PSI's logarithm.
    public static let psiFloor = 1e-4

    /// PSI = Σ (a − e)·ln(a / e), natural log, with `e` and `a` the reference and current shares floored at
    /// ``psiFloor``; the floored shares are **not** renormalised. Bins where both counts are 0 contribute 0.
    /// Nil when either side has no rows or the bins differ in number.
    public static func psi(reference: [Int], current: [Int]) -> Double? {
        guard reference.count == current.count else { return nil }
        let referenceTotal = reference.reduce(0, +), currentTotal = current.reduce(0, +)
        guard referenceTotal > 0, currentTotal > 0 else { return nil }
        var sum = 0.0
        for (r, c) in zip(reference, current) {
            let e = Swift.max(Double(r) / Double(referenceTotal), psiFloor)
            let a = Swift.max(Double(c) / Double(currentTotal), psiFloor)
            sum += (a - e) * log(a / e)
        }
        return sum.isFinite ? sum : nil
    }

    /// Jensen–Shannon distance in base 2 (range [0, 1]), like
    /// `scipy.spatial.distance.jensenshannon(reference, current, base=2)`: counts are normalised to shares,
    /// no floor, `0·log 0 = 0`. Nil when either side has no rows or the bins differ in number.
    public static func jensenShannon(reference: [Int], current: [Int]) -> Double? {
        guard reference.count == current.count else { return nil }
        let referenceTotal = reference.reduce(0, +), currentTotal = current.reduce(0, +)
        guard referenceTotal > 0, currentTotal > 0 else { return nil }
        var left = 0.0, right = 0.0
        for (r, c) in zip(reference, current) {
            let p = Double(r) / Double(referenceTotal)
            let q = Double(c) / Double(currentTotal)
            let m = (p + q) / 2
            if p > 0 { left += p * log(p / m) }
            if q > 0 { right += q * log(q / m) }
        }
        let divergence = Swift.max(0, (left + right) / log(2.0))
        let distance = (divergence / 2).squareRoot()
        return distance.isFinite ? distance : nil
    }
}
