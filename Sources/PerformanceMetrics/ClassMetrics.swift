/// Precision, recall and F1 of one class against the rest (`precision_recall_fscore_support(average=None)`).
///
/// A rate whose denominator is 0 is nil (undefined), as with `zero_division=np.nan`; the averages in
/// ``MulticlassResult`` count such a class as 0, as scikit-learn's `zero_division=0` does.
public struct ClassMetrics: Sendable, Equatable {
    /// The class index.
    public var classIndex: Int
    /// Rows of this class predicted as this class.
    public var truePositives: Int
    /// Rows of other classes predicted as this class.
    public var falsePositives: Int
    /// Rows of this class predicted as another class.
    public var falseNegatives: Int
    /// Rows whose true class is this one.
    public var support: Int { truePositives + falseNegatives }
    /// Rows predicted as this class.
    public var predicted: Int { truePositives + falsePositives }
    /// tp / (tp + fp); nil when the class is never predicted.
    public var precision: Double? { ratio(truePositives, predicted) }
    /// tp / (tp + fn); nil when the class is absent from the labels.
    public var recall: Double? { ratio(truePositives, support) }
    /// 2·tp / (2·tp + fp + fn); nil when the class is neither present nor predicted.
    public var f1: Double? { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }
    /// 95% Wilson interval of ``recall``; nil when recall is.
    public var recallInterval: ProportionInterval? { .wilson(successes: truePositives, trials: support) }

    /// Creates the metrics from the counts.
    public init(classIndex: Int, truePositives: Int, falsePositives: Int, falseNegatives: Int) {
        self.classIndex = classIndex
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
    }
}
