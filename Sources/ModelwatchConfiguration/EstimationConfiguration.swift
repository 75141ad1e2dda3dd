import DriftMetrics

/// `models[].estimation`: confidence-based performance estimation for the windows whose labels have not matured.
///
/// `modelwatch profile` learns what the estimate needs from the reference's labelled rows (the calibration map
/// unless `calibration: none`, and the sampling-error components at every configured threshold); `run` and
/// `backfill` estimate when the profile has that section.
public struct EstimationConfiguration: Sendable, Equatable {
    /// `calibration`: `isotonic` (default, as NannyML) or `none` (the scores are calibrated probabilities already).
    public var calibration: EstimationProfile.Calibration = .isotonic

    public init(calibration: EstimationProfile.Calibration = .isotonic) {
        self.calibration = calibration
    }

    /// Reads the `estimation` mapping; every key optional.
    static func parse(_ node: ConfigNode) throws(ConfigError) -> EstimationConfiguration {
        try node.allowOnly(["calibration"])
        var result = EstimationConfiguration()
        if let calibrationNode = try node.optional("calibration") {
            guard let calibration = EstimationProfile.Calibration(rawValue: try calibrationNode.string) else {
                throw calibrationNode.error("must be isotonic (learn a map from the reference's labels) or none (the scores are calibrated probabilities)")
            }
            result.calibration = calibration
        }
        return result
    }
}
