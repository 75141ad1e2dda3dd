/// What ``PerformanceEvaluator/evaluate(scores:labels:options:)`` computes besides the window-level metrics.
public struct PerformanceOptions: Sendable, Equatable {
    /// Score thresholds for confusion-matrix metrics; a row is predicted positive when `score >= threshold`.
    public var thresholds: [Double]
    /// Top-k cut-offs as fractions of the window in (0, 1], e.g. `0.01` for the top 1%.
    public var topKFractions: [Double]
    /// Number of uniform reliability bins on [0, 1] (scikit-learn `calibration_curve`, `strategy="uniform"`).
    public var calibrationBins: Int

    /// Creates options; results keep the order of `thresholds` and `topKFractions`.
    ///
    /// - Parameters:
    ///   - thresholds: Finite score thresholds (positive means `score >= threshold`).
    ///   - topKFractions: Fractions in (0, 1].
    ///   - calibrationBins: At least 1; the schema assumes 10.
    public init(thresholds: [Double] = [0.5], topKFractions: [Double] = [], calibrationBins: Int = 10) {
        self.thresholds = thresholds
        self.topKFractions = topKFractions
        self.calibrationBins = calibrationBins
    }
}
