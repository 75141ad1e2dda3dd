import DriftMetrics
import Foundation
import OrderedKeys
@testable import ModelwatchJob
@testable import ModelwatchSources
import Testing
import TestSupport

// The slices of a version share one gather and sort per numeric column; each slice must get exactly what
// sorting its own rows gives (the same values, bit for bit, in the same order, and the same kind counts).
@Suite struct SharedSortTests {
    private static func expanded(_ present: SortedPresentValues) -> [Double] {
        switch present {
        case .values(let values): values
        case .buffer(let values): Array(values)
        case .runs(let runs): runs.expanded()
        }
    }

    /// The slice-by-slice route: gather and sort the slice's own rows.
    private static func alone(_ column: NumericColumn, rows: [Int32]) -> (values: [Double], counts: [Int]) {
        var counts = [Int](repeating: 0, count: 6)
        var values: [Double] = []
        column.forEach(rows: rows) { value in
            if value.isNaN { counts[Int(ScoreTable.numericKind(value).rawValue)] += 1 } else { counts[0] += 1; values.append(value) }
        }
        var workspace = SortedSample.SortWorkspace()
        SortedSample.sortFinite(&values, workspace: &workspace)
        return (values, counts)
    }

    /// A column of `count` cells: codes spread over `span` values (both signs, ties), 5% missing of every kind,
    /// and, with `signedZeros`, 3% zeros of either sign.
    ///
    /// With `ties`, the codes are drawn from `ties` values spread evenly over the span: a span too wide to count
    /// with few distinct values (sorted, then handed out as runs).
    private static func column(count: Int, span: Int, digits: Int, seed: UInt64, signedZeros: Bool = false, ties: Int? = nil) -> NumericColumn {
        var random = SplitMix64(seed: seed)
        var column = NumericColumn()
        let scale = pow(10.0, Double(digits))
        for _ in 0..<count {
            if random.next(below: 20) == 0 {
                column.append(ScoreTable.missing([ValueKind.null, .empty, .nan, .infinite, .invalid][random.next(below: 5)]))
            } else if signedZeros, random.next(below: 33) == 0 {
                column.append(random.next(below: 2) == 0 ? -0.0 : 0.0)
            } else {
                let code = ties.map { Int64(random.next(below: $0)) * Int64(span / $0) } ?? Int64(random.next(below: span))
                column.append(Double(code - Int64(span / 3)) / scale)
            }
        }
        return column
    }

    /// A family over `rows` with one segment column per entry of `slicesPerColumn`, each row's slice drawn at
    /// random (a column's slice may hold one row); the slice indices are those of a window's list, all-rows
    /// first. Returns the family and each slice index's rows.
    private static func family(rows: [Int32], slicesPerColumn: [Int], seed: UInt64) -> (SliceFamily, [Int: [Int32]]) {
        var random = SplitMix64(seed: seed)
        var numbers = [UInt32](repeating: 0, count: rows.count)
        var sliceRows: [Int: [Int32]] = [0: rows]
        var segments: [[Int]] = []
        var next = 1
        for (column, slices) in slicesPerColumn.enumerated() {
            var perSlice = [[Int32]](repeating: [], count: slices)
            for position in rows.indices {
                // The first rows visit every slice once, so none is empty.
                let number = position < slices ? position : random.next(below: slices)
                numbers[position] |= UInt32(number) << UInt32(8 * column)
                perSlice[number].append(rows[position])
            }
            segments.append(Array(next..<next + slices))
            for (number, part) in perSlice.enumerated() { sliceRows[next + number] = part }
            next += slices
        }
        return (SliceFamily(all: 0, segments: segments, sliceNumbers: numbers), sliceRows)
    }

