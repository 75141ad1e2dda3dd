/// The model's alert thresholds (`models[].alert_thresholds`), written with every heartbeat so that each
/// Grafana rule compares a model's metric with that model's own threshold. Unset keys keep the defaults,
/// which are the values the rules used for every model before thresholds became per model.
public struct AlertThresholds: Sendable, Equatable {
    /// `mw-auc-below-floor`: the latest usable AUC below this fires.
    public var aucFloor = 0.70
    /// `mw-auc-drop` / `mw-auc-sustained-drop`: AUC more than this below the trailing baseline.
    public var aucDrop = 0.05
    /// `mw-ece-high`: expected calibration error above this.
    public var ece = 0.10
    /// `mw-feature-drift` / `mw-feature-drift-sustained` / `mw-score-shift`: PSI above this.
    public var psi = 0.25
    /// `mw-score-shift`: score KS D above this.
    public var ks = 0.15
    /// `mw-feature-missing-jump`: missing rate more than this (a fraction, 0.10 = 10 pp) above a week earlier.
    public var missingRateJump = 0.10
    /// `mw-volume-collapse`: prediction volume fell by more than this fraction of the same window a week earlier.
    public var volumeDrop = 0.5
    /// `mw-labels-stopped`: label coverage of the latest final window below this.
    public var labelCoverage = 0.5
    /// `mw-regression-mae-high`: the latest usable MAE above this, in the target's unit; nil (the default): the
    /// rule does not evaluate the model. Regression models only.
    public var mae: Double? = nil
    /// `mw-regression-mae-rise`: MAE more than this fraction above the trailing baseline (regression).
    public var maeRise = 0.25
    /// `mw-multiclass-quality-drop`: macro-F1 or accuracy more than this below the trailing baseline (multiclass).
    public var macroF1Drop = 0.05
    /// `mw-class-recall-collapse`: a class's recall more than this below its trailing baseline (multiclass).
    public var recallDrop = 0.20

    public init() {}

    /// The keys of regression and multiclass models, with their values, written as `threshold_<key>` besides
    /// ``entries`` for models of that task (`mae` only when set).
    public func taskEntries(_ task: ModelTask) -> [(key: String, value: Double)] {
        switch task {
        case .binary: return []
        case .regression: return (mae.map { [("mae", $0)] } ?? []) + [("mae_rise", maeRise)]
        case .multiclass: return [("macro_f1_drop", macroF1Drop), ("recall_drop", recallDrop)]
        }
    }

    /// The keys only regression (first) or multiclass (second) models accept.
    static let regressionKeys = ["mae", "mae_rise"]
    static let multiclassKeys = ["macro_f1_drop", "recall_drop"]

    /// Each config key with its value, in documentation order; the heartbeat field is `threshold_<key>`.
    public var entries: [(key: String, value: Double)] {
        [("auc_floor", aucFloor), ("auc_drop", aucDrop), ("ece", ece), ("psi", psi), ("ks", ks),
         ("missing_rate_jump", missingRateJump), ("volume_drop", volumeDrop), ("label_coverage", labelCoverage)]
    }

    /// The keys `alert_thresholds` accepts.
    static let keys = ["auc_floor", "auc_drop", "ece", "psi", "ks", "missing_rate_jump", "volume_drop", "label_coverage"]

    /// Reads `alert_thresholds`: every key optional, each a number in [0, 1] (PSI: greater than 0).
    static func parse(_ node: ConfigNode, task: ModelTask = .binary) throws(ConfigError) -> AlertThresholds {
        try node.allowOnly(Set(keys + regressionKeys + multiclassKeys))
        for (keys, owner) in [(regressionKeys, ModelTask.regression), (multiclassKeys, .multiclass)] where owner != task {
            for key in keys where try node.optional(key) != nil {
                throw node.error("applies to \(owner.rawValue) models only (this model's task is \(task.rawValue))", key: key)
            }
        }
        var result = AlertThresholds()
        func read(_ key: String, into value: inout Double) throws(ConfigError) {
            guard let child = try node.optional(key) else { return }
            let number = try child.double
            if key == "psi" {
                guard number > 0, number.isFinite else { throw child.error("must be a positive number, got \(number)") }
            } else {
                guard (0...1).contains(number) else { throw child.error("must be within [0, 1], got \(number)") }
            }
            value = number
        }
        try read("auc_floor", into: &result.aucFloor)
        try read("auc_drop", into: &result.aucDrop)
        try read("ece", into: &result.ece)
        try read("psi", into: &result.psi)
        try read("ks", into: &result.ks)
        try read("missing_rate_jump", into: &result.missingRateJump)
        try read("volume_drop", into: &result.volumeDrop)
        try read("label_coverage", into: &result.labelCoverage)
        if let child = try node.optional("mae") {
            let number = try child.double
            guard number > 0, number.isFinite else { throw child.error("must be a positive number (in the target's unit), got \(number)") }
            result.mae = number
        }
        if let child = try node.optional("mae_rise") {
            let number = try child.double
            guard number > 0, number.isFinite else { throw child.error("must be a positive fraction (0.25 = 25% above the baseline), got \(number)") }
            result.maeRise = number
        }
        try read("macro_f1_drop", into: &result.macroF1Drop)
        try read("recall_drop", into: &result.recallDrop)
        return result
    }
}
