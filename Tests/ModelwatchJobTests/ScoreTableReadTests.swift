import Foundation
@testable import ModelwatchConfiguration
@testable import ModelwatchJob
@testable import ModelwatchSources
import Testing
import TestSupport

// The reader parses on one thread and stores rows in batches on another, and joins labels on two threads.
// These tests compare what it builds with a plain row-by-row model of the documented join policy
// (docs/data.md), on files large enough to span several batches, with duplicate ids inside one batch and
// across batches, ids outside the read range, missing cells of every kind, several labels per id (with
// tied label times), orphans and labels of older predictions.


/// The expected table, built one row at a time.
private struct ExpectedTable {
    struct Row {
        var time: Int64, score: String, version: String, segment: String
        var numeric: [String], categorical: [String]
    }
    var order: [String] = []
    var rows: [String: Row] = [:]
    var duplicates = 0
    var categoriesInOrder: [[String]] = [[], []]
    var outsideIDs: Set<String> = []
    /// Per id, its labels in file order.
    var labels: [String: [(time: Int64, label: Int8)]] = [:]
    var orphanTimes: [Int64] = []
}

private let rangeStart: Int64 = 1_000_000
private let rangeEnd: Int64 = 2_000_000

private func makeFiles(rows: Int, labels labelCount: Int, seed: UInt64, in directory: TemporaryDirectory) -> (scores: String, labels: String, expected: ExpectedTable) {
    var random = SplitMix64(seed: seed)
    var expected = ExpectedTable()
    var scores = "prediction_id,prediction_time,score,model_version,region,f0,f1,c0,c1\n"
    let idSpace = rows * 3 / 4
    // Ids shorter and longer than eight bytes (the label join partitions ids by their last eight bytes).
    let idPrefix = seed % 2 == 1 ? "id" : "prediction-"
    for _ in 0..<rows {
        let id = "\(idPrefix)\(random.next(below: idSpace))"
        let outside = random.next(below: 20) == 0
        let time = outside ? rangeEnd + Int64(random.next(below: 1000)) : rangeStart + Int64(random.next(below: 1_000_000))
        let score = String(Double(random.next(below: 101)) / 100)
        let version = ["v1", "v2"][random.next(below: 2)]
        let segment = ["", "north", "south"][random.next(below: 3)]
        func numericCell() -> (csv: String, stored: String) {
            switch random.next(below: 10) {
            case 0: return ("", "null")
            case 1: return ("\"\"", "empty")
            case 2: return ("NaN", "nan")
            case 3: return ("abc", "invalid")
            default:
                let value = Double(random.next(below: 100_000)) / 1000 - 20
                return ("\(value)", "\(value)")
            }
        }
        func categoryCell(_ values: Int) -> (csv: String, stored: String) {
            switch random.next(below: 8) {
            case 0: return ("", "null")
            case 1: return ("\"\"", "empty")
            default:
                let value = "k\(random.next(below: values))"
                return (value, "=" + value)
            }
        }
        let f0 = numericCell(), f1 = numericCell(), c0 = categoryCell(5), c1 = categoryCell(300)
        scores += "\(id),\(time),\(score),\(version),\(segment),\(f0.csv),\(f1.csv),\(c0.csv),\(c1.csv)\n"
        guard !outside else {
            expected.outsideIDs.insert(id)
            continue
        }
        for (feature, cell) in [c0, c1].enumerated() where cell.stored.hasPrefix("=") {
            let value = String(cell.stored.dropFirst())
            if !expected.categoriesInOrder[feature].contains(value) { expected.categoriesInOrder[feature].append(value) }
        }
        let row = ExpectedTable.Row(
            time: time, score: score, version: version, segment: segment.isEmpty ? ScoreTable.missingSegmentValue : segment,
            numeric: [f0.stored, f1.stored], categorical: [c0.stored, c1.stored])
        if expected.rows[id] == nil {
            expected.order.append(id)
        } else {
            expected.duplicates += 1
        }
        expected.rows[id] = row
    }
    var labels = "prediction_id,label,label_time\n"
    for _ in 0..<labelCount {
        let id = "\(idPrefix)\(random.next(below: idSpace + idSpace / 10))"
        let time = rangeStart + Int64(random.next(below: 50)) * 40_000
        let label = Int8(random.next(below: 2))
        labels += "\(id),\(label),\(time)\n"
        if expected.rows[id] != nil {
            expected.labels[id, default: []].append((time, label))
        } else if !expected.outsideIDs.contains(id) {
            expected.orphanTimes.append(time)
        }
    }
    return (directory.write("scores.csv", scores), directory.write("labels.csv", labels), expected)
}

private func model(scores: String, labels: String) throws -> ModelConfiguration {
    try readerTestModel(scores: scores, labels: labels, numeric: ["f0", "f1"], categorical: ["c0", "c1"])
}

