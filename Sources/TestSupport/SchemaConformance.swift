import MetricSchema

/// Checks written line protocol against ``Schema``, the one declaration of what modelwatch writes: the point
/// builders spell measurement, tag and field names themselves, so only a check of their output keeps
/// `docs/schema.md` and the Grafana kit's schema tests true to what reaches InfluxDB.
public enum SchemaConformance {
    /// The ways `lines` depart from the schema, one message per measurement and key (sorted): a measurement
    /// the schema does not list, a tag or field its measurement does not declare, a field written with a
    /// type other than the declared one. Empty when every line conforms.
    public static func violations(_ lines: [LineProtocolLine]) -> [String] {
        var found: Set<String> = []
        for line in lines {
            guard let measurement = Schema.measurement(named: line.measurement) else {
                found.insert("\(line.measurement): not a measurement of the schema")
                continue
            }
            for key in line.tagKeys where !measurement.hasTag(key) {
                found.insert("\(line.measurement): tag \(key) is not declared")
            }
            for key in line.fieldKeys {
                guard let field = measurement.fields.first(where: { $0.key == key }) else {
                    found.insert("\(line.measurement): field \(key) is not declared")
                    continue
                }
                let written = kind(ofFieldText: line.fields[key] ?? "")
                if written != field.kind {
                    found.insert("\(line.measurement): field \(key) is declared \(field.kind.rawValue) but written as \(written.map(\.rawValue) ?? "nothing parseable")")
                }
            }
        }
        return found.sorted()
    }

    /// The line-protocol type of a field's value as written: `"…"` string, `…i` integer, `true`/`false` (and
    /// their short and capitalised forms) boolean, a decimal or exponent number float.
    public static func kind(ofFieldText text: String) -> Field.Kind? {
        if text.hasPrefix("\"") { return text.count >= 2 && text.hasSuffix("\"") ? .string : nil }
        if ["t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"].contains(text) { return .boolean }
        if text.hasSuffix("i") { return Int64(text.dropLast()) != nil ? .integer : nil }
        return Double(text).map { $0.isFinite ? .float : nil } ?? nil
    }
}
