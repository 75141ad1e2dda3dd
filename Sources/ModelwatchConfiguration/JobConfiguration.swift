import DriftMetrics
import PostgresSource

/// The one immutable, validated configuration of a run, resolved once from flags, environment and file.
public struct JobConfiguration: Sendable {
    /// Models to evaluate, in config order.
    public var models: [ModelConfiguration]
    /// The InfluxDB target; nil when none is configured (then `--output` is required).
    public var influx: InfluxConfiguration?
    /// Batching, retries, spool and dead letters.
    public var delivery: DeliveryConfiguration
    /// Error budgets, time budget and logging.
    public var run: RunOptions
    /// Hex fingerprint of the resolved configuration (secrets excluded), written with every heartbeat.
    public var fingerprint: String
    /// The config file this came from.
    public var sourceFile: String
    /// This config's own directory below the state root (``StateDirectory``): the run lock, and by default
    /// the spool, the dead-letter file and backfill checkpoints.
    public var stateDirectory: String
}

/// One model: where its data is, how it is windowed and what is computed.
public struct ModelConfiguration: Sendable {
    /// Model name, the `model` tag.
    public var name: String
    /// Version used when no version column is configured.
    public var staticVersion: String
    /// Window length W in seconds; windows are aligned to multiples of W since the Unix epoch (UTC).
    public var windowSeconds: Int64
    /// Label maturity delay D in seconds (a multiple of W).
    public var maturitySeconds: Int64
    /// Recompute and re-write the provisional windows inside the maturity horizon on every run.
    public var restateProvisional: Bool
    /// Score thresholds; positive means score >= threshold.
    public var thresholds: [Double]
    /// Top-k cut-offs in percent of the window's labelled rows.
    public var topKPercent: [Double]
    /// Below these counts a window's metrics are marked insufficient.
    public var minimumSamples: MinimumSamples
    /// Segment columns; each gets one slice per (capped) value, plus the all-rows slice.
    public var segmentColumns: [String]
    /// At most this many values per segment column (by volume); the rest fold into `(other)`.
    public var segmentCap: Int
    /// Number of most frequent categories written per categorical feature.
    public var topCategories: Int
    /// Categorical drift bins of their own: the reference's most frequent categories (the rest share one bin).
    public var driftCategoryBins: Int
    /// Frozen reference profile for drift; nil disables drift.
    public var referenceProfile: String?
    /// Score source.
    public var scores: ScoreSource
    /// Label source.
    public var labels: LabelSource
    /// Numeric feature columns.
    public var numericFeatures: [String]
    /// Categorical feature columns.
    public var categoricalFeatures: [String]
    /// When the deployed model was trained or deployed (epoch ms), for the model-age reminder.
    public var deployedAtMs: Int64?
    /// Maximum model age in days before the reminder alert fires.
    public var maxModelAgeDays: Double?
    /// Expected seconds between runs (`expected_interval`); 0 means the window.
    public var expectedIntervalSeconds: Int64 = 0
    /// Alert thresholds of this model (`alert_thresholds`), written with every heartbeat.
    public var alertThresholds = AlertThresholds()
    /// What the model predicts (`task`); binary unless configured.
    public var task: ModelTask = .binary
    /// Multiclass settings; nil unless `task` is multiclass.
    public var multiclass: MulticlassOptions? = nil
    /// Performance estimation before labels mature (`estimation`); nil turns it off.
    public var estimation: EstimationConfiguration?

    /// Expected seconds between the model's runs: `expected_interval`, or the window W.
    public var runIntervalSeconds: Int64 { expectedIntervalSeconds > 0 ? expectedIntervalSeconds : windowSeconds }
}

/// Minimum sample sizes for a window's metrics to count as sufficient.
public struct MinimumSamples: Sendable, Equatable {
    /// Labelled rows for a performance window (`sufficient`).
    public var n: Int
    public var positives: Int
    public var negatives: Int
    /// Rows of a slice for its drift statistics to count (`drift_sufficient`): below it, PSI, JS and KS are
    /// mostly sampling noise.
    public var drift: Int = 200

