/// Batching, compression and retry limits.
///
/// Retries use exponential backoff with full jitter: before retry *n* (1-based) the writer sleeps a
/// uniformly random time in `[0, min(maxBackoff, initialBackoff · 2^(n-1)))`, unless the server sent
/// `Retry-After` (429/503), which is honoured up to `retryAfterCap`. No sleep is started that would end
/// after `retryBudget` (measured from the start of `deliver`/`replaySpool`), so a run ends well before
/// the next cron tick; what is left is spooled.
public struct DeliveryPolicy: Sendable, Hashable {
    /// Most lines in one request (InfluxDB recommends 5,000).
    public var maxBatchLines: Int
    /// Most uncompressed bytes in one request.
    public var maxBatchBytes: Int
    /// Send `Content-Encoding: gzip` bodies.
    public var gzip: Bool
    /// Attempts per batch, the first included.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Total wall time the run may spend waiting to retry.
    public var retryBudget: Duration
    /// Longest `Retry-After` honoured.
    public var retryAfterCap: Duration

    public init(
        maxBatchLines: Int = 5000, maxBatchBytes: Int = 4 * 1024 * 1024, gzip: Bool = true, maxAttempts: Int = 6,
        initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(20), retryBudget: Duration = .seconds(60),
        retryAfterCap: Duration = .seconds(30)
    ) {
        precondition(maxBatchLines > 0 && maxBatchBytes > 0 && maxAttempts > 0)
        self.maxBatchLines = maxBatchLines
        self.maxBatchBytes = maxBatchBytes
        self.gzip = gzip
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.retryBudget = retryBudget
        self.retryAfterCap = retryAfterCap
    }

    /// The full-jitter backoff before retry number `retry` (1-based), given `random` in `[0, 1)`.
    public func backoff(retry: Int, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceilingSeconds = min(seconds(maxBackoff), seconds(initialBackoff) * Double(1 << exponent))
        let r = min(max(random, 0), 1)
        return .nanoseconds(Int64(ceilingSeconds * r * 1e9))
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
