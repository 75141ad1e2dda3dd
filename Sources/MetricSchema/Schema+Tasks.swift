/// The measurements of regression and multiclass models (`models[].task`).
extension Schema {
    /// The class tag of the multiclass measurements.
    static let classTag = Tag(Tags.className, "Class name from the class list (`classes`, or the reference profile's predicted classes), or `(other)` for every label or prediction outside it.")

    /// Window-level metrics of a regression model's slice.
    public static let regression = Measurement(
        name: "modelwatch_regression",
        summary: "Error metrics of a regression model (`task: regression`) per performance window and slice; the residual is e = prediction − target.",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags,
        fields: [
            Field("n", .integer, "Predictions with a target (the sample size)."),
            Field("n_scored", .integer, "Predictions in the window with a usable prediction, labelled or not."),
            Field("label_coverage", .float, "n / n_scored."),
            Field("mae", .float, "Mean absolute error (`mean_absolute_error`)."),
            Field("mae_ci_lower", .float, "Lower end of the 95% normal (CLT) interval of MAE, mean|e| ± 1.96·s(|e|)/√n; absent for n < 2."),
            Field("mae_ci_upper", .float, "Upper end of the MAE interval."),
            Field("mse", .float, "Mean squared error (`mean_squared_error`)."),
            Field("rmse", .float, "Root mean squared error."),
            Field("rmse_ci_lower", .float, "Lower end of the 95% interval of RMSE: the square root of the normal interval of MSE (clamped at 0); absent for n < 2."),
            Field("rmse_ci_upper", .float, "Upper end of the RMSE interval."),
            Field("r2", .float, "Coefficient of determination (`r2_score`, `force_finite=True`); absent for n < 2."),
            Field("bias", .float, "Mean error, mean(prediction − target): > 0 means the model predicts too high."),
            Field("bias_ci_lower", .float, "Lower end of the 95% normal interval of the bias, mean e ± 1.96·s(e)/√n; absent for n < 2."),
            Field("bias_ci_upper", .float, "Upper end of the bias interval."),
            Field("median_absolute_error", .float, "Median |e| (`median_absolute_error`); absent in PostgreSQL push-down mode (needs the rows)."),
            Field("mape", .float, "Mean absolute percentage error as a fraction (`mean_absolute_percentage_error`, eps = 2⁻⁵²)."),
            Field("max_error", .float, "Largest |e| (`max_error`)."),
            Field("residual_p05", .float, "5th percentile of the residual e (linear interpolation); the residual quantiles are absent in PostgreSQL push-down mode."),
            Field("residual_p25", .float, "25th percentile of the residual."),
            Field("residual_p50", .float, "Median residual."),
            Field("residual_p75", .float, "75th percentile of the residual."),
            Field("residual_p95", .float, "95th percentile of the residual."),
            Field("mean_prediction", .float, "Mean prediction of the labelled rows."),
            Field("mean_target", .float, "Mean target of the labelled rows."),
            Field("sufficient", .boolean, "True when n meets `minimum_samples.n`; alerts require it."),
            Field("provisional", .boolean, "True while labels for this window may still arrive (within the maturity horizon)."),
        ]
    )

    /// Window-level metrics of a multiclass model's slice.
    public static let multiclass = Measurement(
        name: "modelwatch_multiclass",
        summary: "Accuracy, averaged precision/recall/F1, kappa and probability metrics of a multiclass model (`task: multiclass`) per performance window and slice.",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags,
        fields: [
            Field("n", .integer, "Predictions with a true class (the sample size)."),
            Field("n_scored", .integer, "Predictions in the window with a predicted class, labelled or not."),
            Field("label_coverage", .float, "n / n_scored."),
            Field("classes", .integer, "Classes evaluated: the class list, plus `(other)` when a label or prediction fell outside it."),
            Field("other_labels", .integer, "True classes outside the class list (counted as `(other)`)."),
            Field("other_predictions", .integer, "Predicted classes outside the class list (counted as `(other)`)."),
            Field("accuracy", .float, "Share predicted correctly (`accuracy_score`)."),
            Field("balanced_accuracy", .float, "Mean recall over the classes present in the labels (`balanced_accuracy_score`)."),
            Field("macro_precision", .float, "Unweighted mean precision over the classes (`zero_division=0`)."),
            Field("macro_recall", .float, "Unweighted mean recall."),
            Field("macro_f1", .float, "Unweighted mean F1."),
            Field("weighted_precision", .float, "Support-weighted mean precision."),
            Field("weighted_recall", .float, "Support-weighted mean recall (equals accuracy)."),
            Field("weighted_f1", .float, "Support-weighted mean F1."),
            Field("micro_f1", .float, "F1 from the counts summed over classes (equals accuracy)."),
            Field("cohen_kappa", .float, "Cohen's kappa (`cohen_kappa_score`); absent when the chance disagreement is 0."),
            Field("n_probabilities", .integer, "Labelled rows used for the probability metrics: true class in the list and every class probability present, in [0, 1] and summing to 1 (±1e-6)."),
            Field("log_loss", .float, "Multiclass log loss, natural log, probabilities clipped to [eps, 1 − eps]."),
            Field("brier", .float, "Multiclass Brier score, mean Σ_k (p_k − 1[y = k])², between 0 and 2."),
            Field("roc_auc_macro", .float, "Mean one-vs-rest ROC AUC over the classes where it is defined; absent in PostgreSQL push-down mode (needs the rows)."),
            Field("roc_auc_weighted", .float, "Support-weighted mean one-vs-rest ROC AUC; absent in PostgreSQL push-down mode."),
            Field("top_k_accuracy", .float, "Share of rows whose true class is among the `top_k` most probable (`top_k_accuracy_score`); absent in PostgreSQL push-down mode (needs the rows)."),
            Field("top_k", .integer, "The k of `top_k_accuracy` (`top_k_accuracy`, default 2); absent in PostgreSQL push-down mode."),
            Field("sufficient", .boolean, "True when n meets `minimum_samples.n`; alerts require it."),
            Field("provisional", .boolean, "True while labels for this window may still arrive (within the maturity horizon)."),
        ]
    )

