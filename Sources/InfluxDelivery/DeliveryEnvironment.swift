import Glibc

/// The clocks, sleep and randomness the writer uses, injectable so tests run instantly and deterministically.
public struct DeliveryEnvironment: Sendable {
    /// Monotonic time, for the retry budget.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Wall-clock time in milliseconds since the Unix epoch, for `Retry-After` dates and spool file names.
    public var wallClockMilliseconds: @Sendable () -> Int64
    public var sleep: @Sendable (Duration) -> Void
    /// Uniform in `[0, 1)`.
    public var random: @Sendable () -> Double
    /// True once the process was asked to stop: the writer then retries no more, and spools what is left.
    public var stopRequested: @Sendable () -> Bool

    public init(
        now: @escaping @Sendable () -> ContinuousClock.Instant,
        wallClockMilliseconds: @escaping @Sendable () -> Int64,
        sleep: @escaping @Sendable (Duration) -> Void,
        random: @escaping @Sendable () -> Double,
        stopRequested: @escaping @Sendable () -> Bool = { false }
    ) {
        self.now = now
        self.wallClockMilliseconds = wallClockMilliseconds
        self.sleep = sleep
        self.random = random
        self.stopRequested = stopRequested
    }

    /// Real clocks, a blocking sleep and the system random generator.
    public static let system = stoppable(by: { false })

    /// ``system`` whose writer stops retrying once `stopRequested` is true; a retry's sleep also ends early when
    /// the signal that requested the stop interrupts it.
    public static func stoppable(by stopRequested: @escaping @Sendable () -> Bool) -> DeliveryEnvironment {
        DeliveryEnvironment(
            now: { ContinuousClock.now },
            wallClockMilliseconds: {
                var ts = timespec()
                clock_gettime(CLOCK_REALTIME, &ts)
                return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
            },
            sleep: { duration in
                let (seconds, attoseconds) = duration.components
                guard seconds > 0 || attoseconds > 0 else { return }
                var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                var remaining = timespec()
                while nanosleep(&request, &remaining) == -1 && errno == EINTR && !stopRequested() { request = remaining }
            },
            random: { Double.random(in: 0..<1) },
            stopRequested: stopRequested
        )
    }
}
