import Gzip
import HTTPTransport
import Logging

/// Delivers line protocol to InfluxDB (or a compatible server) without hanging, losing or duplicating
/// points: batching, gzip, the retry policy of `WriteFate`, a dead-letter file and a durable `Spool`.
///
/// Synchronous: every call blocks until the data is delivered, dead-lettered or spooled. Time, sleep
/// and randomness come from `DeliveryEnvironment`, so tests run instantly. Not thread-safe; one writer
/// per run. Credentials travel only in the `Authorization` header; every message this type logs or
/// reports is scrubbed of the secret as well.
public final class InfluxWriter {
    public let target: InfluxTarget
    public let policy: DeliveryPolicy
    public let spool: Spool?
    public let deadLetterPath: String?
    private let transport: any HTTPTransport
    private let environment: DeliveryEnvironment
    private let logger: Logger
    private let redactor: SecretRedactor

    public init(
        target: InfluxTarget, policy: DeliveryPolicy = DeliveryPolicy(), spool: Spool?, deadLetterPath: String?,
        transport: any HTTPTransport, environment: DeliveryEnvironment = .system,
        logger: Logger = Logger(label: "modelwatch.delivery")
    ) {
        self.target = target
        self.policy = policy
        self.spool = spool
        self.deadLetterPath = deadLetterPath
        self.transport = transport
        self.environment = environment
        self.logger = logger
        redactor = SecretRedactor(credentials: target.credentials, api: target.api, rawURLUserInfo: target.urlUserInfo)
        if let warning = target.urlCredentialsWarning { logger.warning("\(warning)") }
        if target.tls.insecureSkipVerify {
            logger.warning("TLS verification is disabled (insecure_skip_verify): the server's identity is not checked")
        }
    }

    /// Per-call state: the retry deadline, whether sending has stopped, and the counters.
    private struct Run {
        var deadline: ContinuousClock.Instant
        var halted = false
        var report = DeliveryReport()
        /// Spool entries that cannot be read: reported, left in place, and not waited for.
        var unreadable: Set<String> = []
        /// Why the lost points were not delivered (the outcome before the loss), for the loss message.
        var undeliveredBecause: String?
    }

    /// Replays the spool (oldest first), then sends `lines` (newline-separated line protocol) in batches.
    /// If the spool could not be drained, the new batches are spooled behind it without being sent, so
    /// the server always receives points in creation order.
    public func deliver(lines: [UInt8]) -> DeliveryReport {
        var run = Run(deadline: environment.now() + policy.retryBudget)
        let batches = LineBatch(lines).split(maxLines: policy.maxBatchLines, maxBytes: policy.maxBatchBytes)
        run.report.batches = batches.count
        var spoolBacklog = false
        if let spool {
            replay(spool, &run)
            spoolBacklog = spool.entries().contains { !run.unreadable.contains($0.name) }
        }
        for batch in batches {
            let undelivered = (run.halted || spoolBacklog) ? batch : send(batch, &run)
            if !undelivered.isEmpty { keep(undelivered, &run) }
        }
        return finish(run)
    }

    /// Sends the spooled batches, oldest first, deleting each file only after it was acknowledged (or
    /// dead-lettered); stops at the first temporary or configuration failure (`modelwatch flush`).
    public func replaySpool() -> DeliveryReport {
        var run = Run(deadline: environment.now() + policy.retryBudget)
        if let spool { replay(spool, &run) }
        return finish(run)
    }

    // MARK: - Spool

    private func replay(_ spool: Spool, _ run: inout Run) {
        let entries = spool.entries()
        guard !entries.isEmpty else { return }
        logger.info("replaying spool", metadata: ["files": "\(entries.count)", "directory": "\(spool.directory)"])
        for entry in entries {
            if run.halted { break }
            let batch: LineBatch
            switch spool.read(entry) {
            case .batch(let checked):
                batch = checked
            case .defect(let defect):
                quarantine(entry, defect, spool, &run)
                continue
            case .unreadable(let problem):
                // Not data we can judge: the operator must fix the owner or remove the entry. The files behind it
                // are still replayed and new points still sent, so it never blocks delivery.
                run.unreadable.insert(entry.name)
                run.report.record(.configurationError("spool entry \(problem); the other spool files and new points are delivered without it"))
                logger.error("spool entry cannot be read: skipped", metadata: ["path": "\(entry.path)", "reason": "\(problem)"])
                continue
            }
            let deliveredBefore = run.report.pointsDelivered
            let undelivered = batch.isEmpty ? batch : send(batch, &run)
            run.report.pointsReplayed += run.report.pointsDelivered - deliveredBefore
            do {
                if undelivered.isEmpty {
                    try spool.remove(entry)
                } else if undelivered != batch {
                    try spool.replace(entry, with: undelivered)
                }
            } catch {
                // The points are delivered; a stale file only means an idempotent re-send next time.
                logger.error("could not update spool file", metadata: ["file": "\(entry.name)", "error": "\(error)"])
            }
        }
    }

