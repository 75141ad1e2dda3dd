import Foundation
import TestSupport

/// Just enough of a line-protocol reader to know what modelwatch wrote: measurement, tags, field keys
/// and timestamp of every point. It is the oracle the query-execution tests compare InfluxDB's
/// answers with.
struct WrittenPoint: Sendable, Hashable {
    let measurement: String
    let tags: [String: String]
    let fields: Set<String>
    let timestampMs: Int64
}

enum LineProtocolOracle {
    static func parse(_ text: String) -> [WrittenPoint] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let point = LineProtocolLine(String(line)) else { return nil }
            return WrittenPoint(
                measurement: point.measurement, tags: point.tags, fields: Set(point.fieldKeys), timestampMs: point.timestampMs)
        }
    }
}
