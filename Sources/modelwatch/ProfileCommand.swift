import ArgumentParser
import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources

extension Modelwatch {
    /// `modelwatch profile`: build the frozen reference profile that drift is measured against.
    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a model's reference profile (bins, category frequencies, quantiles, fingerprint) from a reference period.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "The model to profile (default: the only model in the config).")
        var model: String?

        @Option(name: .long, help: "Start of the reference period (RFC 3339, inclusive).")
        var from: String

        @Option(name: .long, help: "End of the reference period (RFC 3339, exclusive).")
        var to: String

        @Option(name: .long, help: "Read the reference rows from this file, glob or directory instead of the model's score source.")
        var input: String?

        @Option(name: .long, help: "Where to write the profile (default: the model's reference_profile path).")
        var out: String?

        func run() throws {
            try exiting {
                let configuration = try options.load()
                // `run.threads: N` bounds the whole process to N cores (helper threads included).
                if let threads = configuration.run.threads { _ = CPUConfinement.confine(threads: threads) }
                let candidates = configuration.models.filter { model == nil || $0.name == model }
                guard candidates.count == 1, let chosen = candidates.first else {
                    throw ValidationError(model == nil
                        ? "the config has several models; choose one with --model (\(configuration.models.map(\.name).joined(separator: ", ")))"
                        : "--model \(model!): no such model")
                }
                guard let fromMs = TimeText.parseRFC3339(from), let toMs = TimeText.parseRFC3339(to), fromMs < toMs else {
                    throw ValidationError("--from and --to must be RFC 3339 times with --from before --to")
                }
                guard let path = out ?? chosen.referenceProfile else {
                    throw ValidationError("--out is required when the model has no reference_profile in the config")
                }
                do {
                    let built = try ProfileBuilder.build(
                        model: chosen, range: TimeRange(startMs: fromMs, endMs: toMs), inputPath: input, options: configuration.run)
                    try ProfileBuilder.write(built, to: path)
                    print(ProfileBuilder.describe(built, model: chosen.name, path: path))
                    return .ok
                } catch let error as JobError {
                    throw Failure(status: error.status, message: error.message)
                }
            }
        }
    }
}
