import DriftMetrics
import Foundation
import InfluxDelivery
import LineProtocol
import Logging
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources

/// What `modelwatch backfill` evaluates: every as-of time from `fromMs` to `toMs`, one window apart.
public struct BackfillRequest: Sendable {
    public var configuration: JobConfiguration
    /// First as-of time (aligned down to each model's window).
    public var fromMs: Int64
    /// Last as-of time, inclusive (aligned down).
    public var toMs: Int64
    public var output: OutputTarget
    public var modelFilter: String?
    /// Where checkpoints are kept so an interrupted backfill resumes; nil disables resuming.
    public var checkpointDirectory: String?
    /// Windows per delivery (and per checkpoint).
    public var windowsPerBatch: Int

    public init(configuration: JobConfiguration, fromMs: Int64, toMs: Int64, output: OutputTarget, modelFilter: String? = nil,
                checkpointDirectory: String?, windowsPerBatch: Int = 24) {
        self.configuration = configuration
        self.fromMs = fromMs
        self.toMs = toMs
        self.output = output
        self.modelFilter = modelFilter
        self.checkpointDirectory = checkpointDirectory
        self.windowsPerBatch = windowsPerBatch
    }
}

/// Progress of a backfill, reported after every batch of windows.
public struct BackfillProgress: Sendable {
    public var model: String
    public var done: Int
    public var total: Int
    public var asOfMs: Int64

    public init(model: String, done: Int, total: Int, asOfMs: Int64) {
        self.model = model
        self.done = done
        self.total = total
        self.asOfMs = asOfMs
    }

    /// Whole percent of the windows done, rounded down: `24/241` is 9%, and 100% only when all are done.
    public var percent: Int { total <= 0 ? 100 : Int(Int64(done) * 100 / Int64(total)) }

    /// The plain progress line, for a log: `backfill fraud: 24/241 windows (9%), as of 2026-11-02T00:00:00Z`.
    public var line: String {
        "backfill \(model): \(done)/\(total) windows (\(percent)%), as of \(TimeText.format(asOfMs))"
    }
}

/// The as-of times a backfill evaluated for one model, for its summary.
public struct BackfillSpan: Sendable, Equatable {
    /// The first and last as-of time evaluated (each aligned to the model's window).
    public var firstAsOfMs: Int64
    public var lastAsOfMs: Int64
    /// As-of times evaluated, one window apart (fewer than the range holds when resumed or stopped).
    public var windows: Int
    /// Labels matched in the final windows of all of them (the final windows do not overlap).
    public var labelsMatched = 0
    /// Duplicate labels in those final windows.
    public var duplicateLabels = 0
    /// Predictions in the input windows of all of them (the input windows do not overlap).
    public var inputRows = 0
}

