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
        out += tagValues
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

    /// How a value from the data becomes a tag value (``Tags/segmentValue``; the mapping is `TagValueEscaping`
    /// in the LineProtocol module).
    static let tagValues = """

        ## Tag values

        A segment value read from the data is written as the tag value `\(Tags.segmentValue)` by a mapping that
        keeps distinct values distinct (it is injective) and is the same in exact and push-down mode:

        - an empty value (or NULL) is written `\(Tags.missingValue)`; values beyond the segment cap are folded
          into `\(Tags.otherValue)`;
        - the bytes InfluxDB 1.x cannot store in a tag value, control characters U+0000–U+001F and U+007F
          (newline, carriage return, tab…), and the backslash `\\` are written as `%` followed by two
          upper-case hex digits (`%0A`, `%09`, `%5C`), and so is the escape character `%` itself (`%25`);
        - a real value spelled like a reserved value, `\(Tags.missingValue)` or `\(Tags.otherValue)`, has its
          first character escaped (`%28missing)`, `%28other)`), so it keeps a series of its own.

        Every other value is written as it is. Replacing each `%XX` in a tag value by its byte gives the original
        value back, so `x` + newline + `y` (`x%0Ay`) and `x y`, or `t\\` (`t%5C`) and `t/`, stay separate series.
        The run summary and the log say, per segment column, how many values were escaped, with an example.

        """
}