    @Test func aSliceWithoutPresentValuesGetsItsMissingCellsOnly() throws {
        var column = NumericColumn()
        for value in [1.5, ScoreTable.missing(.null), 2.25, ScoreTable.missing(.empty)] { column.append(value) }
        let family = SliceFamily(all: 0, segments: [[1, 2]], sliceNumbers: [0, 1, 0, 1])
        var values: [Double] = []
        var scratch: [UInt64] = []
        var payload: [UInt8] = []
        var seen: [Int: (values: [Double], counts: [Int])] = [:]
        #expect(column.forEachSliceSortedPresentValues(family: family, rows: [0, 1, 2, 3], kinds: 6, values: &values, scratch: &scratch, payload: &payload) { slice, counts, present in
            seen[slice] = (Self.expanded(present), counts)
        })
        #expect(seen[0]?.values == [1.5, 2.25] && seen[0]?.counts == [2, 1, 1, 0, 0, 0])
        #expect(seen[1]?.values == [1.5, 2.25] && seen[1]?.counts == [2, 0, 0, 0, 0, 0])
        #expect(seen[2]?.values == [] && seen[2]?.counts == [0, 1, 1, 0, 0, 0])
    }

    /// A column of `count` cells stored as doubles: values drawn from `span` doubles no decimal scale fits
    /// (ties), 3% zeros of either sign, 5% missing of every kind.
    private static func doubleColumn(count: Int, span: Int, seed: UInt64) -> NumericColumn {
        var random = SplitMix64(seed: seed)
        var column = NumericColumn()
        column.append(.pi)  // no decimal scale fits: the column holds doubles from the first cell
        for _ in 1..<count {
            switch random.next(below: 100) {
            case 0..<5: column.append(ScoreTable.missing([ValueKind.null, .empty, .nan, .infinite, .invalid][random.next(below: 5)]))
            case 5..<8: column.append(random.next(below: 2) == 0 ? -0.0 : 0.0)
            default: column.append((Double(random.next(below: span)) - Double(span / 3)) * 0.123_456_789_012_345_6)
            }
        }
        return column
    }

    /// How a test column is stored: 32-bit decimal codes, the same with zeros of both signs, or doubles.
    enum Storage: Sendable { case scaled, scaledWithSignedZeros, scaledWideTies, doubles }

    /// A column of `count` cells of `storage`, and the seeds of its window's rows and slices, each storage
    /// drawn from its own seeds.
    private static func column(_ storage: Storage, count: Int, span: Int) -> (NumericColumn, rowSeed: UInt64, familySeed: UInt64) {
        let seed = UInt64(count &+ span)
        switch storage {
        case .scaled:
            return (column(count: count, span: span, digits: 2, seed: seed), UInt64(span), UInt64(count))
        case .scaledWithSignedZeros:
            return (column(count: count, span: span, digits: 2, seed: seed &+ 41, signedZeros: true), UInt64(span) &+ 43, UInt64(count) &+ 47)
        case .scaledWideTies:
            return (column(count: count, span: span, digits: 2, seed: seed &+ 53, signedZeros: true, ties: 300), UInt64(span) &+ 59, UInt64(count) &+ 61)
        case .doubles:
            return (doubleColumn(count: count, span: span, seed: seed), UInt64(span) &+ 11, UInt64(count) &+ 13)
        }
    }

    @Test(arguments: [
        // counted (few codes), sorted (codes spanning far more than the cells), one and several segment columns
        (storage: Storage.scaled, count: 20_000, span: 300, columns: [8]), (.scaled, 20_000, 2_000_000_000, [8]),
        (.scaled, 30_000, 50_000, [3, 5]), (.scaled, 30_000, 900_000, [2, 256, 1, 7]), (.scaled, 5_000, 7, [256]),
        (.scaled, 400, 1_000_000, [20]),
        // a −0 among the codes: the zeros' signs put back in row order, counted and sorted
        (.scaledWithSignedZeros, 20_000, 300, [8]), (.scaledWithSignedZeros, 20_000, 2_000_000_000, [8]),
        (.scaledWithSignedZeros, 30_000, 900_000, [2, 256, 1, 7]), (.scaledWithSignedZeros, 400, 1_000_000, [20]),
        // a span too wide to count with few distinct values (and zeros of both signs): sorted, handed out as runs
        (.scaledWideTies, 20_000, 2_000_000_000, [8]), (.scaledWideTies, 30_000, 900_000_000, [2, 256, 1, 7]),
        // doubles: 64-bit keys sorted with the slice numbers as a payload of 1, 2 or 4 bytes (few distinct values:
        // handed out as runs; many: as buffers)
        (.doubles, 20_000, 300, [8]), (.doubles, 20_000, 2_000_000_000, [8]), (.doubles, 30_000, 50_000, [3, 5]),
        (.doubles, 30_000, 900_000, [2, 256, 1, 7]), (.doubles, 400, 1_000_000, [20]),
    ])
    func everySliceGetsWhatSortingItsOwnRowsGives(_ test: (storage: Storage, count: Int, span: Int, columns: [Int])) throws {
        let (column, rowSeed, familySeed) = Self.column(test.storage, count: test.count, span: test.span)
        #expect(column.isScaled == (test.storage != .doubles))
        // A window's rows: a shuffled subset with repeats.
        var random = SplitMix64(seed: rowSeed)
        let rows = (0..<test.count).map { _ in Int32(random.next(below: test.count)) }
        let (family, sliceRows) = Self.family(rows: rows, slicesPerColumn: test.columns, seed: familySeed)
        var values: [Double] = [3, 4]
        var scratch: [UInt64] = [7, 7, 7]  // stale contents must not leak into counts
        var payload: [UInt8] = [9]
        var seen: [Int: (values: [Double], counts: [Int])] = [:]
        var deliveredRuns = false
        let shared = column.forEachSliceSortedPresentValues(family: family, rows: rows, kinds: 6, values: &values, scratch: &scratch, payload: &payload) { slice, counts, present in
            #expect(seen[slice] == nil, "slice \(slice) twice")
            seen[slice] = (Self.expanded(present), counts)
            if case .runs = present { deliveredRuns = true }
        }
        #expect(shared)
        if test.storage == .scaledWideTies { #expect(deliveredRuns, "few distinct values are handed out as runs") }
        #expect(Set(seen.keys) == Set(sliceRows.keys))
        for (slice, rows) in sliceRows {
            let expected = Self.alone(column, rows: rows)
            let got = try #require(seen[slice])
            // Bit patterns: each slice's signed zeros in its own row order, as the stable sort of its rows.
            #expect(got.values.map(\.bitPattern) == expected.values.map(\.bitPattern), "slice \(slice)")
            #expect(got.counts == expected.counts, "slice \(slice)")
        }
    }

    @Test func aScaledColumnWithNegativeZerosKeepsTheZerosSignsInRowOrder() throws {
        var column = NumericColumn()
        let cells = [1.5, -0.0, 0.0, -2.25, 0.0, -0.0, ScoreTable.missing(.null), -0.0, 0.0, 1.5]
        for value in cells { column.append(value) }
        #expect(column.isScaled)
        let rows = (0..<Int32(cells.count)).map { $0 }
        let (family, sliceRows) = Self.family(rows: rows, slicesPerColumn: [3], seed: 5)
        var values: [Double] = []
        var scratch: [UInt64] = []
        var payload: [UInt8] = []
        var seen: [Int: [Double]] = [:]
        #expect(column.forEachSliceSortedPresentValues(family: family, rows: rows, kinds: 6, values: &values, scratch: &scratch, payload: &payload) { slice, _, present in
            seen[slice] = Self.expanded(present)
        })
        for (slice, rows) in sliceRows {
            #expect(try #require(seen[slice]).map(\.bitPattern) == Self.alone(column, rows: rows).values.map(\.bitPattern), "slice \(slice)")
        }
        // The all-rows slice: the zeros in row order, signs kept.
        #expect(try #require(seen[0]).map(\.bitPattern) == [-2.25, -0.0, 0.0, 0.0, -0.0, -0.0, 0.0, 1.5, 1.5].map(\.bitPattern))
    }

    @Test func withoutSegmentColumnsADoublesColumnIsLeftToTheSliceBySliceSort() {
        var doubles = NumericColumn()
        for value in [1.0, .pi, -0.0] { doubles.append(value) }
        #expect(!doubles.isScaled)
        let family = SliceFamily(all: 0, segments: [], sliceNumbers: [0, 0, 0])
        var values: [Double] = []
        var scratch: [UInt64] = []
        var payload: [UInt8] = []
        var called = false
        #expect(!doubles.forEachSliceSortedPresentValues(family: family, rows: [0, 1, 2], kinds: 6, values: &values, scratch: &scratch, payload: &payload) { _, _, _ in
            called = true
        })
        #expect(!called)
    }

    /// The slice-by-slice route of a performance window: the slice's scored rows, its labelled rows' scores and
    /// labels in row order, and their keys sorted by label.
    private static func labelledAlone(_ column: NumericColumn, rows: [Int32], labels: [Int8]) -> (scored: Int, scores: [Double], labels: [Bool], positives: [UInt64], negatives: [UInt64]) {
        var scored = 0
        var scores: [Double] = []
        var isPositive: [Bool] = []
        for row in rows {
            let score = column[Int(row)]
            guard !score.isNaN else { continue }
            scored += 1
            guard labels[Int(row)] >= 0 else { continue }
            scores.append(score)
            isPositive.append(labels[Int(row)] == 1)
        }
        let positives = zip(scores, isPositive).filter { $0.1 }.map { OrderedKeys.key($0.0) }.sorted()
        let negatives = zip(scores, isPositive).filter { !$0.1 }.map { OrderedKeys.key($0.0) }.sorted()
        return (scored, scores, isPositive, positives, negatives)
    }

    @Test(arguments: [
        // counted (few codes: a score of two decimals), sorted (codes spanning far more than the cells)
        (storage: Storage.scaled, count: 20_000, span: 101, columns: [8]), (.scaled, 20_000, 2_000_000_000, [8]),
        (.scaled, 30_000, 50_000, [3, 5]), (.scaled, 30_000, 900_000, [2, 256, 1, 7]), (.scaled, 400, 1_000_000, [20]),
        // scores stored as doubles (full-precision probabilities), zeros of both signs among them
        (.doubles, 20_000, 300, [8]), (.doubles, 20_000, 2_000_000_000, [8]), (.doubles, 30_000, 900_000, [2, 256, 1, 7]),
        (.doubles, 400, 1_000_000, [20]),
    ])
    func everySliceOfAPerformanceWindowGetsWhatItsOwnRowsGive(_ test: (storage: Storage, count: Int, span: Int, columns: [Int])) throws {
        let doubles = test.storage == .doubles
        let column = doubles
            ? Self.doubleColumn(count: test.count, span: test.span, seed: UInt64(test.count &+ test.span) &+ 21)
            : Self.column(count: test.count, span: test.span, digits: 2, seed: UInt64(test.count &+ test.span))
        #expect(column.isScaled == !doubles)
        var random = SplitMix64(seed: UInt64(test.span) &+ (doubles ? 23 : 1))
        // Per row: no label yet (-1), negative (0) or positive (1).
        let labels = (0..<test.count).map { _ in Int8(random.next(below: 3)) - 1 }
        let rows = (0..<test.count).map { _ in Int32(random.next(below: test.count)) }
        let (family, sliceRows) = Self.family(rows: rows, slicesPerColumn: test.columns, seed: UInt64(test.count) &+ (doubles ? 29 : 3))
        var seen: [Int: LabelledScores] = [:]
        var twice: [Int] = []
        let shared = column.forEachSliceLabelledScores(family: family, rows: rows, label: { labels[$0] }) { slice, scores in
            if seen[slice] != nil { twice.append(slice) }
            seen[slice] = scores
        }
        #expect(shared)
        #expect(twice.isEmpty)
        #expect(Set(seen.keys) == Set(sliceRows.keys))
        for (slice, rows) in sliceRows {
            let expected = Self.labelledAlone(column, rows: rows, labels: labels)
            let got = try #require(seen[slice])
            #expect(got.scored == expected.scored, "slice \(slice)")
            // Bit patterns: signed zeros in row order.
            #expect(got.scores.map(\.bitPattern) == expected.scores.map(\.bitPattern), "slice \(slice)")
            #expect(got.labels == expected.labels, "slice \(slice)")
            #expect(got.sortedKeys?.positives == expected.positives, "slice \(slice)")
            #expect(got.sortedKeys?.negatives == expected.negatives, "slice \(slice)")
        }
    }

    @Test func scaledScoresWithANegativeZeroAreSharedAsDoubles() throws {
        var column = NumericColumn()
        let cells = [0.5, -0.0, 0.0, 0.25, ScoreTable.missing(.nan), -0.0, 0.75, 0.0]
        for value in cells { column.append(value) }
        #expect(column.isScaled)
        let labels: [Int8] = [1, 0, 1, -1, 1, 0, 0, 1]
        let rows = (0..<Int32(cells.count)).map { $0 }
        let (family, sliceRows) = Self.family(rows: rows, slicesPerColumn: [2], seed: 31)
        var seen: [Int: LabelledScores] = [:]
        #expect(column.forEachSliceLabelledScores(family: family, rows: rows, label: { labels[$0] }) { slice, scores in seen[slice] = scores })
        for (slice, rows) in sliceRows {
            let expected = Self.labelledAlone(column, rows: rows, labels: labels)
            let got = try #require(seen[slice])
            #expect(got.scores.map(\.bitPattern) == expected.scores.map(\.bitPattern), "slice \(slice)")
            #expect(got.sortedKeys?.positives == expected.positives && got.sortedKeys?.negatives == expected.negatives, "slice \(slice)")
        }
        #expect(try #require(seen[0]).scores.map(\.bitPattern) == [0.5, -0.0, 0.0, -0.0, 0.75, 0.0].map(\.bitPattern))
    }

    @Test func scoresWithoutSegmentColumnsAreLeftToTheSliceBySliceGather() {
        var doubles = NumericColumn()
        for value in [0.1, .pi / 4, 0.2] { doubles.append(value) }
        var scaled = NumericColumn()
        for value in [0.5, -0.0, 0.0] { scaled.append(value) }
        let family = SliceFamily(all: 0, segments: [], sliceNumbers: [0, 0, 0])
        for column in [doubles, scaled] {
            var called = false
            #expect(!column.forEachSliceLabelledScores(family: family, rows: [0, 1, 2], label: { _ in 1 }) { _, _ in called = true })
            #expect(!called)
        }
    }

    @Test(arguments: [
        (count: 20_000, values: 5, columns: [8]), (count: 20_000, values: 5_000, columns: [8]),
        (count: 30_000, values: 70_000, columns: [2]), (count: 30_000, values: 9_000, columns: [3, 5]),
        (count: 3_000, values: 40, columns: [2, 256, 1, 7]),
    ])
    func everySliceGetsTheCategoryCountsOfItsOwnRows(size: (count: Int, values: Int, columns: [Int])) throws {
        var random = SplitMix64(seed: UInt64(size.values))
        var column = CategoryColumn()
        for _ in 0..<size.count {
            if random.next(below: 10) == 0 {
                column.append(code: 0, kind: [ValueKind.null, .empty, .invalid][random.next(below: 3)])
            } else {
                column.append(code: random.next(below: size.values), kind: .present)
            }
        }
        let rows = (0..<size.count).map { _ in Int32(random.next(below: size.count)) }
        let (family, sliceRows) = Self.family(rows: rows, slicesPerColumn: size.columns, seed: UInt64(size.count) &+ 5)
        let shared = try #require(column.sliceCounts(family: family, rows: rows, values: size.values))
        #expect(shared.map(\.slice) == family.sliceIndices)
        for (slice, counts) in shared {
            let expected = column.counts(rows: try #require(sliceRows[slice]), values: size.values)
            #expect(counts.kinds == expected.kinds, "slice \(slice)")
            #expect(counts.codes == expected.codes, "slice \(slice)")
        }
    }

    @Test func categoryCountsTooLargeToShareAreLeftToTheSliceBySliceCount() {
        var column = CategoryColumn()
        for code in 0..<100 { column.append(code: code, kind: .present) }
        let numbers = (0..<100).map { UInt32($0 % 200) }
        let family = SliceFamily(all: 0, segments: [Array(1...200)], sliceNumbers: numbers)
        #expect(column.sliceCounts(family: family, rows: (0..<100).map(Int32.init), values: 1_000_000) == nil)
    }
}
