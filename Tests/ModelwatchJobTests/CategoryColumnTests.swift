@testable import ModelwatchJob
@testable import ModelwatchSources
import Testing

// A category column keeps two bytes a cell until its dictionary outgrows them; every cell must read back
// with its kind and, when present, its code, before and after the column widens.

typealias CategoryCell = (code: Int, kind: ValueKind)

private func expectCells(_ column: CategoryColumn, _ expected: [CategoryCell], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(column.count == expected.count, sourceLocation: sourceLocation)
    var byRow: [String] = []
    var byForEach: [String] = []
    for row in expected.indices {
        let kind = column.kind(row)
        byRow.append(kind == .present ? "\(column.code(row))" : "\(kind)")
    }
    column.forEach(rows: 0..<Int32(expected.count)) { kind, code in byForEach.append(kind == .present ? "\(code)" : "\(kind)") }
    let wanted = expected.map { $0.kind == .present ? "\($0.code)" : "\($0.kind)" }
    #expect(byRow == wanted, sourceLocation: sourceLocation)
    #expect(byForEach == wanted, sourceLocation: sourceLocation)
}

@Suite struct CategoryColumnTests {
    static let missing: [CategoryCell] = [(0, .null), (0, .empty), (0, .nan), (0, .infinite), (0, .invalid)]

    static let cases: [(name: String, cells: [CategoryCell], narrow: Bool)] = [
        ("small dictionary", [(0, .present), (1, .present), (0, .present)] + missing, true),
        ("largest narrow code", [(Int(CategoryColumn.narrowMissing) - 1, .present)] + missing, true),
        ("first wide code after missing cells", missing + [(3, .present), (Int(CategoryColumn.narrowMissing), .present), (70_000, .present)] + missing, false),
        ("codes past 16 bits", [(1 << 20, .present), (5, .present)] + missing, false),
    ]

    @Test(arguments: cases)
    func cellsReadBackWithTheirKindAndCode(case: (name: String, cells: [CategoryCell], narrow: Bool)) {
        var column = CategoryColumn()
        for cell in `case`.cells { column.append(code: cell.code, kind: cell.kind) }
        #expect(column.isNarrow == `case`.narrow, "\(`case`.name)")
        expectCells(column, `case`.cells)
        // In bulk, after a few single cells (the batch path of the reader).
        var bulk = CategoryColumn()
        let head = `case`.cells.prefix(1)
        for cell in head { bulk.append(code: cell.code, kind: cell.kind) }
        let rest = Array(`case`.cells.dropFirst())
        rest.map(\.code).withUnsafeBufferPointer { codes in
            rest.map(\.kind).withUnsafeBufferPointer { kinds in
                bulk.append(codes: codes.baseAddress!, kinds: kinds.baseAddress!, count: rest.count)
            }
        }
        #expect(bulk.isNarrow == `case`.narrow, "\(`case`.name)")
        expectCells(bulk, `case`.cells)
    }

    @Test func overwritingCanWidenAndClearACode() {
        var column = CategoryColumn()
        var cells: [CategoryCell] = [(1, .present), (2, .present), (0, .null), (4, .present)]
        for cell in cells { column.append(code: cell.code, kind: cell.kind) }
        column.set(0, code: 9, kind: .empty)
        cells[0] = (0, .empty)
        column.set(2, code: 7, kind: .present)
        cells[2] = (7, .present)
        #expect(column.isNarrow)
        expectCells(column, cells)
        column.set(1, code: 100_000, kind: .present)
        cells[1] = (100_000, .present)
        #expect(!column.isNarrow)
        expectCells(column, cells)
    }
}