@Suite("Reading: batched score storage and the parallel label join equal row-by-row reading")
struct ScoreTableReadTests {
    @Test("a missing numeric cell is a NaN that carries its kind; numbers are present; a bare NaN reads as nan",
          arguments: [ValueKind.null, .empty, .nan, .infinite, .invalid])
    func missingCellsCarryTheirKind(kind: ValueKind) {
        let stored = ScoreTable.missing(kind)
        #expect(stored.isNaN)
        #expect(ScoreTable.numericKind(stored) == kind)
        // Copies through arrays keep the payload.
        #expect(ScoreTable.numericKind(Array(repeating: stored, count: 3)[2]) == kind)
        #expect(ScoreTable.numericKind(0.25) == .present)
        #expect(ScoreTable.numericKind(-0.0) == .present)
        #expect(ScoreTable.numericKind(Double.nan) == .nan)
    }

    @Test("every row, duplicate, category code and label equals the row-by-row model", arguments: [
        (rows: 10, labels: 12, seed: UInt64(1)),
        (rows: 4096, labels: 3000, seed: 2),
        (rows: 20_000, labels: 25_000, seed: 3),
    ])
    func matchesRowByRowModel(rows: Int, labels labelCount: Int, seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let files = makeFiles(rows: rows, labels: labelCount, seed: seed, in: directory)
        let expected = files.expected
        let reader = ModelDataReader(
            model: try model(scores: files.scores, labels: files.labels),
            range: TimeRange(startMs: rangeStart, endMs: rangeEnd), readsLabels: true, threads: ThreadBudget.resolve(nil))
        let result = try reader.read()
        let table = result.table

        #expect(result.counters.scoreRowsRead == rows)
        #expect(result.counters.rowsRejected == 0)
        #expect(table.count == expected.order.count)
        #expect(table.duplicateScores == expected.duplicates)
        #expect(table.categoryValues == expected.categoriesInOrder, "category codes follow first appearance in the file")
        var mismatches: [String] = []
        for (row, id) in expected.order.enumerated() {
            let want = expected.rows[id]!
            var got = ExpectedTable.Row(
                time: table.timeMs[row], score: String(table.score[row]), version: table.versions[Int(table.versionCode[row])],
                segment: table.segmentValues[0][Int(table.segmentCodes[0][row])], numeric: [], categorical: [])
            for feature in 0..<2 {
                switch ScoreTable.numericKind(table.numeric[feature][row]) {
                case .present: got.numeric.append("\(table.numeric[feature][row])")
                case .null: got.numeric.append("null")
                case .empty: got.numeric.append("empty")
                case .nan: got.numeric.append("nan")
                case .infinite: got.numeric.append("infinite")
                case .invalid: got.numeric.append("invalid")
                }
                if ScoreTable.numericKind(table.numeric[feature][row]) != .present, !table.numeric[feature][row].isNaN {
                    mismatches.append("\(id): missing numeric cell stored as \(table.numeric[feature][row])")
                }
                switch table.categories[feature].kind(row) {
                case .present: got.categorical.append("=" + table.categoryValues[feature][table.categories[feature].code(row)])
                case .null: got.categorical.append("null")
                case .empty: got.categorical.append("empty")
                default: got.categorical.append("?")
                }
            }
            if "\(got)" != "\(want)" { mismatches.append("\(id): \(got) != \(want)") }

            // The label known at several as-of times: the latest label time wins, the last read on a tie.
            let history = expected.labels[id] ?? []
            for asOf in [rangeStart - 1, rangeStart + 400_000, rangeStart + 1_000_000, Int64.max] {
                var best: (time: Int64, label: Int8)?
                for entry in history where entry.time <= asOf {
                    if best == nil || entry.time >= best!.time { best = entry }
                }
                let want = best?.label ?? -1
                if table.label(row: row, asOfMs: asOf) != want {
                    mismatches.append("\(id) as of \(asOf): label \(table.label(row: row, asOfMs: asOf)) != \(want)")
                }
                let count = history.filter { $0.time <= asOf }.count
                if table.labelCount(row: row, asOfMs: asOf) != count {
                    mismatches.append("\(id) as of \(asOf): \(table.labelCount(row: row, asOfMs: asOf)) labels != \(count)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
        #expect(table.orphanLabels(asOfMs: .max) == expected.orphanTimes.count)
        #expect(table.orphanLabels(asOfMs: rangeStart + 400_000) == expected.orphanTimes.filter { $0 <= rangeStart + 400_000 }.count)
        #expect(table.lateLabels(asOfMs: rangeStart) == labelCount - (expected.labels.values.joined().filter { $0.time <= rangeStart }.count
            + expected.orphanTimes.filter { $0 <= rangeStart }.count + outsideLabelsUpTo(rangeStart, files.labels, expected)))
    }
}

/// Labels of ids read outside the range with a time up to `asOf` (neither matched nor orphans).
private func outsideLabelsUpTo(_ asOf: Int64, _ path: String, _ expected: ExpectedTable) -> Int {
    let lines = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").dropFirst() ?? []
    return lines.filter { line in
        let fields = line.split(separator: ",")
        let id = String(fields[0])
        return expected.rows[id] == nil && expected.outsideIDs.contains(id) && Int64(fields[2])! <= asOf
    }.count
}