extension JobRunner {
    /// Evaluates every window in a range in one pass over the data.
    ///
    /// The sources are read once for the whole range. Each as-of time T writes its input window and its final
    /// performance window (labels observed up to T); the windows still inside the maturity horizon at the
    /// last T are written once, as provisional. The result in InfluxDB equals what one scheduled run per
    /// window would have left (the last write of each series and timestamp), without recomputing every
    /// provisional window at every step. Heartbeats are not replayed: the backfill writes one, as of the last T.
    /// With a checkpoint directory, an interrupted backfill resumes after the last delivered batch.
    public func backfill(_ request: BackfillRequest, progress: (BackfillProgress) -> Void) -> RunReport {
        let start = environment.now()
        var report = RunReport(asOfMs: request.toMs)
        report.backfillFromMs = request.fromMs
        let configuration = request.configuration
        let models = configuration.models.filter { request.modelFilter == nil || $0.name == request.modelFilter }
        if models.isEmpty {
            report.runError = JobError(.usage, "--model \(request.modelFilter ?? ""): no such model")
            return report
        }
        var sink: any PointSink
        do {
            sink = try makeSink(RunRequest(configuration: configuration, asOfMs: request.toMs, output: request.output), logger: environment.logger)
        } catch {
            report.runError = error
            return report
        }
        report.destination = sink.destination
        for model in models {
            let modelStart = environment.now()
            var modelReport = ModelReport(name: model.name)
            if environment.stopRequested() {
                modelReport.skipped = true
                modelReport.status = .temporaryFailure
                modelReport.message = "the backfill was asked to stop (SIGTERM or SIGINT) before this model"
            } else {
                do {
                    try backfill(model, request: request, sink: &sink, report: &modelReport, progress: progress)
                } catch {
                    modelReport.status = error.status
                    modelReport.message = error.message
                }
            }
            modelReport.durationSeconds = Self.seconds(environment.now() - modelStart)
            let asOf = EvaluationPlan.floor(request.toMs, to: model.windowSeconds * 1000)
            let heartbeat = heartbeatLine(model: model, report: modelReport, configuration: configuration, asOfMs: asOf)
            // Counted like the run's: the summary's delivered figure includes the heartbeat, as its encoded one does.
            let heartbeatDelivery = sink.deliver(heartbeat, points: Self.heartbeatPoints)
            if modelReport.delivery != nil || heartbeatDelivery.requests > 0 {
                var delivery = modelReport.delivery ?? DeliveryReport()
                delivery.absorb(heartbeatDelivery)
                modelReport.delivery = delivery
            }
            report.models.append(modelReport)
        }
        if let error = sink.finish() { report.runError = error }
        report.durationSeconds = Self.seconds(environment.now() - start)
        return report
    }

    private func backfill(
        _ model: ModelConfiguration, request: BackfillRequest, sink: inout any PointSink, report: inout ModelReport,
        progress: (BackfillProgress) -> Void
    ) throws(JobError) {
        let windowMs = model.windowSeconds * 1000
        let maturityMs = model.maturitySeconds * 1000
        let first = EvaluationPlan.floor(request.fromMs, to: windowMs)
        let last = EvaluationPlan.floor(request.toMs, to: windowMs)
        guard first <= last else {
            throw JobError(.usage, "--from must not be after --to")
        }
        let total = Int((last - first) / windowMs) + 1
        let checkpoint = request.checkpointDirectory.map {
            BackfillCheckpoint(directory: $0, key: "\(model.name)|\(first)|\(last)|\(request.configuration.fingerprint)")
        }
        var resumeAfter = try checkpoint?.load()
        if let done = resumeAfter, done >= last { resumeAfter = last }

        let profileLoad = Self.startLoadingProfile(of: model)
        let readRange = TimeRange(startMs: first - maturityMs - windowMs, endMs: last)
        let threads = ThreadBudget.resolve(request.configuration.run.threads)
        let (data, profile) = try Self.read(
            { () throws(JobError) in
                var reader = ModelDataReader(model: model, range: readRange, readsLabels: true, threads: threads)
                reader.abortRequested = environment.abortRequested
                return try reader.read()
            },
            beside: profileLoad)
        report.counters = data.counters
        report.rowErrorSamples = data.rowErrorSamples
        try Self.checkBadRowBudget(data.counters, options: request.configuration.run, samples: data.rowErrorSamples)

        var lines: [UInt8] = []
        var encoder = LineProtocolEncoder()
        var pending = 0
        var delivered = DeliveryReport()
        var pointsHandedOver = 0
        var asOf = resumeAfter.map { $0 + windowMs } ?? first
        var done = Int((asOf - first) / windowMs)
        // The summary's join and input figures add up every as-of time (their final and input windows do not
        // overlap); performance and drift are the last as-of time's, as is the heartbeat.
        var span = BackfillSpan(firstAsOfMs: asOf, lastAsOfMs: asOf, windows: 0)
        report.plan = EvaluationPlan(asOfMs: last, windowSeconds: model.windowSeconds, maturitySeconds: model.maturitySeconds, restateProvisional: model.restateProvisional)
        while asOf <= last {
            let plan = Self.seriesPlan(model, asOfMs: asOf, lastMs: last)
            let outcome = ModelEvaluator(model: model, plan: plan, table: data.table, profile: profile, threads: threads).evaluate()
            if asOf == last {
                report.record(outcome, table: data.table, asOfMs: asOf)
            }
            span.lastAsOfMs = asOf
            span.windows += 1
            span.labelsMatched += outcome.labelsMatched
            span.duplicateLabels += outcome.duplicateLabels
            span.inputRows += outcome.inputRows
            report.backfill = span
            for point in outcome.points { encoder.encode(point, into: &lines) }
            pending += 1
            done += 1
            if pending >= request.windowsPerBatch || asOf == last {
                let delivery = sink.deliver(lines, points: encoder.statistics.encodedPoints - pointsHandedOver)
                pointsHandedOver = encoder.statistics.encodedPoints
                delivered.absorb(delivery)
                lines.removeAll(keepingCapacity: true)
                pending = 0
                if let status = Self.status(of: delivery.outcome), status > report.status {
                    report.status = status
                    report.message = Self.message(of: delivery.outcome)
                }
                // A batch that was delivered, spooled or dead-lettered is accounted for: safe to move on.
                if delivery.pointsLost == 0 { try checkpoint?.save(asOf) }
                progress(BackfillProgress(model: model.name, done: done, total: total, asOfMs: asOf))
                if case .configurationError(_) = delivery.outcome { break }
                if environment.stopRequested() && asOf < last {
                    // Everything up to here is delivered (or spooled) and checkpointed: the same command resumes.
                    report.status = max(report.status, .temporaryFailure)
                    report.message = "stopped (SIGTERM or SIGINT) after the window ending \(TimeText.format(asOf)); "
                        + (checkpoint == nil ? "run the backfill again" : "the same command resumes from there")
                    environment.logger.warning("backfill stopped: stop requested", metadata: ["model": "\(model.name)", "done": "\(done)", "total": "\(total)"])
                    break
                }
            }
            asOf += windowMs
        }
        report.pointsEncoded = encoder.statistics.encodedPoints
        report.delivery = delivered
        if report.status == .ok { checkpoint?.remove() }
    }
}

