#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What confidence-based performance estimation (CBPE) learns from labelled reference rows: the calibration map
/// and the sampling-error components of each estimated metric (NannyML's `*_sampling_error_components`).
///
/// Everything here is a plain number or count, so the reference profile can store it and its fingerprint covers it.
public struct EstimationReference: Sendable, Equatable {
    /// The map from score to probability; nil when the scores are used as they are.
    public var calibration: IsotonicCalibration?
    /// Labelled reference rows.
    public var rows: Int
    /// Population standard deviation of the minority class's AUC placements (each minority row's share of the
    /// other class ranked on its wrong side, ties counted half); nil when a class is missing.
    public var aucPlacementStd: Double?
    /// The minority class's share of the reference rows.
    public var aucMinorityFraction: Double?
    /// The reference confusion matrix at each threshold the estimates are made for (positive: score >= threshold).
    public var thresholds: [ThresholdMetrics]

    /// Creates a reference from stored values.
    public init(calibration: IsotonicCalibration?, rows: Int, aucPlacementStd: Double?, aucMinorityFraction: Double?, thresholds: [ThresholdMetrics]) {
        self.calibration = calibration
        self.rows = rows
        self.aucPlacementStd = aucPlacementStd
        self.aucMinorityFraction = aucMinorityFraction
        self.thresholds = thresholds
    }

    /// Learns the reference from labelled rows: the isotonic map when `calibrate` is set, and the components at
    /// every threshold.
    ///
    /// - Precondition: `scores.count == labels.count` and every score is finite.
    public static func fit(scores: [Double], labels: [Bool], thresholds: [Double], calibrate: Bool) -> EstimationReference {
        let sorted = SortedScores(scores: scores, labels: labels)
        let placements = aucPlacements(sorted)
        return EstimationReference(
            calibration: calibrate ? IsotonicCalibration.fit(sorted) : nil, rows: scores.count,
            aucPlacementStd: placements?.std, aucMinorityFraction: placements?.fraction,
            thresholds: thresholds.map { ThresholdMetrics(threshold: $0, sorted: sorted) })
    }

    /// NannyML's `auroc_sampling_error_components`: the AUC as a Mann–Whitney statistic is a mean of the minority
    /// class's placements, so its standard error in a window of n rows is std / sqrt(n · fraction).
    static func aucPlacements(_ sorted: SortedScores) -> (std: Double, fraction: Double)? {
        let nPositive = sorted.nPositive, nNegative = sorted.nNegative
        guard nPositive > 0, nNegative > 0 else { return nil }
        // NannyML flips the labels (and scores) when positives are the majority, so the minority is always scored.
        let positivesAreMinority = 2 * nPositive <= nPositive + nNegative
        let minority = positivesAreMinority ? nPositive : nNegative
        let other = Double(positivesAreMinority ? nNegative : nPositive)
        var groups: [TieGroup] = []
        var iterator = sorted.descendingTieGroups()
        while let group = iterator.next() { groups.append(group) }
        // Placement of a positive: negatives scored below it; of a negative: positives scored above it.
        var values: [(value: Double, count: Int)] = []
        values.reserveCapacity(groups.count)
        if positivesAreMinority {
            var below = Double(nNegative)
            for group in groups {
                below -= Double(group.negatives)
                if group.positives > 0 { values.append(((below + 0.5 * Double(group.negatives)) / other, group.positives)) }
            }
        } else {
            var above = 0.0
            for group in groups {
                if group.negatives > 0 { values.append(((above + 0.5 * Double(group.positives)) / other, group.negatives)) }
                above += Double(group.positives)
            }
        }
        var sum = NeumaierSum()
        for entry in values { sum.add(entry.value * Double(entry.count)) }
        let mean = sum.value / Double(minority)
        var squares = NeumaierSum()
        for entry in values {
            let d = entry.value - mean
            squares.add(d * d * Double(entry.count))
        }
        return (sqrt(squares.value / Double(minority)), Double(minority) / Double(nPositive + nNegative))
    }
}
