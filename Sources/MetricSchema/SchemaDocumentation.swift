/// Renders the schema as the Markdown reference in `docs/schema.md`.
///
/// A test compares the rendered text with the checked-in file, so the documentation cannot drift
/// from the code (`UPDATE_GOLDEN=1 make test` rewrites it).
public enum SchemaDocumentation {
    /// The full Markdown document.
    public static func markdown() -> String {
        var out = """
        # InfluxDB schema

        <!-- Generated from Sources/MetricSchema/Schema.swift; do not edit by hand. \
        Regenerate with `UPDATE_GOLDEN=1 make test` or `modelwatch schema > docs/schema.md`. -->

        Every point modelwatch writes belongs to one of the measurements below. Timestamps are written
        in milliseconds (`precision=ms`) and are deterministic: a re-run of the same as-of time writes
        the same series and timestamps, so InfluxDB overwrites instead of duplicating.

        Tags hold only low-cardinality dimensions (model, version, segment, feature, threshold, bin, rank).
        Counts are integers (`i`), metrics are floats, flags are booleans; a field keeps its type forever,
        so never change a field's type: add a new field instead. A metric that is undefined in a window
        (for example AUC without positives, precision when nothing is predicted positive) is **absent**,
        never written as 0.

        | Measurement | What | Timestamp |
        |---|---|---|

        """
        for measurement in Schema.all {
            out += "| [`\(measurement.name)`](#\(measurement.name)) | \(measurement.summary) | \(measurement.timestamp) |\n"
        }
        for measurement in Schema.all {
            out += "\n## \(measurement.name)\n\n\(measurement.summary)\n\nTimestamp: \(measurement.timestamp)\n\n"
            out += "| Tag | Meaning |\n|---|---|\n"
            for tag in measurement.tags {
                out += "| `\(tag.key)` | \(tag.doc) |\n"
            }
            out += "\n| Field | Type | Meaning |\n|---|---|---|\n"
            for field in measurement.fields {
                out += "| `\(field.key)` | \(field.kind.rawValue) | \(field.doc) |\n"
            }
        }
        return out
    }
}
