import ArgumentParser
import Foundation
import HTTPTransport
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources

extension Modelwatch {
    /// `modelwatch backfill`: evaluate every window in a range in one pass over the data.
    struct Backfill: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate every window from --from to --to (as-of times, inclusive) in one pass over the data; resumable.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "First as-of time (RFC 3339).")
        var from: String

        @Option(name: .long, help: "Last as-of time, inclusive (RFC 3339).")
        var to: String

        @OptionGroup var outputOptions: OutputOptions

        @Option(name: .long, help: "Directory for resume checkpoints (default: backfill/ in the config's state directory).")
        var checkpointDir: String?

        @Flag(name: .long, help: "Start from --from even if a checkpoint exists.")
        var restart = false

        func run() throws {
            try exiting {
                let configuration = try options.load()
                // `run.threads: N` bounds the whole process to N cores (helper threads included).
                if let threads = configuration.run.threads { _ = CPUConfinement.confine(threads: threads) }
                guard let fromMs = TimeText.parseRFC3339(from), let toMs = TimeText.parseRFC3339(to) else {
                    throw ValidationError("--from and --to must be RFC 3339 times such as 2026-08-01T00:00:00Z")
                }
                guard fromMs <= toMs else { throw ValidationError("--from must not be after --to") }
                let target = outputOptions.target
                let directory = checkpointDir ?? configuration.stateDirectory + "/backfill"
                if restart { try? FileManager.default.removeItem(atPath: directory) }
                StopSignals.install(graceSeconds: configuration.run.stopGraceSeconds)
                let lock: RunLock
                do { lock = try RunLock(configuration: configuration) } catch let error as JobError { throw Failure(status: error.status, message: error.message) }
                defer { withExtendedLifetime(lock) {} }
                Curl.globalInit()
                let runner = JobRunner(environment: .live(logger: makeLogger(configuration.run.logFormat, verbose: options.verbose), version: Modelwatch.version))
                let progress = ProgressLine()
                let report = runner.backfill(
                    BackfillRequest(configuration: configuration, fromMs: fromMs, toMs: toMs, output: target,
                                    modelFilter: outputOptions.model, checkpointDirectory: directory),
                    progress: progress.show)
                progress.end()
                let summary = renderSummary(report, format: configuration.run.logFormat)
                FileHandle.standardError.write(Data(summary.utf8))
                return report.exitStatus
            }
        }
    }
}

/// A progress bar on a terminal, plain progress lines (every 10%) otherwise.
final class ProgressLine: @unchecked Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDecile = -1

    func show(_ progress: BackfillProgress) {
        let fraction = progress.total == 0 ? 1 : Double(progress.done) / Double(progress.total)
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r\(progress.model) [\(bar)] \(progress.done)/\(progress.total) windows, as of \(TimeText.format(progress.asOfMs))".utf8))
        } else {
            // A line each time another tenth is done; the line shows the exact percentage.
            let decile = progress.percent / 10
            guard decile != lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data((progress.line + "\n").utf8))
        }
    }

    func end() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
