import DriftMetrics
import Foundation
import HTTPTransport
import InfluxDelivery
import LineProtocol
import Logging
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources

/// Runs the pipeline for every configured model: read → join → compute → encode → deliver.
///
/// A failing model does not stop the others; the run's exit status is the worst model outcome. Points of
/// a model whose input exceeded the bad-row budget are not written (no half-written state); its heartbeat
/// still is, with the failure status, so alerting sees the failure.
public struct JobRunner: Sendable {
    public let environment: RunEnvironment

    public init(environment: RunEnvironment) {
        self.environment = environment
    }

    public func run(_ request: RunRequest) -> RunReport {
        let start = environment.now()
        let configuration = request.configuration
        var report = RunReport(asOfMs: request.asOfMs)
        let logger = environment.logger
        let budget = Duration.milliseconds(Int64(configuration.run.timeBudgetSeconds * 1000))
        let models = configuration.models.filter { request.modelFilter == nil || $0.name == request.modelFilter }
        if models.isEmpty, let filter = request.modelFilter {
            report.runError = JobError(.usage, "--model \(filter): no such model in \(configuration.sourceFile) (models: \(configuration.models.map(\.name).joined(separator: ", ")))")
            return report
        }

        var sink: any PointSink
        do {
            sink = try makeSink(request, logger: logger)
        } catch {
            report.runError = error
            return report
        }
        report.destination = sink.destination
        // What earlier runs could not deliver goes first, so every heartbeat of this run can say how much and
        // how old it was (a failed run becomes visible one run later), and this run's points follow it in order.
        let earlier = sink.replayEarlierRuns(nowMs: environment.wallClockMs())
        // Counted into the first model's delivery when the replay did anything: sent, quarantined or failed.
        let replayed = earlier.report
        var earlierDelivery: DeliveryReport? =
            replayed.requests > 0 || replayed.spoolFilesQuarantined > 0 || replayed.outcome != .delivered ? replayed : nil
        let threads = ThreadBudget.resolve(configuration.run.threads)
        logger.debug("threads", metadata: [
            "threads": "\(threads)",
            "source": "\(configuration.run.threads == nil ? "available CPUs (affinity and cgroup quota)" : "run.threads")",
        ])

        for model in models {
            var modelReport = ModelReport(name: model.name)
            let modelStart = environment.now()
            // Out of time, or asked to stop (a CronJob pod evicted, systemd stopping the unit): the model is not
            // evaluated, but its heartbeat says why, so the dashboards and `mw-runs-failing` show the skipped run.
            var skipReason: String?
            if environment.now() - start > budget {
                skipReason = "the run's time budget (\(DurationText.format(Int64(configuration.run.timeBudgetSeconds)))) ran out before this model"
            } else if environment.stopRequested() {
                skipReason = "the run was asked to stop (SIGTERM or SIGINT) before this model"
            }
            var lines: [UInt8] = []
            // Where the end of the newest final window delivered to this InfluxDB is kept (not for --output).
            let finalised = request.output == .influx ? configuration.influx.map {
                FinalisedWindowState(stateDirectory: configuration.stateDirectory, model: model.name, destination: FinalisedWindowState.destination($0))
            } : nil
            if let skipReason {
                modelReport.plan = Self.plan(of: model, request)
                modelReport.skipped = true
                modelReport.status = .temporaryFailure
                modelReport.message = skipReason
                logger.warning("model skipped", metadata: ["model": "\(model.name)", "reason": "\(skipReason)"])
            } else {
                do {
                    lines = try evaluate(model, request: request, threads: threads, finalised: finalised, report: &modelReport)
                } catch {
                    modelReport.status = error.status
                    modelReport.message = error.message
                    logger.error("model failed", metadata: ["model": "\(model.name)", "status": "\(error.status.statusText)", "error": "\(error.message)"])
                }
            }
            if let replay = earlierDelivery {
                modelReport.delivery = replay
                earlierDelivery = nil
            }
            if !lines.isEmpty {
                let deliverStart = environment.now()
                defer { modelReport.stageSeconds.append(("deliver", Self.seconds(environment.now() - deliverStart))) }
                var delivery = modelReport.delivery ?? DeliveryReport()
                let handedOver = sink.deliver(lines, points: modelReport.pointsEncoded)
                delivery.absorb(handedOver)
                modelReport.delivery = delivery
                if let finalised, handedOver.pointsLost == 0, let end = modelReport.plan?.finalWindow?.range.endMs {
                    // Delivered or spooled (the spool is replayed by the next run): the windows up to `end` are
                    // accounted for. A later as-of run never moves the stored end back.
                    if case .configurationError = handedOver.outcome {} else if end > (modelReport.finalisedStoredEndMs ?? .min) {
                        do {
                            try finalised.save(end)
                        } catch {
                            modelReport.status = max(modelReport.status, error.status)
                            modelReport.message = error.message
                        }
                    }
                }
            }
            if var delivery = modelReport.delivery {
                // A temporary failure left points in the spool: one more attempt, so the heartbeat describes the
                // end state (a run that got through after retries reports success and an empty spool).
                if case .temporaryFailure = delivery.outcome, delivery.spoolDepthBytes > 0 {
                    delivery.absorb(sink.retrySpool())
                    modelReport.delivery = delivery
                }
                let endState = Self.endState(of: delivery)
                if let status = Self.status(of: endState), status > modelReport.status {
                    modelReport.status = status
                    modelReport.message = Self.message(of: endState)
                }
            }
            modelReport.durationSeconds = Self.seconds(environment.now() - modelStart)
            let heartbeat = heartbeatLine(
                model: model, report: modelReport, configuration: configuration,
                asOfMs: modelReport.plan?.asOfMs ?? request.asOfMs, earlier: earlier)
            let heartbeatDelivery = sink.deliver(heartbeat, points: Self.heartbeatPoints)
            if let status = Self.status(of: heartbeatDelivery.outcome), status > modelReport.status {
                modelReport.status = status
                modelReport.message = Self.message(of: heartbeatDelivery.outcome)
            }
            var delivery = modelReport.delivery ?? DeliveryReport()
            delivery.absorb(heartbeatDelivery)
            modelReport.delivery = delivery
            for (column, rewrites) in modelReport.rewrittenSegments.sorted(by: { $0.key < $1.key }) {
                logger.warning("segment values escaped", metadata: [
                    "model": "\(model.name)", "segment": "\(column)", "values": "\(rewrites.count)",
                    "example": "\(rewrites.exampleRaw)", "written_as": "\(rewrites.exampleWritten)",
                ])
            }
            logger.info("model done", metadata: [
                "model": "\(model.name)", "status": "\(modelReport.status.statusText)",
                "points": "\(modelReport.pointsEncoded)", "rows_read": "\(modelReport.counters.rowsRead)",
                "rows_rejected": "\(modelReport.counters.rowsRejected)",
                "duration_s": "\(String(format: "%.3f", modelReport.durationSeconds))",
            ])
            report.models.append(modelReport)
        }
        if let error = sink.finish() { report.runError = error }
        report.durationSeconds = Self.seconds(environment.now() - start)
        return report
    }

