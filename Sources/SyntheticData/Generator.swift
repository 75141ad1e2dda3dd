/// Generates a scenario's scores and labels as CSV bytes, deterministically from its ``ScenarioConfig``.
///
/// Pure: no file I/O and no clock. Rows are formatted straight into a reused buffer that is handed
/// to the caller's sinks in chunks of about `chunkSize` bytes; the executable writes the files.
///
/// The true process: `latent = −1.3 + Σ coefᵢ · standardized(featureᵢ) + region and f_cat_00
/// effects + N(0, 0.6)`, `label ~ Bernoulli(sigmoid(latent))`. The model sees
/// `m = latent + N(0, 0.5)` (`N(0, 0.35)` for `v2`) and outputs `score = sigmoid(calibrate(m))`,
/// where `calibrate` is the linear map that makes the score approximately calibrated when the
/// latent is normal (shrinkage toward the mean, then the probit–logit variance correction).
/// AUC ≈ 0.77 (`v1`), a little higher for `v2`.
/// `label_time = prediction_time + lognormal delay` (median 2 days, 95 % within 7 days).
public struct Generator: Sendable {
    /// The scenario being generated.
    public let config: ScenarioConfig
    /// The numeric feature columns, `f_num_00…`.
    public let numericFeatureNames: [String]
    /// The categorical feature columns, `f_cat_00…`.
    public let categoricalFeatureNames: [String]
    /// The hourly volume of the scenario.
    public let volume: VolumeModel

    /// Header of the labels CSV (no trailing newline).
    public static let labelsHeader = "prediction_id,label,label_time"
    /// The values of the `region` column, most frequent first (about 36, 26, 18, 13 and 7 %).
    public static let regions: [String] = CategoricalFeature.regionNames
    /// How many labels ``ScenarioConfig/shuffleLabels`` reorders among.
    public static let labelShuffleWindow = 8192

    private let numeric: [NumericFeature]
    private let categorical: [CategoricalFeature]
    private let plan: IncidentPlan
    /// Mean and standard deviation of the healthy latent logit (analytic).
    private let latentMean: Double
    private let latentSD: Double

    private static let intercept = -1.3
    private static let latentNoise = 0.6
    private static let modelNoise = 0.5
    private static let modelNoiseV2 = 0.35
    /// Lognormal label delay: median 2 days, 95th percentile 7 days.
    private static let delayMu = mathLog(2 * 86_400_000.0)
    private static let delaySigma = mathLog(3.5) / 1.6448536269514722

    /// Validates the config and resolves its incidents.
    public init(config: ScenarioConfig) throws(ConfigurationError) {
        guard config.days >= 0 else { throw .outOfRange(setting: "days", allowed: "≥ 0") }
        guard config.predictionsPerHour >= 0 else {
            throw .outOfRange(setting: "predictionsPerHour", allowed: "≥ 0")
        }
        guard config.numericFeatures >= 1 else { throw .outOfRange(setting: "numericFeatures", allowed: "≥ 1") }
        guard config.categoricalFeatures >= 1 else {
            throw .outOfRange(setting: "categoricalFeatures", allowed: "≥ 1")
        }
        guard (0...1).contains(config.emptyCellRate) else {
            throw .outOfRange(setting: "emptyCellRate", allowed: "0...1")
        }
        guard (0...1).contains(config.unlabelledFraction) else {
            throw .outOfRange(setting: "unlabelledFraction", allowed: "0...1")
        }
        guard (0...9).contains(config.scoreDecimals) else {
            throw .outOfRange(setting: "scoreDecimals", allowed: "0...9")
        }
        self.config = config
        numericFeatureNames = Self.columnNames(prefix: "f_num_", count: config.numericFeatures)
        categoricalFeatureNames = Self.columnNames(prefix: "f_cat_", count: config.categoricalFeatures)
        numeric = (0..<config.numericFeatures).map { NumericFeature.catalog[$0 % NumericFeature.catalog.count] }
        categorical = (0..<config.categoricalFeatures).map {
            CategoricalFeature.catalog[$0 % CategoricalFeature.catalog.count]
        }
        volume = VolumeModel(config: config)
        let regionMoments = CategoricalFeature.regions.effectMoments
        let categoryMoments = categorical[0].effectMoments
        latentMean = Self.intercept + regionMoments.mean + categoryMoments.mean
        let variance = numeric.reduce(0) { $0 + $1.coefficient * $1.coefficient * $1.signalVariance }
            + regionMoments.variance + categoryMoments.variance + Self.latentNoise * Self.latentNoise
        latentSD = variance.squareRoot()
        plan = try IncidentPlan(
            incidents: config.incidents, numericNames: numericFeatureNames,
            categoricalNames: categoricalFeatureNames, numeric: numeric
        )
    }

    /// All columns of the scores CSV, in order.
    public var scoreColumns: [String] {
        ["prediction_id", "prediction_time", "model_version", "score", "region"] + numericFeatureNames
            + categoricalFeatureNames
    }

