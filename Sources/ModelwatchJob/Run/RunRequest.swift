import HTTPTransport
import InfluxDelivery
import Logging
import ModelwatchConfiguration

/// Where a run's line protocol goes.
public enum OutputTarget: Sendable, Equatable {
    /// The configured InfluxDB.
    case influx
    /// Standard output (`--output -`).
    case standardOutput
    /// A file, written whole (temporary file, then rename) (`--output file:PATH`).
    case file(String)
}

/// Everything one `modelwatch run` needs besides the world: what to evaluate, as of when, and where to write.
public struct RunRequest: Sendable {
    public var configuration: JobConfiguration
    /// The as-of time in epoch milliseconds (aligned to each model's window by the plan).
    public var asOfMs: Int64
    public var output: OutputTarget
    /// Only the model with this name, when set.
    public var modelFilter: String?

    public init(configuration: JobConfiguration, asOfMs: Int64, output: OutputTarget, modelFilter: String? = nil) {
        self.configuration = configuration
        self.asOfMs = asOfMs
        self.output = output
        self.modelFilter = modelFilter
    }
}

/// The run's dependencies on the outside world, injected so tests control time and transport.
public struct RunEnvironment: Sendable {
    /// Wall-clock epoch milliseconds (for model age and log timestamps).
    public var wallClockMs: @Sendable () -> Int64
    /// Monotonic time, for durations and the time budget.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// HTTP transport for InfluxDB.
    public var transport: any HTTPTransport
    /// Sleep and randomness for delivery retries.
    public var delivery: DeliveryEnvironment
    /// Where logs go.
    public var logger: Logger
    /// modelwatch's version string, written in the heartbeat.
    public var version: String
    /// True once the process was asked to stop (SIGTERM, SIGINT): models not started yet are skipped, and a
    /// backfill stops after the batch it is on.
    public var stopRequested: @Sendable () -> Bool
    /// True once a stop was requested and its grace period (`run.stop_grace`) is nearly over: a read in
    /// progress is abandoned (the model fails with exit 75 and only its heartbeat is written), so the run ends
    /// with every heartbeat written instead of being cut off.
    public var abortRequested: @Sendable () -> Bool
    /// HTTP transport for HiveServer2 (Spark) sources; nil: `transport`.
    public var sourceTransport: (any HTTPTransport)? = nil

    public init(
        wallClockMs: @escaping @Sendable () -> Int64, now: @escaping @Sendable () -> ContinuousClock.Instant,
        transport: any HTTPTransport, delivery: DeliveryEnvironment, logger: Logger, version: String,
        stopRequested: @escaping @Sendable () -> Bool = { false }, abortRequested: @escaping @Sendable () -> Bool = { false }
    ) {
        self.wallClockMs = wallClockMs
        self.now = now
        self.transport = transport
        self.delivery = delivery
        self.logger = logger
        self.version = version
        self.stopRequested = stopRequested
        self.abortRequested = abortRequested
    }
}