    // MARK: - One model

    /// The windows `model` is evaluated on in this run.
    private static func plan(of model: ModelConfiguration, _ request: RunRequest) -> EvaluationPlan {
        EvaluationPlan(
            asOfMs: request.asOfMs, windowSeconds: model.windowSeconds, maturitySeconds: model.maturitySeconds,
            restateProvisional: model.restateProvisional)
    }

    private func evaluate(
        _ model: ModelConfiguration, request: RunRequest, threads: Int, finalised: FinalisedWindowState?, report: inout ModelReport
    ) throws(JobError) -> [UInt8] {
        let plan = Self.plan(of: model, request)
        report.plan = plan
        let stored = try finalised?.load()
        report.finalisedStoredEndMs = stored
        // The windows that matured while runs were skipped: their as-of times are evaluated from the same read
        // (``seriesPlan(_:asOfMs:lastMs:)``, as a backfill does), before this run's own.
        let catchUp = FinalisedWindowState.catchUp(storedEndMs: stored, plan: plan, model: model)
        report.windowsFinalisedLate = catchUp.asOfs.count
        let cappedWarning = catchUp.capped
            ? "runs were skipped for more than 35 days: only the final windows of the last 35 days were finalised, older ones stay provisional (`modelwatch backfill` rewrites any range)"
            : nil
        if catchUp.capped {
            environment.logger.warning("catch-up capped", metadata: ["model": "\(model.name)", "from": "\(TimeText.format(stored ?? 0))"])
        }
        if !catchUp.asOfs.isEmpty {
            environment.logger.info("finalising windows of skipped runs", metadata: ["model": "\(model.name)", "windows": "\(catchUp.asOfs.count)"])
        }
        let profileLoad = Self.startLoadingProfile(of: model)
        if model.scores.postgres?.mode == .pushdown || model.scores.spark != nil {
            let profile = try profileLoad?.wait()
            var lines: [UInt8] = []
            var earlier = 0
            for asOf in catchUp.asOfs {
                var scratch = ModelReport(name: model.name)
                lines += try evaluatePushdown(model, plan: Self.seriesPlan(model, asOfMs: asOf, lastMs: plan.asOfMs), profile: profile, report: &scratch)
                earlier += scratch.pointsEncoded
            }
            lines += try evaluatePushdown(model, plan: plan, profile: profile, report: &report)
            report.pointsEncoded += earlier
            if let cappedWarning { report.warnings.append(cappedWarning) }
            return lines
        }
        var stageStart = environment.now()
        func endStage(_ name: String) {
            let now = environment.now()
            report.stageSeconds.append((name, Self.seconds(now - stageStart)))
            stageStart = now
        }
        var reader = catchUp.asOfs.first.map {
            ModelDataReader(model: model, range: TimeRange(startMs: min(plan.readRange.startMs, Self.seriesPlan(model, asOfMs: $0, lastMs: plan.asOfMs).readRange.startMs), endMs: plan.asOfMs), readsLabels: true, threads: threads)
        } ?? ModelDataReader(model: model, plan: plan, threads: threads)
        reader.clock = environment.now
        reader.abortRequested = environment.abortRequested
        let (data, profile) = try Self.read({ () throws(JobError) in try reader.read() }, beside: profileLoad)
        endStage("read")
        report.stageSeconds += data.stageSeconds.map { ("read.\($0.stage)", $0.seconds) }
        report.counters = data.counters
        report.rowErrorSamples = data.rowErrorSamples
        try Self.checkBadRowBudget(data.counters, options: request.configuration.run, samples: data.rowErrorSamples)
        let earlier = catchUp.asOfs.map {
            ModelEvaluator(model: model, plan: Self.seriesPlan(model, asOfMs: $0, lastMs: plan.asOfMs), table: data.table, profile: profile, threads: threads).evaluate()
        }
        let outcome = ModelEvaluator(model: model, plan: plan, table: data.table, profile: profile, threads: threads).evaluate()
        endStage("compute")
        report.record(outcome, table: data.table, asOfMs: plan.asOfMs)
        if let cappedWarning { report.warnings.append(cappedWarning) }
        if let warning = Self.estimationWarning(model, profile: profile, pushdown: false) { report.warnings.append(warning) }
        report.rewrittenSegments = SegmentValueTag.rewrites(in: earlier.flatMap { $0.points } + outcome.points)
        var encoder = LineProtocolEncoder()
        var lines: [UInt8] = []
        lines.reserveCapacity(outcome.points.count * 200 * (earlier.count + 1))
        for point in earlier.flatMap({ $0.points }) + outcome.points { encoder.encode(point, into: &lines) }
        report.pointsEncoded = encoder.statistics.encodedPoints
        endStage("encode")
        return lines
    }

