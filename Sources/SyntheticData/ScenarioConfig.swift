/// Everything that determines a synthetic scenario; the same config always yields the same bytes.
///
/// Time is in epoch milliseconds (UTC). The scenario covers `days × 24` whole hours from `startMs`.
public struct ScenarioConfig: Sendable, Hashable {
    /// Seed of the pseudo-random stream.
    public var seed: UInt64
    /// First instant of the scenario, epoch milliseconds (UTC).
    public var startMs: Int64
    /// Length of the scenario in days (whole 24-hour blocks from `startMs`).
    public var days: Int
    /// Mean predictions per hour; the hourly count follows a daily cycle around this mean (see ``VolumeModel``).
    public var predictionsPerHour: Int
    /// Numeric feature columns `f_num_00…` (at least 1; 10 or more for the full mix of distributions).
    public var numericFeatures: Int
    /// Categorical feature columns `f_cat_00…` (at least 1; 3 or more for the full mix of cardinalities).
    public var categoricalFeatures: Int
    /// Probability that a feature cell is empty (logging loss), independently per cell.
    public var emptyCellRate: Double
    /// Decimals the score is rounded to (0…9). Fewer decimals means more ties.
    public var scoreDecimals: Int
    /// Probability that a prediction never gets a label.
    public var unlabelledFraction: Double
    /// Emit labels locally shuffled (within a window of ``Generator/labelShuffleWindow`` rows)
    /// instead of in `label_time` order.
    public var shuffleLabels: Bool
    /// Drop labels whose `label_time` falls after the end of the scenario, as a job running at the
    /// end would see them. When `false`, every label is emitted, however late.
    public var dropLabelsAfterEnd: Bool
    /// When set, `model_version` is `v2` for predictions at or after this instant (epoch ms), `v1` before.
    /// `v2` is a slightly better model (less model noise).
    public var versionSwitchAtMs: Int64?
    /// Injected production problems.
    public var incidents: [Incident]

    /// Creates a config; every parameter but the seed, start, length and volume has a default.
    public init(
        seed: UInt64,
        startMs: Int64,
        days: Int,
        predictionsPerHour: Int,
        numericFeatures: Int = 12,
        categoricalFeatures: Int = 4,
        emptyCellRate: Double = 0.02,
        scoreDecimals: Int = 4,
        unlabelledFraction: Double = 0.1,
        shuffleLabels: Bool = false,
        dropLabelsAfterEnd: Bool = true,
        versionSwitchAtMs: Int64? = nil,
        incidents: [Incident] = []
    ) {
        self.seed = seed
        self.startMs = startMs
        self.days = days
        self.predictionsPerHour = predictionsPerHour
        self.numericFeatures = numericFeatures
        self.categoricalFeatures = categoricalFeatures
        self.emptyCellRate = emptyCellRate
        self.scoreDecimals = scoreDecimals
        self.unlabelledFraction = unlabelledFraction
        self.shuffleLabels = shuffleLabels
        self.dropLabelsAfterEnd = dropLabelsAfterEnd
        self.versionSwitchAtMs = versionSwitchAtMs
        self.incidents = incidents
    }

    /// One past the last instant of the scenario: `startMs + days × 86 400 000`.
    public var endMs: Int64 { startMs + Int64(days) * 86_400_000 }
}
