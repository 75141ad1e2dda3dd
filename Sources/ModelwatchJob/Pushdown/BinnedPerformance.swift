import PerformanceMetrics
import PostgresSource

/// Sufficient statistics of one performance slice, as the database aggregates them, and the metrics
/// finished from them.
///
/// Scores are put in 1000 bins, b = ⌈1000·p⌉ − 1 clamped into the 100 bins of the score's reliability bin, which
/// the database decides by comparing with the exact edges of `numpy.linspace(0, 1, 11)` (right-closed, like
/// scikit-learn's `calibration_curve` and ``CalibrationBinning``; ``AggregateSQL/scoreBin(_:calibrationBin:)``),
/// so the 10 reliability bins are unions of 100 score bins and exact for every double.
/// Log loss, Brier, mean score, O/E and the threshold confusion matrices are sums over rows, computed
/// exactly by the database. AUC and average precision are those of the binned scores: within-bin pairs
/// count as ties (AUC error ≤ ½ Σ pos_b·neg_b / (P·N), reported as ``aucErrorBound``; AP error
/// ≤ ``averagePrecisionErrorBound``).
///
/// In a window with few distinct scores (rounded scores; ``PushdownEvaluator/exactScoreLimit``) the rows come
/// grouped by the exact score as well (``exactScores``): each group is one of exact mode's tie groups, so AUC and
/// AP from them equal exact mode's (to rounding) and both bounds are 0.
struct BinnedPerformance {
    static let binCount = 1000
    /// The reliability bins, as exact mode (`calibrationBins: 10`).
    static let calibrationBinCount = 10

    var positives = [Int](repeating: 0, count: binCount)
    var negatives = [Int](repeating: 0, count: binCount)
    var scoreSums = [Double](repeating: 0, count: binCount)
    /// Σ −ln(clip(p)) over positives plus Σ −ln(clip(1 − p)) over negatives.
    var logLossSum = 0.0
    /// Σ (p − y)².
    var squaredErrorSum = 0.0
    /// Per configured threshold: labelled positives and negatives with score ≥ threshold.
    var thresholdPositives: [Int]
    var thresholdNegatives: [Int]
    /// Predictions with a valid score, labelled or not (`n_scored`).
    var scored = 0
    /// Labelled positives and negatives per distinct score, when the rows came grouped by the exact score.
    var exactScores: [Double: (positives: Int, negatives: Int)] = [:]
    /// False once a row with labelled predictions came without its exact score (a binned window).
    var exactComplete = true

    /// Whether AUC and AP come from the exact scores rather than the bins.
    var isExact: Bool { exactComplete && !exactScores.isEmpty }

    init(thresholdCount: Int) {
        thresholdPositives = Array(repeating: 0, count: thresholdCount)
        thresholdNegatives = Array(repeating: 0, count: thresholdCount)
    }

    /// Adds one aggregate row of the push-down query (columns: 6 Σscore, 7 log-loss sum, 8 Σ(p−y)², then a
    /// positives/negatives pair per threshold); `exactScore` is the row's score when it is grouped by it.
    mutating func add(row: some PushdownRow, bin: Int, count: Int, positives: Int, negatives: Int, thresholdCount: Int, exactScore: Double? = nil) {
        scored += count
        if let exactScore {
            exactScores[exactScore, default: (0, 0)].positives += positives
            exactScores[exactScore, default: (0, 0)].negatives += negatives
        } else if positives + negatives > 0 {
            exactComplete = false
        }
        self.positives[bin] += positives
        self.negatives[bin] += negatives
        scoreSums[bin] += row.double(6) ?? 0
        logLossSum += row.double(7) ?? 0
        squaredErrorSum += row.double(8) ?? 0
        for index in 0..<thresholdCount {
            thresholdPositives[index] += row.string(9 + 2 * index).flatMap { Int($0) } ?? 0
            thresholdNegatives[index] += row.string(10 + 2 * index).flatMap { Int($0) } ?? 0
        }
    }

    /// Adds another slice's statistics (for folding segment values into `(other)`): every statistic is a sum.
    mutating func merge(_ other: BinnedPerformance) {
        for b in 0..<Self.binCount {
            positives[b] += other.positives[b]
            negatives[b] += other.negatives[b]
            scoreSums[b] += other.scoreSums[b]
        }
        logLossSum += other.logLossSum
        squaredErrorSum += other.squaredErrorSum
        for index in thresholdPositives.indices {
            thresholdPositives[index] += other.thresholdPositives[index]
            thresholdNegatives[index] += other.thresholdNegatives[index]
        }
        scored += other.scored
        exactComplete = exactComplete && other.exactComplete
        exactScores.merge(other.exactScores) { ($0.positives + $1.positives, $0.negatives + $1.negatives) }
    }

    var nPositive: Int { positives.reduce(0, +) }
    var nNegative: Int { negatives.reduce(0, +) }

    /// Worst-case |binned AUC − exact AUC|: ½ Σ_b pos_b·neg_b / (P·N); nil when a class is absent.
    var aucErrorBound: Double? {
        let p = nPositive, n = nNegative
        guard p > 0, n > 0 else { return nil }
        if isExact { return 0 }
        var pairs = 0.0
        for b in 0..<Self.binCount { pairs += Double(positives[b]) * Double(negatives[b]) }
        return 0.5 * pairs / (Double(p) * Double(n))
    }

