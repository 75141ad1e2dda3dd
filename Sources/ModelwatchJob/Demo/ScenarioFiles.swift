import Foundation
import Gzip
import ModelwatchConfiguration
import ModelwatchSources
import SyntheticData

/// Writes a synthetic scenario to a directory: `scores.csv`, `labels.csv` and a ready-to-run `modelwatch.yaml`.
public enum ScenarioFiles {
    /// What was written.
    public struct Written: Sendable {
        public var directory: String
        public var configPath: String
        public var predictions: Int
        public var labels: Int
        /// The first instant after the scenario: a good `--as-of` for the demo.
        public var endMs: Int64
        /// A reference range (the first three days) for `modelwatch profile`.
        public var referenceRange: TimeRange
    }

    public static func write(_ config: ScenarioConfig, to directory: String, modelName: String, gzip: Bool) throws(JobError) -> Written {
        let generator: Generator
        do {
            generator = try Generator(config: config)
        } catch {
            throw JobError(.usage, "invalid scenario: \(error)")
        }
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JobError(.cannotCreate, "--out \(directory): cannot create the directory: \((error as NSError).localizedDescription)")
        }
        let suffix = gzip ? ".csv.gz" : ".csv"
        let scoresPath = (directory as NSString).appendingPathComponent("scores" + suffix)
        let labelsPath = (directory as NSString).appendingPathComponent("labels" + suffix)
        var scoreBytes: [UInt8] = []
        var labelBytes: [UInt8] = []
        guard let scoreHandle = open(temporaryFor: scoresPath), let labelHandle = open(temporaryFor: labelsPath) else {
            throw JobError(.cannotCreate, "--out \(directory): cannot create files there")
        }
        let summary = generator.generate(
            scores: { chunk in if gzip { scoreBytes += chunk } else { scoreHandle.write(Data(chunk)) } },
            labels: { chunk in if gzip { labelBytes += chunk } else { labelHandle.write(Data(chunk)) } })
        do {
            if gzip {
                scoreHandle.write(Data(try Gzip.compress(scoreBytes)))
                labelHandle.write(Data(try Gzip.compress(labelBytes)))
            }
            try scoreHandle.close()
            try labelHandle.close()
            try replace(scoresPath)
            try replace(labelsPath)
        } catch {
            throw JobError(.temporaryFailure, "--out \(directory): writing the scenario failed: \(error)")
        }
        let configPath = (directory as NSString).appendingPathComponent("modelwatch.yaml")
        let yaml = demoConfig(generator: generator, modelName: modelName, scores: "scores" + suffix, labels: "labels" + suffix)
        do {
            try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        } catch {
            throw JobError(.cannotCreate, "--out \(directory): cannot write modelwatch.yaml: \((error as NSError).localizedDescription)")
        }
        return Written(
            directory: directory, configPath: configPath, predictions: summary.predictions, labels: summary.labels,
            endMs: config.endMs, referenceRange: TimeRange(startMs: config.startMs, endMs: config.startMs + 3 * 86_400_000))
    }

    /// The config written next to the data: daily windows, a week of label maturity, every feature.
    static func demoConfig(generator: Generator, modelName: String, scores: String, labels: String) -> String {
        func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }
        return """
            # Written by `modelwatch generate`. Paths are relative to this file.
            # minimum_samples.drift is 1000 (default 200) so that the smallest region's daily slice (about 660
            # rows at the demo's 400 predictions an hour) shows as a thin drift window on the dashboards.
            run:
              max_bad_rows: 100
            models:
              - name: \(modelName)
                window: 1d
                maturity: 7d
                thresholds: [0.3, 0.5, 0.7]
                top_k_percent: [1, 5, 10]
                minimum_samples: {n: 200, positives: 20, negatives: 20, drift: 1000}
                segments: [region]
                segment_cap: 10
                reference_profile: reference-profile.json
                estimation: {calibration: isotonic}
                deployed_at: \(TimeText.format(generator.config.startMs))
                max_model_age_days: 90
                scores:
                  path: \(scores)
                  columns: {id: prediction_id, time: prediction_time, score: score, version: model_version}
                labels:
                  path: \(labels)
                  columns: {id: prediction_id, label: label, time: label_time}
                features:
                  numeric: \(list(generator.numericFeatureNames))
                  categorical: \(list(generator.categoricalFeatureNames))

            """
    }

    private static func open(temporaryFor path: String) -> FileHandle? {
        let temporary = path + ".tmp"
        _ = FileManager.default.createFile(atPath: temporary, contents: nil)
        return FileHandle(forWritingAtPath: temporary)
    }

    private static func replace(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
    }
}
