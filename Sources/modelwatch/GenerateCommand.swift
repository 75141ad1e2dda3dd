import ArgumentParser
import Foundation
import ModelwatchJob
import SyntheticData

extension Modelwatch {
    /// `modelwatch generate`: write a synthetic scenario (scores, labels and a config) for demos and tests.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a seeded synthetic scenario: scores.csv, labels.csv and a ready-to-run modelwatch.yaml.",
            discussion: "Scenarios: \(ScenarioConfig.presetNames.joined(separator: ", ")).")

        @Option(name: .long, help: "Scenario preset.")
        var scenario = "demo"

        @Option(name: .long, help: "Output directory.")
        var out: String

        @Option(name: .long, help: "Override the preset's number of days.")
        var days: Int?

        @Option(name: .long, help: "Override the preset's predictions per hour.")
        var rate: Int?

        @Option(name: .long, help: "Override the preset's seed.")
        var seed: UInt64?

        @Option(name: .long, help: "Model name written into the generated config.")
        var modelName = "demo-model"

        @Flag(name: .long, help: "Gzip the CSV files (compressed in memory: for small scenarios).")
        var gzip = false

        func validate() throws {
            guard ScenarioConfig.named(scenario) != nil else {
                throw ValidationError("--scenario must be one of \(ScenarioConfig.presetNames.joined(separator: ", "))")
            }
            if let days, days < 1 { throw ValidationError("--days must be at least 1") }
            if let rate, rate < 1 { throw ValidationError("--rate must be at least 1") }
        }

        func run() throws {
            try exiting {
                var config = ScenarioConfig.named(scenario)!
                if let days { config.days = days }
                if let rate { config.predictionsPerHour = rate }
                if let seed { config.seed = seed }
                do {
                    let written = try ScenarioFiles.write(config, to: out, modelName: modelName, gzip: gzip)
                    print("""
                        wrote \(written.predictions) predictions and \(written.labels) labels to \(written.directory)
                        config:    \(written.configPath)
                        reference: --from \(TimeText.format(written.referenceRange.startMs)) --to \(TimeText.format(written.referenceRange.endMs))
                        as-of:     \(TimeText.format(written.endMs))
                        """)
                    return .ok
                } catch let error as JobError {
                    throw Failure(status: error.status, message: error.message)
                }
            }
        }
    }
}
