import HTTPTransport
import HiveServer2

/// A Spark source (`scores.spark` / `labels.spark`): a HiveServer2 endpoint over HTTP(S) (a Spark Thrift server
/// or a Databricks SQL warehouse) and the relation read. Spark sources are evaluated in push-down mode only.
public struct SparkSourceConfiguration: Sendable {
    /// URL, credentials (already resolved), TLS and timeouts.
    public var endpoint: HiveServer2Endpoint
    /// What is read: a table or view (optionally `catalog.schema.`-qualified) or a path relation such as
    /// ``parquet.`/data/scores` ``, used as written after FROM.
    public var table: String
    /// The config key of this block, e.g. `models[fraud].scores.spark`, for messages.
    public var key: String

    /// The endpoint's URL without user info, for messages.
    public var displayURL: String {
        let parts = endpoint.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, let at = parts[2].lastIndex(of: "@") else { return endpoint.url }
        var copy = parts
        copy[2] = parts[2][parts[2].index(after: at)...]
        return copy.joined(separator: "/")
    }
}
