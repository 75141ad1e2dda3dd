import InfluxDelivery
import ModelwatchSources
import PerformanceMetrics

/// What happened to one model in a run.
public struct ModelReport: Sendable {
    public var name: String
    public var status: ExitStatus = .ok
    /// The error that set a non-zero status, user-facing.
    public var message: String?
    public var plan: EvaluationPlan?
    /// True when the model was not evaluated at all (time budget spent, or a stop requested before it):
    /// only its heartbeat was written, and ``message`` says why.
    public var skipped = false
    public var counters = JoinCounters()
    public var rowErrorSamples: [String] = []
    public var pointsEncoded = 0
    public var delivery: DeliveryReport?
    public var inputRows = 0
    /// The final window's all-rows result per version, with its sufficiency flag.
    public var finalPerformance: [FinalPerformance] = []
    /// The final window's all-rows result per version of a regression or multiclass model.
    public var finalTaskResults: [FinalTaskResult] = []
    /// Features by PSI, highest first (all-rows slice of the input window).
    public var driftiest: [FeatureDrift] = []
    /// Features missing in at least 10% of the input window's rows (all-rows slice), highest first.
    public var mostMissing: [(feature: String, rate: Double)] = []
    /// Segment values folded into `(other)` in at least one window of the run, per column.
    public var foldedSegments: [String: [String]] = [:]
    /// Segment values escaped to be stored as tag values (``SegmentValueTag``), per column.
    var rewrittenSegments: [String: SegmentValueTag.Rewrites] = [:]
    public var durationSeconds = 0.0
    /// Seconds per stage (read and join, compute, encode, deliver), in pipeline order.
    public var stageSeconds: [(stage: String, seconds: Double)] = []
    /// For a backfill: the as-of times evaluated, with the join and input figures added up over all of them
    /// (the other fields, like the heartbeat, describe the last one).
    public var backfill: BackfillSpan?
    /// The age of the newest prediction and label at the (last) as-of time; nil for push-down.
    public var freshness: DataFreshness?
    /// Warnings for the summary: things the run left out or could not compute although the model's status may
    /// be ok, and an empty input window while older data exists.
    public var warnings: [String] = []
    /// Final windows of earlier as-of times this run wrote because the runs that should have finalised them were
    /// skipped (``FinalisedWindowState``); 0 when none were missing.
    public var windowsFinalisedLate = 0
    /// The end of the newest final window an earlier run delivered, as stored before this run (nil: none stored).
    var finalisedStoredEndMs: Int64?

    /// Performance of one version in the final window.
    public struct FinalPerformance: Sendable {
        public var version: String
        public var result: PerformanceResult
        public var sufficient: Bool
    }

    /// A regression or multiclass model's result of one version in the final window.
    public struct FinalTaskResult: Sendable {
        public var version: String
        public var result: TaskResult
        public var sufficient: Bool
    }

    /// One feature's drift.
    public struct FeatureDrift: Sendable {
        public var feature: String
        public var psi: Double
    }

    public init(name: String) { self.name = name }
}

/// What happened in a run: one report per model and the exit status (the worst of them).
public struct RunReport: Sendable {
    public var asOfMs: Int64
    public var models: [ModelReport] = []
    /// Spool replay before the models, when InfluxDB is the target.
    public var replay: DeliveryReport?
    /// Where the points went, for the summary.
    public var destination: String = ""
    /// A run-level failure (lock, output file, time budget), if any.
    public var runError: JobError?
    public var durationSeconds = 0.0
    /// For a backfill: its first as-of time (`--from`); ``asOfMs`` is its last (`--to`).
    public var backfillFromMs: Int64?

    public init(asOfMs: Int64) { self.asOfMs = asOfMs }

    /// The worst outcome across models and the run itself.
    public var exitStatus: ExitStatus {
        var worst = runError?.status ?? .ok
        for model in models where model.status > worst { worst = model.status }
        return worst
    }
}

extension ModelReport {
    /// Copies what one evaluation as of `asOfMs` found into the report (the summary's and heartbeat's figures).
    mutating func record(_ outcome: ModelEvaluator.Outcome, table: ScoreTable, asOfMs: Int64) {
        counters.labelsMatched = outcome.labelsMatched
        counters.duplicateLabels = outcome.duplicateLabels
        counters.orphanLabels = table.orphanLabels(asOfMs: asOfMs)
        counters.lateLabels = table.lateLabels(asOfMs: asOfMs)
        inputRows = outcome.inputRows
        finalPerformance = outcome.finalPerformance.map { .init(version: $0.version, result: $0.result, sufficient: $0.sufficient) }
        finalTaskResults = outcome.finalTaskResults.map { .init(version: $0.version, result: $0.result, sufficient: $0.sufficient) }
        driftiest = outcome.driftiest.map { .init(feature: $0.feature, psi: $0.psi) }
        mostMissing = outcome.mostMissing
        foldedSegments = outcome.foldedSegments
        let freshness = DataFreshness(table: table, asOfMs: asOfMs)
        self.freshness = freshness
        warnings = []
        if let inputWindow = plan?.inputWindow, let warning = freshness.staleWarning(inputRows: outcome.inputRows, inputWindow: inputWindow) {
            warnings.append(warning)
        }
    }
}
