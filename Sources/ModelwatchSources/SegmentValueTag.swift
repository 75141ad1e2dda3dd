import LineProtocol
import MetricSchema

/// The tag value written for a segment value read from the data, the same in exact and push-down mode: an empty
/// value (or NULL) is `(missing)`; any other value goes through ``TagValueEscaping`` with the reserved values
/// `(missing)` and `(other)`, so distinct values stay distinct series and a real value never merges with a
/// reserved one.
package enum SegmentValueTag {
    /// The values the job itself writes as segment values.
    static let reserved = [Tags.missingValue, Tags.otherValue]

    /// The tag value for the raw segment value `raw`.
    package static func written(_ raw: String) -> String {
        raw.isEmpty ? Tags.missingValue : TagValueEscaping.escaped(raw, reserved: reserved)
    }

    /// Segment values of one column that were escaped, for the summary and the log.
    package struct Rewrites: Sendable, Equatable {
        /// Distinct values escaped.
        package var count: Int
        /// One of them (the first in byte order of its tag value), as read and as written.
        package var exampleRaw: String
        package var exampleWritten: String

        /// `3 values escaped for InfluxDB (e.g. "x\ny" written as `x%0Ay`)`.
        package var text: String {
            "\(count) value\(count == 1 ? "" : "s") escaped for InfluxDB (e.g. \(String(reflecting: exampleRaw)) written as `\(exampleWritten)`)"
        }
    }

    /// Per segment column, the escaped values among the segment tags of `points` (a written value is escaped
    /// exactly when unescaping changes it, since an unchanged value holds no `%`).
    package static func rewrites(in points: [Point]) -> [String: Rewrites] {
        var written: [String: Set<String>] = [:]
        for point in points {
            guard let value = point.tags.first(where: { $0.key == Tags.segmentValue })?.value, value.utf8.contains(TagValueEscaping.escape),
                  let segment = point.tags.first(where: { $0.key == Tags.segment })?.value else { continue }
            written[segment, default: []].insert(value)
        }
        return written.mapValues { values in
            let example = values.min { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }!
            return Rewrites(count: values.count, exampleRaw: TagValueEscaping.unescaped(example), exampleWritten: example)
        }
    }
}
