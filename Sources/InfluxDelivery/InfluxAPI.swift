/// Which write API to use, with the names it needs.
///
/// - `v1`: `POST /write?db=<database>&rp=<rp>&precision=ms` (InfluxDB 1.x, and 2.x/3.x v1-compat).
/// - `v2`: `POST /api/v2/write?org=<org>&bucket=<bucket>&precision=ms` (InfluxDB 2.x, 1.8+, 3.x, VictoriaMetrics).
/// - `v3`: `POST /api/v3/write_lp?db=<database>&precision=millisecond` (InfluxDB 3 Core/Enterprise).
public enum InfluxAPI: Sendable, Hashable {
    case v1(database: String, retentionPolicy: String?)
    case v2(org: String, bucket: String)
    case v3(database: String)

    /// What the database or bucket is called for this API, for "create it" messages.
    var containerDescription: String {
        switch self {
        case .v1(let database, let rp): return rp.map { "database \"\(database)\" / retention policy \"\($0)\"" } ?? "database \"\(database)\""
        case .v2(let org, let bucket): return "bucket \"\(bucket)\" in org \"\(org)\""
        case .v3(let database): return "database \"\(database)\""
        }
    }
}
