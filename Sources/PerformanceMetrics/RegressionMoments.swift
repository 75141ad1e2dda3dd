/// The moments of a regression window that a database can aggregate exactly (push-down mode): from them follow
/// every ``RegressionResult`` field except the median absolute error and the residual quantiles, which need the
/// rows and are left nil / empty.
public struct RegressionMoments: Sendable {
    /// Rows with a prediction and a target.
    public var n: Int
    /// Mean and sample standard deviation (nil below two rows) of e = prediction − target.
    public var meanError: Double
    public var errorStandardDeviation: Double?
    /// Mean and sample standard deviation of |e|.
    public var meanAbsoluteError: Double
    public var absoluteErrorStandardDeviation: Double?
    /// Mean and sample standard deviation of e².
    public var meanSquaredError: Double
    public var squaredErrorStandardDeviation: Double?
    /// max |e|.
    public var maxAbsoluteError: Double
    /// Σ (y − ȳ)² as `scaled · unit²` (`unit` a power of two), so that it cannot overflow.
    public var targetSquaredDeviations: (scaled: Double, unit: Double)
    /// Whether every target is equal (min y = max y).
    public var constantTarget: Bool
    /// Σ |e| / max(|y|, 2⁻⁵²).
    public var absolutePercentageErrorSum: Double

    /// Creates the moments of one window.
    public init(
        n: Int, meanError: Double, errorStandardDeviation: Double?, meanAbsoluteError: Double, absoluteErrorStandardDeviation: Double?,
        meanSquaredError: Double, squaredErrorStandardDeviation: Double?, maxAbsoluteError: Double,
        targetSquaredDeviations: (scaled: Double, unit: Double), constantTarget: Bool, absolutePercentageErrorSum: Double
    ) {
        self.n = n
        self.meanError = meanError
        self.errorStandardDeviation = errorStandardDeviation
        self.meanAbsoluteError = meanAbsoluteError
        self.absoluteErrorStandardDeviation = absoluteErrorStandardDeviation
        self.meanSquaredError = meanSquaredError
        self.squaredErrorStandardDeviation = squaredErrorStandardDeviation
        self.maxAbsoluteError = maxAbsoluteError
        self.targetSquaredDeviations = targetSquaredDeviations
        self.constantTarget = constantTarget
        self.absolutePercentageErrorSum = absolutePercentageErrorSum
    }

    /// The metrics as ``RegressionEvaluator`` defines them (same conventions for n < 2 and a constant target);
    /// `medianAbsoluteError` nil and `residualQuantiles` empty. nil moments (no rows) give the empty result.
    public static func result(_ moments: RegressionMoments?) -> RegressionResult {
        guard let m = moments, m.n > 0 else {
            return RegressionResult(
                n: 0, meanAbsoluteError: nil, meanSquaredError: nil, rootMeanSquaredError: nil, r2: nil, meanError: nil,
                medianAbsoluteError: nil, meanAbsolutePercentageError: nil, maxError: nil, residualQuantiles: [],
                meanAbsoluteErrorInterval: nil, meanErrorInterval: nil, rootMeanSquaredErrorInterval: nil)
        }
        let root = Double(m.n).squareRoot()
        func interval(_ mean: Double, _ sd: Double?) -> MeanInterval? {
            guard m.n >= 2, let sd else { return nil }
            let half = sd * (DeLongInterval.z95 / root)
            return MeanInterval(lower: mean - half, upper: mean + half)
        }
        let mse = m.meanSquaredError
        let rmseInterval = interval(mse, m.squaredErrorStandardDeviation).map {
            MeanInterval(lower: max(0, $0.lower).squareRoot(), upper: $0.upper.squareRoot())
        }
        var r2: Double?
        if m.n >= 2 {
            if m.maxAbsoluteError == 0 {
                r2 = 1
            } else if m.constantTarget {
                r2 = 0
            } else {
                let (scaled, unit) = m.targetSquaredDeviations
                r2 = 1 - (mse / unit * Double(m.n) / unit) / scaled
            }
        }
        return RegressionResult(
            n: m.n, meanAbsoluteError: m.meanAbsoluteError, meanSquaredError: mse, rootMeanSquaredError: mse.squareRoot(), r2: r2,
            meanError: m.meanError, medianAbsoluteError: nil,
            meanAbsolutePercentageError: m.absolutePercentageErrorSum / Double(m.n), maxError: m.maxAbsoluteError,
            residualQuantiles: [], meanAbsoluteErrorInterval: interval(m.meanAbsoluteError, m.absoluteErrorStandardDeviation),
            meanErrorInterval: interval(m.meanError, m.errorStandardDeviation), rootMeanSquaredErrorInterval: rmseInterval)
    }
}