    /// Moves a spool file that failed its check aside, so the files behind it are delivered.
    private func quarantine(_ entry: Spool.Entry, _ defect: SpoolDefect, _ spool: Spool, _ run: inout Run) {
        let reason = "\(defect)"
        do {
            let path = try spool.quarantine(entry, reason: reason)
            run.report.spoolFilesQuarantined += 1
            run.report.quarantinedFiles.append(path)
            run.report.record(.dataRejected("spool file \(entry.path) failed its check (\(reason)): moved to \(path), not sent"))
            logger.error(
                "spool file failed its check: moved to the quarantine, not sent",
                metadata: ["path": "\(entry.path)", "quarantined_as": "\(path)", "reason": "\(reason)"])
        } catch {
            run.unreadable.insert(entry.name)
            run.report.record(.configurationError(
                "spool file \(entry.path) failed its check (\(reason)) and cannot be moved to \(spool.quarantineDirectory): \(error)"))
            logger.error("spool file failed its check and cannot be quarantined: skipped",
                         metadata: ["path": "\(entry.path)", "reason": "\(reason)", "error": "\(error)"])
        }
    }

    /// Spools undelivered lines, or counts them lost if there is no spool or it cannot be written.
    private func keep(_ batch: LineBatch, _ run: inout Run) {
        guard let spool else {
            run.report.pointsLost += batch.lineCount
            recordLoss("no spool is configured (delivery.spool_dir) to keep them", &run)
            logger.error("points lost: not delivered and no spool configured", metadata: ["points_lost": "\(batch.lineCount)"])
            return
        }
        do {
            let dropped = try spool.append(batch, wallClockMilliseconds: environment.wallClockMilliseconds())
            run.report.pointsSpooled += batch.lineCount
            if dropped > 0 {
                run.report.pointsDroppedSpoolFull += dropped
                logger.error(
                    "spool full: oldest spooled points deleted",
                    metadata: ["points_dropped_spool_full": "\(dropped)", "max_bytes": "\(spool.maxBytes)"])
            }
        } catch {
            run.report.pointsLost += batch.lineCount
            recordLoss(redact("the spool \(spool.directory) could not be written (\(error))"), &run)
            logger.error("points lost: not delivered and the spool write failed",
                         metadata: ["points_lost": "\(batch.lineCount)", "directory": "\(spool.directory)", "error": "\(error)"])
        }
    }

    /// The outcome after more points were lost: the message counts all of this call's lost points.
    private func recordLoss(_ cause: String, _ run: inout Run) {
        switch run.report.outcome {
        case .temporaryFailure(let message), .configurationError(let message), .dataRejected(let message):
            run.undeliveredBecause = run.undeliveredBecause ?? message
        case .delivered, .pointsLost: break
        }
        let because = run.undeliveredBecause.map { " (delivery failed: \($0))" } ?? ""
        let outcome = DeliveryOutcome.pointsLost("\(run.report.pointsLost) points lost: not delivered\(because), and \(cause)")
        if case .pointsLost = run.report.outcome { run.report.outcome = outcome } else { run.report.record(outcome) }
    }

