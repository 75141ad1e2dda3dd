import ArgumentParser
import Foundation
import HTTPTransport
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources

extension Modelwatch {
    /// `modelwatch flush`: replay the spool without evaluating anything.
    struct Flush: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the spooled batches to InfluxDB, oldest first, without evaluating any model.")

        @OptionGroup var options: ConfigOptions

        func run() throws {
            try exiting {
                let configuration = try options.load()
                let lock: RunLock
                do { lock = try RunLock(configuration: configuration) } catch let error as JobError { throw Failure(status: error.status, message: error.message) }
                defer { withExtendedLifetime(lock) {} }
                Curl.globalInit()
                let runner = JobRunner(environment: .live(logger: makeLogger(configuration.run.logFormat, verbose: options.verbose), version: Modelwatch.version))
                let result = runner.flush(configuration)
                print(result.text)
                return result.status
            }
        }
    }
}
