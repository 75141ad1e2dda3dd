import MetricSchema
import ModelwatchSources

/// The slices of the input window in push-down mode: per version, the all-rows slice and one per (capped) value of
/// each segment column, as in exact mode.
///
/// Each input-window query groups by `GROUPING SETS` (the version, then the version with each segment column) and
/// appends `g<i>, GROUPING(g<i>)` to its rows. Segment values are capped per window like exact mode's
/// ``SegmentCapping``: the volumes come from the score query, and the statistics of values beyond the cap are
/// merged into `(other)` (counts add; means, variances, minima and maxima merge exactly, ``MomentStats``).
struct PushdownInputSlices {
    /// A slice: a version and a segment column (-1 for all rows) with its written value.
    struct Key: Hashable, Comparable {
        let version: String
        let column: Int
        let value: String

        /// Exact mode's order: per version, all rows, then each column's values in ascending order.
        static func < (lhs: Key, rhs: Key) -> Bool {
            if lhs.version != rhs.version { return lhs.version < rhs.version }
            if lhs.column != rhs.column { return lhs.column < rhs.column }
            return lhs.value < rhs.value
        }
    }

    let segmentColumns: [String]
    let dialect: AggregateSQL.Dialect

    /// SQL fragments: `select` adds `, CAST(col AS TEXT) AS g<i>` to the inner SELECT, `output` appends
    /// `, g<i>, GROUPING(g<i>)` to the outer one, `groupBy` groups by `keys` (positions or names) and each segment.
    func sql(groupingBy keys: [String]) -> (select: String, output: String, groupBy: String) {
        guard !segmentColumns.isEmpty else { return ("", "", "GROUP BY \(keys.joined(separator: ", "))") }
        let select = segmentColumns.enumerated()
            .map { ", CAST(\(dialect.quote($0.element)) AS \(dialect.textType)) AS g\($0.offset)" }.joined()
        let output = segmentColumns.indices.map { ", g\($0), GROUPING(g\($0))" }.joined()
        let base = keys.joined(separator: ", ")
        let sets = ["(\(base))"] + segmentColumns.indices.map { "(\(base), g\($0))" }
        return (select, output, "GROUP BY GROUPING SETS (\(sets.joined(separator: ", ")))")
    }

    /// The raw slice of a row whose segment columns start at `first`: the column whose `GROUPING()` is 0 and its
    /// value (empty or NULL is `(missing)`, like exact mode), or the all-rows slice.
    func slice(of row: some PushdownRow, version: String, first: Int) -> Key {
        for index in segmentColumns.indices where row.string(first + 2 * index + 1) == "0" {
            let value = row.string(first + 2 * index) ?? ""
            return Key(version: version, column: index, value: SegmentValueTag.written(value))
        }
        return Key(version: version, column: -1, value: Tags.allValue)
    }

    /// Per segment column, the written value of each raw value: kept, or `(other)` beyond the cap (the window's
    /// `cap − 1` most frequent values are kept when it has more than `cap`; volumes over all versions).
    static func capping(volumes: [Int: [String: Int]], columns: Int, cap: Int) -> [[String: String]] {
        (0..<columns).map { column in
            let kept = PushdownEvaluator.capSegments(volumes[column] ?? [:], cap: cap)
            return Dictionary(uniqueKeysWithValues: (volumes[column] ?? [:]).keys.map { ($0, kept[$0] ?? Tags.otherValue) })
        }
    }

    /// The written slice of a raw one.
    static func written(_ key: Key, capping: [[String: String]]) -> Key {
        guard key.column >= 0 else { return key }
        return Key(version: key.version, column: key.column, value: capping[key.column][key.value] ?? Tags.otherValue)
    }

    /// The tags of a slice.
    func tags(_ key: Key, model: String) -> [(key: String, value: String)] {
        let segment = key.column >= 0 ? segmentColumns[key.column] : Tags.allValue
        return [(Tags.model, model), (Tags.version, key.version), (Tags.segment, segment), (Tags.segmentValue, key.value)]
    }
}

extension Array where Element == Int {
    /// The element-wise sum of two count vectors of one shape; an empty vector (a slice before its first group)
    /// adds as zero.
    func addingCounts(_ other: [Int]) -> [Int] {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return zip(self, other).map(+)
    }
}