    private func finish(_ run: Run) -> DeliveryReport {
        var report = run.report
        if let spool {
            let entries = spool.entries()
            report.spoolFiles = entries.count
            report.spoolDepthBytes = entries.reduce(0) { $0 + $1.bytes }
        }
        let metadata: Logger.Metadata = [
            "points_delivered": "\(report.pointsDelivered)", "points_rejected": "\(report.pointsRejected)",
            "points_spooled": "\(report.pointsSpooled)", "points_replayed": "\(report.pointsReplayed)",
            "points_dropped_spool_full": "\(report.pointsDroppedSpoolFull)", "points_lost": "\(report.pointsLost)",
            "retries": "\(report.retries)", "requests": "\(report.requests)", "spool_depth_bytes": "\(report.spoolDepthBytes)",
            "spool_files_quarantined": "\(report.spoolFilesQuarantined)",
        ]
        switch report.outcome {
        case .delivered: logger.info("delivery finished", metadata: metadata)
        case .dataRejected(let message), .temporaryFailure(let message), .configurationError(let message), .pointsLost(let message):
            var withReason = metadata
            withReason["reason"] = "\(message)"
            logger.error("delivery incomplete", metadata: withReason)
        }
        return report
    }

    // MARK: - Sending

    private func halt(_ run: inout Run, _ outcome: DeliveryOutcome) {
        run.halted = true
        run.report.record(outcome)
    }

    /// Sends one batch under the retry policy. Returns the lines that were neither delivered nor
    /// dead-lettered (empty on success); sets `run.halted` on a temporary or configuration failure.
    private func send(_ batch: LineBatch, _ run: inout Run) -> LineBatch {
        if run.halted { return batch }
        var attempt = 0
        while true {
            attempt += 1
            run.report.requests += 1
            let fate: WriteFate
            let message: String
            var response: HTTPResponse? = nil
            do {
                let answer = try transport.send(request(for: batch))
                response = answer
                fate = WriteFate.classify(answer)
                message = redact(ServerMessage.text(of: answer))
            } catch {
                fate = WriteFate.classify(error)
                message = redact(error.description)
            }

            switch fate {
            case .delivered:
                run.report.pointsDelivered += batch.lineCount
                return LineBatch([])

            case .rejected:
                reject(batch, response: response, message: message, &run)
                return LineBatch([])

            case .configuration:
                let advice = response.map {
                    WriteFate.configurationAdvice(status: $0.status, api: target.api, location: $0.headers["location"].map(redact))
                }
                    ?? "cannot reach \(target.baseURL) (TLS or URL problem)"
                halt(&run, .configurationError("\(advice); server said: \(message)"))
                logger.error("write refused: configuration error; batch spooled", metadata: ["reason": "\(message)"])
                return batch

            case .tooLarge:
                guard batch.lineCount >= 2 else {
                    deadLetter(batch, reason: "single line too large for the server. \(message)", &run)
                    run.report.record(.dataRejected("a line is larger than the server accepts: \(message)"))
                    return LineBatch([])
                }
                let (first, second) = batch.halves()
                logger.notice("batch too large (413): splitting", metadata: ["points": "\(batch.lineCount)"])
                let firstLeft = send(first, &run)
                let secondLeft = send(second, &run)
                return firstLeft + secondLeft

            case .retry(let honourRetryAfter):
                guard attempt < policy.maxAttempts else {
                    halt(&run, .temporaryFailure("\(Self.attemptsSpent(attempt, policy)): \(message)"))
                    return batch
                }
                if haltedForStop(&run, message) { return batch }
                var delay = policy.backoff(retry: attempt, random: environment.random())
                var asked: Duration?
                if honourRetryAfter {
                    asked = RetryAfter.delay(response?.headers["retry-after"], nowEpochMilliseconds: environment.wallClockMilliseconds())
                    if let asked { delay = min(asked, policy.retryAfterCap) }
                }
                let now = environment.now()
                if now + delay > run.deadline {
                    let left = max(run.deadline - now, .zero)
                    let budget = "the \(Self.seconds(left)) s left of the \(Self.seconds(policy.retryBudget)) s retry budget"
                    let why = if let asked {
                        "the server asked to wait \(Self.seconds(asked)) s (Retry-After\(asked > policy.retryAfterCap ? ", honoured up to \(Self.seconds(policy.retryAfterCap)) s" : "")), more than \(budget)"
                    } else {
                        "the next retry (after \(Self.seconds(delay)) s of backoff) would end after \(budget)"
                    }
                    halt(&run, .temporaryFailure("not retried: \(why); \(message)"))
                    return batch
                }
                logger.warning(
                    "write failed, retrying",
                    metadata: ["attempt": "\(attempt)", "delay": "\(delay)", "reason": "\(message)"])
                environment.sleep(delay)
                if haltedForStop(&run, message) { return batch }
                run.report.retries += 1
            }
        }
    }

