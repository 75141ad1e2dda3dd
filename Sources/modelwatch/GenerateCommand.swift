import ArgumentParser
import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import SyntheticData

extension Modelwatch {
    /// `modelwatch generate`: write a synthetic scenario (scores, labels and a config) for demos and tests.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a seeded synthetic scenario: scores.csv, labels.csv and a ready-to-run modelwatch.yaml.",
            discussion: "Scenarios: \((ScenarioConfig.presetNames + TaskScenario.presetNames).joined(separator: ", ")). `regression` and `multiclass` write a regression or a multiclass model (an incident from day 25: biased predictions, or `returns` tickets confused with `shipping`); `<task>-healthy` has no incident, and `regression-variance` (noisier predictions), `regression-label-drift` and `multiclass-label-drift` (the target's distribution changes), `multiclass-class-collapse` (`technical` is no longer predicted) have theirs from day 25.")

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
            guard ScenarioConfig.named(scenario) != nil || TaskScenario.named(scenario) != nil else {
                throw ValidationError("--scenario must be one of \((ScenarioConfig.presetNames + TaskScenario.presetNames).joined(separator: ", "))")
            }
            if gzip, TaskScenario.named(scenario) != nil { throw ValidationError("--gzip applies to the binary scenarios only") }
            if let days, days < 1 { throw ValidationError("--days must be at least 1") }
            if let rate, rate < 1 { throw ValidationError("--rate must be at least 1") }
        }

        func run() throws {
            try exiting {
                if var task = TaskScenario.named(scenario) {
                    if let days { task.days = days }
                    if let rate { task.predictionsPerHour = rate }
                    if let seed { task.seed = seed }
                    do {
                        return report(try TaskScenarioFiles.write(task, to: out, modelName: modelName))
                    } catch let error as JobError {
                        throw Failure(status: error.status, message: error.message)
                    }
                }
                var config = ScenarioConfig.named(scenario)!
                if let days { config.days = days }
                if let rate { config.predictionsPerHour = rate }
                if let seed { config.seed = seed }
                do {
                    return report(try ScenarioFiles.write(config, to: out, modelName: modelName, gzip: gzip))
                } catch let error as JobError {
                    throw Failure(status: error.status, message: error.message)
                }
            }
        }

        /// Prints what was written and how to use it.
        private func report(_ written: ScenarioFiles.Written) -> ExitStatus {
            print("""
                wrote \(written.predictions) predictions and \(written.labels) labels to \(written.directory)
                config:    \(written.configPath)
                reference: --from \(TimeText.format(written.referenceRange.startMs)) --to \(TimeText.format(written.referenceRange.endMs))
                as-of:     \(TimeText.format(written.endMs))
                """)
            return .ok
        }
    }
}
