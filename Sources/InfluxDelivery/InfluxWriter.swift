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
    private let secrets: [String]

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
        switch target.credentials {
        case .none: secrets = []
        case .token(let token): secrets = [token].filter { !$0.isEmpty }
        case .userPassword(_, let password): secrets = [password].filter { !$0.isEmpty }
        }
        if target.tls.insecureSkipVerify {
            logger.warning("TLS verification is disabled (insecure_skip_verify): the server's identity is not checked")
        }
    }

    /// Per-call state: the retry deadline, whether sending has stopped, and the counters.
    private struct Run {
        var deadline: ContinuousClock.Instant
        var halted = false
        var report = DeliveryReport()
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
            spoolBacklog = !spool.entries().isEmpty
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
            do { batch = try spool.read(entry) } catch {
                halt(&run, .temporaryFailure(redact("cannot read spool file \(entry.name): \(error)")))
                break
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

    /// Spools undelivered lines, or counts them lost if there is no spool or it cannot be written.
    private func keep(_ batch: LineBatch, _ run: inout Run) {
        guard let spool else {
            run.report.pointsLost += batch.lineCount
            logger.error("no spool configured: points lost", metadata: ["points_lost": "\(batch.lineCount)"])
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
            run.report.record(.temporaryFailure(redact("spool write failed, \(batch.lineCount) points lost: \(error)")))
            logger.error("spool write failed: points lost", metadata: ["points_lost": "\(batch.lineCount)", "error": "\(error)"])
        }
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
        ]
        switch report.outcome {
        case .delivered: logger.info("delivery finished", metadata: metadata)
        case .dataRejected(let message), .temporaryFailure(let message), .configurationError(let message):
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
                    halt(&run, .temporaryFailure("gave up after \(attempt) attempts: \(message)"))
                    return batch
                }
                if haltedForStop(&run, message) { return batch }
                var delay = policy.backoff(retry: attempt, random: environment.random())
                if honourRetryAfter,
                    let asked = RetryAfter.delay(
                        response?.headers["retry-after"], nowEpochMilliseconds: environment.wallClockMilliseconds())
                {
                    delay = min(asked, policy.retryAfterCap)
                }
                if environment.now() + delay > run.deadline {
                    halt(&run, .temporaryFailure("retry budget of \(policy.retryBudget) spent: \(message)"))
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
        guard let deadLetterPath else { return }
        do {
            try DeadLetter(path: deadLetterPath).append(batch, reason: reason, wallClockMilliseconds: environment.wallClockMilliseconds())
        } catch {
            logger.error("cannot write the dead-letter file", metadata: ["path": "\(deadLetterPath)", "error": "\(error)"])
        }
    }

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
    private func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: "<redacted>")
        }
        return result
    }
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
