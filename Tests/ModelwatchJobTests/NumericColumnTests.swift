@testable import ModelwatchJob
import DriftMetrics
import Foundation
@testable import ModelwatchSources
import Testing
import TestSupport

// A numeric column keeps decimal values in four bytes a cell while they allow it. Whatever the form, every
// cell must read back as exactly (bit for bit) the double that was stored, missing kinds included.

/// Stores `values` one by one, in bulk, and by overwriting; checks every form reads back bit for bit.
private func expectLossless(_ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) -> NumericColumn {
    var single = NumericColumn()
    for value in values { single.append(value) }
    var bulk = NumericColumn()
    values.withUnsafeBufferPointer { bulk.append(contentsOf: $0) }
    // In bulk with the fraction digits a reader knows of the decimals it parsed (the shortest decimal of each value).
    var hinted = NumericColumn()
    let digits = values.map(shortestFractionDigits)
    values.withUnsafeBufferPointer { values in
        digits.withUnsafeBufferPointer { hinted.append(contentsOf: values, fractionDigits: $0) }
    }
    // Overwrites: start from zeros and set every cell (the duplicate-id path).
    var overwritten = NumericColumn()
    for _ in values { overwritten.append(0) }
    for (row, value) in values.enumerated() { overwritten.set(row, value) }
    for column in [single, bulk, hinted, overwritten] {
        #expect(column.count == values.count, sourceLocation: sourceLocation)
        let mismatches = zip(values, column).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3).map { "row \($0.offset): stored \($0.element.0) read \($0.element.1)" })", sourceLocation: sourceLocation)
        var gathered: [Double] = []
        column.forEach(rows: (0..<Int32(values.count)).reversed()) { gathered.append($0) }
        #expect(gathered.map(\.bitPattern) == values.reversed().map(\.bitPattern), sourceLocation: sourceLocation)
    }
    // The value-code bounds, kept as cells are appended, hold every value's code (a −0 as 0): exactly the
    // smallest and largest, unless a cell was overwritten (the overwritten zeros may leave them wider).
    for (form, column) in [("single", single), ("bulk", bulk), ("hinted", hinted), ("overwritten", overwritten)] {
        let valueCodes = (column.scaledCodes?.codes ?? [])
            .filter { $0 >= NumericColumn.missingCeiling || $0 == NumericColumn.negativeZeroCode }
            .map { $0 == NumericColumn.negativeZeroCode ? 0 : $0 }
        guard let lowest = valueCodes.min(), let highest = valueCodes.max() else {
            if form != "overwritten" || !column.isScaled {
                #expect(column.valueCodeBounds == nil, "\(form)", sourceLocation: sourceLocation)
            }
            continue
        }
        let bounds = column.valueCodeBounds
        if form == "overwritten" {
            #expect(bounds.map { $0.contains(lowest) && $0.contains(highest) } == true, "\(form)", sourceLocation: sourceLocation)
        } else {
            #expect(bounds == lowest...highest, "\(form)", sourceLocation: sourceLocation)
        }
    }
    #expect(single.isScaled == bulk.isScaled && single.exponent == bulk.exponent, sourceLocation: sourceLocation)
    #expect(hinted.isScaled == bulk.isScaled && hinted.exponent == bulk.exponent, sourceLocation: sourceLocation)
    return bulk
}

/// The fraction digits of the shortest decimal that reads back as `value` (Swift's `description`), or
/// `UInt8.max` when it is written with an exponent or is not a number.
private func shortestFractionDigits(_ value: Double) -> UInt8 {
    let text = "\(value)"
    guard value.isFinite, !text.contains("e") else { return .max }
    guard let point = text.firstIndex(of: ".") else { return 0 }
    let fraction = text[text.index(after: point)...]
    return fraction == "0" ? 0 : UInt8(fraction.count)
}

private let missingCells = [ValueKind.null, .empty, .nan, .infinite, .invalid].map(ScoreTable.missing)