    /// Push-down mode: the database aggregates, modelwatch finishes the metrics (Pushdown/PushdownEvaluator.swift).
    private func evaluatePushdown(_ model: ModelConfiguration, plan: EvaluationPlan, profile: ReferenceProfile?, report: inout ModelReport) throws(JobError) -> [UInt8] {
        let outcome = try PushdownEvaluator(model: model, plan: plan, profile: profile).evaluate(transport: environment.sourceTransport ?? environment.transport)
        report.counters.scoreRowsRead = outcome.rowsRead
        report.counters.scoreRowsInRange = outcome.rowsRead
        report.counters.labelsMatched = outcome.labelsMatched
        report.inputRows = outcome.inputRows
        report.finalPerformance = outcome.finalPerformance.map { .init(version: $0.version, result: $0.result, sufficient: $0.sufficient) }
        report.finalTaskResults = outcome.finalTaskResults.map { .init(version: $0.version, result: $0.result, sufficient: $0.sufficient) }
        report.rewrittenSegments = SegmentValueTag.rewrites(in: outcome.points)
        for (window, bound) in outcome.aucErrorBounds.sorted(by: { $0.key < $1.key }) where bound > 0.001 {
            environment.logger.warning("binned AUC error bound above 0.001", metadata: ["model": "\(model.name)", "window": "\(window)", "bound": "\(bound)"])
        }
        for (window, bound) in outcome.averagePrecisionErrorBounds.sorted(by: { $0.key < $1.key }) where bound > 0.001 {
            environment.logger.debug("binned AP error bound above 0.001", metadata: ["model": "\(model.name)", "window": "\(window)", "bound": "\(bound)"])
        }
        for message in outcome.leftOut {
            environment.logger.warning("feature left out of push-down", metadata: ["model": "\(model.name)", "reason": "\(message)"])
        }
        report.warnings += outcome.leftOut
        if let warning = Self.estimationWarning(model, profile: profile, pushdown: true) { report.warnings.append(warning) }
        if !outcome.dataErrors.isEmpty {
            report.status = .dataError
            report.message = outcome.dataErrors.joined(separator: "\n") + "\n(the model's other points are written)"
        }
        var encoder = LineProtocolEncoder()
        var lines: [UInt8] = []
        for point in outcome.points { encoder.encode(point, into: &lines) }
        report.pointsEncoded = encoder.statistics.encodedPoints
        return lines
    }