    /// Worst-case |binned AP − exact AP| given only the bin counts; nil without positives.
    ///
    /// Walking the bins from the highest down, with A positives and F negatives above bin b and p, n in it, the
    /// binned AP gives each of the bin's positives the precision at the bin's end, B = (A+p)/(A+F+p+n). However
    /// the exact scores order the bin (ties included, as scikit-learn groups them), the i-th positive of the bin
    /// has a precision between (A+i)/(A+F+i+n) (every negative of the bin ahead of it) and (A+p)/(A+F+p) (all the
    /// bin's positives tied at its top), and both extremes can occur. So the exact bin term lies in
    /// [L_b, U_b] = [Σᵢ (A+i)/(A+F+i+n), p·(A+p)/(A+F+p)], which contains p·B, and
    /// |AP_binned − AP_exact| ≤ Σ_b max(U_b − p·B, p·B − L_b) / P. It is 0 when no bin holds two rows.
    var averagePrecisionErrorBound: Double? {
        let total = nPositive
        guard total > 0 else { return nil }
        if isExact { return 0 }
        var above = (positives: 0.0, negatives: 0.0)
        var bound = 0.0
        for b in stride(from: Self.binCount - 1, through: 0, by: -1) where positives[b] > 0 || negatives[b] > 0 {
            let p = Double(positives[b]), n = Double(negatives[b])
            let (a, f) = above
            if positives[b] > 0 {
                let binned = p * (a + p) / (a + f + p + n)
                let upper = p * (a + p) / (a + f + p)
                var lower = 0.0
                for i in 1...positives[b] { lower += (a + Double(i)) / (a + f + Double(i) + n) }
                bound += Swift.max(upper - binned, binned - lower, 0)
            }
            above = (a + p, f + n)
        }
        return bound / Double(total)
    }

    /// The metrics that sufficient statistics determine; DeLong interval, recalibration fit and top-k are nil/empty.
    func result(thresholds: [Double]) -> PerformanceResult {
        let p = nPositive
        let nNeg = nNegative
        let n = p + nNeg
        // Ranking over tie groups from the highest score down: the distinct scores, or else each bin.
        let groups = isExact
            ? exactScores.sorted { $0.key > $1.key }.map(\.value)
            : stride(from: Self.binCount - 1, through: 0, by: -1).map { (positives: positives[$0], negatives: negatives[$0]) }
        var twiceU = 0
        var truePositives = 0
        var falsePositives = 0
        var precisionSum = 0.0
        for group in groups where group.positives + group.negatives > 0 {
            truePositives += group.positives
            falsePositives += group.negatives
            twiceU += group.positives * (2 * (nNeg - falsePositives) + group.negatives)
            if group.positives > 0 {
                precisionSum += Double(group.positives) * Double(truePositives) / Double(truePositives + falsePositives)
            }
        }
        let auc = p > 0 && nNeg > 0 ? Double(twiceU) / (2 * Double(p) * Double(nNeg)) : nil
        let reason: PerformanceResult.UndefinedReason? = n == 0 ? .emptyWindow : p == 0 ? .noPositives : nNeg == 0 ? .noNegatives : nil
        let scoreSum = scoreSums.reduce(0, +)

        // Reliability bins: 100 score bins each.
        let edges = CalibrationBinning.edges(binCount: Self.calibrationBinCount)
        let perBin = Self.binCount / Self.calibrationBinCount
        var bins: [ReliabilityBin] = []
        var ece = 0.0
        var mce = 0.0
        for j in 0..<Self.calibrationBinCount {
            var count = 0, pos = 0, sum = 0.0
            for b in (j * perBin)..<((j + 1) * perBin) {
                count += positives[b] + negatives[b]
                pos += positives[b]
                sum += scoreSums[b]
            }
            let mean = count > 0 ? sum / Double(count) : nil
            let observed = count > 0 ? Double(pos) / Double(count) : nil
            bins.append(ReliabilityBin(index: j, lower: edges[j], upper: edges[j + 1], count: count, meanPredicted: mean, observedRate: observed))
            if let mean, let observed {
                ece += Double(count) / Double(max(n, 1)) * abs(observed - mean)
                mce = max(mce, abs(observed - mean))
            }
        }
        let thresholdMetrics = thresholds.indices.map { index in
            ThresholdMetrics(
                threshold: thresholds[index], tp: thresholdPositives[index], fp: thresholdNegatives[index],
                tn: nNeg - thresholdNegatives[index], fn: p - thresholdPositives[index])
        }
        return PerformanceResult(
            n: n, nPositive: p, nNegative: nNeg,
            baseRate: n > 0 ? Double(p) / Double(n) : nil, meanScore: n > 0 ? scoreSum / Double(n) : nil,
            auc: auc, aucStandardError: nil, aucConfidenceLower: nil, aucConfidenceUpper: nil,
            averagePrecision: p > 0 ? precisionSum / Double(p) : nil, undefinedReason: reason?.rawValue,
            logLoss: n > 0 ? logLossSum / Double(n) : nil, brier: n > 0 ? squaredErrorSum / Double(n) : nil,
            ece: n > 0 ? ece : nil, mce: n > 0 ? mce : nil,
            observedExpected: scoreSum > 0 ? Double(p) / scoreSum : nil,
            calibrationInTheLarge: nil, calibrationIntercept: nil, calibrationSlope: nil,
            thresholds: thresholdMetrics, topK: [], calibrationBins: bins)
    }
}