    /// Header of the scores CSV (no trailing newline).
    public var scoresHeader: String { scoreColumns.joined(separator: ",") }

    /// Header of the scores CSV of `config` (no trailing newline); `nil` if the config is invalid.
    public static func scoresHeader(for config: ScenarioConfig) -> String? {
        (try? Generator(config: config))?.scoresHeader
    }

    /// The `prediction_id` of the `index`-th prediction (0-based): `p` and 11 zero-padded digits.
    public static func predictionID(_ index: Int64) -> String {
        let digits = String(index)
        return "p" + String(repeating: "0", count: max(0, 11 - digits.count)) + digits
    }

    /// The calibration map of a model seeing `latent + N(0, modelNoise)`: with `L ~ N(μ, σ²)` and
    /// `m = L + e`, `L | m ~ N(μ + ρ(m − μ), v)` with `ρ = σ² / (σ² + e²)` and `v = ρ e²`, and
    /// `E[sigmoid(L) | m] ≈ sigmoid((μ + ρ(m − μ)) / √(1 + πv/8))`.
    private static func calibration(latentSD: Double, modelNoise: Double) -> (slope: Double, scale: Double) {
        let latentVariance = latentSD * latentSD
        let noiseVariance = modelNoise * modelNoise
        let slope = latentVariance / (latentVariance + noiseVariance)
        let residual = slope * noiseVariance
        return (slope, 1 / (1 + Double.pi * residual / 8).squareRoot())
    }

    private static func columnNames(prefix: String, count: Int) -> [String] {
        let width = max(2, String(max(0, count - 1)).count)
        return (0..<count).map {
            let digits = String($0)
            return prefix + String(repeating: "0", count: width - digits.count) + digits
        }
    }