    /// Why `models[].estimation` writes no estimates in this run, if it does not: push-down mode, or a profile
    /// without an estimation section (built before the key was set, or by an older modelwatch).
    static func estimationWarning(_ model: ModelConfiguration, profile: ReferenceProfile?, pushdown: Bool) -> String? {
        guard let estimation = model.estimation else { return nil }
        if pushdown { return "models[\(model.name)].estimation: push-down mode does not estimate performance; use exact mode for estimates" }
        guard let profile else {
            return "models[\(model.name)].estimation needs a reference_profile (built with `modelwatch profile`); no estimates are written"
        }
        guard let stored = profile.estimation else {
            return "models[\(model.name)].estimation: the reference profile has no estimation section; rebuild it with `modelwatch profile` to write estimates"
        }
        if stored.calibration != estimation.calibration {
            return "models[\(model.name)].estimation.calibration is \(estimation.calibration.rawValue) but the profile was built with \(stored.calibration.rawValue); the profile's is used until it is rebuilt"
        }
        return nil
    }

    static func checkBadRowBudget(_ counters: JoinCounters, options: RunOptions, samples: [String]) throws(JobError) {
        let rejected = counters.rowsRejected
        guard rejected > 0 else { return }
        let total = max(counters.rowsRead, 1)
        let fraction = Double(rejected) / Double(total)
        // Two limits, each enough to fail the model: a count for large inputs, a rate for small ones.
        let countOver = rejected > options.maxBadRows
        let rateOver = fraction > options.maxBadRowFraction
        if countOver || rateOver {
            let shown = samples.prefix(5).map { "  " + $0 }.joined(separator: "\n")
            let rate = String(format: "%.2f%%", fraction * 100)
            let rateLimit = String(format: "%g%%", options.maxBadRowFraction * 100)
            throw JobError(.dataError, """
                \(rejected) of \(total) rows could not be parsed, over the error budget (either limit exceeded fails the model): \
                count \(rejected), limit run.max_bad_rows \(options.maxBadRows): \(countOver ? "over" : "within"); \
                rate \(rate), limit run.max_bad_row_fraction \(options.maxBadRowFraction) (\(rateLimit)): \(rateOver ? "over" : "within"). \
                Nothing was written for this model. First errors:
                \(shown)
                """)
        }
    }

