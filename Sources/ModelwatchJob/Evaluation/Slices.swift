import MetricSchema
import ModelwatchSources

/// One slice of a window: a model version and a segment value (or all rows), with its row indices.
struct Slice {
    let version: String
    /// Segment column name, or `all`.
    let segment: String
    /// Segment value, `(other)` for values beyond the cap, or `all`.
    let segmentValue: String
    var rows: [Int32]

    var tags: [(key: String, value: String)] {
        [(Tags.version, version), (Tags.segment, segment), (Tags.segmentValue, segmentValue)]
    }
}

/// Caps each segment column to its most frequent values in one window, so a runaway column cannot explode series.
///
/// The kept values are the `cap − 1` most frequent among the window's rows (ties by value, byte order) when a
/// column has more than `cap` values; the rest fold into `(other)`. Counting only the window's own rows makes a
/// window's slices a function of its rows: a restated window, or one rewritten by `backfill`, gets the same
/// series as when it was first written, whatever other windows the run reads.
struct SegmentCapping {
    /// Per column: value code → output value (kept value or `(other)`).
    let mapped: [[String]]
    /// Per column: the folded values (reported in the summary).
    let folded: [[String]]

    init(table: ScoreTable, rows: [Int32], columns: [String], cap: Int) {
        var mapped: [[String]] = []
        var folded: [[String]] = []
        for column in columns.indices {
            let values = table.segmentValues[column]
            var counts = Array(repeating: 0, count: values.count)
            table.segmentCodes[column].withUnsafeBufferPointer { codes in
                for row in rows { counts[Int(codes[Int(row)])] += 1 }
            }
            let seen = values.indices.filter { counts[$0] > 0 }
            let order = seen.sorted {
                counts[$0] != counts[$1] ? counts[$0] > counts[$1] : Array(values[$0].utf8).lexicographicallyPrecedes(Array(values[$1].utf8))
            }
            // With more than `cap` values, keep cap − 1 and fold the rest into `(other)`, so at most `cap` series.
            let keep = seen.count > cap ? Set(order.prefix(max(cap - 1, 0))) : Set(seen)
            mapped.append(values.indices.map { keep.contains($0) ? values[$0] : Tags.otherValue })
            folded.append(seen.filter { !keep.contains($0) }.map { values[$0] }.sorted())
        }
        self.mapped = mapped
        self.folded = folded
    }

    /// Splits `rows` into slices: per version, the all-rows slice plus one per (capped) segment value.
    func slices(of rows: [Int32], table: ScoreTable, columns: [String]) -> [Slice] {
        slicesAndFamilies(of: rows, table: table, columns: columns).slices
    }

    /// ``slices(of:table:columns:)`` and, per version, the ``SliceFamily`` of its slices; nil for a version with
    /// more than ``SliceFamily/maxColumns`` segment columns or more than ``SliceFamily/maxSlicesPerColumn``
    /// slices in one (those slices are computed one by one).
    func slicesAndFamilies(of rows: [Int32], table: ScoreTable, columns: [String]) -> (slices: [Slice], families: [SliceFamily?]) {
        var result: [Slice] = []
        var families: [SliceFamily?] = []
        let byVersion = Self.group(rows, into: table.versions.count) { Int(table.versionCode[Int($0)]) }
        let versionCodes = byVersion.indices.filter { !byVersion[$0].isEmpty }.sorted { table.versions[$0] < table.versions[$1] }
        // Per segment column, the kept values in order and the position of each segment code's value among them.
        let segmentValues = columns.indices.map { Array(Set(mapped[$0])).sorted() }
        let valueOfCode = columns.indices.map { column in
            let position = Dictionary(uniqueKeysWithValues: segmentValues[column].enumerated().map { ($1, $0) })
            return mapped[column].map { position[$0]! }
        }
        for code in versionCodes {
            let version = table.versions[code]
            let versionRows = byVersion[code]
            let all = result.count
            result.append(Slice(version: version, segment: Tags.allValue, segmentValue: Tags.allValue, rows: versionRows))
            var segments: [[Int]] = []
            var shared = columns.count <= SliceFamily.maxColumns
            for (column, name) in columns.enumerated() {
                let segmentCodes = table.segmentCodes[column]
                let byValue = Self.group(versionRows, into: segmentValues[column].count) { valueOfCode[column][Int(segmentCodes[Int($0)])] }
                var indices: [Int] = []
                for (value, valueRows) in zip(segmentValues[column], byValue) where !valueRows.isEmpty {
                    indices.append(result.count)
                    result.append(Slice(version: version, segment: name, segmentValue: value, rows: valueRows))
                }
                segments.append(indices)
                if indices.count > SliceFamily.maxSlicesPerColumn { shared = false }
            }
            guard shared else {
                families.append(nil)
                continue
            }
            // Each row's slice number per column: the rank of its value among the column's non-empty values.
            var sliceNumbers = [UInt32](repeating: 0, count: columns.isEmpty ? 0 : versionRows.count)
            for column in columns.indices {
                let segmentCodes = table.segmentCodes[column]
                var numberOfValue = [Int](repeating: -1, count: segmentValues[column].count)
                for (number, index) in segments[column].enumerated() {
                    numberOfValue[segmentValues[column].firstIndex(of: result[index].segmentValue)!] = number
                }
                let shift = UInt32(8 * column)
                sliceNumbers.withUnsafeMutableBufferPointer { numbers in
                    segmentCodes.withUnsafeBufferPointer { codes in
                        for (position, row) in versionRows.enumerated() {
                            numbers[position] |= UInt32(numberOfValue[valueOfCode[column][Int(codes[Int(row)])]]) << shift
                        }
                    }
                }
            }
            families.append(SliceFamily(all: all, segments: segments, sliceNumbers: sliceNumbers))
        }
        return (result, families)
    }

    /// `rows` split by `group` (a number below `groups`), each part in row order: counted first, so every part is
    /// allocated once at its size, and the common case of a single group is the rows themselves.
    private static func group(_ rows: [Int32], into groups: Int, by group: (Int32) -> Int) -> [[Int32]] {
        var counts = [Int](repeating: 0, count: groups)
        for row in rows { counts[group(row)] += 1 }
        var parts = [[Int32]](repeating: [], count: groups)
        if let only = counts.firstIndex(of: rows.count), !rows.isEmpty {
            parts[only] = rows
            return parts
        }
        for part in parts.indices { parts[part].reserveCapacity(counts[part]) }
        for row in rows { parts[group(row)].append(row) }
        return parts
    }
}
