/// ROC AUC (ties count half) and step-wise average precision from one walk over the tie groups.
struct RankingMetrics: Equatable {
    /// Mann–Whitney AUC; nil when a class is absent.
    var auc: Double?
    /// scikit-learn `average_precision_score`; nil when there are no positives.
    var averagePrecision: Double?

    /// Computes both metrics from the sorted window.
    ///
    /// The AUC numerator is accumulated exactly as the integer 2·U, so it is the correctly rounded U/(P·N)
    /// (scikit-learn's trapezoid sum agrees to float rounding). With no positives scikit-learn returns
    /// AP = 0 with a warning; we return nil because 0 cannot be told apart from a real collapse.
    /// With no negatives AP is 1, as in scikit-learn.
    init(_ sorted: SortedScores) {
        let nPositive = sorted.nPositive
        let nNegative = sorted.nNegative
        var twiceU = 0
        var truePositives = 0
        var falsePositives = 0
        var precisionSum = 0.0
        var groups = sorted.descendingTieGroups()
        while let group = groups.next() {
            truePositives += group.positives
            falsePositives += group.negatives
            let negativesBelow = nNegative - falsePositives
            twiceU += group.positives * (2 * negativesBelow + group.negatives)
            if group.positives > 0 {
                let precision = Double(truePositives) / Double(truePositives + falsePositives)
                precisionSum += Double(group.positives) * precision
            }
        }
        auc = nPositive > 0 && nNegative > 0
            ? Double(twiceU) / (2 * Double(nPositive) * Double(nNegative)) : nil
        averagePrecision = nPositive > 0 ? precisionSum / Double(nPositive) : nil
    }
}
