import HTTPTransport
import HiveServer2
import InputParsing
import ModelwatchConfiguration
import ModelwatchSources

/// A Spark SQL relation (a table, a view, or a path such as ``parquet.`s3://bucket/scores/` ``) read through a
/// HiveServer2 endpoint (Spark Thrift server, Databricks SQL warehouse) for push-down: the columns come from the
/// relation's schema (`SELECT * … LIMIT 0`), the time bounds are written into each query as literals
/// (`timestamp_millis(…)` for TIMESTAMP and DATE columns, numbers for epoch columns) so a table partitioned by
/// the time column is pruned.
///
/// Errors name the config key: refused credentials, a missing table or column, a failed query exit 78; an
/// unreachable endpoint or a session lost mid-query exit 75 (nothing is written for the model).
final class SparkRecords: PushdownSource {
    let configuration: SparkSourceConfiguration
    /// The source's key, e.g. `models[fraud].scores`.
    let key: String
    let timestampUnit: TimestampUnitOption
    private let session: HiveServer2Session
    let from: String
    let columns: [String: HiveColumnDescription]
    var isTable: Bool { true }
    var dialect: AggregateSQL.Dialect { .spark }
    var relationKey: String { "\(key).spark.table" }

    /// Opens a session, or uses `sharing`'s when it is on the same endpoint with the same credentials (the labels
    /// of a model beside its scores): one session per endpoint, closed when the last source using it goes.
    init(_ configuration: SparkSourceConfiguration, key: String, timestampUnit: TimestampUnitOption, transport: any HTTPTransport, sharing: SparkRecords? = nil) throws(JobError) {
        self.configuration = configuration
        self.key = key
        self.timestampUnit = timestampUnit
        let sparkKey = "\(key).spark"
        if let sharing, sharing.configuration.endpoint.canShareSession(with: configuration.endpoint) {
            session = sharing.session
        } else {
            do {
                session = try HiveServer2Session(endpoint: configuration.endpoint, transport: transport)
            } catch {
                throw Self.map(error, key: sparkKey, setUp: true, configuration: configuration)
            }
        }
        from = configuration.table
        do {
            let schema = try session.query("SELECT * FROM \(configuration.table) LIMIT 0")
            columns = Dictionary(schema.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw Self.map(error, key: "\(sparkKey).table", setUp: true, configuration: configuration)
        }
    }

    func checkColumns(_ requested: [String], columnKeys: [String]) throws(JobError) {
        for (index, column) in requested.enumerated() where columns[column] == nil {
            let names = columns.keys.sorted()
            throw JobError(.configError, "\(columnKeys[index]): \(from) has no column \"\(column)\"\(Suggestion.hint(for: column, among: names)) (it has: \(names.joined(separator: ", ")))")
        }
    }

    func numericColumn(_ name: String) -> (isNumeric: Bool, typeName: String) {
        guard let column = columns[name] else { return (false, "unknown") }
        return (column.isNumeric, column.typeName)
    }

    func pushdownTimeBinding(column: String, columnKey: String) throws(JobError) -> PushdownTimeBinding {
        guard let description = columns[column] else { throw JobError(.configError, "\(columnKey): \(from) has no column \"\(column)\"") }
        if description.isTemporal {
            // An instant, whatever the session time zone; a constant, so partition filters on the column apply.
            return PushdownTimeBinding(type: 1, format: { "timestamp_millis(\($0))" })
        }
        guard description.isNumeric else {
            throw JobError(.configError, "\(columnKey): column \"\(column)\" of \(from) is \(description.typeName), which cannot bound a time range; use TIMESTAMP, DATE or an epoch number")
        }
        switch timestampUnit {
        case .seconds: return PushdownTimeBinding(type: 20, format: { ms in String(ms >= 0 ? ms / 1000 : (ms - 999) / 1000) })
        case .milliseconds: return PushdownTimeBinding(type: 20, format: { String($0) })
        case .microseconds, .nanoseconds:
            let scale: Int64 = timestampUnit == .microseconds ? 1_000 : 1_000_000
            return PushdownTimeBinding(type: 20, format: { ms in
                let (scaled, overflow) = ms.multipliedReportingOverflow(by: scale)
                return String(overflow ? (ms < 0 ? Int64.min : Int64.max) : scaled)
            })
        case .auto, .undeclared:
            throw JobError(.configError, "\(key).timestamp_unit: column \"\(column)\" holds epoch numbers; set `seconds` or `milliseconds` so the time range can be bound to it")
        }
    }

    func epochMillisSQL(_ expression: String, column: String) -> String {
        guard let description = columns[column], !description.isTemporal else { return "unix_millis(CAST(\(expression) AS TIMESTAMP))" }
        switch timestampUnit {
        case .seconds: return "(\(expression) * 1000)"
        case .microseconds: return "(\(expression) / 1000.0)"
        case .nanoseconds: return "(\(expression) / 1000000.0)"
        default: return expression
        }
    }

    func aggregate(_ sql: String, bounds: [Int64], binding: PushdownTimeBinding, key: String, onRow: (any PushdownRow) -> Void) throws(JobError) {
        // No bind parameters over HiveServer2: the bounds are literals (highest index first, so `$1` never
        // touches `$10`).
        var text = sql
        for (index, bound) in bounds.enumerated().reversed() { text = text.replacingAll("$\(index + 1)", with: binding.format(bound)) }
        let result: HiveResultSet
        do {
            result = try session.query(text)
        } catch {
            throw Self.map(error, key: key, setUp: false, configuration: configuration)
        }
        for row in result.rows { onRow(SparkRow(values: row)) }
    }

    func sameDatabase(as other: any PushdownSource) -> Bool {
        guard let other = other as? SparkRecords else { return false }
        return other.configuration.endpoint.url == configuration.endpoint.url
    }

    /// Maps a HiveServer2 failure to a job error naming `key`.
    static func map(_ error: HiveServer2Error, key: String, setUp: Bool, configuration: SparkSourceConfiguration) -> JobError {
        let target = configuration.displayURL
        switch error.kind {
        case .unreachable:
            return JobError(.temporaryFailure, "\(key): cannot reach Spark at \(target) (retried next run): \(error.message)")
        case .sessionLost:
            return JobError(.temporaryFailure, "\(key): the Spark session was lost \(setUp ? "during set-up" : "while the query ran"); nothing is written for this model and the next run retries: \(error.message)")
        case .unauthorized:
            return JobError(.configError, "\(key): Spark at \(target) refused the credentials (check the token from token_env/token_file, or user and the password from password_env/password_file): \(error.message)")
        case .tls:
            return JobError(.configError, "\(key): TLS with \(target) failed (check ca_bundle): \(error.message)")
        case .httpStatus(let status):
            let hint = status == 404 ? " (check http_path)" : ""
            return JobError(error.isTemporary ? .temporaryFailure : .configError, "\(key): Spark at \(target) answered HTTP \(status)\(hint): \(error.message)")
        case .protocolError:
            return JobError(.configError, "\(key): \(target) does not answer as a HiveServer2 endpoint should (check url and http_path): \(error.message)")
        case .server(let sqlState):
            var hint = ""
            if error.message.contains("TABLE_OR_VIEW_NOT_FOUND") || error.message.contains("PATH_NOT_FOUND") { hint = "the table does not exist or cannot be read: " }
            else if error.message.contains("UNRESOLVED_COLUMN") { hint = "a column does not exist: " }
            else if error.message.contains("PARSE_SYNTAX_ERROR") { hint = "syntax error: " }
            else if error.message.contains("INSUFFICIENT_PERMISSIONS") || sqlState == "42501" { hint = "permission denied (grant SELECT on the table): " }
            return JobError(.configError, "\(key): Spark SQL failed: \(hint)\(error.message)")
        }
    }
}

/// One row of a Spark result, as the typed values HiveServer2 sent.
struct SparkRow: PushdownRow {
    let values: [HiveValue]

    func string(_ column: Int) -> String? { values[column].text }
    func double(_ column: Int) -> Double? { values[column].double }
    func kind(_ column: Int) -> FieldKind {
        switch values[column] {
        case .null: return .null
        case .string(let text) where text.isEmpty: return .empty
        default: return .text
        }
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
