import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A graceful stop on SIGTERM and SIGINT (a Kubernetes pod evicted, `systemctl stop`, Ctrl-C).
///
/// The first signal sets ``requested``: the model being evaluated is finished and delivered (or spooled), the
/// models not started yet are skipped with a heartbeat that says so, a backfill stops after its current batch
/// (checkpointed), and the run exits 75. A hard stop, `run.stop_grace` after the signal, or at a second
/// signal, exits 75 at once, like the time budget's: every file modelwatch writes is written whole, so an
/// interrupted run leaves nothing half-written behind.
enum StopSignals {
    /// Set by the first SIGTERM or SIGINT.
    static let requested = Atomic<Bool>(false)
    /// When the stop was first seen outside the handler: nanoseconds since ``origin`` (0 until then). The
    /// handler does not read the clock itself; the readers see the flag within one chunk of a file.
    static let requestedAt = Atomic<Int64>(0)
    /// The clock's zero for ``requestedAt``.
    static let origin = ContinuousClock.now
    /// Seconds from the first signal to the hard stop.
    nonisolated(unsafe) static var graceSeconds: UInt32 = 20

    static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// True once the grace period is nearly over (3 s before its end, or half-way for a grace under 6 s): a read
    /// in progress is then abandoned, leaving time to write every heartbeat before the hard stop.
    static var isPastAbortPoint: Bool {
        guard isRequested else { return false }
        let elapsed = (ContinuousClock.now - origin).components
        let now = max(1, elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        let (first, seen) = requestedAt.compareExchange(expected: 0, desired: now, ordering: .relaxed)
        let grace = Int64(graceSeconds) * 1_000_000_000
        return now - (first ? now : seen) >= grace - min(3_000_000_000, grace / 2)
    }

    /// Installs the handlers. Only async-signal-safe calls run inside them: atomic loads and stores, `write`,
    /// `alarm` and `_exit`.
    static func install(graceSeconds: Double) {
        // Static properties are initialised lazily, under a lock: touch them here, never first in a handler.
        Self.graceSeconds = UInt32(max(1, graceSeconds.rounded(.up)))
        _ = isRequested
        _ = requestedAt.load(ordering: .relaxed)
        _ = origin
        WallClockBudget.installHandler()
        unblock([SIGTERM, SIGINT])
        for number in [SIGTERM, SIGINT] {
            signal(number) { _ in
                if StopSignals.requested.exchange(true, ordering: .relaxed) {
                    StopSignals.say("modelwatch: second stop signal: stopping now; exit 75\n")
                    _exit(75)
                }
                StopSignals.say("modelwatch: stop requested (SIGTERM or SIGINT): finishing the model in progress, skipping the others; a second signal or run.stop_grace stops at once\n")
                // The earlier of the grace period and an alarm already set (the time budget's) stays.
                let pending = alarm(0)
                alarm(pending > 0 ? min(pending, StopSignals.graceSeconds) : StopSignals.graceSeconds)
            }
        }
    }

    /// Unblocks `signals` in this thread (and the threads it starts later), in case the parent started
    /// modelwatch with them blocked: a blocked SIGTERM would wait unseen until SIGKILL.
    static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Writes `text` to standard error without allocating (static strings only).
    static func say(_ text: StaticString) {
        _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
    }
}
