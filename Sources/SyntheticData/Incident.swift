/// A production problem injected into a scenario from `startMs` (epoch milliseconds, UTC) to the end.
///
/// Incidents never change the random stream: a scenario with an incident is byte-identical to the
/// same scenario without it for every row before the incident's start (except where an incident
/// reaches back by definition, see ``labelsStop(startMs:)``).
public enum Incident: Sendable, Hashable {
    /// The feature column (e.g. `"f_num_03"`) is empty in every score row with `prediction_time ≥ startMs`.
    /// The model still saw the value: scores and labels are unaffected.
    case featureMissing(feature: String, startMs: Int64)

    /// The feature's distribution shifts for rows with `prediction_time ≥ startMs`.
    ///
    /// Numeric features: every value is shifted by `shift` standard deviations of the feature's
    /// healthy distribution (rounded for integer-count features). Categorical features: a fraction
    /// `min(1, |shift| / 3)` of rows draw their level from the reversed frequency table, so rare
    /// levels become common. The true process (labels) and the model (scores) see the drifted value.
    case featureDrift(feature: String, shift: Double, startMs: Int64)

    /// The model loses predictive power for rows with `prediction_time ≥ startMs`: the score's logit
    /// becomes `(1 − strength) · latent + strength · (unrelated noise of the same spread)` plus the
    /// usual model noise, through the healthy calibration map. Labels still come from the true
    /// process. `strength` 0.7 gives AUC ≈ 0.6 (healthy ≈ 0.77).
    case modelDegradation(strength: Double, startMs: Int64)

    /// The labelling pipeline stops: no label with `label_time ≥ startMs` is emitted, so predictions
    /// made after `startMs` never get a label, and earlier predictions lose the labels still pending.
    case labelsStop(startMs: Int64)

    /// Prediction volume is multiplied by `factor` (e.g. 0.05) for every hour starting at or after `startMs`.
    case volumeCollapse(factor: Double, startMs: Int64)

    /// Calibration breaks: `logitShift` is added to the score's logit for rows with
    /// `prediction_time ≥ startMs` (positive values push scores upward).
    case scoreShift(logitShift: Double, startMs: Int64)

    /// Covariate shift toward the decision boundary: for rows with `prediction_time ≥ startMs` the population
    /// moves to where the model is unsure. The score's logit is multiplied by `spread` (in `0...1`), so scores
    /// concentrate around 0.5, and the label is drawn as Bernoulli(score) from the same uniform the healthy label
    /// uses: the scores stay calibrated (the score → label relationship is unchanged) while they separate the
    /// classes less. Feature values are written as drawn. `spread` 0.35 gives AUC ≈ 0.6 (healthy ≈ 0.77).
    case covariateShift(spread: Double, startMs: Int64)

    /// When the incident starts, epoch milliseconds (UTC).
    public var startMs: Int64 {
        switch self {
        case .featureMissing(_, let start), .featureDrift(_, _, let start), .modelDegradation(_, let start),
             .labelsStop(let start), .volumeCollapse(_, let start), .scoreShift(_, let start),
             .covariateShift(_, let start):
            return start
        }
    }

    /// The feature column the incident targets, if it targets one.
    public var feature: String? {
        switch self {
        case .featureMissing(let feature, _), .featureDrift(let feature, _, _): return feature
        case .modelDegradation, .labelsStop, .volumeCollapse, .scoreShift, .covariateShift: return nil
        }
    }
}
