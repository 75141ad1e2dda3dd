import MetricSchema

/// One slice of a window: a model version and a segment value (or all rows), with its row indices.
struct Slice {
    let version: String
    /// Segment column name, or `all`.
    let segment: String
    /// Segment value, `other` for values beyond the cap, or `all`.
    let segmentValue: String
    var rows: [Int32]

    var tags: [(key: String, value: String)] {
        [(Tags.version, version), (Tags.segment, segment), (Tags.segmentValue, segmentValue)]
    }
}

/// Caps each segment column to its most frequent values so a runaway column cannot explode series.
///
/// The kept values are the `cap` most frequent among all stored rows of the run (ties by value, byte
/// order), so every window of a run uses the same set; the rest fold into `other`.
struct SegmentCapping {
    /// Per column: value code → output value (kept value or `other`).
    let mapped: [[String]]
    /// Per column: the folded values (reported in the summary).
    let folded: [[String]]

    init(table: ScoreTable, columns: [String], cap: Int) {
        var mapped: [[String]] = []
        var folded: [[String]] = []
        for column in columns.indices {
            let values = table.segmentValues[column]
            var counts = Array(repeating: 0, count: values.count)
            for code in table.segmentCodes[column] { counts[Int(code)] += 1 }
            let order = values.indices.sorted {
                counts[$0] != counts[$1] ? counts[$0] > counts[$1] : Array(values[$0].utf8).lexicographicallyPrecedes(Array(values[$1].utf8))
            }
            // With more than `cap` values, keep cap − 1 and fold the rest into `other`, so at most `cap` series.
            let keep = values.count > cap ? Set(order.prefix(max(cap - 1, 0))) : Set(values.indices)
            mapped.append(values.indices.map { keep.contains($0) ? values[$0] : Tags.otherValue })
            folded.append(values.indices.filter { !keep.contains($0) }.map { values[$0] }.sorted())
        }
        self.mapped = mapped
        self.folded = folded
    }

    /// Splits `rows` into slices: per version, the all-rows slice plus one per (capped) segment value.
    func slices(of rows: [Int32], table: ScoreTable, columns: [String]) -> [Slice] {
        var byVersion: [UInt16: [Int32]] = [:]
        for row in rows { byVersion[table.versionCode[Int(row)], default: []].append(row) }
        var result: [Slice] = []
        for (code, versionRows) in byVersion.sorted(by: { table.versions[Int($0.key)] < table.versions[Int($1.key)] }) {
            let version = table.versions[Int(code)]
            result.append(Slice(version: version, segment: Tags.allValue, segmentValue: Tags.allValue, rows: versionRows))
            for (column, name) in columns.enumerated() {
                var byValue: [String: [Int32]] = [:]
                for row in versionRows {
                    byValue[mapped[column][Int(table.segmentCodes[column][Int(row)])], default: []].append(row)
                }
                for (value, valueRows) in byValue.sorted(by: { $0.key < $1.key }) {
                    result.append(Slice(version: version, segment: name, segmentValue: value, rows: valueRows))
                }
            }
        }
        return result
    }
}
