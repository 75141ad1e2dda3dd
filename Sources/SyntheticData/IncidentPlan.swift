/// The config's incidents resolved against the feature columns, in the form the row loop reads.
struct IncidentPlan: Sendable {
    /// Per numeric column: first instant the column is empty (`Int64.max` if never).
    var numericMissingFromMs: [Int64]
    /// Per categorical column: first instant the column is empty (`Int64.max` if never).
    var categoricalMissingFromMs: [Int64]
    /// Numeric drifts: column, start, additive shift in the column's units.
    var numericDrifts: [(column: Int, startMs: Int64, offset: Double)] = []
    /// Categorical drifts: column, start, probability of drawing from the reversed frequency table.
    var categoricalDrifts: [(column: Int, startMs: Int64, probability: Double)] = []
    var degradations: [(startMs: Int64, strength: Double)] = []
    var scoreShifts: [(startMs: Int64, logitShift: Double)] = []
    var covariateShifts: [(startMs: Int64, spread: Double)] = []
    /// No label with `label_time` at or after this instant is emitted (`Int64.max` if never).
    var labelsStopMs: Int64 = .max

    init(
        incidents: [Incident], numericNames: [String], categoricalNames: [String], numeric: [NumericFeature]
    ) throws(ConfigurationError) {
        numericMissingFromMs = Array(repeating: .max, count: numericNames.count)
        categoricalMissingFromMs = Array(repeating: .max, count: categoricalNames.count)
        for incident in incidents {
            switch incident {
            case .featureMissing(let feature, let start):
                if let column = numericNames.firstIndex(of: feature) {
                    numericMissingFromMs[column] = min(numericMissingFromMs[column], start)
                } else if let column = categoricalNames.firstIndex(of: feature) {
                    categoricalMissingFromMs[column] = min(categoricalMissingFromMs[column], start)
                } else {
                    throw .unknownFeature(feature)
                }
            case .featureDrift(let feature, let shift, let start):
                guard shift.isFinite else { throw .outOfRange(setting: "featureDrift shift", allowed: "finite values") }
                if let column = numericNames.firstIndex(of: feature) {
                    let spec = numeric[column]
                    var offset = shift * spec.standardDeviation
                    if spec.isInteger { offset = offset.rounded() }
                    numericDrifts.append((column, start, offset))
                } else if let column = categoricalNames.firstIndex(of: feature) {
                    categoricalDrifts.append((column, start, min(1, shift.magnitude / 3)))
                } else {
                    throw .unknownFeature(feature)
                }
            case .modelDegradation(let strength, let start):
                guard (0...1).contains(strength) else {
                    throw .outOfRange(setting: "modelDegradation strength", allowed: "0...1")
                }
                degradations.append((start, strength))
            case .labelsStop(let start):
                labelsStopMs = min(labelsStopMs, start)
            case .volumeCollapse(let factor, _):
                guard factor.isFinite && factor >= 0 else {
                    throw .outOfRange(setting: "volumeCollapse factor", allowed: "finite values ≥ 0")
                }
            case .scoreShift(let logitShift, let start):
                guard logitShift.isFinite else {
                    throw .outOfRange(setting: "scoreShift logitShift", allowed: "finite values")
                }
                scoreShifts.append((start, logitShift))
            case .covariateShift(let spread, let start):
                guard (0...1).contains(spread) else {
                    throw .outOfRange(setting: "covariateShift spread", allowed: "0...1")
                }
                covariateShifts.append((start, spread))
            }
        }
    }
}
