import DriftMetrics
import Foundation
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics

/// Builds a frozen reference profile from a model's score source over a time range.
///
/// Typical use: the training or validation period, or a chosen healthy past window. The retraining
/// pipeline builds a new profile next to each new model (docs/drift.md).
public enum ProfileBuilder {
    /// The profile and what was read to build it.
    public struct Built: Sendable {
        public var profile: ReferenceProfile
        public var counters: JoinCounters
        public var rows: Int
        public var rowErrorSamples: [String]
    }

    /// Writes the profile as JSON, whole (temporary file, then rename), creating the directory.
    public static func write(_ built: Built, to path: String) throws(JobError) {
        do {
            try AtomicFile.write(Array(built.profile.encoded()), to: path)
        } catch {
            throw JobError(.cannotCreate, "--out \(path): cannot write: \(error)")
        }
    }

    /// One line describing a built profile.
    public static func describe(_ built: Built, model: String, path: String) -> String {
        "profile of \(model): \(built.rows) rows (\(built.counters.rowsRejected) rejected), \(built.profile.features.count) features, fingerprint \(built.profile.shortFingerprint) → \(path)"
    }

    /// Reads the model's scores with prediction time in `range` (optionally from `inputPath` instead of
    /// the configured path) and profiles every feature and the score.
    public static func build(model: ModelConfiguration, range: TimeRange, inputPath: String?, options: RunOptions) throws(JobError) -> Built {
        var model = model
        if let inputPath {
            model.scores.path = inputPath
            model.scores.postgres = nil
            model.scores.spark = nil
        }
        // A regression or multiclass profile also keeps the labels of those predictions (label drift); a binary one
        // reads them to learn the estimation section.
        let data = try ModelDataReader(
            model: model, range: range, readsLabels: model.task != .binary || model.estimation != nil,
            threads: ThreadBudget.resolve(options.threads)).read()
        try JobRunner.checkBadRowBudget(data.counters, options: options, samples: data.rowErrorSamples)
        let table = data.table
        guard table.count > 0 else {
            throw JobError(.dataError, "\(model.scores.path ?? "models[\(model.name)].scores.postgres"): no prediction in \(range); nothing to profile")
        }
        var features: [String: FeatureProfile] = [:]
        for (index, name) in model.numericFeatures.enumerated() {
            var present: [Double] = []
            present.reserveCapacity(table.count)
            for value in table.numeric[index] where !value.isNaN { present.append(value) }
            features[name] = .numeric(NumericFeatureProfile.build(presentValues: present, missingCount: table.count - present.count))
        }
        for (index, name) in model.categoricalFeatures.enumerated() {
            features[name] = .categorical(categoricalProfile(table: table, column: index))
        }
        if model.task != .binary { features.merge(taskEntries(model: model, table: table)) { $1 } }
        var scores: [Double] = []
        scores.reserveCapacity(table.count)
        for score in table.score where !score.isNaN { scores.append(score) }
        let estimation = try model.estimation.map { configuration throws(JobError) in try estimationProfile(model: model, table: table, configuration: configuration) }
        let profile = ReferenceProfile.make(
            model: model.name, source: "\(model.scores.path ?? "postgres") \(range)", rowCount: table.count, features: features,
            score: NumericFeatureProfile.build(presentValues: scores, missingCount: table.count - scores.count),
            estimation: estimation)
        return Built(profile: profile, counters: data.counters, rows: table.count, rowErrorSamples: data.rowErrorSamples)
    }

    /// The profile of category column `column` of `table` over every row: counts by value, and the missing cells.
    static func categoricalProfile(table: ScoreTable, column: Int) -> CategoricalFeatureProfile {
        var counts = [Int](repeating: 0, count: table.categoryValues[column].count)
        var missing = 0
        table.categories[column].forEach(rows: 0..<Int32(table.count)) { kind, code in
            if kind == .present { counts[code] += 1 } else { missing += 1 }
        }
        var byName: [String: Int] = [:]
        for (code, count) in counts.enumerated() where count > 0 { byName[table.categoryValues[column][code]] = count }
        return CategoricalFeatureProfile.build(counts: byName, missingCount: missing)
    }

    /// The `(prediction)` entry of a multiclass model (its predicted classes) and the `(label)` entry of a
    /// regression or multiclass model (targets or true classes of the profiled predictions).
    static func taskEntries(model: ModelConfiguration, table: ScoreTable) -> [String: FeatureProfile] {
        var entries: [String: FeatureProfile] = [:]
        var labelled: [Double] = []
        for row in 0..<table.count {
            if let value = table.labelValue(row: row, asOfMs: .max) { labelled.append(value) }
        }
        switch model.task {
        case .binary:
            break
        case .regression:
            if !labelled.isEmpty {
                entries[ModelConfiguration.ProfileEntry.label] = .numeric(NumericFeatureProfile.build(presentValues: labelled, missingCount: 0))
            }
        case .multiclass:
            // The predicted class is the category column after the features.
            entries[ModelConfiguration.ProfileEntry.prediction] = .categorical(categoricalProfile(table: table, column: model.categoricalFeatures.count))
            if !labelled.isEmpty {
                var labels: [String: Int] = [:]
                for code in labelled { labels[table.labelClasses[Int(code)], default: 0] += 1 }
                entries[ModelConfiguration.ProfileEntry.label] = .categorical(CategoricalFeatureProfile.build(counts: labels, missingCount: 0))
            }
        }
        return entries
    }

    /// The estimation section: the calibration map and sampling-error components learned from the reference rows
    /// that are scored and labelled (every label read counts: a reference period is in the past).
    static func estimationProfile(model: ModelConfiguration, table: ScoreTable, configuration: EstimationConfiguration) throws(JobError) -> EstimationProfile {
        var scores: [Double] = []
        var labels: [Bool] = []
        for row in 0..<table.count {
            let score = table.score[row]
            let label = table.label(row: row, asOfMs: .max)
            guard !score.isNaN, label >= 0 else { continue }
            scores.append(score)
            labels.append(label == 1)
        }
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard positives > 0, positives < labels.count else {
            throw JobError(.dataError, """
                models[\(model.name)].estimation: the reference has \(labels.count) labelled rows with \(positives) positives; \
                estimation needs labelled rows of both classes (pick a range whose labels have arrived)
                """)
        }
        return EstimationProfile(
            EstimationReference.fit(scores: scores, labels: labels, thresholds: model.thresholds, calibrate: configuration.calibration == .isotonic),
            calibration: configuration.calibration)
    }
}