    /// Generates the scenario: score rows in `prediction_time` order to `scores`, label rows in
    /// `label_time` order (or locally shuffled) to `labels`, each CSV line ending in `\n`.
    ///
    /// Each sink receives chunks of about `chunkSize` bytes ending on a row boundary; the buffer is
    /// valid only during the call. With `includeHeaders`, each stream starts with its header line.
    @discardableResult
    public func generate(
        includeHeaders: Bool = true,
        chunkSize: Int = 1 << 20,
        scores: (UnsafeRawBufferPointer) -> Void,
        labels: (UnsafeRawBufferPointer) -> Void
    ) -> GenerationSummary {
        let numeric = self.numeric
        let categorical = self.categorical
        let plan = self.plan
        let numericCount = numeric.count
        let categoricalCount = categorical.count
        let regions = CategoricalFeature.regions
        let maxLevelBytes = categorical.map { $0.encodedLevels.map(\.count).max() ?? 0 }.reduce(0, +)
        let maxRowBytes = 256 + numericCount * 24 + categoricalCount * 2 + maxLevelBytes
            + (regions.encodedLevels.map(\.count).max() ?? 0)

        var scoreOut = ChunkWriter(chunkSize: chunkSize, maxRowBytes: max(maxRowBytes, scoresHeader.utf8.count + 1))
        var labelOut = ChunkWriter(chunkSize: chunkSize, maxRowBytes: 128)
        if includeHeaders {
            scoreOut.bytes(Array(scoresHeader.utf8))
            scoreOut.newline()
            labelOut.bytes(Array(Self.labelsHeader.utf8))
            labelOut.newline()
        }

        var rng = SeededRandom(seed: config.seed)
        var queue = LabelQueue()
        var shuffle: ShuffleWindow? =
            config.shuffleLabels ? ShuffleWindow(window: Self.labelShuffleWindow, seed: config.seed ^ 0x5348_5546_464C_4521) : nil
        var labelCount = 0

        func emit(_ item: PendingLabel, _ out: inout ChunkWriter) {
            out.byte(UInt8(ascii: "p"))
            out.unsigned(UInt64(item.predictionIndex), width: 11)
            out.comma()
            out.byte(item.label ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            out.comma()
            out.timestamp(item.labelTimeMs)
            out.newline()
            out.flushIfFull(labels)
            labelCount += 1
        }
        func release(before limitMs: Int64, _ out: inout ChunkWriter) {
            while let item = queue.popEarliest(before: limitMs) {
                if shuffle != nil {
                    if let released = shuffle!.add(item) { emit(released, &out) }
                } else {
                    emit(item, &out)
                }
            }
        }

        let emptyRate = config.emptyCellRate
        let unlabelled = config.unlabelledFraction
        let scoreDecimals = config.scoreDecimals
        let switchMs = config.versionSwitchAtMs ?? .max
        let endMs = config.endMs
        let labelCutoffMs = min(plan.labelsStopMs, config.dropLabelsAfterEnd ? endMs : .max)
        let latentMean = self.latentMean
        let latentSD = self.latentSD
        let calibrationV1 = Self.calibration(latentSD: latentSD, modelNoise: Self.modelNoise)
        let calibrationV2 = Self.calibration(latentSD: latentSD, modelNoise: Self.modelNoiseV2)
        let coefficients = numeric.map(\.coefficient)
        let categoryEffects = categorical[0].effects
        var values = [Double](repeating: 0, count: numericCount)
        var levels = [Int](repeating: 0, count: categoricalCount)
        var numericEmpty = [Bool](repeating: false, count: numericCount)
        var categoricalEmpty = [Bool](repeating: false, count: categoricalCount)
        var predictionIndex: Int64 = 0

        for hour in 0..<volume.hours {
            let hourStart = volume.hourStartMs(hour)
            release(before: hourStart, &labelOut)
            let n = volume.count(hour: hour)
            let slot = 3_600_000 / Double(n)
            for i in 0..<n {
                let t = hourStart + min(3_599_999, Int64((Double(i) + rng.uniform()) * slot))
                let region = regions.level(for: rng.uniform())

                // Features.
                var latent = Self.intercept + regions.effects[region]
                for j in 0..<numericCount {
                    var x = numeric[j].sample(&rng)
                    for drift in plan.numericDrifts where drift.column == j && t >= drift.startMs {
                        x += drift.offset
                    }
                    values[j] = x
                    latent += coefficients[j] * numeric[j].signal(x)
                }
                for k in 0..<categoricalCount {
                    let u = rng.uniform()
                    let v = rng.uniform()
                    var reversed = false
                    for drift in plan.categoricalDrifts where drift.column == k && t >= drift.startMs {
                        if v < drift.probability { reversed = true }
                    }
                    let level = categorical[k].level(for: u)
                    levels[k] = reversed ? categorical[k].count - 1 - level : level
                }
                latent += categoryEffects[levels[0]]
                for j in 0..<numericCount {
                    numericEmpty[j] = rng.uniform() < emptyRate || t >= plan.numericMissingFromMs[j]
                }
                for k in 0..<categoricalCount {
                    categoricalEmpty[k] = rng.uniform() < emptyRate || t >= plan.categoricalMissingFromMs[k]
                }

                // Truth, model, label delay.
                latent += Self.latentNoise * rng.normal()
                let labelDraw = rng.uniform()
                var label = labelDraw < sigmoid(latent)
                let isV2 = t >= switchMs
                let noise = (isV2 ? Self.modelNoiseV2 : Self.modelNoise) * rng.normal()
                let decoy = latentMean + latentSD * rng.normal()
                var seen = latent
                for degradation in plan.degradations where t >= degradation.startMs {
                    seen = (1 - degradation.strength) * seen + degradation.strength * decoy
                }
                let calibration = isV2 ? calibrationV2 : calibrationV1
                var scoreLogit = latentMean + calibration.slope * (seen + noise - latentMean)
                scoreLogit *= calibration.scale
                for shift in plan.scoreShifts where t >= shift.startMs { scoreLogit += shift.logitShift }
                for shift in plan.covariateShifts where t >= shift.startMs {
                    scoreLogit *= shift.spread
                    label = labelDraw < sigmoid(scoreLogit)
                }
                let isLabelled = rng.uniform() >= unlabelled
                let delayMs = mathExp(Self.delayMu + Self.delaySigma * rng.normal())

                // Score row.
                scoreOut.byte(UInt8(ascii: "p"))
                scoreOut.unsigned(UInt64(predictionIndex), width: 11)
                scoreOut.comma()
                scoreOut.timestamp(t)
                scoreOut.comma()
                scoreOut.byte(UInt8(ascii: "v"))
                scoreOut.byte(isV2 ? UInt8(ascii: "2") : UInt8(ascii: "1"))
                scoreOut.comma()
                scoreOut.fixed(sigmoid(scoreLogit), decimals: scoreDecimals)
                scoreOut.comma()
                scoreOut.bytes(regions.encodedLevels[region])
                for j in 0..<numericCount {
                    scoreOut.comma()
                    if !numericEmpty[j] { scoreOut.fixed(values[j], decimals: numeric[j].decimals) }
                }
                for k in 0..<categoricalCount {
                    scoreOut.comma()
                    if !categoricalEmpty[k] { scoreOut.bytes(categorical[k].encodedLevels[levels[k]]) }
                }
                scoreOut.newline()
                scoreOut.flushIfFull(scores)

                if isLabelled {
                    let labelTime = t + Int64(min(delayMs, 1e15))
                    if labelTime < labelCutoffMs {
                        queue.push(PendingLabel(labelTimeMs: labelTime, predictionIndex: predictionIndex, label: label))
                    }
                }
                predictionIndex += 1
            }
        }
        release(before: .max, &labelOut)
        while let item = shuffle?.takeRandom() { emit(item, &labelOut) }
        scoreOut.flush(scores)
        labelOut.flush(labels)
        return GenerationSummary(
            predictions: Int(predictionIndex), labels: labelCount, scoreBytes: scoreOut.flushedBytes,
            labelBytes: labelOut.flushedBytes, peakPendingLabels: queue.peakCount
        )
    }
}
