/// Computes every performance metric of one labelled window.
public enum PerformanceEvaluator {
    /// Evaluates scores against labels: ranking, threshold, top-k and calibration metrics.
    ///
    /// The rows are sorted once (split by label, radix-sorted); AUC, DeLong, average precision, thresholds and
    /// top-k all read that order. Calibration metrics take one pass in input order, and the logistic
    /// recalibration a few Newton passes over the window's distinct logits (taken from the same order).
    ///
    /// - Parameters:
    ///   - scores: One finite score per row. Ranking metrics accept any finite score; calibration metrics
    ///     assume scores in [0, 1] (the caller filters).
    ///   - labels: The label of each row, `true` for positive.
    ///   - options: Thresholds, top-k fractions and the number of reliability bins.
    /// - Returns: The metrics; undefined ones are nil.
    /// - Precondition: `scores.count == labels.count`, every score finite, thresholds not NaN,
    ///   top-k fractions in (0, 1], at least one calibration bin.
    public static func evaluate(scores: [Double], labels: [Bool], options: PerformanceOptions) -> PerformanceResult {
        evaluate(scores: scores, labels: labels, sorted: SortedScores(scores: scores, labels: labels), options: options)
    }

    /// ``evaluate(scores:labels:options:)`` with the sort done by the caller, who may have sorted several windows'
    /// scores at once: `sortedPositiveKeys` and `sortedNegativeKeys` are the ``OrderedKeys/key(_:)`` of the
    /// positives' and of the negatives' scores, each ascending. The result is the same, bit for bit.
    ///
    /// - Precondition: as ``evaluate(scores:labels:options:)``; the key arrays hold exactly the keys of the
    ///   scores of their label, in ascending order (their lengths are checked).
    public static func evaluate(
        scores: [Double], labels: [Bool], sortedPositiveKeys: [UInt64], sortedNegativeKeys: [UInt64], options: PerformanceOptions
    ) -> PerformanceResult {
        precondition(scores.count == labels.count, "scores and labels must have the same length")
        precondition(sortedPositiveKeys.count + sortedNegativeKeys.count == scores.count, "one key per score")
        precondition(labels.reduce(0) { $0 + ($1 ? 1 : 0) } == sortedPositiveKeys.count, "one positive key per positive label")
        let sorted = SortedScores(sortedPositives: sortedPositiveKeys, sortedNegatives: sortedNegativeKeys)
        return evaluate(scores: scores, labels: labels, sorted: sorted, options: options)
    }

    private static func evaluate(scores: [Double], labels: [Bool], sorted: SortedScores, options: PerformanceOptions) -> PerformanceResult {
        let n = scores.count
        let nPositive = sorted.nPositive
        let nNegative = sorted.nNegative

        let ranking = RankingMetrics(sorted)
        let interval = ranking.auc.flatMap { DeLongInterval(sorted, auc: $0) }
        let reason: PerformanceResult.UndefinedReason? =
            n == 0 ? .emptyWindow : nPositive == 0 ? .noPositives : nNegative == 0 ? .noNegatives : nil

        let calibration = CalibrationSummary(scores: scores, labels: labels, binCount: options.calibrationBins)
        let recalibration = LogisticRecalibration(sorted, auc: ranking.auc)

        return PerformanceResult(
            n: n, nPositive: nPositive, nNegative: nNegative,
            baseRate: ratio(nPositive, n), meanScore: calibration.meanScore,
            auc: ranking.auc, aucStandardError: interval?.standardError,
            aucConfidenceLower: interval?.lower, aucConfidenceUpper: interval?.upper,
            averagePrecision: ranking.averagePrecision, undefinedReason: reason?.rawValue,
            logLoss: calibration.logLoss, brier: calibration.brier,
            ece: calibration.expectedCalibrationError, mce: calibration.maximumCalibrationError,
            observedExpected: calibration.observedExpected,
            calibrationInTheLarge: recalibration.calibrationInTheLarge,
            calibrationIntercept: recalibration.intercept, calibrationSlope: recalibration.slope,
            thresholds: options.thresholds.map { ThresholdMetrics(threshold: $0, sorted: sorted) },
            topK: options.topKFractions.map { TopKMetrics(fraction: $0, sorted: sorted) },
            calibrationBins: calibration.bins
        )
    }
}
