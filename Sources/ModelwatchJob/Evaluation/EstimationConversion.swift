import DriftMetrics
import PerformanceMetrics

/// Converts between the stored estimation section of a profile (DriftMetrics) and the form the estimator computes
/// with (PerformanceMetrics); the two libraries do not depend on each other.
extension EstimationProfile {
    init(_ reference: EstimationReference, calibration: Calibration) {
        self.init(
            calibration: calibration, calibrationScores: reference.calibration?.scores ?? [],
            calibrationProbabilities: reference.calibration?.probabilities ?? [], labelledRows: reference.rows,
            aucPlacementStd: reference.aucPlacementStd, aucMinorityFraction: reference.aucMinorityFraction,
            thresholds: reference.thresholds.map { .init(threshold: $0.threshold, tp: $0.tp, fp: $0.fp, tn: $0.tn, fn: $0.fn) })
    }

    /// The estimator's reference; nil when the stored knots do not form a map (the decoder's checks make that
    /// impossible for a loaded profile).
    var reference: EstimationReference? {
        var map: IsotonicCalibration?
        if calibration == .isotonic {
            guard let stored = IsotonicCalibration(scores: calibrationScores, probabilities: calibrationProbabilities) else { return nil }
            map = stored
        }
        return EstimationReference(
            calibration: map, rows: labelledRows, aucPlacementStd: aucPlacementStd, aucMinorityFraction: aucMinorityFraction,
            thresholds: thresholds.map { ThresholdMetrics(threshold: $0.threshold, tp: $0.tp, fp: $0.fp, tn: $0.tn, fn: $0.fn) })
    }
}