extension JobRunner {
    /// The plan of as-of time `asOfMs` in a series of as-of times, one window apart, that ends at `lastMs`:
    /// its input window and its final performance window, and at `lastMs` the provisional windows too (with
    /// restatement on). Evaluated on one read of the whole range, the series leaves what one scheduled run per
    /// as-of time would have left; the backfill and a run that finalises the windows of skipped runs use it.
    static func seriesPlan(_ model: ModelConfiguration, asOfMs asOf: Int64, lastMs last: Int64) -> EvaluationPlan {
        let windowMs = model.windowSeconds * 1000
        let maturityMs = model.maturitySeconds * 1000
        var windows = [EvaluationPlan.PerformanceWindow(range: TimeRange(startMs: asOf - maturityMs - windowMs, endMs: asOf - maturityMs), provisional: false)]
        if asOf == last, model.restateProvisional {
            var end = asOf - maturityMs + windowMs
            while end <= asOf {
                windows.append(.init(range: TimeRange(startMs: end - windowMs, endMs: end), provisional: true))
                end += windowMs
            }
        }
        return EvaluationPlan(asOfMs: asOf, windowSeconds: model.windowSeconds, performanceWindows: windows)
    }
}

/// The last as-of time a backfill delivered, in a small file written whole (temporary file, rename).
struct BackfillCheckpoint {
    let path: String

    init(directory: String, key: String) {
        path = (directory as NSString).appendingPathComponent("backfill-\(Fingerprint.fnv1a64Hex(key)).checkpoint")
    }

    func load() throws(JobError) -> Int64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        guard let ms = TimeText.parseRFC3339(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw JobError(.configError, "--checkpoint-dir: `\(path)` is not a checkpoint; delete it to start over")
        }
        return ms
    }

    func save(_ asOfMs: Int64) throws(JobError) {
        do {
            try AtomicFile.write(Array((TimeText.format(asOfMs) + "\n").utf8), to: path)
        } catch {
            throw JobError(.cannotCreate, "--checkpoint-dir: cannot write `\(path)`: \(error)")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