    /// Starts decoding the model's reference profile (if it has one) on a thread of its own, so that it overlaps
    /// the data read (a large profile is a noticeable part of a small run); `wait()` gives the profile, or the
    /// configuration error of a missing, invalid or other model's profile.
    static func startLoadingProfile(of model: ModelConfiguration) -> BackgroundResult<ReferenceProfile>? {
        guard let path = model.referenceProfile else { return nil }
        let name = model.name
        return BackgroundResult("profile") { () throws(JobError) in
            let profile = try loadProfile(path, model: name)
            guard profile.model == name else {
                throw JobError(.configError, "models[\(name)].reference_profile: `\(path)` was built for model `\(profile.model)`, not `\(name)`")
            }
            if model.task == .multiclass, MulticlassClasses.list(model: model, profile: profile) == nil {
                throw JobError(.configError, "models[\(name)].classes: not set, and the reference profile `\(path)` has no predicted classes (two or more) to take the list from; set `classes` or rebuild the profile with `modelwatch profile` for this multiclass model")
            }
            return profile
        }
    }

    /// Runs `read` while `profile` loads (``startLoadingProfile(of:)``) and returns both. A broken profile's error
    /// comes ahead of the read's, as when the profile was loaded before reading.
    static func read(
        _ read: () throws(JobError) -> ModelDataReader.Result, beside profile: BackgroundResult<ReferenceProfile>?
    ) throws(JobError) -> (data: ModelDataReader.Result, profile: ReferenceProfile?) {
        let data: ModelDataReader.Result
        do {
            data = try read()
        } catch {
            _ = try profile?.wait()
            throw error
        }
        return (data, try profile?.wait())
    }

    static func loadProfile(_ path: String, model: String) throws(JobError) -> ReferenceProfile {
        let data: Data
        do {
            data = Data(try FileAccessError.read(path))
        } catch {
            var message = "models[\(model)].reference_profile: cannot read \(error)"
            if error.cause == .notFound { message += " (create it with `modelwatch profile`)" }
            throw JobError(.noInput, message, fileAccess: error)
        }
        do {
            return try ReferenceProfile.decode(data)
        } catch {
            throw JobError(.configError, "models[\(model)].reference_profile: `\(path)` is not a valid profile: \(error)")
        }
    }

    // MARK: - Heartbeat

    /// Points in ``heartbeatLine(model:report:configuration:asOfMs:earlier:)``: the heartbeat, its deadline and
    /// the deadline's floor row.
    public static let heartbeatPoints = 3

    /// The heartbeat's deadline: `modelwatch_deadline` is stamped this many expected run intervals after the
    /// run finished, and `mw-job-stopped` fires once the deadline of a model's latest run has passed.
    static let deadlineIntervals = 1.5

    /// The outcome a delivery report ends with after every retry of the run: a temporary failure whose points
    /// all reached the server in the end (nothing spooled, nothing lost) counts as delivered.
    static func endState(of delivery: DeliveryReport) -> DeliveryOutcome {
        if case .temporaryFailure = delivery.outcome, delivery.spoolDepthBytes == 0, delivery.pointsLost == 0 {
            return .delivered
        }
        return delivery.outcome
    }