    /// Per-class metrics of a multiclass model.
    public static let multiclassClass = Measurement(
        name: "modelwatch_multiclass_class",
        summary: "Precision, recall, F1 and support of each class of a multiclass model per performance window and slice.",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags + [classTag],
        fields: [
            Field("support", .integer, "Labelled rows whose true class is this one."),
            Field("predicted", .integer, "Labelled rows predicted as this class."),
            Field("tp", .integer, "Rows of this class predicted as this class."),
            Field("fp", .integer, "Rows of other classes predicted as this one."),
            Field("fn", .integer, "Rows of this class predicted as another."),
            Field("precision", .float, "tp / (tp + fp); absent when the class is never predicted."),
            Field("recall", .float, "tp / (tp + fn); absent when the class has no support."),
            Field("recall_ci_lower", .float, "Lower end of the 95% Wilson interval of recall (tp out of support); absent with recall."),
            Field("recall_ci_upper", .float, "Upper end of the recall interval."),
            Field("f1", .float, "2·tp / (2·tp + fp + fn); absent when tp + fp + fn = 0."),
            Field("label_share", .float, "support / n: the class's share of the true classes (label drift at a glance)."),
            Field("roc_auc", .float, "One-vs-rest ROC AUC of the class's probability; absent without probabilities, when undefined, and in PostgreSQL push-down mode."),
            Field("sufficient", .boolean, "True when the support meets `minimum_samples.per_class` (default 10); the per-class recall alert requires it."),
        ]
    )

    /// Confusion counts of a multiclass model.
    public static let confusion = Measurement(
        name: "modelwatch_confusion",
        summary: "Confusion counts of a multiclass model per performance window and slice; cells with a count of 0 are not written.",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags + [Tag(Tags.className, "True class (or `(other)`)."), Tag(Tags.predictedClass, "Predicted class (or `(other)`).")],
        fields: [
            Field("count", .integer, "Labelled rows with this true and predicted class."),
            Field("share", .float, "count / support of the true class: the row of the normalised confusion matrix."),
        ]
    )

    /// Predicted-class distribution of a multiclass model in one input window.
    public static let outputClass = Measurement(
        name: "modelwatch_output_class",
        summary: "Share of each predicted class of a multiclass model in the input window (the prediction's distribution; its drift is on `modelwatch_output`).",
        timestamp: "End of the input window, T.",
        tags: sliceTags + [classTag],
        fields: [
            Field("count", .integer, "Predictions of this class."),
            Field("share", .float, "count / predictions with a class."),
            Field("reference_share", .float, "The class's share in the reference profile; absent without one."),
        ]
    )

    /// The label's distribution and drift (regression and multiclass models).
    public static let label = Measurement(
        name: "modelwatch_label",
        summary: "Distribution of the labels (the regression target, or the true class) of a performance window and slice, and its drift against the reference profile (label drift).",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags,
        fields: [
            Field("count", .integer, "Labels in the window (predictions with a label)."),
            Field("mean", .float, "Regression: mean target."),
            Field("std", .float, "Regression: sample standard deviation of the target (ddof = 1)."),
            Field("min", .float, "Regression: minimum target."),
            Field("max", .float, "Regression: maximum target."),
            Field("p01", .float, "Regression: 1st percentile of the target."),
            Field("p05", .float, "5th percentile."),
            Field("p25", .float, "25th percentile."),
            Field("p50", .float, "Median."),
            Field("p75", .float, "75th percentile."),
            Field("p95", .float, "95th percentile."),
            Field("p99", .float, "99th percentile."),
            Field("zero_rate", .float, "Share of targets equal to 0."),
            Field("psi", .float, "PSI of the labels against the reference profile's `(label)` entry; absent without one."),
            Field("js", .float, "Jensen–Shannon distance (base 2) of the labels against the reference."),
            Field("ks", .float, "Regression: Kolmogorov–Smirnov D of the target against the reference."),
            Field("drift_sufficient", .boolean, "True when the window has at least `minimum_samples.drift` labels (default 200); the label-drift alert uses only these."),
            Field("profile_fingerprint", .string, "Fingerprint of the reference profile."),
        ]
    )
}
