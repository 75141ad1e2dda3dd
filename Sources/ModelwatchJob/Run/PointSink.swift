import Foundation
import Synchronization
import HTTPTransport
import InfluxDelivery
#if canImport(Glibc)
import Glibc
import ModelwatchConfiguration
import ModelwatchSources
#endif

/// Where encoded line protocol goes: InfluxDB, a file or standard output.
protocol PointSink {
    /// Human-readable destination for the summary.
    var destination: String { get }
    /// Delivers newline-terminated lines holding `points` points.
    mutating func deliver(_ lines: [UInt8], points: Int) -> DeliveryReport
    /// Completes the output (writes the file whole); returns a run-level error, if any.
    mutating func finish() -> JobError?
    /// Sends what earlier runs left in the spool, before this run writes anything (see ``EarlierRuns``).
    mutating func replayEarlierRuns(nowMs: Int64) -> EarlierRuns
    /// One more attempt at the spool after a delivery failed temporarily, so that the heartbeat describes
    /// the spool after every retry of the run (empty when the server came back).
    mutating func retrySpool() -> DeliveryReport
}

/// What a run's first replay of the spool delivered: points that earlier runs could not deliver. Every
/// heartbeat of the run carries it (`earlier_runs_points_replayed`, `earlier_runs_oldest_age_seconds`), so an
/// outage that has ended is still visible, one run interval after the run whose writes failed.
struct EarlierRuns: Sendable, Equatable {
    /// The replay's delivery report (counted into the first model's delivery).
    var report = DeliveryReport()
    /// Points spooled by earlier runs and delivered now.
    var pointsReplayed: Int { report.pointsReplayed }
    /// Age of the oldest replayed batch when it was delivered (now − the time it was spooled), seconds; 0 when
    /// nothing was replayed.
    var oldestAgeSeconds = 0
}

/// Collects lines and writes them at the end: to standard output, or to a file via a temporary file
/// and a rename, so a reader never sees half a file.
struct BufferedSink: PointSink {
    let destination: String
    let path: String?
    private var buffer: [UInt8] = []

    init(destination: String, path: String?) {
        self.destination = destination
        self.path = path
    }

    mutating func deliver(_ lines: [UInt8], points: Int) -> DeliveryReport {
        buffer += lines
        var report = DeliveryReport()
        report.pointsDelivered = points
        return report
    }

    mutating func replayEarlierRuns(nowMs: Int64) -> EarlierRuns { EarlierRuns() }

    mutating func retrySpool() -> DeliveryReport { DeliveryReport() }

    mutating func finish() -> JobError? {
        guard let path else {
            FileHandle.standardOutput.write(Data(buffer))
            return nil
        }
        do {
            try AtomicFile.write(buffer, to: path)
            return nil
        } catch {
            return JobError(.cannotCreate, "--output file:\(path): cannot write: \(error)")
        }
    }
}

/// Writes a file whole: a temporary file in the same directory, fsync, rename, fsync of the directory.
/// A reader sees the old file or the new one, never a part; leftovers of a killed writer are removed.
///
/// Each write has a temporary file of its own (`.<name>.tmp-<pid>-<n>`), and only the leftovers of processes
/// that no longer exist are removed, so writers of one path at the same time (threads of one process, or two
/// processes) never remove or rename each other's file: the last rename wins, whole.
enum AtomicFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Numbers this process's temporary files.
    private static let writes = Atomic<Int>(0)

    static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = (path as NSString).lastPathComponent
        let prefix = ".\(base).tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            guard let owner = leftoverOwner(name.dropFirst(prefix.count)), owner != getpid(), kill(owner, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
        let number = writes.wrappingAdd(1, ordering: .relaxed).oldValue
        let temporary = (directory as NSString).appendingPathComponent("\(prefix)\(getpid())-\(number)")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let message = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw Failure(description: message)
            }
            offset += written
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw Failure(description: String(cString: strerror(errno)))
        }
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: message)
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// The process id a temporary file's suffix starts with (`<pid>` or `<pid>-<n>`), if it is one.
    static func leftoverOwner(_ suffix: Substring) -> pid_t? {
        let digits = suffix.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count == suffix.count || suffix.dropFirst(digits.count).first == "-" else { return nil }
        return pid_t(digits)
    }
}

/// Delivers to InfluxDB through ``InfluxWriter`` (batching, gzip, retries, spool, dead letters).
///
/// The retry budget is per run, not per call: once a delivery fails temporarily, later deliveries of the
/// same run (the next models, the heartbeats) make one attempt each and then go to the spool, so a run
/// with many models still ends within about one retry budget.
struct InfluxSink: PointSink {
    let destination: String
    private let writer: InfluxWriter
    private let failFastWriter: InfluxWriter
    private var halted = false

