/// Timestamp precision of the lines being written. Milliseconds is the project default: accepted by
/// every endpoint, and deterministic client timestamps make retries idempotent.
public enum WritePrecision: String, Sendable, Hashable {
    case nanoseconds, microseconds, milliseconds, seconds

    /// The query value for `api` (v1 uses `n/u/ms/s`, v2 `ns/us/ms/s`, v3 long names).
    func queryValue(for api: InfluxAPI) -> String {
        switch (api, self) {
        case (.v1, .nanoseconds): return "n"
        case (.v1, .microseconds): return "u"
        case (.v2, .nanoseconds): return "ns"
        case (.v2, .microseconds): return "us"
        case (.v3, _): return rawValue.dropLast().description  // nanosecond, microsecond, ...
        case (_, .milliseconds): return "ms"
        case (_, .seconds): return "s"
        }
    }
}
