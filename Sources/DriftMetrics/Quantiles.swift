/// Quantiles with numpy's default `method="linear"` (Hyndman–Fan type 7).
public enum Quantile {
    /// The probabilities of the summary percentiles p01, p05, p25, p50, p75, p95 and p99, in that order.
    public static let summaryProbabilities: [Double] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]

    /// The nine inner decile probabilities 0.1 … 0.9 (computed as `i / 10`, like `np.arange(1, 10) / 10`).
    public static let decileProbabilities: [Double] = (1...9).map { Double($0) / 10 }

    /// The type-7 quantile of an ascending-sorted array, or nil when it is empty.
    ///
    /// Reproduces `np.quantile(x, q)` bit for bit: virtual index `h = (n − 1)·q`, `lo = ⌊h⌋`,
    /// `γ = h − lo`, and numpy's `_lerp` (`a + (b − a)·γ`, or `b − (b − a)·(1 − γ)` when `γ ≥ 0.5`).
    /// When `b − a` overflows (values near ±`Double.greatestFiniteMagnitude`), `a·(1 − γ) + b·γ` is
    /// used instead, so the result stays finite where numpy would return ±inf or NaN.
    /// - Precondition: `sorted` is ascending and finite; `0 ≤ probability ≤ 1`.
    public static func linear(sorted: [Double], probability: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return linear(sample: SortedArray(values: sorted), probability: probability)
    }

    /// Several type-7 quantiles of one ascending-sorted array (empty when the array is empty).
    public static func linear(sorted: [Double], probabilities: [Double]) -> [Double] {
        guard !sorted.isEmpty else { return [] }
        let sample = SortedArray(values: sorted)
        return probabilities.map { linear(sample: sample, probability: $0) }
    }

    /// The type-7 quantile of a non-empty ascending sample (see ``linear(sorted:probability:)``).
    static func linear<Sample: AscendingSample>(sample x: Sample, probability q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "quantile probability \(q) is outside [0, 1]")
        let n = x.count
        let virtualIndex = Double(n - 1) * q
        let lower = virtualIndex.rounded(.down)
        if virtualIndex >= Double(n - 1) { return x.element(at: n - 1) }
        let lo = Int(lower)
        let gamma = virtualIndex - lower
        let a = x.element(at: lo), b = x.element(at: lo + 1)
        let difference = b - a
        guard difference.isFinite else { return a * (1 - gamma) + b * gamma }
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }
}
