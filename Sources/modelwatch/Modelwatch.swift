import ArgumentParser
import CBuildInfo
import Foundation
import HTTPTransport
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources

/// The `modelwatch` command: a thin shell over ``ModelwatchJob``.
@main
struct Modelwatch: ParsableCommand {
    static let version = "0.1.0"
    /// The git commit of the build (``CBuildInfo``), "unknown" outside a checkout.
    static let commit = String(cString: modelwatch_build_commit())

    static let configuration = CommandConfiguration(
        abstract: "Monitor ML models in production: performance from matured labels, input and output drift, delivered to InfluxDB.",
        discussion: """
            Exit codes: 0 ok · 64 usage · 65 bad data (rows over the error budget, points rejected by the server) \
            · 66 missing input file (scores, labels, reference profile) \
            · 73 output cannot be created (--output file:, --out, spool directory, lock, checkpoint) \
            · 74 points lost (neither delivered nor spooled: the spool's disk is full or unwritable) \
            · 75 temporary failure (InfluxDB unreachable, points spooled; time budget; stopped by SIGTERM or SIGINT; \
            another run holds the lock) \
            · 78 configuration (invalid config, missing columns, credentials, database). \
            The full table is in docs/configuration.md.
            """,
        version: "\(version) (commit \(commit))",
        subcommands: [Run.self, Backfill.self, Validate.self, Profile.self, Flush.self, Generate.self, SchemaCommand.self]
    )
}

/// Options shared by the commands that read a config.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path to the YAML config.")
    var config: String

    @Option(name: .long, help: "Log format: text, logfmt or json (default: the config's run.log_format).")
    var logFormat: String?

    @Flag(name: .long, help: "Log debug messages.")
    var verbose = false

    func load() throws -> JobConfiguration {
        do {
            var configuration = try ConfigLoader.load(path: config, environment: ProcessInfo.processInfo.environment)
            if let logFormat {
                guard let format = LogFormat(rawValue: logFormat) else {
                    throw ValidationError("--log-format must be text, logfmt or json")
                }
                configuration.run.logFormat = format
            }
            return configuration
        } catch let error as ConfigError {
            throw Failure(status: .configError, message: "config error: \(error)")
        }
    }
}

/// Parses `--as-of`.
func parseAsOf(_ text: String?) throws -> Int64 {
    guard let text else { return Int64(Date().timeIntervalSince1970 * 1000) }
    guard let ms = TimeText.parseRFC3339(text) else {
        throw ValidationError("--as-of must be an RFC 3339 time such as 2026-11-20T00:00:00Z, got `\(text)`")
    }
    return ms
}

/// An error already rendered for the user, carrying its exit status.
struct Failure: Error, CustomStringConvertible {
    let status: ExitStatus
    let message: String
    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, printing a ``Failure`` to standard error and exiting with its status.
    func exiting(_ body: () throws -> ExitStatus) throws {
        let status: ExitStatus
        do {
            status = try body()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("modelwatch: \(failure.message)\n".utf8))
            throw ExitCode(failure.status.rawValue)
        }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
