/// Computes the metrics of one labelled window of a regression model.
public enum RegressionEvaluator {
    /// Evaluates predictions against targets.
    ///
    /// Sums are compensated (Neumaier), variances two-pass, and sums of squares are taken on residuals
    /// scaled by a power of two when their squares could overflow or underflow, so magnitudes up to the
    /// largest double give finite RMSE, R² and intervals; MSE itself is +inf only when it is not representable.
    /// One sort of the residuals serves the median and the quantiles.
    ///
    /// - Precondition: `predictions.count == targets.count` and every value finite (the caller filters).
    public static func evaluate(predictions: [Double], targets: [Double]) -> RegressionResult {
        precondition(predictions.count == targets.count, "predictions and targets must have the same length")
        let n = predictions.count
        var residuals = [Double](repeating: 0, count: n)
        var absolute = [Double](repeating: 0, count: n)
        var percentage = NeumaierSum()
        var largest = 0.0
        for row in 0..<n {
            let target = targets[row]
            precondition(target.isFinite && predictions[row].isFinite, "regression values must be finite")
            let e = predictions[row] - target
            residuals[row] = e
            absolute[row] = abs(e)
            largest = max(largest, abs(e))
            percentage.add(abs(e) / max(abs(target), Double.ulpOfOne))
        }
        guard n > 0, let bias = SampleMoments(residuals), let mae = SampleMoments(absolute) else {
            return RegressionResult(
                n: 0, meanAbsoluteError: nil, meanSquaredError: nil, rootMeanSquaredError: nil, r2: nil,
                meanError: nil, medianAbsoluteError: nil, meanAbsolutePercentageError: nil, maxError: nil,
                residualQuantiles: [], meanAbsoluteErrorInterval: nil, meanErrorInterval: nil,
                rootMeanSquaredErrorInterval: nil
            )
        }

        // Squares in units of `scale`², so that they neither overflow nor underflow.
        let scale = safeScale(forMagnitude: largest)
        let scaledSquares = residuals.map { ($0 / scale) * ($0 / scale) }
        let squares = SampleMoments(scaledSquares)!
        let rmse = squares.mean.squareRoot() * scale
        let rmseInterval = squares.halfWidth.map { half in
            MeanInterval(
                lower: max(0, squares.mean - half).squareRoot() * scale,
                upper: (squares.mean + half).squareRoot() * scale
            )
        }

        let sortedResiduals = residuals.sorted()
        let sortedAbsolute = absolute.sorted()
        return RegressionResult(
            n: n,
            meanAbsoluteError: mae.mean,
            meanSquaredError: squares.mean * scale * scale,
            rootMeanSquaredError: rmse,
            r2: coefficientOfDetermination(targets: targets, residuals: residuals),
            meanError: bias.mean,
            medianAbsoluteError: SampleQuantile.median(sortedAbsolute),
            meanAbsolutePercentageError: percentage.value / Double(n),
            maxError: sortedAbsolute[n - 1],
            residualQuantiles: RegressionResult.residualQuantileLevels.map {
                RegressionResult.Quantile(level: $0, value: SampleQuantile.linear(sortedResiduals, $0))
            },
            meanAbsoluteErrorInterval: mae.interval,
            meanErrorInterval: bias.interval,
            rootMeanSquaredErrorInterval: rmseInterval
        )
    }

    /// `r2_score` with `force_finite=True`: 1 − SS_res/SS_tot; nil for fewer than 2 rows.
    ///
    /// A target is constant exactly when all its values are equal, and then SS_tot is 0 (scikit-learn
    /// computes it from the rounded mean, which can leave a tiny positive SS_tot; see docs/metrics.md).
    /// With SS_tot = 0 the score is 1 when SS_res = 0 and 0 otherwise. Both sums are taken in units of one
    /// power of two, so their ratio is unaffected by overflow.
    static func coefficientOfDetermination(targets: [Double], residuals: [Double]) -> Double? {
        guard targets.count >= 2 else { return nil }
        let first = targets[0]
        let constant = targets.allSatisfy { $0 == first }
        let residualFree = residuals.allSatisfy { $0 == 0 }
        if residualFree { return 1 }
        if constant { return 0 }
        var largest = 0.0
        for e in residuals { largest = max(largest, abs(e)) }
        for y in targets { largest = max(largest, abs(y)) }
        let scale = safeScale(forMagnitude: largest)
        var mean = NeumaierSum()
        for y in targets { mean.add(y / scale) }
        let targetMean = mean.value / Double(targets.count)
        var residualSquares = NeumaierSum()
        var totalSquares = NeumaierSum()
        for row in targets.indices {
            let e = residuals[row] / scale
            let d = targets[row] / scale - targetMean
            residualSquares.add(e * e)
            totalSquares.add(d * d)
        }
        return 1 - residualSquares.value / totalSquares.value
    }
}
