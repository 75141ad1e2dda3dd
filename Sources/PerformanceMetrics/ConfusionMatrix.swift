/// The K × K confusion counts of a multiclass window: row = true class, column = predicted class, as
/// scikit-learn's `confusion_matrix(y_true, y_pred, labels=range(K))`.
public struct ConfusionMatrix: Sendable, Equatable {
    /// Number of classes K.
    public let classCount: Int
    /// counts[t][p]: rows whose true class is t and predicted class is p.
    public private(set) var counts: [[Int]]

    /// Counts the rows.
    /// - Precondition: equal lengths, `classCount >= 1`, every class index in `0..<classCount`.
    public init(labels: [Int], predictions: [Int], classCount: Int) {
        precondition(labels.count == predictions.count, "labels and predictions must have the same length")
        precondition(classCount >= 1, "need at least one class")
        self.classCount = classCount
        var flat = [Int](repeating: 0, count: classCount * classCount)
        for row in labels.indices {
            let t = labels[row]
            let p = predictions[row]
            precondition((0..<classCount).contains(t) && (0..<classCount).contains(p), "class index out of range")
            flat[t * classCount + p] += 1
        }
        counts = (0..<classCount).map { Array(flat[$0 * classCount..<($0 + 1) * classCount]) }
    }

    /// The matrix of already counted cells (push-down: the database counted them).
    /// - Precondition: a non-empty square matrix of non-negative counts.
    public init(counts: [[Int]]) {
        precondition(!counts.isEmpty && counts.allSatisfy { $0.count == counts.count }, "need a square matrix")
        precondition(counts.allSatisfy { $0.allSatisfy { $0 >= 0 } }, "counts must be non-negative")
        classCount = counts.count
        self.counts = counts
    }

    /// All rows.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Rows predicted correctly (the trace).
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }
    /// Rows whose true class is k (the support), per class.
    public var trueCounts: [Int] { counts.map { $0.reduce(0, +) } }
    /// Rows predicted as class k, per class.
    public var predictedCounts: [Int] {
        (0..<classCount).map { p in counts.reduce(0) { $0 + $1[p] } }
    }
}
