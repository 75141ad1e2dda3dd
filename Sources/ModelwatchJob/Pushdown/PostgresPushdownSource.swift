import InputParsing
import ModelwatchConfiguration
import ModelwatchSources
import PostgresSource

extension PostgresRow: PushdownRow {}

/// PostgreSQL as a push-down engine: parameters `$1`… bound with the time column's type.
extension PostgresRecords: PushdownSource {
    var dialect: AggregateSQL.Dialect { .postgres }

    var relationKey: String { isTable ? "\(key).postgres.table" : "\(key).postgres.query" }

    func numericColumn(_ name: String) -> (isNumeric: Bool, typeName: String) {
        let numericTypes: Set<UInt32> = [
            PostgresConnection.TypeOID.int2, PostgresConnection.TypeOID.int4, PostgresConnection.TypeOID.int8,
            PostgresConnection.TypeOID.numeric, PostgresConnection.TypeOID.float4, PostgresConnection.TypeOID.float8,
        ]
        guard let type = columnTypes[name] else { return (false, "unknown") }
        return (numericTypes.contains(type), "type oid \(type)")
    }

    func pushdownTimeBinding(column: String, columnKey: String) throws(JobError) -> PushdownTimeBinding {
        let binding: TimeBinding = try timeBinding(column: column, columnKey: columnKey)
        return PushdownTimeBinding(type: binding.type, format: binding.format)
    }

    func aggregate(_ sql: String, bounds: [Int64], binding: PushdownTimeBinding, key: String, onRow: (any PushdownRow) -> Void) throws(JobError) {
        try run(sql, parameters: bounds.map(binding.format), types: bounds.map { _ in binding.type }, key: key) { row in onRow(row) }
    }

    func sameDatabase(as other: any PushdownSource) -> Bool {
        guard let other = other as? PostgresRecords else { return false }
        return other.configuration.settings == configuration.settings
    }
}
