/// A monotone calibration map learned from labelled rows: scikit-learn's `IsotonicRegression(increasing=True,
/// out_of_bounds="clip")`, the calibrator NannyML's CBPE uses by default.
///
/// The map is the pool-adjacent-violators fit of the labels on the scores, kept as the knots scikit-learn keeps
/// (`X_thresholds_`, `y_thresholds_`: interior points of constant runs dropped). A score is clipped to the knots'
/// range and interpolated linearly between the two knots around it.
public struct IsotonicCalibration: Sendable, Hashable, Codable {
    /// Knot scores, strictly ascending.
    public let scores: [Double]
    /// Calibrated probability at each knot, non-decreasing, within [0, 1].
    public let probabilities: [Double]

    /// Scores closer than this to the first score of their group are one group (numpy's `finfo(float64).resolution`,
    /// as scikit-learn's `_make_unique`).
    static let tieResolution = 1e-15

    /// A map from stored knots; nil unless both lists have the same non-zero length, the scores ascend strictly, the
    /// probabilities do not descend and everything is finite within [0, 1] for the probabilities.
    public init?(scores: [Double], probabilities: [Double]) {
        guard !scores.isEmpty, scores.count == probabilities.count else { return nil }
        for index in scores.indices {
            guard scores[index].isFinite, probabilities[index] >= 0, probabilities[index] <= 1 else { return nil }
            if index > 0, !(scores[index] > scores[index - 1]) || probabilities[index] < probabilities[index - 1] { return nil }
        }
        self.scores = scores
        self.probabilities = probabilities
    }

    /// Fits the map on labelled rows; nil when there is no row.
    ///
    /// - Precondition: `scores.count == labels.count` and every score is finite.
    public static func fit(scores: [Double], labels: [Bool]) -> IsotonicCalibration? {
        fit(SortedScores(scores: scores, labels: labels))
    }

    static func fit(_ sorted: SortedScores) -> IsotonicCalibration? {
        // Tie groups ascending, merged as scikit-learn's `_make_unique` does (anchored at the group's first score).
        var descending: [TieGroup] = []
        var iterator = sorted.descendingTieGroups()
        while let group = iterator.next() { descending.append(group) }
        guard !descending.isEmpty else { return nil }
        var x: [Double] = []
        var sums: [Double] = []
        var weights: [Double] = []
        for group in descending.reversed() {
            let score = group.score
            if let anchor = x.last, score - anchor < tieResolution {
                sums[sums.count - 1] += Double(group.positives)
                weights[weights.count - 1] += Double(group.positives + group.negatives)
            } else {
                x.append(score)
                sums.append(Double(group.positives))
                weights.append(Double(group.positives + group.negatives))
            }
        }
        let y = poolAdjacentViolators(sums: sums, weights: weights)
        // Keep the first and last knot and every knot where the fitted value changes on either side.
        var keptX: [Double] = []
        var keptY: [Double] = []
        for index in x.indices {
            let interior = index > 0 && index < x.count - 1
            if !interior || y[index] != y[index - 1] || y[index] != y[index + 1] {
                keptX.append(x[index])
                keptY.append(y[index])
            }
        }
        return IsotonicCalibration(scores: keptX, probabilities: keptY)
    }

    /// Weighted pool-adjacent-violators: the non-decreasing sequence closest to sums[i] / weights[i] in weighted
    /// least squares, one value per input point.
    static func poolAdjacentViolators(sums: [Double], weights: [Double]) -> [Double] {
        var blockMean: [Double] = []
        var blockWeight: [Double] = []
        var blockLength: [Int] = []
        for index in sums.indices {
            var mean = sums[index] / weights[index]
            var weight = weights[index]
            var length = 1
            while let last = blockMean.last, last >= mean {
                let lastWeight = blockWeight.removeLast()
                blockMean.removeLast()
                mean = (last * lastWeight + mean * weight) / (lastWeight + weight)
                weight += lastWeight
                length += blockLength.removeLast()
            }
            blockMean.append(mean)
            blockWeight.append(weight)
            blockLength.append(length)
        }
        var fitted: [Double] = []
        fitted.reserveCapacity(sums.count)
        for (mean, length) in zip(blockMean, blockLength) {
            fitted += repeatElement(min(max(mean, 0), 1), count: length)
        }
        return fitted
    }

    /// The calibrated probability of `score`: clipped to the knots' range, linear between knots.
    public func calibrate(_ score: Double) -> Double {
        let last = scores.count - 1
        if last == 0 || score <= scores[0] { return probabilities[0] }
        if score >= scores[last] { return probabilities[last] }
        // First knot above the score.
        var low = 1
        var high = last
        while low < high {
            let mid = (low + high) / 2
            if scores[mid] > score { high = mid } else { low = mid + 1 }
        }
        return interpolate(score, below: low - 1)
    }

    /// Linear interpolation between knot `index` and the next one.
    @inline(__always)
    func interpolate(_ score: Double, below index: Int) -> Double {
        let x0 = scores[index], x1 = scores[index + 1]
        let y0 = probabilities[index], y1 = probabilities[index + 1]
        return y0 + (y1 - y0) / (x1 - x0) * (score - x0)
    }
}
