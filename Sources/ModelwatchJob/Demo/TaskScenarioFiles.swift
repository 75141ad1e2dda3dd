import Foundation
import ModelwatchConfiguration
import ModelwatchSources
import SyntheticData

/// Writes a regression or multiclass scenario (``TaskScenario``): `scores.csv`, `labels.csv` and a ready-to-run
/// `modelwatch.yaml`, like ``ScenarioFiles`` for the binary ones.
public enum TaskScenarioFiles {
    public static func write(_ scenario: TaskScenario, to directory: String, modelName: String) throws(JobError) -> ScenarioFiles.Written {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JobError(.cannotCreate, "--out \(directory): cannot create the directory: \((error as NSError).localizedDescription)")
        }
        let scoresPath = (directory as NSString).appendingPathComponent("scores.csv")
        let labelsPath = (directory as NSString).appendingPathComponent("labels.csv")
        var scoreBytes: [UInt8] = []
        var labelBytes: [UInt8] = []
        let counts = scenario.generate(scores: { scoreBytes += $0 }, labels: { labelBytes += $0 })
        let configPath = (directory as NSString).appendingPathComponent("modelwatch.yaml")
        do {
            try AtomicFile.write(scoreBytes, to: scoresPath)
            try AtomicFile.write(labelBytes, to: labelsPath)
            try AtomicFile.write(Array(config(scenario, modelName: modelName).utf8), to: configPath)
        } catch {
            throw JobError(.cannotCreate, "--out \(directory): writing the scenario failed: \(error)")
        }
        return ScenarioFiles.Written(
            directory: directory, configPath: configPath, predictions: counts.predictions, labels: counts.labels,
            endMs: scenario.endMs, referenceRange: TimeRange(startMs: scenario.startMs, endMs: scenario.startMs + 3 * 86_400_000))
    }

    /// The config written next to the data: daily windows, three days of label maturity, every feature.
    static func config(_ scenario: TaskScenario, modelName: String) -> String {
        func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }
        var columns = "{prediction: prediction}"
        var multiclass = ""
        if scenario.kind == .multiclass {
            let probabilities = TaskScenario.ticketClasses.map { "\($0): p_\($0)" }.joined(separator: ", ")
            columns = "\n          prediction: prediction\n          probabilities: {\(probabilities)}"
            multiclass = "\n    classes: \(list(TaskScenario.ticketClasses))\n    top_k_accuracy: 2"
        }
        return """
            # Written by `modelwatch generate --scenario \(scenario.kind.rawValue)`. Paths are relative to this file.
            models:
              - name: \(modelName)
                task: \(scenario.kind.rawValue)\(multiclass)
                window: 1d
                maturity: 3d
                minimum_samples: {n: 200\(scenario.kind == .multiclass ? ", per_class: 20" : ""), drift: 1000}
                segments: [region]
                reference_profile: reference-profile.json
                deployed_at: \(TimeText.format(scenario.startMs))\(scenario.kind == .regression ? "\n    alert_thresholds: {mae: 8}   # minutes; the healthy MAE is about 6" : "")
                scores:
                  path: scores.csv
                  columns: \(columns)
                labels:
                  path: labels.csv
                  columns: {time: label_time}
                features:
                  numeric: \(list(scenario.numericFeatures))
                  categorical: \(list(scenario.categoricalFeatures))

            """
    }
}
