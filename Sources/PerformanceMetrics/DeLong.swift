/// DeLong (1988) standard error and confidence interval of the AUC, in the O(n log n) midrank form.
struct DeLongInterval: Equatable {
    /// The two-sided 95% normal quantile used for the interval.
    static let z95 = 1.959963984540054

    /// Standard error of the AUC.
    var standardError: Double
    /// Lower end of the 95% interval, clamped to [0, 1].
    var lower: Double
    /// Upper end of the 95% interval, clamped to [0, 1].
    var upper: Double

    /// Computes the DeLong SE around `auc`, or nil when there are fewer than 2 positives or 2 negatives.
    ///
    /// Placement values with ties counted half: a positive's is the share of negatives below it, a negative's
    /// the share of positives above it. Var(AUC) = s²(V₁₀)/P + s²(V₀₁)/N with sample variances (ddof = 1),
    /// which need at least two rows per class. Every row of a tie group has the same placement value, so
    /// the variances are summed per group.
    init?(_ sorted: SortedScores, auc: Double) {
        let nPositive = sorted.nPositive
        let nNegative = sorted.nNegative
        guard nPositive >= 2, nNegative >= 2 else { return nil }
        let p = Double(nPositive)
        let n = Double(nNegative)
        var positivesAbove = 0
        var negativesAbove = 0
        var positiveSquares = 0.0
        var negativeSquares = 0.0
        var groups = sorted.descendingTieGroups()
        while let group = groups.next() {
            let negativesBelow = nNegative - negativesAbove - group.negatives
            if group.positives > 0 {
                let v10 = (Double(negativesBelow) + 0.5 * Double(group.negatives)) / n
                positiveSquares += Double(group.positives) * (v10 - auc) * (v10 - auc)
            }
            if group.negatives > 0 {
                let v01 = (Double(positivesAbove) + 0.5 * Double(group.positives)) / p
                negativeSquares += Double(group.negatives) * (v01 - auc) * (v01 - auc)
            }
            positivesAbove += group.positives
            negativesAbove += group.negatives
        }
        let variance = positiveSquares / ((p - 1) * p) + negativeSquares / ((n - 1) * n)
        standardError = variance.squareRoot()
        lower = max(0, auc - Self.z95 * standardError)
        upper = min(1, auc + Self.z95 * standardError)
    }
}
