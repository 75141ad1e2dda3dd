/// The InfluxDB schema modelwatch writes: every measurement, tag key and field key, in one place.
///
/// The job writes exactly these (tests check its output in exact and push-down mode against them, types
/// included), `docs/schema.md` is generated from them, and the Grafana kit tests check every dashboard and
/// alert query against ``Schema/all``, so a rename breaks a test instead of a dashboard.
public enum Schema {
    /// Every measurement modelwatch writes, in documentation order.
    public static let all: [Measurement] = [
        performance, threshold, topK, calibrationBin, feature, featureCategory, output,
        outputThreshold, join, run, deadline, labelArrivals,
        regression, multiclass, multiclassClass, confusion, outputClass, label,
        estimatedPerformance, estimatedThreshold,
    ]

    /// Looks a measurement up by name.
    public static func measurement(named name: String) -> Measurement? {
        all.first { $0.name == name }
    }

    // MARK: Shared tags

    /// Tags that identify one model, version and segment slice.
    static let sliceTags: [Tag] = [
        Tag(Tags.model, "Model name from the config (`models[].name`)."),
        Tag(Tags.version, "Model version from the version column, or the config's static `version`."),
        Tag(Tags.segment, "Segment column name, or `all` for the all-rows slice."),
        Tag(Tags.segmentValue, "Segment value (the window's top values by volume, the rest folded into `(other)`; an empty value is `(missing)`), or `all`; escaped as described under [Tag values](#tag-values)."),
    ]

    // MARK: Performance (matured labels, timestamped at the end of the prediction window)

    /// Window-level performance of one slice, computed from predictions joined with their labels.
    public static let performance = Measurement(
        name: "modelwatch_performance",
        summary: "Ranking, calibration and volume metrics per performance window and slice.",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags,
        fields: [
            Field("n", .integer, "Labelled predictions in the window (the sample size)."),
            Field("n_pos", .integer, "Labelled positives."),
            Field("n_neg", .integer, "Labelled negatives."),
            Field("n_scored", .integer, "Predictions scored in the window, labelled or not."),
            Field("label_coverage", .float, "n / n_scored: share of predictions whose label has arrived."),
            Field("base_rate", .float, "n_pos / n: observed positive rate."),
            Field("mean_score", .float, "Mean score of the labelled predictions."),
            Field("auc", .float, "ROC AUC, ties counted as half (Mann–Whitney). Absent when a class is missing."),
            Field("auc_se", .float, "DeLong standard error of the AUC."),
            Field("auc_ci_lower", .float, "Lower end of the 95% DeLong confidence interval, clamped to [0, 1]."),
            Field("auc_ci_upper", .float, "Upper end of the 95% DeLong confidence interval, clamped to [0, 1]."),
            Field("average_precision", .float, "Step-wise average precision (scikit-learn's definition)."),
            Field("log_loss", .float, "Log loss, natural log, scores clipped to [eps, 1 − eps]."),
            Field("brier", .float, "Brier score: mean squared error of the score against the label."),
            Field("ece", .float, "Expected calibration error over 10 uniform bins, count-weighted."),
            Field("mce", .float, "Maximum calibration error over the non-empty bins."),
            Field("observed_expected", .float, "Σ labels / Σ scores: > 1 means risk is under-predicted."),
            Field("calibration_in_the_large", .float, "Intercept of a logistic fit with logit(score) as offset."),
            Field("calibration_intercept", .float, "Intercept a of the joint fit logit P(y) = a + b·logit(score)."),
            Field("calibration_slope", .float, "Slope b of the joint logistic recalibration fit (ideal 1)."),
            Field("sufficient", .boolean, "True when n, n_pos and n_neg meet the configured minimums; alerts require it."),
            Field("provisional", .boolean, "True while labels for this window may still arrive (within the maturity horizon)."),
            Field("undefined_reason", .string, "Why ranking metrics are absent, e.g. `no positives`; empty otherwise."),
        ]
    )

