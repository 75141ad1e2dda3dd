#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One bin of the reliability diagram.
public struct ReliabilityBin: Sendable, Equatable {
    /// Bin index, 0 for the lowest scores.
    public var index: Int
    /// Lower edge (exclusive, except bin 0 which includes it).
    public var lower: Double
    /// Upper edge (inclusive).
    public var upper: Double
    /// Rows in the bin.
    public var count: Int
    /// Mean score in the bin; nil when the bin is empty.
    public var meanPredicted: Double?
    /// Positive rate in the bin; nil when the bin is empty.
    public var observedRate: Double?

    /// Creates a bin.
    public init(index: Int, lower: Double, upper: Double, count: Int, meanPredicted: Double?, observedRate: Double?) {
        self.index = index
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
    }
}

/// Uniform reliability bins exactly as scikit-learn's `calibration_curve(strategy="uniform")` forms them.
public enum CalibrationBinning {
    /// The bin edges `numpy.linspace(0, 1, count + 1)`, bit for bit.
    ///
    /// numpy computes `i * step` with `step = 1 / count` and sets the last edge to 1, so for 10 bins
    /// edge 3 is 0.30000000000000004, not 0.3.
    public static func edges(binCount: Int) -> [Double] {
        precondition(binCount >= 1, "need at least one calibration bin")
        let step = 1.0 / Double(binCount)
        var edges = (0...binCount).map { Double($0) * step }
        edges[binCount] = 1.0
        return edges
    }

    /// The bin of `score`: `searchsorted(edges[1:-1], score, side="left")`, i.e. right-closed bins
    /// [0, e₁], (e₁, e₂], …, (e_{B−1}, 1]. A score exactly on an edge goes to the lower bin.
    ///
    /// Scores below 0 land in bin 0 and above 1 in the last bin (scikit-learn rejects them instead).
    @inline(__always)
    public static func binIndex(of score: Double, edges: [Double]) -> Int {
        let last = edges.count - 2
        let guess = (score * Double(last + 1)).rounded(.up) - 1
        var bin = guess.isFinite ? Int(min(max(guess, 0), Double(last))) : (guess > 0 ? last : 0)
        while bin > 0, score <= edges[bin] { bin -= 1 }
        while bin < last, score > edges[bin + 1] { bin += 1 }
        return bin
    }
}

/// Calibration metrics that need no sort: one pass over the rows in input order.
struct CalibrationSummary: Equatable {
    /// `numpy.finfo(float64).eps`, the clipping bound for log loss and logits.
    static let epsilon = Double.ulpOfOne

    var meanScore: Double?
    var logLoss: Double?
    var brier: Double?
    var expectedCalibrationError: Double?
    var maximumCalibrationError: Double?
    var observedExpected: Double?
    var bins: [ReliabilityBin]

    /// Computes the summary; every metric is nil for an empty window, and the bins are still listed.
    ///
    /// Log loss follows scikit-learn 1.9 with `labels=[0, 1]`: the two columns (1 − p, p) are clipped to
    /// [eps, 1 − eps] and the loss is −ln of the true class's column, so one-class windows are defined.
    /// Brier is mean((p − y)²). ECE = Σ (n_b/N)·|observed_b − meanPredicted_b|, MCE the max over non-empty bins.
    /// O/E = Σy / Σp, nil when Σp = 0. Per-bin sums accumulate in input order, like `numpy.bincount`.
    init(scores: [Double], labels: [Bool], binCount: Int) {
        let edges = CalibrationBinning.edges(binCount: binCount)
        var counts = [Int](repeating: 0, count: binCount)
        var scoreSums = [Double](repeating: 0, count: binCount)
        var positives = [Int](repeating: 0, count: binCount)
        var scoreSum = 0.0
        var positiveCount = 0
        var lossSum = 0.0
        var squaredErrorSum = 0.0
        let eps = Self.epsilon
        for row in scores.indices {
            let p = scores[row]
            let y = labels[row]
            let bin = CalibrationBinning.binIndex(of: p, edges: edges)
            counts[bin] += 1
            scoreSums[bin] += p
            scoreSum += p
            if y {
                positives[bin] += 1
                positiveCount += 1
                lossSum -= log(min(max(p, eps), 1 - eps))
                squaredErrorSum += (p - 1) * (p - 1)
            } else {
                lossSum -= log(min(max(1 - p, eps), 1 - eps))
                squaredErrorSum += p * p
            }
        }
        let n = scores.count
        bins = (0..<binCount).map { b in
            ReliabilityBin(
                index: b, lower: edges[b], upper: edges[b + 1], count: counts[b],
                meanPredicted: counts[b] > 0 ? scoreSums[b] / Double(counts[b]) : nil,
                observedRate: ratio(positives[b], counts[b])
            )
        }
        guard n > 0 else {
            meanScore = nil
            logLoss = nil
            brier = nil
            expectedCalibrationError = nil
            maximumCalibrationError = nil
            observedExpected = nil
            return
        }
        meanScore = scoreSum / Double(n)
        logLoss = lossSum / Double(n)
        brier = squaredErrorSum / Double(n)
        observedExpected = scoreSum > 0 ? Double(positiveCount) / scoreSum : nil
        var ece = 0.0
        var mce = 0.0
        for bin in bins {
            guard let observed = bin.observedRate, let predicted = bin.meanPredicted else { continue }
            let gap = abs(observed - predicted)
            ece += Double(bin.count) / Double(n) * gap
            mce = max(mce, gap)
        }
        expectedCalibrationError = ece
        maximumCalibrationError = mce
    }
}