    /// Why a batch is not tried again after `attempt` attempts, for a reader who does not know the policy.
    static func attemptsSpent(_ attempt: Int, _ policy: DeliveryPolicy) -> String {
        if policy.maxAttempts == 1 && policy.retryBudget == .zero {
            return "tried once and not retried: an earlier write of this run already failed, so the rest of the run "
                + "makes one attempt per batch (the retry budget is per run)"
        }
        return "gave up after \(attempt) attempt\(attempt == 1 ? "" : "s"), the most one batch gets"
    }

    /// Seconds with at most one decimal (`3600`, `19.8`).
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let tenths = whole * 10 + Int64((Double(attoseconds) / 1e17).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// Once the process is asked to stop, a failed write is not retried: halts the run (the batch and the later
    /// ones are spooled) and returns true.
    private func haltedForStop(_ run: inout Run, _ message: String) -> Bool {
        guard environment.stopRequested() else { return false }
        halt(&run, .temporaryFailure("stop requested (SIGTERM or SIGINT): not retrying, batches spooled: \(message)"))
        return true
    }

    /// 400/422: dead-letter what the server rejected. With the v1 and v3 APIs the server stores the
    /// valid lines of a partially bad batch, so when it names the bad lines only those are dead-lettered
    /// and the rest count as delivered; otherwise (and always for v2, which rejects the whole batch)
    /// the whole batch is dead-lettered.
    private func reject(_ batch: LineBatch, response: HTTPResponse?, message: String, _ run: inout Run) {
        var rejected = batch
        if let response, target.api.storesValidLinesOfPartialWrite,
            let named = ServerMessage.rejectedLines(in: response, batch: batch)
        {
            rejected = named
            run.report.pointsDelivered += batch.lineCount - named.lineCount
        }
        deadLetter(rejected, reason: message, &run)
        run.report.record(.dataRejected(message))
    }

    private func deadLetter(_ batch: LineBatch, reason: String, _ run: inout Run) {
        run.report.pointsRejected += batch.lineCount
        logger.error("points rejected by the server", metadata: ["points_rejected": "\(batch.lineCount)", "reason": "\(reason)"])
        let failure: String
        if let deadLetterPath {
            do {
                try DeadLetter(path: deadLetterPath).append(batch, reason: reason, wallClockMilliseconds: environment.wallClockMilliseconds())
                return
            } catch {
                failure = "the dead-letter file \(deadLetterPath) could not be written (\(error))"
            }
        } else {
            failure = "no dead-letter file is configured (delivery.dead_letter)"
        }
        // Where the lines went: only into the log, so an operator can still recover them from there.
        run.report.pointsRejectedNotSaved += batch.lineCount
        run.report.deadLetterError = failure
        let shown = batch.lines.prefix(Self.rejectedLinesLogged).map { String(decoding: $0, as: UTF8.self) }
        logger.error(
            "rejected points not saved: \(failure)",
            metadata: [
                "points_rejected": "\(batch.lineCount)", "lines_logged": "\(shown.count)",
                "lines": "\(shown.joined(separator: "\n"))",
            ])
    }

    /// Rejected lines written to the log when there is no dead-letter file to keep them.
    static let rejectedLinesLogged = 100

    func request(for batch: LineBatch) -> HTTPRequest {
        var headers: [(String, String)] = [
            ("Content-Type", "text/plain; charset=utf-8"), ("Accept", "application/json"), ("User-Agent", "modelwatch"),
        ]
        var body = batch.bytes
        if policy.gzip, let compressed = try? Gzip.compress(batch.bytes) {
            body = compressed
            headers.append(("Content-Encoding", "gzip"))
        }
        if let authorization = target.credentials.authorizationHeader(for: target.api) {
            headers.append(("Authorization", authorization))
        }
        return HTTPRequest(
            url: target.writeURL, method: .post, headers: headers, body: body, connectTimeout: target.connectTimeout,
            totalTimeout: target.requestTimeout, tls: target.tls)
    }

    /// Removes the secret from any text that may be logged or reported.
    private func redact(_ text: String) -> String { redactor.redact(text) }
}

extension InfluxAPI {
    /// Whether a 400 from this API leaves the valid lines of the batch stored (1.x and 3.x do; 2.x rejects all).
    var storesValidLinesOfPartialWrite: Bool {
        switch self {
        case .v1, .v3: return true
        case .v2: return false
        }
    }
}