    /// Confusion-matrix metrics of one slice at one configured score threshold.
    public static let threshold = Measurement(
        name: "modelwatch_threshold",
        summary: "Confusion matrix and rates at each configured threshold (positive means score >= threshold).",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags + [Tag(Tags.threshold, "The threshold, formatted as in the config (e.g. `0.5`).")],
        fields: [
            Field("tp", .integer, "True positives."),
            Field("fp", .integer, "False positives."),
            Field("tn", .integer, "True negatives."),
            Field("fn", .integer, "False negatives."),
            Field("precision", .float, "tp / (tp + fp); absent when nothing is predicted positive."),
            Field("recall", .float, "tp / (tp + fn); absent when there are no positives."),
            Field("precision_ci_lower", .float, "Lower end of the 95% Wilson interval of precision (tp out of tp + fp); absent with precision."),
            Field("precision_ci_upper", .float, "Upper end of the 95% Wilson interval of precision."),
            Field("recall_ci_lower", .float, "Lower end of the 95% Wilson interval of recall (tp out of tp + fn); absent with recall."),
            Field("recall_ci_upper", .float, "Upper end of the 95% Wilson interval of recall."),
            Field("f1", .float, "2·tp / (2·tp + fp + fn); absent when tp + fp + fn = 0."),
            Field("fpr", .float, "fp / (fp + tn); absent when there are no negatives."),
            Field("specificity", .float, "tn / (tn + fp); absent when there are no negatives."),
            Field("predicted_positive_rate", .float, "(tp + fp) / n."),
        ]
    )

    /// Precision and recall among the highest-scored k% of one slice.
    public static let topK = Measurement(
        name: "modelwatch_topk",
        summary: "Precision and recall at each configured top-k% cut-off (ties at the cut-off included).",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags + [Tag(Tags.topKPercent, "The cut-off in percent, e.g. `5`.")],
        fields: [
            Field("k", .integer, "ceil(fraction · n): the nominal number of rows selected."),
            Field("selected", .integer, "Rows with score >= the k-th highest score (>= k when scores tie)."),
            Field("score_cutoff", .float, "The k-th highest score."),
            Field("precision", .float, "Positives among the selected rows / selected."),
            Field("recall", .float, "Positives among the selected rows / n_pos; absent without positives."),
            Field("precision_ci_lower", .float, "Lower end of the 95% Wilson interval of precision (positives out of the selected rows)."),
            Field("precision_ci_upper", .float, "Upper end of the 95% Wilson interval of precision."),
            Field("recall_ci_lower", .float, "Lower end of the 95% Wilson interval of recall (selected positives out of n_pos); absent with recall."),
            Field("recall_ci_upper", .float, "Upper end of the 95% Wilson interval of recall."),
        ]
    )

    /// One reliability-diagram bin of one slice.
    public static let calibrationBin = Measurement(
        name: "modelwatch_calibration_bin",
        summary: "Reliability diagram: 10 uniform bins, right-closed like scikit-learn's calibration_curve.",
        timestamp: "End of the prediction window, T − maturity.",
        tags: sliceTags + [Tag(Tags.bin, "Bin index 0–9, zero-padded (`00`–`09`).")],
        fields: [
            Field("count", .integer, "Labelled predictions in the bin."),
            Field("lower", .float, "Lower bin edge."),
            Field("upper", .float, "Upper bin edge."),
            Field("mean_predicted", .float, "Mean score in the bin; absent when the bin is empty."),
            Field("observed_rate", .float, "Positive rate in the bin; absent when the bin is empty."),
        ]
    )

    // MARK: Inputs and outputs (timestamped at the end of the input window)

    /// Missingness, distribution statistics and drift of one feature in one input window.
    public static let feature = Measurement(
        name: "modelwatch_feature",
        summary: "Per-feature missingness, statistics and drift against the reference profile.",
        timestamp: "End of the input window, T.",
        tags: sliceTags + [
            Tag(Tags.feature, "Feature column name."),
            Tag(Tags.featureKind, "`numeric` or `categorical`."),
        ],
        fields: [
            Field("count", .integer, "Rows in the window."),
            Field("missing_rate", .float, "(null + empty + NaN + ±Inf + invalid) / count."),
            Field("null_count", .integer, "Absent or JSON null values."),
            Field("empty_count", .integer, "Empty strings."),
            Field("nan_count", .integer, "NaN values (numeric features)."),
            Field("inf_count", .integer, "+Inf or −Inf values (numeric features)."),
            Field("invalid_count", .integer, "Values that do not parse as a number (numeric features); also counted missing."),
            Field("mean", .float, "Mean of the present values."),
            Field("std", .float, "Sample standard deviation (ddof = 1); absent below 2 values."),
            Field("min", .float, "Minimum present value."),
            Field("max", .float, "Maximum present value."),
            Field("p01", .float, "1st percentile, numpy linear interpolation."),
            Field("p05", .float, "5th percentile."),
            Field("p25", .float, "25th percentile."),
            Field("p50", .float, "Median."),
            Field("p75", .float, "75th percentile."),
            Field("p95", .float, "95th percentile."),
            Field("p99", .float, "99th percentile."),
            Field("zero_rate", .float, "Share of present values equal to 0."),
            Field("distinct_count", .integer, "Distinct present values (categorical features)."),
            Field("unseen_rate", .float, "Share of present values not seen in the reference (categorical)."),
            Field("psi", .float, "Population stability index against the reference bins (10 deciles + missing)."),
            Field("js", .float, "Jensen–Shannon distance, base 2, over the same bins."),
            Field("ks", .float, "Kolmogorov–Smirnov D statistic against the reference distribution (numeric)."),
            Field("drift_sufficient", .boolean, "True when the slice has at least `minimum_samples.drift` rows (default 200); drift alerts use only these. Written with the drift fields."),
            Field("profile_fingerprint", .string, "Fingerprint of the reference profile the drift compares against."),
        ]
    )

