/// Confidence-based performance estimates (CBPE): what the scores alone say about performance before the labels
/// mature. Measurements of their own, so that an estimate can never be read as a realized value.
extension Schema {
    /// Fields of one estimated metric: value, standard error and band (`<metric>`, `_se`, `_lower`, `_upper`),
    /// then the realized value and the difference written once the window is final.
    static func estimatedFields(_ metric: String, _ meaning: String) -> [Field] {
        [
            Field(metric, .float, "Estimated \(meaning) (CBPE, from the calibrated scores; not a realized value)."),
            Field("\(metric)_se", .float, "Standard error of the estimate (NannyML's sampling error, from the reference profile); absent when the reference cannot supply one."),
            Field("\(metric)_lower", .float, "Estimate − 3 standard errors, at least 0 (NannyML's band)."),
            Field("\(metric)_upper", .float, "Estimate + 3 standard errors, at most 1."),
            Field("realized_\(metric)", .float, "The realized \(meaning) of the same window and slice from the labels so far; performance windows only (final, or provisional while labels arrive: see label_coverage)."),
            Field("\(metric)_difference", .float, "realized_\(metric) − \(metric); performance windows only. Persistent differences beyond the bands on matured windows mean concept drift."),
        ]
    }

    /// Estimated ROC AUC of one window and slice.
    public static let estimatedPerformance = Measurement(
        name: "modelwatch_estimated_performance",
        summary: "Estimated ROC AUC (confidence-based performance estimation) for the input window and every window whose labels have not matured, and for the final window beside its realized AUC.",
        timestamp: "End of the prediction window (T for the input window, T − maturity for the final one).",
        tags: sliceTags,
        fields: [
            Field("n", .integer, "Scored predictions the estimate is made from, labelled or not."),
            Field("expected_base_rate", .float, "Mean calibrated probability: the expected positive rate."),
        ] + estimatedFields("auc", "ROC AUC") + [
            Field("realized_auc_ci_lower", .float, "Lower end of the realized AUC's 95% DeLong interval; performance windows only."),
            Field("realized_auc_ci_upper", .float, "Upper end of the realized AUC's 95% DeLong interval; performance windows only."),
            Field("auc_divergence", .float, "Gap between the estimate's band and the realized AUC's interval, 0 while they overlap; performance windows only. Above 0: realized and estimated disagree beyond sampling error."),
            Field("realized_sufficient", .boolean, "The realized window's `sufficient` (modelwatch_performance); performance windows only."),
            Field("label_coverage", .float, "Labelled predictions / n: how far the realized values are from final; performance windows only."),
            Field("calibration", .string, "`isotonic` (map learned from the reference's labels) or `none` (scores used as they are)."),
            Field("profile_fingerprint", .string, "First 16 hex characters of the reference profile the estimate used."),
            Field("sufficient", .boolean, "True when n, the expected positives and the expected negatives meet the configured minimums; alerts require it."),
            Field("provisional", .boolean, "True while the window's labels may still arrive; false on the final window."),
        ]
    )

    /// Estimated confusion-matrix metrics of one window and slice at one configured threshold.
    public static let estimatedThreshold = Measurement(
        name: "modelwatch_estimated_threshold",
        summary: "Estimated precision, recall, F1, specificity and accuracy at each configured threshold (positive means score >= threshold), with the realized values once the window is final.",
        timestamp: "End of the prediction window, as modelwatch_estimated_performance.",
        tags: sliceTags + [Tag(Tags.threshold, "The threshold, formatted as in the config (e.g. `0.5`).")],
        fields: estimatedFields("precision", "precision")
            + estimatedFields("recall", "recall")
            + estimatedFields("f1", "F1")
            + estimatedFields("specificity", "specificity")
            + estimatedFields("accuracy", "accuracy")
    )
}