    /// Whether a performance window of `n` labelled rows (`positives` positive, `negatives` negative) is `sufficient`.
    package func admitPerformance(n: Int, positives: Int, negatives: Int) -> Bool {
        n >= self.n && positives >= self.positives && negatives >= self.negatives
    }

    /// Whether a slice of `rows` rows is `drift_sufficient`.
    package func admitDrift(rows: Int) -> Bool { rows >= drift }
}

/// File format of a source.
public enum SourceFormat: String, Sendable {
    case csv, jsonl
}

/// How epoch numbers in time columns are read.
public enum TimestampUnitOption: String, Sendable {
    case auto, seconds, milliseconds, microseconds, nanoseconds
    /// No `timestamp_unit` given: epoch numbers are rejected.
    case undeclared
}

/// Where prediction scores are read from.
public struct ScoreSource: Sendable {
    /// A file, a glob (`*`, `?`) or a directory, resolved relative to the config file; nil when `postgres` is set.
    public var path: String?
    /// A PostgreSQL table or query instead of files (exactly one of `path` and `postgres`).
    public var postgres: PostgresSourceConfiguration? = nil
    /// Explicit format, or nil to infer from the file name (`.csv`, `.jsonl`, `.ndjson`, with optional `.gz`).
    public var format: SourceFormat?
    public var timestampUnit: TimestampUnitOption
    public var idColumn: String
    public var timeColumn: String
    public var scoreColumn: String
    public var versionColumn: String?
    /// `timezone`: the offset (minutes east of UTC) of timestamps written without a zone; nil rejects them.
    public var timeZoneOffsetMinutes: Int? = nil
    /// A Spark SQL relation over HiveServer2 instead of files (push-down only; docs/spark.md).
    public var spark: SparkSourceConfiguration? = nil
}

/// Where ground-truth labels are read from.
public struct LabelSource: Sendable {
    /// Files, as for scores; nil when `postgres` is set.
    public var path: String?
    /// A PostgreSQL table or query instead of files; needs `columns.time` so the read can be bounded.
    public var postgres: PostgresSourceConfiguration? = nil
    public var format: SourceFormat?
    public var timestampUnit: TimestampUnitOption
    public var idColumn: String
    public var labelColumn: String
    /// When the label was observed; without it every label counts as observed before the as-of time.
    public var timeColumn: String?
    /// `timezone`: the offset (minutes east of UTC) of timestamps written without a zone; nil rejects them.
    public var timeZoneOffsetMinutes: Int? = nil
    /// A Spark SQL relation over HiveServer2 (same endpoint as the scores'); needs `columns.time`.
    public var spark: SparkSourceConfiguration? = nil
}

/// A PostgreSQL source (`scores.postgres` / `labels.postgres`): a connection and a table or a query.
public struct PostgresSourceConfiguration: Sendable {
    /// What is read.
    public enum Relation: Sendable, Equatable {
        /// A table or view (optionally schema-qualified); modelwatch writes the bounded SELECT.
        case table(String)
        /// A SELECT with `$1` and `$2` (timestamptz) for the bounds of the time range.
        case query(String)
    }
    /// How the model is evaluated from this source (set on `scores.postgres`).
    public enum Mode: String, Sendable {
        /// Rows are streamed and every metric is computed in modelwatch, as for files.
        case exact
        /// The database aggregates sufficient statistics with GROUP BY; see docs/postgres.md.
        case pushdown
    }
    /// Connection settings with the password already resolved.
    public var settings: PostgresSettings
    public var relation: Relation
    public var mode: Mode
    /// The config key of this block, e.g. `models[fraud].scores.postgres`, for messages.
    public var key: String
}

/// The InfluxDB write target.
public struct InfluxConfiguration: Sendable {
    /// Which write API.
    public enum API: Sendable, Equatable {
        case v1(database: String, retentionPolicy: String?)
        case v2(org: String, bucket: String)
        case v3(database: String)
    }
    /// How modelwatch authenticates. Secrets never leave this value except into the Authorization header.
    public enum Credentials: Sendable {
        case none
        case token(String)
        case userPassword(user: String, password: String)
    }
    public var url: String
    public var api: API
    public var credentials: Credentials
    public var caBundle: String?
    public var clientCertificate: String?
    public var clientKey: String?
    public var insecureSkipVerify: Bool
    public var connectTimeoutSeconds: Double
    public var requestTimeoutSeconds: Double
}