    /// Share of the most frequent categories of one categorical feature (bounded by rank).
    public static let featureCategory = Measurement(
        name: "modelwatch_feature_category",
        summary: "Most frequent categories of a categorical feature, by rank (rank is the tag, not the value).",
        timestamp: "End of the input window, T.",
        tags: sliceTags + [
            Tag(Tags.feature, "Feature column name."),
            Tag(Tags.rank, "Rank by frequency, `01` is the most frequent."),
        ],
        fields: [
            Field("category", .string, "The category value."),
            Field("share", .float, "Its share of the present values."),
            Field("reference_share", .float, "Its share in the reference profile (0 when unseen)."),
        ]
    )

    /// Distribution and drift of the model's score in one input window.
    public static let output = Measurement(
        name: "modelwatch_output",
        summary: "Prediction volume, score distribution and score drift.",
        timestamp: "End of the input window, T.",
        tags: sliceTags,
        fields: [
            Field("count", .integer, "Predictions in the window (prediction volume)."),
            Field("missing_rate", .float, "Share of predictions whose score is missing or invalid."),
            Field("mean", .float, "Mean score."),
            Field("std", .float, "Sample standard deviation of the score (ddof = 1)."),
            Field("min", .float, "Minimum score."),
            Field("max", .float, "Maximum score."),
            Field("p01", .float, "1st percentile of the score."),
            Field("p05", .float, "5th percentile."),
            Field("p25", .float, "25th percentile."),
            Field("p50", .float, "Median."),
            Field("p75", .float, "75th percentile."),
            Field("p95", .float, "95th percentile."),
            Field("p99", .float, "99th percentile."),
            Field("zero_rate", .float, "Share of scores equal to 0."),
            Field("psi", .float, "PSI of the score against the reference profile."),
            Field("js", .float, "Jensen–Shannon distance (base 2) of the score."),
            Field("ks", .float, "Kolmogorov–Smirnov D of the score."),
            Field("drift_sufficient", .boolean, "True when the slice has at least `minimum_samples.drift` rows (default 200); the score-shift alert uses only these."),
            Field("profile_fingerprint", .string, "Fingerprint of the reference profile."),
        ]
    )

    /// Predicted-positive rate at each threshold in one input window.
    public static let outputThreshold = Measurement(
        name: "modelwatch_output_threshold",
        summary: "Share of predictions at or above each configured threshold.",
        timestamp: "End of the input window, T.",
        tags: sliceTags + [Tag(Tags.threshold, "The threshold, formatted as in the config.")],
        fields: [
            Field("predicted_positive_rate", .float, "Share of scored predictions with score >= threshold."),
        ]
    )

    // MARK: Pipeline health

    /// Join diagnostics of one performance window.
    public static let join = Measurement(
        name: "modelwatch_join",
        summary: "How scores and labels joined for one performance window.",
        timestamp: "End of the prediction window, T − maturity.",
        tags: [Tag(Tags.model, "Model name.")],
        fields: [
            Field("scored", .integer, "Distinct prediction ids scored in the window."),
            Field("labelled", .integer, "Of those, ids with a label observed up to T."),
            Field("unlabelled", .integer, "Scored ids still without a label."),
            Field("label_coverage", .float, "labelled / scored."),
            Field("orphan_labels", .integer, "Labels observed up to T whose id matches no score read this run."),
            Field("duplicate_scores", .integer, "Extra score rows for an id already seen (the last row wins)."),
            Field("duplicate_labels", .integer, "Extra label rows for an id already seen (the latest label wins)."),
            Field("late_labels", .integer, "Labels whose label time is after T (ignored)."),
        ]
    )

