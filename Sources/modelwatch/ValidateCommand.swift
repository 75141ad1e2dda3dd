import ArgumentParser
import Foundation
import ModelwatchJob
import ModelwatchSources

extension Modelwatch {
    /// `modelwatch validate`: check the config and the sources without writing anything.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the config and the sources (files exist, columns present, values parse) without writing anything.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Validate the windows as of this RFC 3339 time (default: now).")
        var asOf: String?

        func run() throws {
            try exiting {
                let configuration = try options.load()
                let report = SourceValidator.validate(configuration, asOfMs: try parseAsOf(asOf))
                print(report.text)
                return report.status
            }
        }
    }
}