@Suite struct NumericColumnTests {
    /// (values, stays scaled, exponent)
    static let forms: [(name: String, values: [Double], scaled: Bool, exponent: Int)] = [
        ("integers", [0, 1, -7, 42, 2_000_000_000, -2_000_000_000], true, 0),
        ("two decimals after integers", [3, 1715.38, -0.01, 0.5], true, 2),
        ("exponent grows after missing cells", missingCells + [1, 2.5, 0.125, -3.0625], true, 4),
        ("small decimals", [0.000032, -0.001091, 0.004612], true, 6),
        ("negative zero kept", [1.5, -0.0, 0.0, -0.0], true, 1),
        ("only missing cells", missingCells, true, 0),
        ("beyond 32-bit codes", [1, 3_000_000_000], false, 0),
        ("too many digits for the magnitude", [1234.5, 0.123456789], false, 0),
        ("full-precision doubles", [0.1 + 0.2, 1.0 / 3.0], false, 0),
        ("digits then a wide value after many rows", Array(repeating: 0.25, count: 5000) + [Double.pi] + missingCells, false, 0),
        ("large and tiny", [1e300, 1e-300, Double.leastNonzeroMagnitude, -Double.greatestFiniteMagnitude], false, 0),
    ]

    @Test(arguments: forms)
    func everyCellReadsBackExactly(form: (name: String, values: [Double], scaled: Bool, exponent: Int)) {
        let column = expectLossless(form.values)
        #expect(column.isScaled == form.scaled, "\(form.name)")
        if form.scaled { #expect(column.exponent == form.exponent, "\(form.name)") }
        #expect(column.bytesPerCell == (form.scaled ? 4 : 8))
    }

    @Test("cells appended with their fraction digits are stored as without them", arguments: [1, 2, 3])
    func fractionDigitsStoreTheSameCells(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        // Decimals of 0...7 fraction digits, some with trailing zeros (the digits the text has, not the fewest),
        // some without digits known, some missing, some too wide for a code: read back exactly, same form as
        // without the digits.
        var values: [Double] = [], digits: [UInt8] = []
        for _ in 0..<4000 {
            let fraction = Int.random(in: 0...7, using: &generator)
            let integer = Int64.random(in: -99_999...99_999, using: &generator)
            let text = "\(integer)" + (fraction == 0 ? "" : "." + String(format: "%0\(fraction)d", Int.random(in: 0..<Int(pow(10, Double(fraction))), using: &generator)))
            switch Int.random(in: 0..<40, using: &generator) {
            case 0: values.append(ScoreTable.missing(.null)); digits.append(.max)
            case 1: values.append(Double(text)!); digits.append(.max)
            default: values.append(Double(text)!); digits.append(UInt8(fraction))
            }
        }
        var hinted = NumericColumn(), plain = NumericColumn()
        for part in stride(from: 0, to: values.count, by: 512) {
            let range = part..<min(part + 512, values.count)
            values[range].withUnsafeBufferPointer { cells in
                digits[range].withUnsafeBufferPointer { hinted.append(contentsOf: cells, fractionDigits: $0) }
                plain.append(contentsOf: cells)
            }
        }
        #expect(hinted.isScaled == plain.isScaled && hinted.exponent == plain.exponent)
        #expect(Array(hinted).map(\.bitPattern) == values.map(\.bitPattern))
        #expect(hinted.scaledCodes?.codes == plain.scaledCodes?.codes)
    }

    @Test func missingCellsKeepTheirKindInBothForms() {
        for prefix in [[1.5], [Double.pi]] {
            let column = expectLossless(prefix + missingCells)
            #expect(Array(column.dropFirst()).map(ScoreTable.numericKind) == [.null, .empty, .nan, .infinite, .invalid])
        }
    }

    @Test func rescalingKeepsEarlierCellsExact() {
        // Each value needs one more digit than the last, so the stored codes are rescaled at every step.
        let values = (0...8).map { digits in 1 + Double(digits) / 10 } + [1.25, 1.125, 1.0625, 1.03125, 7.000001]
        let column = expectLossless(values)
        #expect(column.isScaled && column.exponent == 6)
    }

    @Test func overwritingWithAWiderValueConvertsTheColumn() {
        var column = NumericColumn()
        for value in [1.0, 2.0, ScoreTable.missing(.null), 4.0] { column.append(value) }
        column.set(1, 2.5)
        #expect(column.isScaled && column.exponent == 1)
        column.set(3, Double.pi)
        #expect(!column.isScaled)
        #expect(Array(column).map(\.bitPattern) == [1.0, 2.5, ScoreTable.missing(.null), Double.pi].map(\.bitPattern))
    }

    @Test func decimalsAsAParserReadsThemRoundTrip() throws {
        // Values as a producer writes them (a few decimals, exponent notation), read by the project's parser.
        var random = SplitMix64(seed: 20261127)
        var values: [Double] = []
        for _ in 0..<20_000 {
            let digits = random.next(below: 7)
            let mantissa = Int(random.next(below: 2_000_000)) - 1_000_000
            let text = random.next(below: 4) == 0
                ? "\(mantissa)e-\(digits + 3)"
                : "\(mantissa / 1000).\(String(abs(mantissa) % 1000, radix: 10).leftPadded(to: 3))"
            values.append(try #require(Double(text), "\(text)"))
        }
        _ = expectLossless(values)
    }

    @Test func randomBitPatternsReadBackExactly() {
        var random = SplitMix64(seed: 7)
        let values = (0..<50_000).map { _ in Double(bitPattern: random.next()) }.filter(\.isFinite)
        let column = expectLossless(values)
        #expect(!column.isScaled)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

// The statistics sort a scaled column's codes instead of its doubles; the result must be exactly that of
// gathering the doubles and sorting them.
@Suite struct ScaledSortTests {
    /// The double path: gather present values, count kinds, sort.
    /// Every value of a gathered sample, in order.
    private static func expanded(_ present: SortedPresentValues) -> [Double] {
        switch present {
        case .values(let values): values
        case .buffer(let values): Array(values)
        case .runs(let runs): runs.expanded()
        }
    }

    private func reference(_ column: NumericColumn, rows: [Int32]) -> (values: [Double], counts: [Int]) {
        var counts = [Int](repeating: 0, count: 6)
        var values: [Double] = []
        column.forEach(rows: rows) { value in
            if value.isNaN { counts[Int(ScoreTable.numericKind(value).rawValue)] += 1 } else { counts[0] += 1; values.append(value) }
        }
        var workspace = SortedSample.SortWorkspace()
        SortedSample.sortFinite(&values, workspace: &workspace)
        return (values, counts)
    }

    @Test(arguments: [(rows: 500, digits: 0), (rows: 500, digits: 3), (rows: 40_000, digits: 2), (rows: 40_000, digits: 6)])
    func codesSortExactlyLikeTheirValues(size: (rows: Int, digits: Int)) {
        var random = SplitMix64(seed: UInt64(size.rows * 10 + size.digits))
        var column = NumericColumn()
        let scale = pow(10.0, Double(size.digits))
        for _ in 0..<size.rows {
            if random.next(below: 20) == 0 {
                column.append(ScoreTable.missing([ValueKind.null, .empty, .nan, .infinite, .invalid][random.next(below: 5)]))
            } else {
                // Heavy ties, both signs, the full 32-bit range of codes.
                let code = random.next(below: 3) == 0 ? Int64(random.next(below: 7)) : Int64(bitPattern: random.next()) % 2_000_000_000
                column.append(Double(code) / scale)
            }
        }
        #expect(column.isScaled && column.exponent == size.digits)
        // Rows in a shuffled order with repeats, like a window's rows by time.
        let rows = (0..<size.rows).map { _ in Int32(random.next(below: size.rows)) }
        var values = [1.0, 2.0]
        var counts = [Int](repeating: 0, count: 6)
        var scratch: [UInt64] = []
        let gathered = column.gatherSortedPresentValues(rows: rows, into: &values, counts: &counts, scratch: &scratch)
        let expected = reference(column, rows: rows)
        #expect(gathered.map(Self.expanded)?.map(\.bitPattern) == expected.values.map(\.bitPattern))
        #expect(counts == expected.counts)
    }

    /// Spans of codes around the counting sort's limits: one value, a few, more codes than cells (counted into a
    /// scratch buffer longer than the cells), up to `countingSortLimit` (counted) and one more (radix), and a span
    /// wider than twice the cells (radix).
    @Test(arguments: [(span: 1, rows: 300), (span: 2, rows: 300), (span: 500, rows: 300), (span: 1_000, rows: 20_000),
                      (span: 1 << 18, rows: 300_000), ((1 << 18) + 1, 300_000), (span: 900, rows: 400), (span: 5, rows: 0)])
    func narrowSpansSortExactlyLikeTheirValues(size: (span: Int, rows: Int)) {
        var random = SplitMix64(seed: UInt64(size.span))
        var column = NumericColumn()
        let offset = -Int64(size.span / 3)  // both signs
        for row in 0..<size.rows {
            if random.next(below: 20) == 0 {
                column.append(ScoreTable.missing([ValueKind.null, .empty, .nan, .infinite, .invalid][random.next(below: 5)]))
            } else {
                // The two ends of the span once each, so the span is exactly `span` codes.
                let code = row == 0 ? offset : row == 1 ? offset + Int64(size.span) - 1 : offset + Int64(random.next(below: size.span))
                column.append(Double(code) / 100)
            }
        }
        let rows = (0..<size.rows).map { _ in Int32(random.next(below: size.rows)) } + [0, 1].prefix(size.rows)
        var values: [Double] = []
        var counts = [Int](repeating: 0, count: 6)
        var scratch: [UInt64] = [7, 7, 7]  // stale contents must not leak into the counts
        let gathered = column.gatherSortedPresentValues(rows: rows, into: &values, counts: &counts, scratch: &scratch)
        let expected = reference(column, rows: rows)
        #expect(gathered.map(Self.expanded)?.map(\.bitPattern) == expected.values.map(\.bitPattern))
        #expect(counts == expected.counts)
        // Spans counted (the column's, known before the pass: at most the limit and twice the window's cells)
        // come back as runs (one per distinct value), the others as every value; no value, in either form.
        guard !expected.values.isEmpty else { return }
        let counted = size.span <= NumericColumn.countingSortLimit && size.span <= 2 * rows.count
        if case .runs(let runs)? = gathered {
            #expect(counted && runs.values == Array(Set(expected.values)).sorted())
        } else {
            #expect(!counted)
        }
    }

    @Test func doublesLeaveItToTheDoublePath() {
        var doubles = NumericColumn()
        for value in [1.0, .pi] { doubles.append(value) }
        var values: [Double] = []
        var counts = [Int](repeating: 0, count: 6)
        var scratch: [UInt64] = []
        #expect(doubles.gatherSortedPresentValues(rows: [0, 1], into: &values, counts: &counts, scratch: &scratch) == nil)
        #expect(values.isEmpty && counts == [0, 0, 0, 0, 0, 0])
    }

    /// Counted (few codes) and radix-sorted (a wide span) columns with zeros of both signs: the zeros come back in
    /// row order with their signs, as a stable sort of the doubles gives.
    @Test(arguments: [(span: 40, rows: 5_000), (span: 2_000_000_000, rows: 5_000), (span: 3, rows: 12)])
    func negativeZerosKeepTheirSignsInRowOrder(size: (span: Int, rows: Int)) throws {
        var random = SplitMix64(seed: UInt64(size.span) &+ 5)
        var column = NumericColumn()
        for row in 0..<size.rows {
            switch (row % 7 == 0 ? 0 : 3) + random.next(below: 10) % 3 {
            case 0: column.append(ScoreTable.missing(.null))
            case 1: column.append(0.0)
            case 2: column.append(-0.0)
            default: column.append(Double(Int64(random.next(below: size.span)) - Int64(size.span / 2)) / 100)
            }
        }
        #expect(column.isScaled)
        // Repeats in random order, then every row once (so each −0 is among them).
        let rows = (0..<size.rows).map { _ in Int32(random.next(below: size.rows)) } + (0..<Int32(size.rows))
        var values: [Double] = []
        var counts = [Int](repeating: 0, count: 6)
        var scratch: [UInt64] = []
        let gathered = try #require(column.gatherSortedPresentValues(rows: rows, into: &values, counts: &counts, scratch: &scratch))
        let expected = reference(column, rows: rows)
        #expect(Self.expanded(gathered).map(\.bitPattern) == expected.values.map(\.bitPattern))
        #expect(expected.values.contains { $0 == 0 && $0.sign == .minus })
        #expect(counts == expected.counts)
    }
}