    /// One record per model per run: the heartbeat that alerting watches.
    public static let run = Measurement(
        name: "modelwatch_run",
        summary: "Heartbeat and outcome of one run for one model.",
        timestamp: "The as-of time T of the run.",
        tags: [Tag(Tags.model, "Model name.")],
        fields: [
            Field("status", .string, "`ok`, `data_error`, `temporary_failure`, `config_error`, `no_input`, `cannot_create` or `io_error` (points lost)."),
            Field("success", .boolean, "True when the run ended with exit status 0 for this model."),
            Field("exit_code", .integer, "The exit code this model's outcome maps to."),
            Field("duration_seconds", .float, "Wall-clock seconds spent on this model."),
            Field("rows_read", .integer, "Score and label rows read."),
            Field("rows_rejected", .integer, "Rows that failed to parse."),
            Field("rows_matched", .integer, "Predictions of the final performance window joined with a label observed by T."),
            Field("points_written", .integer, "Metric points of this model delivered in this run (before this heartbeat)."),
            Field("points_rejected", .integer, "Points the server rejected (sent to the dead-letter file)."),
            Field("points_spooled", .integer, "Points put in the spool for a later run."),
            Field("points_replayed", .integer, "Points spooled by earlier runs and delivered in this one (also counted in `points_written`)."),
            Field("points_lost", .integer, "Points neither delivered, dead-lettered nor spooled (writing the spool failed)."),
            Field("points_dropped_spool_full", .integer, "Oldest spooled points deleted because the spool exceeded `delivery.spool_max_bytes`."),
            Field("retries", .integer, "HTTP retries during delivery."),
            Field("spool_depth_bytes", .integer, "Size of the spool after this model's metric points were delivered or spooled."),
            Field("spool_files_quarantined", .integer, "Spool files that failed their length, checksum or line check and were moved to the quarantine instead of being sent."),
            Field("run_as_of_seconds", .integer, "The as-of time T in epoch seconds (heartbeat queries use `last`)."),
            Field("window_seconds", .integer, "The model's window W in seconds: how often it is expected to run (the hourly-model staleness alert watches models with W ≤ 1 h)."),
            Field("finished_at_seconds", .integer, "Wall-clock time the model's run finished, epoch seconds (the point itself is stamped T)."),
            Field("model_age_days", .float, "Days since the model's `deployed_at` (config); absent when not configured."),
            Field("max_model_age_days", .float, "The configured `max_model_age_days`; the model-age reminder compares the two."),
            Field("config_fingerprint", .string, "Fingerprint of the resolved configuration."),
            Field("modelwatch_version", .string, "modelwatch version that wrote the point."),
            Field("newest_prediction_age_seconds", .integer, "Seconds from the newest prediction read (before T) to T; absent when none was read (or push-down). The data-freshness alert watches it."),
            Field("newest_label_age_seconds", .integer, "Seconds from the newest label observed by T to T; absent without a label time column or when none was read (or push-down)."),
            Field("earlier_runs_points_replayed", .integer, "Points that earlier runs could not deliver and this run's first replay of the spool did (the same on every heartbeat of the run; non-zero means an earlier run's writes failed)."),
            Field("earlier_runs_oldest_age_seconds", .integer, "Seconds the oldest of those points waited in the spool; 0 when none were replayed."),
            Field("expected_interval_seconds", .integer, "Expected time between the model's runs (`expected_interval`, default the window W)."),
            Field("threshold_auc_floor", .float, "The model's `alert_thresholds.auc_floor` (default 0.70): `mw-auc-below-floor` compares the AUC with it."),
            Field("threshold_auc_drop", .float, "`alert_thresholds.auc_drop` (default 0.05): allowed AUC drop below the trailing baseline."),
            Field("threshold_ece", .float, "`alert_thresholds.ece` (default 0.10): highest acceptable ECE."),
            Field("threshold_psi", .float, "`alert_thresholds.psi` (default 0.25): feature and score PSI limit."),
            Field("threshold_ks", .float, "`alert_thresholds.ks` (default 0.15): score KS limit."),
            Field("threshold_missing_rate_jump", .float, "`alert_thresholds.missing_rate_jump` (default 0.10): allowed rise of a feature's missing rate over a week earlier."),
            Field("threshold_volume_drop", .float, "`alert_thresholds.volume_drop` (default 0.5): fraction of last week's volume whose loss fires the volume alert."),
            Field("threshold_label_coverage", .float, "`alert_thresholds.label_coverage` (default 0.5): lowest acceptable label coverage of a final window."),
            Field("threshold_mae", .float, "Regression models: `alert_thresholds.mae`, the highest acceptable MAE in the target's unit (`mw-regression-mae-high`); absent when not configured."),
            Field("threshold_mae_rise", .float, "Regression models: `alert_thresholds.mae_rise` (default 0.25): allowed rise of MAE over the trailing baseline, as a fraction."),
            Field("threshold_macro_f1_drop", .float, "Multiclass models: `alert_thresholds.macro_f1_drop` (default 0.05): allowed drop of macro-F1 and accuracy below the trailing baseline."),
            Field("threshold_recall_drop", .float, "Multiclass models: `alert_thresholds.recall_drop` (default 0.20): allowed drop of a class's recall below its trailing baseline."),
        ]
    )

