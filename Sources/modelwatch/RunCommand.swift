import ArgumentParser
import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources

extension Modelwatch {
    /// `modelwatch run`: evaluate every model as of a time and deliver the points.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate every configured model as of now (or --as-of) and write the points.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Evaluate as of this RFC 3339 time instead of now; aligned down to each model's window.")
        var asOf: String?

        @OptionGroup var outputOptions: OutputOptions

        @Flag(name: .long, help: "Print the seconds spent per stage and model to standard error (stage_<model>_<stage>=s).")
        var timings = false

        func run() throws {
            try exiting {
                let configuration = try options.load()
                // `run.threads: N` bounds the whole process to N cores (helper threads included).
                let confinedTo = configuration.run.threads.flatMap { CPUConfinement.confine(threads: $0) }
                let asOfMs = try parseAsOf(asOf)
                let target = outputOptions.target
                let logger = makeLogger(configuration.run.logFormat, verbose: options.verbose)
                if let confinedTo { logger.debug("confined to CPUs", metadata: ["cpus": "\(confinedTo.map(String.init).joined(separator: ","))"]) }
                WallClockBudget.arm(seconds: configuration.run.timeBudgetSeconds)
                StopSignals.install(graceSeconds: configuration.run.stopGraceSeconds)
                let lock: RunLock
                do { lock = try RunLock(configuration: configuration) } catch let error as JobError { throw Failure(status: error.status, message: error.message) }
                defer { withExtendedLifetime(lock) {} }
                Curl.globalInit()
                let runner = JobRunner(environment: .live(logger: logger, version: Modelwatch.version))
                let report = runner.run(RunRequest(configuration: configuration, asOfMs: asOfMs, output: target, modelFilter: outputOptions.model))
                let summary = renderSummary(report, format: configuration.run.logFormat)
                // With --output -, standard output carries line protocol only; the summary goes to standard error.
                if target == .standardOutput {
                    FileHandle.standardError.write(Data(summary.utf8))
                } else {
                    FileHandle.standardOutput.write(Data(summary.utf8))
                }
                if timings {
                    for model in report.models {
                        let line = model.stageSeconds.map { "stage_\(model.name)_\($0.stage)=\(String(format: "%.3f", $0.seconds))" }.joined(separator: " ")
                        FileHandle.standardError.write(Data((line + "\n").utf8))
                    }
                }
                return report.exitStatus
            }
        }
    }
}

/// The run summary: the text block, or with `--log-format json` / `logfmt` one record in that format.
func renderSummary(_ report: RunReport, format: LogFormat) -> String {
    guard format != .text else { return SummaryRenderer.render(report) }
    return SummaryRecord.render(report, format: format, nowMs: Int64(Date().timeIntervalSince1970 * 1000)) + "\n"
}

/// Builds the process-wide logger.
func makeLogger(_ format: LogFormat, verbose: Bool) -> Logger {
    Logger(label: "modelwatch") { label in LogOutput(label: label, format: format, level: verbose ? .debug : .warning) }
}

extension RunEnvironment {
    /// The real world: system clock, libcurl, real sleeps.
    static func live(logger: Logger, version: String) -> RunEnvironment {
        RunEnvironment(
            wallClockMs: { Int64(Date().timeIntervalSince1970 * 1000) },
            now: { ContinuousClock.now },
            transport: CurlTransport(), delivery: .stoppable(by: { StopSignals.isRequested }), logger: logger, version: version,
            stopRequested: { StopSignals.isRequested }, abortRequested: { StopSignals.isPastAbortPoint })
    }
}

/// A last-resort hard stop: if the run overruns its time budget by a minute (a hung read, say),
/// the process exits 75 instead of overlapping the next cron run. ``StopSignals`` uses the same alarm for the
/// end of its grace period.
enum WallClockBudget {
    static func arm(seconds: Double) {
        installHandler()
        alarm(UInt32(max(1, seconds + 60)))
    }

    /// The SIGALRM handler: the hard stop of the time budget and of ``StopSignals``' grace period.
    static func installHandler() {
        StopSignals.unblock([SIGALRM])
        signal(SIGALRM) { _ in
            if StopSignals.isRequested {
                StopSignals.say("modelwatch: still running run.stop_grace after the stop signal: stopped; exit 75\n")
            } else {
                StopSignals.say("modelwatch: the run exceeded its time budget (run.time_budget) and was stopped; exit 75\n")
            }
            _exit(75)
        }
    }
}
