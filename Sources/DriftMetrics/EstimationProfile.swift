/// What a reference profile stores for confidence-based performance estimation: the calibration choice, the
/// isotonic map's knots, and the labelled reference's sampling-error components.
///
/// Plain numbers and counts, so the profile's fingerprint covers them; `PerformanceMetrics.EstimationReference`
/// is the computational form (the job converts). A profile built without `models[].estimation` has none.
public struct EstimationProfile: Sendable, Hashable, Codable {
    /// How scores become probabilities.
    public enum Calibration: String, Sendable, Hashable, Codable {
        /// scikit-learn's isotonic regression fitted on the labelled reference rows (NannyML's default).
        case isotonic
        /// The scores are used as they are: the model's scores are calibrated probabilities already.
        case none
    }

    /// The reference confusion matrix at one threshold (positive: score >= threshold).
    public struct ThresholdCounts: Sendable, Hashable, Codable {
        public let threshold: Double
        public let tp: Int
        public let fp: Int
        public let tn: Int
        public let fn: Int

        public init(threshold: Double, tp: Int, fp: Int, tn: Int, fn: Int) {
            self.threshold = threshold
            self.tp = tp
            self.fp = fp
            self.tn = tn
            self.fn = fn
        }
    }

    /// The calibration choice.
    public let calibration: Calibration
    /// Knot scores of the isotonic map, strictly ascending; empty with ``Calibration/none``.
    public let calibrationScores: [Double]
    /// Calibrated probability at each knot, non-decreasing in [0, 1].
    public let calibrationProbabilities: [Double]
    /// Labelled reference rows the components come from.
    public let labelledRows: Int
    /// Std of the minority class's AUC placements; nil when a class is missing.
    public let aucPlacementStd: Double?
    /// The minority class's share of the labelled rows.
    public let aucMinorityFraction: Double?
    /// The reference confusion matrix at each configured threshold.
    public let thresholds: [ThresholdCounts]

    public init(
        calibration: Calibration, calibrationScores: [Double], calibrationProbabilities: [Double], labelledRows: Int,
        aucPlacementStd: Double?, aucMinorityFraction: Double?, thresholds: [ThresholdCounts]
    ) {
        self.calibration = calibration
        self.calibrationScores = calibrationScores
        self.calibrationProbabilities = calibrationProbabilities
        self.labelledRows = labelledRows
        self.aucPlacementStd = aucPlacementStd
        self.aucMinorityFraction = aucMinorityFraction
        self.thresholds = thresholds
    }

    /// Inconsistencies a decoded profile must not have.
    func problems() -> [String] {
        var found: [String] = []
        if calibrationScores.count != calibrationProbabilities.count { found.append("calibration knots and probabilities differ in length") }
        if calibration == .isotonic, calibrationScores.isEmpty { found.append("isotonic calibration without knots") }
        if calibration == .none, !calibrationScores.isEmpty { found.append("knots with calibration none") }
        for index in calibrationScores.indices.dropFirst() where !(calibrationScores[index] > calibrationScores[index - 1]) {
            found.append("calibration knots not ascending at \(index)")
            break
        }
        if calibrationProbabilities.contains(where: { !($0 >= 0 && $0 <= 1) }) { found.append("calibrated probability outside [0, 1]") }
        if labelledRows < 0 { found.append("negative labelledRows") }
        for counts in thresholds where min(counts.tp, counts.fp, counts.tn, counts.fn) < 0 || counts.tp + counts.fp + counts.tn + counts.fn != labelledRows {
            found.append("threshold \(counts.threshold): counts do not add up to labelledRows")
        }
        return found
    }
}
