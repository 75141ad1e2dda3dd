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
        let byVersion = Self.split(rows, codes: table.versionCode, mapping: Array(0..<table.versions.count), into: table.versions.count)
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
            // Each row's slice number per column, one byte a column (the rank of its value among the column's
            // non-empty values), written while the rows are split.
            var sliceNumbers = [UInt32](repeating: 0, count: shared && !columns.isEmpty ? versionRows.count : 0)
            for (column, name) in columns.enumerated() {
                let byValue = sliceNumbers.withUnsafeMutableBufferPointer { numbers in
                    Self.split(
                        versionRows, codes: table.segmentCodes[column], mapping: valueOfCode[column], into: segmentValues[column].count,
                        ranks: numbers.isEmpty ? nil : (numbers, UInt32(8 * column), SliceFamily.maxSlicesPerColumn))
                }
                var indices: [Int] = []
                for (value, valueRows) in zip(segmentValues[column], byValue) where !valueRows.isEmpty {
                    indices.append(result.count)
                    result.append(Slice(version: version, segment: name, segmentValue: value, rows: valueRows))
                }
                segments.append(indices)
                if indices.count > SliceFamily.maxSlicesPerColumn { shared = false }
            }
            families.append(shared ? SliceFamily(all: all, segments: segments, sliceNumbers: sliceNumbers) : nil)
        }
        return (result, families)
    }

    /// `rows` split by group, row `r` falling in group `mapping[codes[r]]` (below `groups`), each part in row order:
    /// counted first, then dealt into one buffer and cut, so every part is allocated once at its size; the common
    /// case of a single group is the rows themselves. With `ranks`, each row's rank among the non-empty groups is
    /// also or-ed into `ranks.numbers` (at the row's position) shifted left by `ranks.shift`, unless there are more
    /// than `ranks.limit` non-empty groups.
    private static func split<Code: FixedWidthInteger>(
        _ rows: [Int32], codes: [Code], mapping: [Int], into groups: Int,
        ranks: (numbers: UnsafeMutableBufferPointer<UInt32>, shift: UInt32, limit: Int)? = nil
    ) -> [[Int32]] {
        var start = [Int](repeating: 0, count: groups + 1)
        codes.withUnsafeBufferPointer { codes in
            mapping.withUnsafeBufferPointer { mapping in
                start.withUnsafeMutableBufferPointer { start in
                    for row in rows { start[mapping[Int(codes[Int(row)])] &+ 1] &+= 1 }
                }
            }
        }
        var parts = [[Int32]](repeating: [], count: groups)
        if let only = start.dropFirst().firstIndex(of: rows.count), !rows.isEmpty {
            // One group: its rank, 0, is already in every row's number.
            parts[only - 1] = rows
            return parts
        }
        var rank = [UInt32](repeating: 0, count: groups)
        var nonEmpty = 0
        for group in 0..<groups where start[group + 1] > 0 {
            rank[group] = UInt32(truncatingIfNeeded: nonEmpty)
            nonEmpty += 1
        }
        let numbers = nonEmpty <= (ranks?.limit ?? 0) ? ranks : nil
        for group in 0..<groups { start[group + 1] += start[group] }
        var next = Array(start.dropLast())
        var dealt = [Int32](repeating: 0, count: rows.count)
        codes.withUnsafeBufferPointer { codes in
            mapping.withUnsafeBufferPointer { mapping in
                rank.withUnsafeBufferPointer { rank in
                    dealt.withUnsafeMutableBufferPointer { dealt in
                        next.withUnsafeMutableBufferPointer { next in
                            for (position, row) in rows.enumerated() {
                                let group = mapping[Int(codes[Int(row)])]
                                dealt[next[group]] = row
                                next[group] &+= 1
                                if let numbers { numbers.numbers[position] |= rank[group] << numbers.shift }
                            }
                        }
                    }
                }
            }
        }
        for group in 0..<groups where start[group + 1] > start[group] { parts[group] = Array(dealt[start[group]..<start[group + 1]]) }
        return parts
    }
}
