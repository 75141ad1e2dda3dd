import InputParsing
import ModelwatchConfiguration
import PostgresSource

extension PostgresRow: SourceRow {}

/// Reads a PostgreSQL source (a table or a query) as a bounded, streamed SELECT of the requested columns.
///
/// - Table: modelwatch writes `SELECT <columns> FROM <table> WHERE <time> >= $1 [AND <time> < $2]`, with the
///   bounds typed like the time column (timestamptz, timestamp, date, or an epoch number in the configured
///   unit), so a B-tree index on the time column serves the predicate.
/// - Query: the configured SELECT runs as a subquery with `$1`/`$2` bound as timestamptz; the requested
///   columns are taken from its result by name.
///
/// Errors name the config key: a rejected connection, a missing table or column, a bad query exit 78;
/// an unreachable server or a connection lost mid-read exit 75 (the run writes nothing for the model).
package struct PostgresRecords {
    package let configuration: PostgresSourceConfiguration
    /// The source's key, e.g. `models[fraud].scores`.
    package let key: String
    let timestampUnit: TimestampUnitOption
    let connection: PostgresConnection
    /// What the SELECT reads from: the quoted table, or `(query) AS modelwatch_source`.
    package let from: String
    /// Display name for row messages.
    let location: String
    /// Column name → type OID.
    package let columnTypes: [String: UInt32]
    package let isTable: Bool

    private var postgresKey: String { "\(key).postgres" }

    /// Connects and resolves the table or query's columns.
    package init(_ configuration: PostgresSourceConfiguration, key: String, timestampUnit: TimestampUnitOption) throws(JobError) {
        self.configuration = configuration
        self.key = key
        self.timestampUnit = timestampUnit
        let settings = configuration.settings
        let postgresKey = "\(key).postgres"
        do {
            connection = try PostgresConnection(settings)
        } catch {
            let target = "\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)"
            if error.isTemporary {
                throw JobError(.temporaryFailure, "\(postgresKey): cannot reach PostgreSQL \(target) (retried next run): \(error.message)")
            }
            var hint = ""
            if error.message.contains("password authentication failed") || error.message.contains("no password supplied") {
                hint = " (check \(postgresKey).user and the password from \(postgresKey).password_env or password_file)"
            } else if error.message.contains("database \"") && error.message.contains("does not exist") {
                hint = " (check \(postgresKey).database)"
            } else if error.message.lowercased().contains("ssl") || error.message.contains("certificate") {
                hint = " (check \(postgresKey).sslmode and sslrootcert)"
            }
            throw JobError(.configError, "\(postgresKey): PostgreSQL \(target) rejected the connection\(hint): \(error.message)")
        }
        switch configuration.relation {
        case .table(let table):
            isTable = true
            let resolved: String
            do {
                guard let name = try connection.query("SELECT to_regclass($1)::text", parameters: [table]).first?.first ?? nil else {
                    throw JobError(.configError, "\(postgresKey).table: table `\(table)` does not exist in database \(settings.database) (or user \(settings.user) cannot see it)")
                }
                resolved = name
                let rows = try connection.query(
                    "SELECT attname::text, atttypid::int8 FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                    parameters: [name])
                var types: [String: UInt32] = [:]
                for row in rows { if let name = row[0], let type = row[1].flatMap({ UInt32($0) }) { types[name] = type } }
                columnTypes = types
            } catch let error as JobError {
                throw error
            } catch let error as PostgresError {
                throw Self.map(error, key: "\(postgresKey).table", reading: false)
            } catch {
                throw JobError(.configError, "\(postgresKey).table: \(error)")
            }
            from = resolved
            location = "postgres \(resolved)"
        case .query(let query):
            isTable = false
            do {
                let described = try connection.describe(query, parameterTypes: [PostgresConnection.TypeOID.timestamptz, PostgresConnection.TypeOID.timestamptz])
                columnTypes = Dictionary(described.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
            } catch {
                throw Self.map(error, key: "\(postgresKey).query", reading: false)
            }
            from = "(\(query)) AS modelwatch_source"
            location = "postgres query"
        }
    }

    /// How a time bound is written for the time column's type.
    package struct TimeBinding {
        package let type: UInt32
        package let format: (Int64) -> String
        /// +infinity, for an open upper bound in a query.
        let infinity: String?
    }

    /// The binding for a time column of the table (the query always gets timestamptz).
    package func timeBinding(column: String, columnKey: String) throws(JobError) -> TimeBinding {
        let timestamp = TimeBinding(type: PostgresConnection.TypeOID.timestamptz, format: { ms in
            ms == .min ? "-infinity" : ms == .max ? "infinity" : TimeText.format(ms)
        }, infinity: "infinity")
        guard isTable else { return timestamp }
        let type = columnTypes[column] ?? 0
        switch type {
        case PostgresConnection.TypeOID.timestamptz, PostgresConnection.TypeOID.timestamp, PostgresConnection.TypeOID.date:
            return timestamp
        case PostgresConnection.TypeOID.int2, PostgresConnection.TypeOID.int4, PostgresConnection.TypeOID.int8,
             PostgresConnection.TypeOID.numeric, PostgresConnection.TypeOID.float4, PostgresConnection.TypeOID.float8:
            switch timestampUnit {
            case .seconds:
                return TimeBinding(type: PostgresConnection.TypeOID.int8, format: { ms in String(ms >= 0 ? ms / 1000 : (ms - 999) / 1000) }, infinity: nil)
            case .milliseconds:
                return TimeBinding(type: PostgresConnection.TypeOID.int8, format: { String($0) }, infinity: nil)
            case .microseconds, .nanoseconds:
                let scale: Int64 = timestampUnit == .microseconds ? 1_000 : 1_000_000
                return TimeBinding(type: PostgresConnection.TypeOID.int8, format: { ms in
                    let (scaled, overflow) = ms.multipliedReportingOverflow(by: scale)
                    return String(overflow ? (ms < 0 ? Int64.min : Int64.max) : scaled)
                }, infinity: nil)
            case .auto, .undeclared:
                throw JobError(.configError, "\(key).timestamp_unit: column \"\(column)\" holds epoch numbers; set `seconds` or `milliseconds` so the time range can be bound to it")
            }
        default:
            throw JobError(.configError, "\(columnKey): column \"\(column)\" of \(from) has a type (oid \(type)) that cannot bound a time range; use timestamptz, timestamp, date or an epoch number")
        }
    }

    /// SQL for the epoch milliseconds of a time column (for window arithmetic in push-down queries).
    package func epochMillisSQL(_ expression: String, column: String) -> String {
        switch columnTypes[column] ?? 0 {
        case PostgresConnection.TypeOID.int2, PostgresConnection.TypeOID.int4, PostgresConnection.TypeOID.int8,
             PostgresConnection.TypeOID.numeric, PostgresConnection.TypeOID.float4, PostgresConnection.TypeOID.float8:
            switch timestampUnit {
            case .seconds: return "(\(expression) * 1000)"
            case .microseconds: return "(\(expression) / 1000.0)"
            case .nanoseconds: return "(\(expression) / 1000000.0)"
            default: return expression
            }
        default:
            // date_part returns double precision; EXTRACT returns numeric since PostgreSQL 14, twice as slow here.
            return "(date_part('epoch', \(expression)) * 1000)"
        }
    }

    /// Checks that every requested column exists; `columnKeys[i]` names the config key of `columns[i]`.
    package func checkColumns(_ columns: [String], columnKeys: [String]) throws(JobError) {
        for (index, column) in columns.enumerated() where columnTypes[column] == nil {
            let available = columnTypes.keys.sorted().joined(separator: ", ")
            let what = isTable ? "table \(from) has no column \"\(column)\"" : "the query (\(key).postgres.query) returns no column \"\(column)\""
            throw JobError(.configError, "\(columnKeys[index]): \(what)\(Suggestion.hint(for: column, among: columnTypes.keys.sorted())) (it has: \(available))")
        }
    }

    /// Streams the rows whose time column is in [start, end) (end nil: no upper bound).
    func stream(
        columns: [String], columnKeys: [String], timeColumn: Int, startMs: Int64, endMs: Int64?,
        onRow: (PostgresRow) -> Void
    ) throws(JobError) {
        try checkColumns(columns, columnKeys: columnKeys)
        let binding = try timeBinding(column: columns[timeColumn], columnKey: columnKeys[timeColumn])
        let projection = columns.map(PostgresConnection.quoteIdentifier).joined(separator: ", ")
        var sql = "SELECT \(projection) FROM \(from)"
        var parameters: [String?] = [binding.format(startMs)]
        var types = [binding.type]
        if isTable {
            let time = PostgresConnection.quoteIdentifier(columns[timeColumn])
            sql += " WHERE \(time) >= $1"
            if let endMs {
                sql += " AND \(time) < $2"
                parameters.append(binding.format(endMs))
                types.append(binding.type)
            }
        } else {
            parameters.append(endMs.map(binding.format) ?? "infinity")
            types.append(binding.type)
        }
        try run(sql, parameters: parameters, types: types, key: isTable ? "\(postgresKey).table" : "\(postgresKey).query", onRow: onRow)
    }

    /// Runs a streamed SELECT, mapping failures to exit statuses.
    package func run(_ sql: String, parameters: [String?], types: [UInt32], key: String, onRow: (PostgresRow) -> Void) throws(JobError) {
        do {
            try connection.stream(sql, parameters: parameters, parameterTypes: types, onRow: onRow)
        } catch {
            switch error {
            case .postgres(let error): throw Self.map(error, key: key, reading: true)
            case .row(let never): switch never {}
            }
        }
    }

    /// Maps a database error to a job error naming `key`.
    static func map(_ error: PostgresError, key: String, reading: Bool) -> JobError {
        if error.isTemporary {
            return JobError(.temporaryFailure, "\(key): PostgreSQL failed \(reading ? "while rows were read; nothing is written for this model and the next run retries" : "during set-up (retried next run)"): \(error.description)")
        }
        if error.sqlState?.hasPrefix("22") == true {
            // Class 22, data exception (a value out of range, a text that is not a number): the data, not the
            // configuration.
            return JobError(.dataError, "\(key): PostgreSQL cannot compute this from the data: \(error.description)")
        }
        var hint = ""
        switch error.sqlState {
        case "42P01": hint = "a table does not exist: "
        case "42703": hint = "a column does not exist: "
        case "42501": hint = "permission denied (grant SELECT to the configured user): "
        case "42601": hint = "syntax error: "
        default: break
        }
        return JobError(.configError, "\(key): \(hint)\(error.description)")
    }

    /// Ids of score rows outside [start, end) whose labels were observed since `labelStart`, when scores and
    /// labels are tables of the same database: the file reader remembers such ids so their labels are not
    /// mistaken for orphans; this query finds them without reading the older scores.
    static func olderScoreIDs(
        scores: PostgresRecords, scoreID: String, scoreTime: String, scoreKey: String, range: TimeRange,
        labels: PostgresRecords, labelID: String, labelTime: String, labelKey: String, labelStart: Int64,
        onID: (String) -> Void
    ) throws(JobError) {
        guard scores.isTable, labels.isTable, scores.configuration.settings == labels.configuration.settings else { return }
        let scoreBinding = try scores.timeBinding(column: scoreTime, columnKey: scoreKey)
        let labelBinding = try labels.timeBinding(column: labelTime, columnKey: labelKey)
        let q = PostgresConnection.quoteIdentifier
        let sql = """
            SELECT DISTINCT s.\(q(scoreID))::text FROM \(labels.from) l JOIN \(scores.from) s ON s.\(q(scoreID)) = l.\(q(labelID)) \
            WHERE l.\(q(labelTime)) >= $1 AND (s.\(q(scoreTime)) < $2 OR s.\(q(scoreTime)) >= $3)
            """
        try labels.run(
            sql, parameters: [labelBinding.format(labelStart), scoreBinding.format(range.startMs), scoreBinding.format(range.endMs)],
            types: [labelBinding.type, scoreBinding.type, scoreBinding.type], key: "\(labels.postgresKey).table"
        ) { row in
            if let id = row.string(0) { onID(id) }
        }
    }
}