    /// The model's heartbeat (`modelwatch_run`, stamped T, describing the run's end state) followed by its
    /// deadline (`modelwatch_deadline`, stamped `finished + 1.5 × expected interval`).
    func heartbeatLine(
        model: ModelConfiguration, report: ModelReport, configuration: JobConfiguration, asOfMs: Int64,
        earlier: EarlierRuns = EarlierRuns()
    ) -> [UInt8] {
        let finishedMs = environment.wallClockMs()
        var point = Point(measurement: Schema.run.name, tags: [(Tags.model, model.name)], timestampMs: asOfMs)
        point.add("status", .string(report.status.statusText))
        point.add("success", .boolean(report.status == .ok))
        point.add("exit_code", Int(report.status.rawValue))
        point.add("duration_seconds", report.durationSeconds)
        point.add("rows_read", report.counters.rowsRead)
        point.add("rows_rejected", report.counters.rowsRejected)
        point.add("rows_matched", report.counters.labelsMatched)
        point.add("points_written", report.delivery?.pointsDelivered ?? 0)
        point.add("points_rejected", report.delivery?.pointsRejected ?? 0)
        point.add("points_spooled", report.delivery?.pointsSpooled ?? 0)
        point.add("points_replayed", report.delivery?.pointsReplayed ?? 0)
        point.add("points_lost", report.delivery?.pointsLost ?? 0)
        point.add("points_dropped_spool_full", report.delivery?.pointsDroppedSpoolFull ?? 0)
        point.add("retries", report.delivery?.retries ?? 0)
        point.add("spool_depth_bytes", report.delivery?.spoolDepthBytes ?? 0)
        point.add("spool_files_quarantined", report.delivery?.spoolFilesQuarantined ?? 0)
        point.add("run_as_of_seconds", Int(asOfMs / 1000))
        point.add("window_seconds", Int(model.windowSeconds))
        point.add("finished_at_seconds", Int(finishedMs / 1000))
        if let deployed = model.deployedAtMs {
            point.add("model_age_days", Double(asOfMs - deployed) / 86_400_000)
        }
        point.add("max_model_age_days", model.maxModelAgeDays)
        point.add("config_fingerprint", .string(configuration.fingerprint))
        point.add("modelwatch_version", .string(environment.version))
        point.add("newest_prediction_age_seconds", report.freshness?.predictionAgeSeconds.map { FieldValue.integer(Int64($0)) })
        point.add("newest_label_age_seconds", report.freshness?.labelAgeSeconds.map { FieldValue.integer(Int64($0)) })
        point.add("earlier_runs_points_replayed", earlier.pointsReplayed)
        point.add("earlier_runs_oldest_age_seconds", earlier.oldestAgeSeconds)
        point.add("expected_interval_seconds", Int(model.runIntervalSeconds))
        for (key, value) in model.alertThresholds.entries {
            point.add("threshold_\(key)", value)
        }
        for (key, value) in model.alertThresholds.taskEntries(model.task) {
            point.add("threshold_\(key)", value)
        }
        let deadlineMs = finishedMs + Int64((Self.deadlineIntervals * Double(model.runIntervalSeconds * 1000)).rounded())
        var deadline = Point(measurement: Schema.deadline.name, tags: [("kind", "deadline"), (Tags.model, model.name)], timestampMs: deadlineMs)
        deadline.add("finished_at_seconds", Int(finishedMs / 1000))
        deadline.add("expected_interval_seconds", Int(model.runIntervalSeconds))
        // A row stamped T with value 0: the model's series has a row in the past from its first run on, so the
        // rule has data (and does not fire) before the first deadline has passed.
        var floor = Point(measurement: Schema.deadline.name, tags: [("kind", "as_of"), (Tags.model, model.name)], timestampMs: asOfMs)
        floor.add("finished_at_seconds", 0)
        floor.add("expected_interval_seconds", Int(model.runIntervalSeconds))
        var buffer: [UInt8] = []
        var encoder = LineProtocolEncoder()
        encoder.encode(point, into: &buffer)
        encoder.encode(deadline, into: &buffer)
        encoder.encode(floor, into: &buffer)
        return buffer
    }

    // MARK: - Helpers

    func makeSink(_ request: RunRequest, logger: Logger) throws(JobError) -> any PointSink {
        switch request.output {
        case .standardOutput:
            return BufferedSink(destination: "standard output", path: nil)
        case .file(let path):
            return BufferedSink(destination: "file \(path)", path: path)
        case .influx:
            guard let influx = request.configuration.influx else {
                throw JobError(.configError, "influx.url: no InfluxDB is configured; set INFLUX_URL or influx.url, or use --output - / --output file:PATH")
            }
            return try InfluxSink(configuration: request.configuration, influx: influx, environment: environment)
        }
    }

    static func status(of outcome: DeliveryOutcome) -> ExitStatus? {
        switch outcome {
        case .delivered: nil
        case .dataRejected: .dataError
        case .temporaryFailure: .temporaryFailure
        case .configurationError: .configError
        case .pointsLost: .ioError
        }
    }

    static func message(of outcome: DeliveryOutcome) -> String? {
        switch outcome {
        case .delivered: nil
        case .dataRejected(let message), .temporaryFailure(let message), .configurationError(let message), .pointsLost(let message): message
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
