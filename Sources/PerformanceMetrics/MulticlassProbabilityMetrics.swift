#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Metrics of a multiclass model's class probabilities: an n × K row-major matrix, rows summing to 1.
public struct MulticlassProbabilityMetrics: Sendable, Equatable {
    /// Share of rows whose true class is among the k most probable (`top_k_accuracy_score`).
    public struct TopKAccuracy: Sendable, Equatable {
        /// k ≥ 1.
        public var k: Int
        /// The accuracy; nil for an empty window.
        public var value: Double?
    }

    /// Mean of −ln p_true with p clipped to [eps, 1 − eps], eps = 2⁻⁵² (`log_loss(labels=range(K))`,
    /// scikit-learn ≥ 1.5: clipped, not renormalised); nil for an empty window.
    public var logLoss: Double?
    /// Mean over rows of Σ_k (p_k − 1[y = k])², between 0 and 2 (`brier_score_loss(labels=range(K),
    /// scale_by_half=False)`); for K = 2 twice the binary Brier score. nil for an empty window.
    public var brier: Double?
    /// One-vs-rest ROC AUC of each class's probability column, ties counted half; nil for a class that is
    /// absent from the labels or is every label.
    public var rocAUC: [Double?]
    /// Mean of the defined one-vs-rest AUCs (`roc_auc_score(multi_class="ovr", average="macro")` when every
    /// class is defined; scikit-learn returns nan otherwise); nil when none is defined.
    public var rocAUCMacro: Double?
    /// Support-weighted mean of the defined one-vs-rest AUCs (`average="weighted"`); nil when none is defined.
    public var rocAUCWeighted: Double?
    /// Top-k accuracy for each requested k, in request order.
    public var topKAccuracy: [TopKAccuracy]

    /// The metrics that are sums over rows, from the sums (PostgreSQL push-down): log loss and Brier score as
    /// the mean of `logLossSum` (Σ −ln of the clipped true-class probability) and `brierSum` (Σ over rows of
    /// Σ_k (p_k − 1[y = k])²) over `count` rows. The ranking metrics need the rows: ``rocAUC`` is empty, the
    /// averages nil and ``topKAccuracy`` empty.
    public init(count: Int, logLossSum: Double, brierSum: Double) {
        logLoss = count > 0 ? logLossSum / Double(count) : nil
        brier = count > 0 ? brierSum / Double(count) : nil
        rocAUC = []
        rocAUCMacro = nil
        rocAUCWeighted = nil
        topKAccuracy = []
    }

    /// Computes the metrics.
    ///
    /// Top-k follows `top_k_accuracy_score(labels=range(K))`: for K ≥ 3 the classes are ranked by
    /// `argsort(p, kind="mergesort")[::-1]`, so among tied probabilities the higher class index ranks first;
    /// for K = 2 scikit-learn thresholds the class-1 column instead (class 1 when p₁ > 0.5, so a 0.5/0.5 row
    /// is class 0) and every row is a hit for k ≥ 2.
    /// - Precondition: `probabilities.count == labels.count * classCount`, `classCount >= 2`, labels in
    ///   0..<classCount, every k ≥ 1.
    init(labels: [Int], probabilities: [Double], classCount: Int, topK: [Int]) {
        let n = labels.count
        let classes = classCount
        precondition(classes >= 2, "need at least two classes")
        precondition(probabilities.count == n * classes, "need one probability per row and class")
        precondition(topK.allSatisfy { $0 >= 1 }, "top-k needs k >= 1")
        let eps = Double.ulpOfOne
        var loss = NeumaierSum()
        var brierSum = NeumaierSum()
        // ranks[row]: how many classes rank above the true class (higher probability, or equal and higher index).
        var ranks = [Int](repeating: 0, count: n)
        for row in 0..<n {
            let y = labels[row]
            let base = row * classes
            let pTrue = probabilities[base + y]
            loss.add(-log(min(max(pTrue, eps), 1 - eps)))
            var rowBrier = 0.0
            var above = 0
            for k in 0..<classes {
                let p = probabilities[base + k]
                let d = k == y ? p - 1 : p
                rowBrier += d * d
                if p > pTrue || (p == pTrue && k > y) { above += 1 }
            }
            brierSum.add(rowBrier)
            ranks[row] = above
        }
        logLoss = n > 0 ? loss.value / Double(n) : nil
        brier = n > 0 ? brierSum.value / Double(n) : nil

        var aucs: [Double?] = []
        var macro = NeumaierSum()
        var weighted = NeumaierSum()
        var defined = 0
        var definedSupport = 0
        var column = [Double](repeating: 0, count: n)
        var isClass = [Bool](repeating: false, count: n)
        for k in 0..<classes {
            var support = 0
            for row in 0..<n {
                column[row] = probabilities[row * classes + k]
                isClass[row] = labels[row] == k
                if isClass[row] { support += 1 }
            }
            let auc = RankingMetrics(SortedScores(scores: column, labels: isClass)).auc
            aucs.append(auc)
            if let auc {
                macro.add(auc)
                weighted.add(Double(support) * auc)
                defined += 1
                definedSupport += support
            }
        }
        rocAUC = aucs
        rocAUCMacro = defined > 0 ? macro.value / Double(defined) : nil
        rocAUCWeighted = defined > 0 ? weighted.value / Double(definedSupport) : nil

        topKAccuracy = topK.map { k in
            guard n > 0 else { return TopKAccuracy(k: k, value: nil) }
            var hits = 0
            if classes == 2 {
                if k >= 2 { return TopKAccuracy(k: k, value: 1) }
                var inUnitInterval = true
                for row in 0..<n where !(0...1).contains(probabilities[row * 2 + 1]) { inUnitInterval = false }
                let threshold = inUnitInterval ? 0.5 : 0
                for row in 0..<n where (probabilities[row * 2 + 1] > threshold ? 1 : 0) == labels[row] { hits += 1 }
            } else {
                for rank in ranks where rank < k { hits += 1 }
            }
            return TopKAccuracy(k: k, value: Double(hits) / Double(n))
        }
    }
}
