import InputParsing
import ModelwatchSources

/// One row of a push-down aggregate query, whatever the engine: values by select-list position.
protocol PushdownRow {
    /// The value as text; nil for NULL.
    func string(_ column: Int) -> String?
    /// The value as a double; nil for NULL or a value that is not a number.
    func double(_ column: Int) -> Double?
    /// `.null`, `.empty` (the empty string) or `.text`.
    func kind(_ column: Int) -> FieldKind
}

/// How a time bound of a push-down query is written for the time column's type: `format` gives the parameter
/// value (PostgreSQL binds it as `type`) or, for an engine without parameters, the SQL literal put in its place.
struct PushdownTimeBinding {
    let type: UInt32
    let format: (Int64) -> String
}

/// A database the push-down queries run in (PostgreSQL or Spark SQL): the relation read, its columns, the time
/// bounds, and running one aggregate query. The queries are written once, in ``PushdownEvaluator``, with
/// `$1`…`$3` for the time bounds and the engine's ``AggregateSQL/Dialect`` for what differs.
protocol PushdownSource {
    /// What the queries read from (a quoted table, a path such as `parquet.\`…\``, or a subquery).
    var from: String { get }
    /// Whether `from` is a table (the time bounds go into a WHERE clause) rather than a query that binds them.
    var isTable: Bool { get }
    var dialect: AggregateSQL.Dialect { get }
    /// The config key of the relation (`models[m].scores.postgres.table`, `….spark.table`), for messages.
    var relationKey: String { get }
    /// Checks that every requested column exists; `columnKeys[i]` names the config key of `columns[i]`.
    func checkColumns(_ columns: [String], columnKeys: [String]) throws(JobError)
    /// Whether a column holds numbers the engine can aggregate, and its type's name for messages.
    func numericColumn(_ name: String) -> (isNumeric: Bool, typeName: String)
    /// The binding of the time bounds for a time column.
    func pushdownTimeBinding(column: String, columnKey: String) throws(JobError) -> PushdownTimeBinding
    /// SQL for the epoch milliseconds of a time column (for window arithmetic).
    func epochMillisSQL(_ expression: String, column: String) -> String
    /// Runs one aggregate query whose `$1`, `$2`, `$3` are `bounds` (epoch ms) written with `binding`.
    func aggregate(_ sql: String, bounds: [Int64], binding: PushdownTimeBinding, key: String, onRow: (any PushdownRow) -> Void) throws(JobError)
    /// Whether `other` reads from the same database (so the two can be joined in one query).
    func sameDatabase(as other: any PushdownSource) -> Bool
}
