import DriftMetrics
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources

/// The class list of a multiclass model and the maps from the codes the reader stored to class indices.
///
/// Classes 0..<K are the list (from `classes`, or the reference profile's most frequent predicted classes up to
/// `class_cap`); index K is `(other)`: every true or predicted class outside the list, counted, never dropped.
struct MulticlassClasses: Sendable {
    /// The K listed classes.
    let names: [String]
    /// Per predicted-class code of the score table: its class index (K for `(other)`).
    let predictionIndex: [Int]
    /// Per true-class code of the score table (``ScoreTable/labelClasses``): its class index.
    let labelIndex: [Int]
    /// Per listed class, its probability column in ``ScoreTable/numeric``; nil unless every class has one.
    let probabilityColumns: [Int]?

    var other: Int { names.count }

    /// The name of class index `index` (`(other)` for K).
    func name(_ index: Int) -> String { index < names.count ? names[index] : Tags.otherValue }

    /// The class list of `model`: its `classes`, else the profile's predicted classes (nil when neither gives
    /// two or more).
    static func list(model: ModelConfiguration, profile: ReferenceProfile?) -> [String]? {
        guard let options = model.multiclass else { return nil }
        if !options.classes.isEmpty { return options.classes }
        guard case .categorical(let predicted)? = profile?.features[ModelConfiguration.ProfileEntry.prediction] else { return nil }
        let classes = predicted.binnedCategories(options.classCap)
        return classes.count >= 2 ? classes : nil
    }

    init?(model: ModelConfiguration, profile: ReferenceProfile?, table: ScoreTable) {
        guard let options = model.multiclass, let names = Self.list(model: model, profile: profile) else { return nil }
        self.names = names
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() { position[name] = index }
        let predictedColumn = model.categoricalFeatures.count
        let predictedValues = predictedColumn < table.categoryValues.count ? table.categoryValues[predictedColumn] : []
        predictionIndex = predictedValues.map { position[$0] ?? names.count }
        labelIndex = table.labelClasses.map { position[$0] ?? names.count }
        var columns: [Int] = []
        for name in names {
            guard let column = options.probabilityColumns.firstIndex(where: { $0.className == name }) else { break }
            columns.append(model.numericFeatures.count + column)
        }
        probabilityColumns = columns.count == names.count && !options.probabilityColumns.isEmpty ? columns : nil
    }
}