/// Delivery settings.
public struct DeliveryConfiguration: Sendable {
    public var batchLines: Int
    public var batchBytes: Int
    public var gzip: Bool
    /// Total time spent retrying before the rest is spooled.
    public var retryBudgetSeconds: Double
    /// Where undelivered batches wait: `delivery.spool_dir`, else `spool/` in the config's state directory, so
    /// the job always has one.
    public var spoolDirectory: String
    public var spoolMaxBytes: Int64
    public var deadLetterPath: String?
}

/// Run-wide options.
public struct RunOptions: Sendable {
    /// Exit 65 when more than this many rows fail to parse (per model).
    public var maxBadRows: Int
    /// Exit 65 when more than this share of rows fail to parse (per model).
    public var maxBadRowFraction: Double
    /// Hard wall-clock budget for the whole run, in seconds.
    public var timeBudgetSeconds: Double
    /// Seconds between a SIGTERM or SIGINT and the hard stop (exit 75); until then the model in progress is
    /// finished and delivered (`run.stop_grace`, default 20 s, within Kubernetes' default 30 s grace period).
    public var stopGraceSeconds: Double = 20
    /// Log format.
    public var logFormat: LogFormat
    /// Threads kept busy at once (`run.threads`); nil: the CPUs this process may use (``ThreadBudget``).
    public var threads: Int? = nil
}

/// Log output format.
public enum LogFormat: String, Sendable {
    case text, logfmt, json
}

extension ModelConfiguration {
    /// The config key of a model in messages, after its name: `models[fraud]`. Config errors, `validate` and
    /// the run all use this form (an index, `models[0]`, only where the model has no usable name yet).
    public static func key(_ name: String) -> String { "models[\(name)]" }

    /// This model's config key, `models[<name>]`.
    public var key: String { Self.key(name) }
}

/// What a model predicts (`models[].task`), which decides how its predictions and labels are read and evaluated.
public enum ModelTask: String, Sendable {
    /// A score in [0, 1] against a 0/1 label (the default).
    case binary
    /// A number against a numeric target.
    case regression
    /// One class out of several against the true class, optionally with one probability column per class.
    case multiclass
}

/// The settings of a multiclass model (`classes`, `class_cap`, `scores.columns.probabilities`, …).
public struct MulticlassOptions: Sendable, Equatable {
    /// The class list from the config (`classes`), in order; empty: the reference profile's predicted classes,
    /// most frequent first.
    public var classes: [String] = []
    /// At most this many classes (`class_cap`); the rest, and every value outside the list, are `(other)`.
    public var classCap: Int = 20
    /// Probability columns by class (`scores.columns.probabilities`), in class-list order once resolved.
    public var probabilityColumns: [ProbabilityColumn] = []
    /// The k of the top-k accuracy written with the probabilities (`top_k_accuracy`).
    public var topK: Int = 2
    /// Labelled rows of a class for its per-class metrics to count as sufficient (`minimum_samples.per_class`).
    public var minimumPerClass: Int = 10

    /// The defaults above (the job falls back to them for a model without a `multiclass` mapping).
    package init() {}

    /// One class's probability column.
    public struct ProbabilityColumn: Sendable, Equatable {
        public var className: String
        public var column: String
    }
}

extension ModelConfiguration {
    /// The names under which a non-binary model's reference profile keeps the prediction and the label.
    public enum ProfileEntry {
        /// The prediction (for multiclass, the predicted class) as a profile feature.
        public static let prediction = "(prediction)"
        /// The label (target or true class) as a profile feature, for label drift.
        public static let label = "(label)"
    }

    /// Numeric columns stored per row: the numeric features, then the multiclass probability columns.
    package var storedNumericColumns: [String] { numericFeatures + (multiclass?.probabilityColumns.map(\.column) ?? []) }

    /// Categorical columns stored per row: the categorical features, then (multiclass) the predicted class.
    package var storedCategoricalColumns: [String] { categoricalFeatures + (task == .multiclass ? [scores.scoreColumn] : []) }
}