    init(configuration: JobConfiguration, influx: InfluxConfiguration, environment: RunEnvironment) throws(JobError) {
        let api: InfluxAPI = switch influx.api {
        case .v1(let database, let retentionPolicy): .v1(database: database, retentionPolicy: retentionPolicy)
        case .v2(let org, let bucket): .v2(org: org, bucket: bucket)
        case .v3(let database): .v3(database: database)
        }
        let credentials: InfluxCredentials = switch influx.credentials {
        case .none: .none
        case .token(let token): .token(token)
        case .userPassword(let user, let password): .userPassword(user: user, password: password)
        }
        let target = InfluxTarget(
            baseURL: influx.url, api: api, credentials: credentials,
            tls: TLSOptions(caBundlePath: influx.caBundle, clientCertPath: influx.clientCertificate,
                            clientKeyPath: influx.clientKey, insecureSkipVerify: influx.insecureSkipVerify),
            connectTimeout: .milliseconds(Int64(influx.connectTimeoutSeconds * 1000)),
            requestTimeout: .milliseconds(Int64(influx.requestTimeoutSeconds * 1000)))
        let delivery = configuration.delivery
        let policy = DeliveryPolicy(
            maxBatchLines: delivery.batchLines, maxBatchBytes: delivery.batchBytes, gzip: delivery.gzip,
            retryBudget: .milliseconds(Int64(delivery.retryBudgetSeconds * 1000)))
        let spool: Spool
        do {
            spool = try Spool(
                directory: delivery.spoolDirectory, maxBytes: Int(delivery.spoolMaxBytes),
                quarantineDirectory: Self.quarantineDirectory(spool: delivery.spoolDirectory, deadLetter: delivery.deadLetterPath))
        } catch {
            if case .locked(let message) = error {
                throw JobError(.temporaryFailure, "delivery.spool_dir: \(message); another modelwatch run is still writing — this run stops so the two do not overlap")
            }
            throw JobError(.cannotCreate, "delivery.spool_dir: \(error)")
        }
        writer = InfluxWriter(
            target: target, policy: policy, spool: spool, deadLetterPath: delivery.deadLetterPath,
            transport: environment.transport, environment: environment.delivery, logger: environment.logger)
        var failFast = policy
        failFast.retryBudget = .zero
        failFast.maxAttempts = 1
        failFastWriter = InfluxWriter(
            target: target, policy: failFast, spool: spool, deadLetterPath: delivery.deadLetterPath,
            transport: environment.transport, environment: environment.delivery, logger: environment.logger)
        destination = "InfluxDB \(target.writeURL)"
    }

    mutating func deliver(_ lines: [UInt8], points: Int) -> DeliveryReport {
        let report = (halted ? failFastWriter : writer).deliver(lines: lines)
        switch report.outcome {
        case .temporaryFailure, .pointsLost: halted = true
        case .delivered, .dataRejected, .configurationError: break
        }
        return report
    }

    /// Spool files that fail their check go to `quarantine/` beside the dead-letter file, or inside the spool
    /// directory when there is no dead-letter file.
    static func quarantineDirectory(spool: String, deadLetter: String?) -> String {
        guard let deadLetter else { return spool + "/quarantine" }
        let parent = (deadLetter as NSString).deletingLastPathComponent
        return (parent.isEmpty ? "." : parent) + "/quarantine"
    }

    mutating func finish() -> JobError? { nil }

    /// Replays the spool with the full retry budget; the oldest batch that left the spool gives the age.
    mutating func replayEarlierRuns(nowMs: Int64) -> EarlierRuns {
        guard let spool = writer.spool, let oldest = spool.entries().first else { return EarlierRuns() }
        var earlier = EarlierRuns(report: writer.replaySpool())
        if case .temporaryFailure = earlier.report.outcome { halted = true }
        if earlier.pointsReplayed > 0, let spooledAt = oldest.spooledAtMs {
            earlier.oldestAgeSeconds = Int(max(0, nowMs - spooledAt) / 1000)
        }
        return earlier
    }

    /// Replays the spool once more: one attempt per batch once the run has met a temporary failure.
    mutating func retrySpool() -> DeliveryReport {
        let report = (halted ? failFastWriter : writer).replaySpool()
        if case .temporaryFailure = report.outcome { halted = true }
        return report
    }

    /// Replays the spool only.
    func replay() -> DeliveryReport { writer.replaySpool() }
}