    /// The dead-man's switch of each model's heartbeat, written beside it.
    public static let deadline = Measurement(
        name: "modelwatch_deadline",
        summary: "When the model's next run is overdue: the job-stopped alert fires once the deadline of the model's latest run has passed.",
        timestamp: "`kind=deadline`: the run's wall-clock finish time plus 1.5 × `expected_interval_seconds` (in the future when written); `kind=as_of`: the as-of time T.",
        tags: [
            Tag("kind", "`deadline`, or `as_of` for a row with `finished_at_seconds` 0 that gives the model a series in the past from its first run on."),
            Tag(Tags.model, "Model name."),
        ],
        fields: [
            Field("finished_at_seconds", .integer, "Wall-clock time the run finished, epoch seconds (as in its heartbeat)."),
            Field("expected_interval_seconds", .integer, "Expected time between the model's runs (`expected_interval`, default the window W)."),
        ]
    )

    /// Labels that arrived per hour of label time, for the label-slowdown alert.
    public static let labelArrivals = Measurement(
        name: "modelwatch_label_arrivals",
        summary: "Labels observed per hour of label time (per window for windows shorter than an hour), written for every hour of the input window [T − W, T); only for label sources with a time column, and not in push-down mode.",
        timestamp: "Start of the hour (of the window when W < 1 h).",
        tags: [Tag(Tags.model, "Model name.")],
        fields: [
            Field("labels", .integer, "Label rows whose label time falls in the hour, joined or not (0 when none arrived)."),
            Field("bucket_seconds", .integer, "Length of the bucket: 3600, or W when the window is shorter than an hour or not a whole number of hours."),
        ]
    )
}

/// Tag keys, shared by several measurements.
public enum Tags {
    public static let model = "model"
    public static let version = "version"
    public static let segment = "segment"
    public static let segmentValue = "segment_value"
    public static let threshold = "threshold"
    public static let topKPercent = "k_percent"
    public static let bin = "bin"
    public static let feature = "feature"
    public static let featureKind = "kind"
    public static let rank = "rank"
    /// A multiclass model's class (the true class in ``Schema/confusion``).
    public static let className = "class"
    /// The predicted class of a confusion cell.
    public static let predictedClass = "predicted_class"
    /// The tag value of the all-rows segment and of its segment value.
    public static let allValue = "all"
    /// The segment value that collects values beyond the cardinality cap; in parentheses like `(missing)`, so that
    /// a real value `other` (a common catch-all in source data) keeps a series of its own.
    public static let otherValue = "(other)"
    /// The segment value of rows whose segment column is empty (or NULL).
    public static let missingValue = "(missing)"
}

/// One measurement: its name, documentation, tags and fields.
public struct Measurement: Sendable, Hashable {
    public let name: String
    public let summary: String
    public let timestamp: String
    public let tags: [Tag]
    public let fields: [Field]

    public init(name: String, summary: String, timestamp: String, tags: [Tag], fields: [Field]) {
        self.name = name
        self.summary = summary
        self.timestamp = timestamp
        self.tags = tags
        self.fields = fields
    }

    /// Whether the measurement has a field with this key.
    public func hasField(_ key: String) -> Bool { fields.contains { $0.key == key } }
    /// Whether the measurement has a tag with this key.
    public func hasTag(_ key: String) -> Bool { tags.contains { $0.key == key } }
}

/// A tag key and what its values mean.
public struct Tag: Sendable, Hashable {
    public let key: String
    public let doc: String
    public init(_ key: String, _ doc: String) {
        self.key = key
        self.doc = doc
    }
}

/// A field key, its line-protocol type and what it means.
public struct Field: Sendable, Hashable {
    /// The line-protocol type a field is always written with (types are fixed once written).
    public enum Kind: String, Sendable, Hashable {
        case float, integer, boolean, string
    }
    public let key: String
    public let kind: Kind
    public let doc: String
    public init(_ key: String, _ kind: Kind, _ doc: String) {
        self.key = key
        self.kind = kind
        self.doc = doc
    }
}
