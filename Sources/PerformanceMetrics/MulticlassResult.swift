/// Every metric of one window of a multiclass model with classes 0..<K, as scikit-learn computes them.
///
/// A nil metric is undefined for the window and must be written as an absent field, never as 0.
public struct MulticlassResult: Sendable, Equatable {
    /// Labelled rows.
    public var n: Int
    /// The confusion counts, true class by predicted class.
    public var confusion: ConfusionMatrix
    /// Per-class precision, recall, F1 and support, in class order.
    public var classes: [ClassMetrics]
    /// Share of rows predicted correctly (`accuracy_score`); nil for an empty window.
    public var accuracy: Double?
    /// Mean recall over the classes present in the labels (`balanced_accuracy_score`): a class that is
    /// predicted but absent from the labels is ignored, as scikit-learn does (with its warning
    /// "y_pred contains classes not in y_true"); nil for an empty window.
    public var balancedAccuracy: Double?
    /// Unweighted mean over all K classes, an undefined per-class value counting as 0
    /// (`precision_recall_fscore_support(labels=range(K), average="macro", zero_division=0)`).
    public var macroPrecision: Double?
    /// Macro recall, as ``macroPrecision``.
    public var macroRecall: Double?
    /// Macro F1 (the mean of the per-class F1, not the F1 of the macro precision and recall).
    public var macroF1: Double?
    /// Support-weighted mean over the classes (`average="weighted"`, `zero_division=0`).
    public var weightedPrecision: Double?
    /// Weighted recall (equal to ``accuracy``).
    public var weightedRecall: Double?
    /// Weighted F1.
    public var weightedF1: Double?
    /// From the counts summed over classes (`average="micro"`); equal to ``accuracy`` when every row's class
    /// is one of the K.
    public var microPrecision: Double?
    /// Micro recall.
    public var microRecall: Double?
    /// Micro F1.
    public var microF1: Double?
    /// Cohen's kappa of labels and predictions (`cohen_kappa_score`, unweighted); nil for an empty window and
    /// when the chance disagreement is 0 (labels and predictions all one and the same class).
    public var cohenKappa: Double?
    /// Metrics of the class probabilities; nil when none were given.
    public var probabilities: MulticlassProbabilityMetrics?
}
