/// Quantiles of a sorted sample, bit for bit as numpy computes them.
enum SampleQuantile {
    /// `numpy.quantile(x, q)` with the default `method="linear"` (Hyndman & Fan type 7) on ascending `sorted`.
    ///
    /// numpy takes the virtual index h = (n − 1)·q, g = h − ⌊h⌋, and interpolates between x[⌊h⌋] and
    /// x[⌊h⌋ + 1] as a + (b − a)·g when g < 0.5 and as b − (b − a)·(1 − g) otherwise; at or beyond the last
    /// index it returns the maximum.
    /// - Precondition: `sorted` is non-empty and ascending, `q` in [0, 1].
    static func linear(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of an empty sample")
        let last = sorted.count - 1
        let h = Double(last) * q
        guard h < Double(last) else { return sorted[last] }
        let lowerIndex = h.rounded(.down)
        let gamma = h - lowerIndex
        let a = sorted[Int(lowerIndex)]
        let b = sorted[Int(lowerIndex) + 1]
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }

    /// `numpy.median` on ascending `sorted`: the middle value, or the mean (a + b)/2 of the two middle values.
    /// - Precondition: `sorted` is non-empty and ascending.
    static func median(_ sorted: [Double]) -> Double {
        precondition(!sorted.isEmpty, "median of an empty sample")
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
