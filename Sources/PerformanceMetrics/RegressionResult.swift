/// Every metric of one window of a regression model, as scikit-learn and numpy compute them.
///
/// The residual is e = prediction − target throughout, so a positive ``meanError`` means the model predicts
/// too high. A nil metric is undefined for the window (no rows, or too few for an interval) and must be
/// written as an absent field, never as 0.
public struct RegressionResult: Sendable, Equatable {
    /// The residual quantile levels: 5%, 25%, 50%, 75% and 95%.
    public static let residualQuantileLevels: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95]

    /// One residual quantile.
    public struct Quantile: Sendable, Equatable {
        /// The level q in [0, 1].
        public var level: Double
        /// `numpy.quantile(e, q)` (linear interpolation).
        public var value: Double
    }

    /// Rows with a prediction and a target.
    public var n: Int
    /// mean |e| (`mean_absolute_error`).
    public var meanAbsoluteError: Double?
    /// mean e² (`mean_squared_error`); +inf only when the true value exceeds the largest double, as in scikit-learn.
    public var meanSquaredError: Double?
    /// √MSE (`root_mean_squared_error`), computed on scaled residuals so it stays finite whenever it is
    /// representable (scikit-learn returns inf when e² overflows).
    public var rootMeanSquaredError: Double?
    /// Coefficient of determination (`r2_score`, `force_finite=True`); nil for n < 2 (scikit-learn: nan).
    /// A constant target gives 1 when every prediction is exact and 0 otherwise.
    public var r2: Double?
    /// Bias: mean e = mean(prediction − target).
    public var meanError: Double?
    /// median |e| (`median_absolute_error`).
    public var medianAbsoluteError: Double?
    /// mean |e| / max(|target|, eps) with eps = 2⁻⁵² (`mean_absolute_percentage_error`): a fraction, not a
    /// percentage, and huge (|e|·4.5e15) for a zero target with a non-zero error, as in scikit-learn.
    public var meanAbsolutePercentageError: Double?
    /// max |e| (`max_error`).
    public var maxError: Double?
    /// Residual quantiles at ``residualQuantileLevels``; empty for an empty window.
    public var residualQuantiles: [Quantile]
    /// 95% interval of MAE: mean|e| ± z·s(|e|)/√n; nil for n < 2.
    public var meanAbsoluteErrorInterval: MeanInterval?
    /// 95% interval of the bias: mean e ± z·s(e)/√n; nil for n < 2.
    public var meanErrorInterval: MeanInterval?
    /// 95% interval of RMSE: the normal interval of MSE, MSE ± z·s(e²)/√n, with its lower end clamped at 0
    /// and both ends square-rooted (a monotone transform, so the coverage is that of the MSE interval); nil
    /// for n < 2.
    public var rootMeanSquaredErrorInterval: MeanInterval?
}
