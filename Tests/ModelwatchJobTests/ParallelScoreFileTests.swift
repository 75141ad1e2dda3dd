import Foundation
import Gzip
import InputParsing
@testable import ModelwatchConfiguration
@testable import ModelwatchJob
@testable import ModelwatchSources
import Synchronization
import Testing
import TestSupport

// Large plain score files are parsed in blocks on several threads (Reading/ParallelScoreFile.swift). These
// tests cut small files into many tiny blocks and require the result to equal the sequential reader's:
// every column of the table, the counters, the rejected-row count and the rejection messages with their line
// numbers. The files have duplicate ids across blocks, rows outside the range, bad rows of every kind,
// CRLF line ends and quoted fields with line feeds (which make some cuts fall inside a record).


private let start: Int64 = 1_000_000
private let end: Int64 = 2_000_000

/// A score CSV of `rows` rows; `multilineNotes` puts line feeds inside a quoted free-text column.
/// Every `longNoteEvery`-th row (0: none) has a note of 400 bytes.
private func scoreCSV(rows: Int, seed: UInt64, multilineNotes: Bool, crlf: Bool, longNoteEvery: Int = 0) -> String {
    var random = SplitMix64(seed: seed)
    let newline = crlf ? "\r\n" : "\n"
    var text = "prediction_id,prediction_time,score,model_version,region,f0,c0,note" + newline
    for row in 0..<rows {
        let id = "id\(random.next(below: rows * 3 / 4))"
        let time = random.next(below: 25) == 0 ? end + 5 : start + Int64(random.next(below: 1_000_000))
        var score = String(Double(random.next(below: 101)) / 100)
        var timeText = String(time)
        var idText = id
        var extra = ""
        switch random.next(below: 60) {
        case 0: score = "1.5"
        case 1: timeText = "yesterday"
        case 2: idText = ""
        case 3: extra = ",surplus"
        case 4: score = "0\"5"
        default: break
        }
        let region = ["north", "\"south, east\"", "\"\"\"quoted\"\"\"", ""][random.next(below: 4)]
        let f0 = random.next(below: 8) == 0 ? "" : String(Double(random.next(below: 10_000)) / 7)
        let c0 = ["a", "b", "\"\"", ""][random.next(below: 4)]
        var note = "n\(row)"
        if longNoteEvery > 0 && row % longNoteEvery == 0 { note = String(repeating: "long ", count: 80) }
        if multilineNotes && random.next(below: 3) == 0 {
            note = "\"line one\nline two, \"\"quoted\"\"\(random.next(below: 2) == 0 ? "\n" : "")\""
        }
        text += "\(idText),\(timeText),\(score),v\(random.next(below: 3)),\(region),\(f0),\(c0),\(note)\(extra)" + newline
    }
    return text
}

private func labelCSV(rows: Int, seed: UInt64) -> String {
    var random = SplitMix64(seed: seed)
    var text = "prediction_id,label,label_time\n"
    for _ in 0..<rows {
        text += "id\(random.next(below: rows)),\(random.next(below: 2)),\(start + Int64(random.next(below: 40)) * 25_000)\n"
    }
    return text
}

private func model(scores: String, labels: String) throws -> ModelConfiguration {
    try readerTestModel(scores: scores, labels: labels, numeric: ["f0"], categorical: ["c0"])
}

/// Every column of the table, in a form where NaN equals NaN.
private func snapshot(_ table: ScoreTable) -> [String: [String]] {
    [
        "time": table.timeMs.map { "\($0)" },
        "score": table.score.map { "\($0.bitPattern)" },  // the stored form: a NaN carries the kind of a missing score
        "version": table.versionCode.map { table.versions[Int($0)] },
        "segment": table.segmentCodes[0].map { table.segmentValues[0][Int($0)] },
        "segmentValues": table.segmentValues[0],
        "numeric": table.numeric[0].map { "\($0.bitPattern)" },
        "numericKind": table.numeric[0].map { "\(ScoreTable.numericKind($0))" },
        "category": (0..<table.count).map { table.categories[0].kind($0) == .present ? table.categoryValues[0][table.categories[0].code($0)] : "-" },
        "categoryValues": table.categoryValues[0],
        "categoryKind": (0..<table.count).map { "\(table.categories[0].kind($0))" },
        "label": table.label.map { "\($0)" },
        "labelTime": table.labelTimeMs.map { "\($0)" },
        "history": table.labelHistory.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.map { "\($0.timeMs)=\($0.label)" })" },
        "duplicates": ["\(table.duplicateScores)"] + table.duplicateScoresByRow.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" },
        "observed": table.labelObservationTimes.map { "\($0)" },
        "orphans": table.orphanLabelTimes.map { "\($0)" },
        "rowsByTime": table.rowsByTime.map { "\($0)" },
    ]
}

private func read(
    _ model: ModelConfiguration, parallel: Bool, blockSize: Int = 1 << 20, pieceSize: Int = 1 << 16, workers: Int = 2, samples: Int = 20,
    maxRecordBytes: Int = RecordReader.defaultMaxRecordBytes, abortRequested: @escaping @Sendable () -> Bool = { false }
) throws -> ModelDataReader.Result {
    var reader = ModelDataReader(model: model, range: TimeRange(startMs: start, endMs: end), readsLabels: true, threads: workers)
    reader.maxRecordBytes = maxRecordBytes
    reader.abortRequested = abortRequested
    reader.parallelScoreFiles = parallel
    reader.parallelBlockSize = blockSize
    reader.parallelPieceSize = pieceSize
    reader.parallelMinimumSize = 0
    reader.parallelWorkers = workers
    reader.sampleLimit = samples
    return try reader.read()
}

private func expectSameRead(_ parallel: ModelDataReader.Result, _ sequential: ModelDataReader.Result) {
    #expect(parallel.counters == sequential.counters)
    #expect(parallel.rowErrorSamples == sequential.rowErrorSamples)
    let left = snapshot(parallel.table), right = snapshot(sequential.table)
    for key in right.keys.sorted() where left[key] != right[key] {
        let index = zip(left[key]!, right[key]!).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? Swift.min(left[key]!.count, right[key]!.count)
        Issue.record("\(key) differs at \(index): \(left[key]!.dropFirst(index).prefix(3)) vs \(right[key]!.dropFirst(index).prefix(3)) (counts \(left[key]!.count), \(right[key]!.count))")
    }
}

@Suite("Reading large score files in parallel blocks equals reading them row by row")
struct ParallelScoreFileTests {
    /// How a file is cut into blocks and pieces, and what its records look like.
    struct Cut: Sendable, CustomTestStringConvertible {
        var blockSize: Int, pieceSize: Int, workers: Int, multiline: Bool, crlf: Bool
        var testDescription: String { "blocks of \(blockSize), pieces of \(pieceSize), \(workers) workers\(multiline ? ", multi-line fields" : "")\(crlf ? ", CRLF" : "")" }
    }

    @Test("same table, counts and rejection messages for every block size, piece size and thread count", arguments: [
        Cut(blockSize: 64, pieceSize: 1 << 16, workers: 2, multiline: false, crlf: false),
        Cut(blockSize: 257, pieceSize: 1 << 16, workers: 3, multiline: false, crlf: true),
        Cut(blockSize: 1000, pieceSize: 1 << 16, workers: 2, multiline: true, crlf: false),
        Cut(blockSize: 4096, pieceSize: 1 << 16, workers: 4, multiline: true, crlf: true),
        Cut(blockSize: 1 << 20, pieceSize: 1 << 16, workers: 2, multiline: false, crlf: false),
        // Blocks read in many pieces: a piece boundary at every place in a record, in the search for a block's
        // first line feed and in the search for its last, and pieces holding no line feed at all.
        Cut(blockSize: 1000, pieceSize: 1, workers: 2, multiline: false, crlf: false),
        Cut(blockSize: 997, pieceSize: 7, workers: 3, multiline: true, crlf: true),
        Cut(blockSize: 4096, pieceSize: 100, workers: 2, multiline: true, crlf: false),
        Cut(blockSize: 64, pieceSize: 333, workers: 2, multiline: false, crlf: true),
        Cut(blockSize: 20_000, pieceSize: 4096, workers: 2, multiline: true, crlf: false),
    ])
    func equalsSequential(cut: Cut) throws {
        let (blockSize, pieceSize, workers, multiline, crlf) = (cut.blockSize, cut.pieceSize, cut.workers, cut.multiline, cut.crlf)
        let directory = TemporaryDirectory()
        let scores = directory.write("scores.csv", scoreCSV(rows: 3000, seed: UInt64(blockSize), multilineNotes: multiline, crlf: crlf))
        let labels = directory.write("labels.csv", labelCSV(rows: 2500, seed: 7))
        let model = try model(scores: scores, labels: labels)
        let sequential = try read(model, parallel: false)
        let parallel = try read(model, parallel: true, blockSize: blockSize, pieceSize: pieceSize, workers: workers)
        #expect(sequential.counters.rowsRejected > 50, "the file has bad rows of every kind")
        #expect(sequential.table.duplicateScores > 100)
        expectSameRead(parallel, sequential)
    }

    @Test("blocks of more rows than a batch holds fill several batches, one filled in the middle of a piece",
          arguments: [(blockSize: 1 << 22, pieceSize: 4096), (blockSize: 300_000, pieceSize: 1 << 16), (blockSize: 250_000, pieceSize: 999)])
    func blocksOfSeveralBatches(blockSize: Int, pieceSize: Int) throws {
        let directory = TemporaryDirectory()
        let rows = 3 * ScoreBatch.capacity
        let scores = directory.write("scores.csv", scoreCSV(rows: rows, seed: UInt64(blockSize), multilineNotes: false, crlf: false))
        let labels = directory.write("labels.csv", labelCSV(rows: rows / 2, seed: 5))
        let model = try model(scores: scores, labels: labels)
        let sequential = try read(model, parallel: false)
        #expect(sequential.counters.scoreRowsRead == rows)
        let parallel = try read(model, parallel: true, blockSize: blockSize, pieceSize: pieceSize, workers: 2)
        expectSameRead(parallel, sequential)
    }

    @Test("a block inside one long row is empty: the row is read once, by the block it starts in", arguments: [1 << 16, 7])
    func blockInsideOneRow(pieceSize: Int) throws {
        let directory = TemporaryDirectory()
        let scores = directory.write("scores.csv", scoreCSV(rows: 2000, seed: 11, multilineNotes: false, crlf: false, longNoteEvery: 4))
        let labels = directory.write("labels.csv", labelCSV(rows: 1500, seed: 7))
        let model = try model(scores: scores, labels: labels)
        let sequential = try read(model, parallel: false)
        // Blocks of 100 bytes: each 400-byte row holds three or four of them without a line feed.
        let parallel = try read(model, parallel: true, blockSize: 100, pieceSize: pieceSize, workers: 2)
        expectSameRead(parallel, sequential)
    }

    @Test("rejection samples stop at the limit in file order; the count covers every rejected row")
    func sampleLimit() throws {
        let directory = TemporaryDirectory()
        let scores = directory.write("scores.csv", scoreCSV(rows: 2000, seed: 11, multilineNotes: false, crlf: false))
        let labels = directory.write("labels.csv", labelCSV(rows: 100, seed: 3))
        let model = try model(scores: scores, labels: labels)
        let sequential = try read(model, parallel: false, samples: 5)
        let parallel = try read(model, parallel: true, blockSize: 300, samples: 5)
        #expect(parallel.rowErrorSamples.count == 5)
        expectSameRead(parallel, sequential)
    }

    @Test("a cut inside a quoted field is detected and the rest of the file is read row by row from a record boundary")
    func cutInsideQuotedField() throws {
        let directory = TemporaryDirectory()
        // Every record carries a quoted field with many line feeds, so most cuts fall inside one.
        var text = "prediction_id,prediction_time,score,model_version,region,f0,c0,note\n"
        for row in 0..<400 {
            text += "id\(row),\(start + Int64(row)),0.5,v1,r,\(row),c,\"\(String(repeating: "x\n", count: 30))\"\n"
        }
        let scores = directory.write("scores.csv", text)
        let labels = directory.write("labels.csv", "prediction_id,label,label_time\n")
        let model = try model(scores: scores, labels: labels)
        let parser = ScoreRowParser(model: model, range: TimeRange(startMs: start, endMs: end), timeUnit: .milliseconds)
        let ingestion = ScoreIngestion(table: ScoreTable(segmentColumns: 1, numericFeatures: 1, categoricalFeatures: 1), segmentColumns: 1, numericFeatures: 1, categoricalFeatures: 1)
        let outcome = try #require(try ParallelScoreFile.read(
            path: scores, format: .csv(), key: "k", parser: parser, ingestion: ingestion, sampleLimit: 20, workers: 2,
            blockSize: 500, minimumSize: 0))
        _ = ingestion.finish()
        let resume = try #require(outcome.resume, "the first cut falls inside a quoted field")
        // The resume point is the start of a record: its line number is the record's.
        let prefix = text.utf8.prefix(resume.offset)
        #expect(prefix.last == UInt8(ascii: "\n"))
        #expect(String(decoding: text.utf8.dropFirst(resume.offset).prefix(2), as: UTF8.self) == "id")
        #expect(resume.line == prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) })
        #expect(outcome.rowsInRange == outcome.rowsRead && outcome.rowsRead < 400)
        expectSameRead(try read(model, parallel: true, blockSize: 500), try read(model, parallel: false))
    }

    @Test("a stray quote (open to the end of the file, or past the record limit) is one error, the rows after it are read, and parallel equals sequential", arguments: [
        (blockSize: 300, limit: 2000), (blockSize: 1000, limit: 2000), (blockSize: 4096, limit: 2000),
        (blockSize: 300, limit: RecordReader.defaultMaxRecordBytes), (blockSize: 4096, limit: RecordReader.defaultMaxRecordBytes),
    ])
    func strayQuote(blockSize: Int, limit: Int) throws {
        let directory = TemporaryDirectory()
        // Row 150 opens a quote that never closes. With a 2,000-byte limit the reader gives up 2,000 bytes later
        // (record too long); with the default it reaches the end of the file (unterminated quote). Either way it
        // resumes on the next line, which a block cut anywhere else would not know.
        var text = "prediction_id,prediction_time,score,model_version,region,f0,c0,note\n"
        for row in 0..<600 {
            let note = row == 150 ? "\"runaway" : "n\(row)"
            text += "id\(row),\(start + Int64(row)),0.5,v1,r,\(row),c,\(note)\n"
        }
        let scores = directory.write("scores.csv", text)
        let labels = directory.write("labels.csv", "prediction_id,label,label_time\n")
        let model = try model(scores: scores, labels: labels)
        let sequential = try read(model, parallel: false, maxRecordBytes: limit)
        let expected = limit == 2000
            ? "scores.csv:152:1: record longer than 2000 bytes without ending (an unterminated quote or a missing line break?); skipped to the next line"
            : "scores.csv:152:"
        #expect(sequential.rowErrorSamples.count == 1)
        #expect(sequential.rowErrorSamples.first?.contains(expected) == true, "\(sequential.rowErrorSamples)")
        #expect(sequential.counters.scoreRowsRead == 600, "every row after the quote is read")
        #expect(sequential.counters.scoreRowsInRange == 599)
        expectSameRead(try read(model, parallel: true, blockSize: blockSize, maxRecordBytes: limit), sequential)
    }

    @Test("a stray quote that pairs with a quote ten rows later is one error at the stray quote, every row is read, and parallel equals sequential", arguments: [300, 1000, 4096])
    func strayQuotePairedWithALaterOne(blockSize: Int) throws {
        let directory = TemporaryDirectory()
        // Row 150's note opens a quote; the next quote is row 160's quoted region, followed by a letter. Read as
        // RFC 4180 says, rows 150 to 160 would be one record with a bad field; the reader reports the stray quote
        // and reads rows 151 to 160 as rows.
        var text = "prediction_id,prediction_time,score,model_version,region,f0,c0,note\n"
        for row in 0..<600 {
            let note = row == 150 ? "\"stray" : "n\(row)"
            let region = row == 160 ? "\"south, east\"" : "r"
            text += "id\(row),\(start + Int64(row)),0.5,v1,\(region),\(row),c,\(note)\n"
        }
        let scores = directory.write("scores.csv", text)
        let labels = directory.write("labels.csv", "prediction_id,label,label_time\n")
        let model = try model(scores: scores, labels: labels)
        let sequential = try read(model, parallel: false)
        #expect(sequential.rowErrorSamples.count == 1)
        #expect(sequential.rowErrorSamples.first?.hasSuffix(
            "scores.csv:152:30: quoted field 8 (\"note\") opened here runs over 10 line breaks to a closing quote followed by an "
                + "unexpected character (a stray quote?); reading resumes on the next line") == true, "\(sequential.rowErrorSamples)")
        #expect(sequential.counters.scoreRowsRead == 600, "every row after the quote is read")
        #expect(sequential.counters.scoreRowsInRange == 599)
        expectSameRead(try read(model, parallel: true, blockSize: blockSize), sequential)
    }

    @Test("JSON Lines files are cut at any line feed")
    func jsonLines() throws {
        let directory = TemporaryDirectory()
        var random = SplitMix64(seed: 5)
        var text = ""
        for row in 0..<2000 {
            let id = random.next(below: 20) == 0 ? "null" : "\"id\(random.next(below: 1500))\""
            text += "{\"prediction_id\": \(id), \"prediction_time\": \(start + Int64(random.next(below: 999_999))), \"score\": \(Double(random.next(below: 100)) / 100), \"model_version\": \"v1\", \"region\": \"r\(row % 3)\", \"f0\": \(row % 7 == 0 ? "null" : String(row)), \"c0\": \"c\(row % 5)\"}\n"
            if row % 97 == 0 { text += "{not json\n" }
        }
        let scores = directory.write("scores.jsonl", text)
        let labels = directory.write("labels.csv", labelCSV(rows: 1500, seed: 9))
        let model = try model(scores: scores, labels: labels)
        expectSameRead(try read(model, parallel: true, blockSize: 333, workers: 3), try read(model, parallel: false))
    }

    @Test("a gzip file inflated on a second thread reads exactly like the plain file (several pieces, two members)")
    func gzipPipeline() throws {
        let directory = TemporaryDirectory()
        let text = scoreCSV(rows: 40_000, seed: 21, multilineNotes: true, crlf: false)
        let bytes = Array(text.utf8)
        #expect(bytes.count > 2 * InflatePipeline.pieceSize, "spans several decompressed pieces")
        // Two concatenated gzip members, split inside a record.
        let half = bytes.count / 2
        let gz = try Gzip.compress(Array(bytes[..<half])) + Gzip.compress(Array(bytes[half...]))
        let plain = directory.write("scores.csv", text)
        let compressed = directory.file("scores.csv.gz")
        FileManager.default.createFile(atPath: compressed, contents: Data(gz))
        let labels = directory.write("labels.csv", labelCSV(rows: 30_000, seed: 4))
        let fromPlain = try read(try model(scores: plain, labels: labels), parallel: false)
        let fromGzip = try read(try model(scores: compressed, labels: labels), parallel: true)
        #expect(fromGzip.rowErrorSamples == fromPlain.rowErrorSamples.map { $0.replacingOccurrences(of: plain, with: compressed) })
        #expect(fromGzip.counters == fromPlain.counters)
        #expect(snapshot(fromGzip.table) == snapshot(fromPlain.table))
    }

    @Test("an abort request abandons the read between chunks or blocks, plain or gzip, sequential or parallel", arguments: [
        (file: "scores.csv", parallel: false), (file: "scores.csv", parallel: true), (file: "scores.csv.gz", parallel: true),
    ])
    func abandonedRead(file: String, parallel: Bool) throws {
        let directory = TemporaryDirectory()
        let text = scoreCSV(rows: 40_000, seed: 21, multilineNotes: false, crlf: false)
        let scores = directory.file(file)
        FileManager.default.createFile(atPath: scores, contents: Data(file.hasSuffix(".gz") ? try Gzip.compress(Array(text.utf8)) : Array(text.utf8)))
        let labels = directory.write("labels.csv", labelCSV(rows: 30_000, seed: 4))
        let model = try model(scores: scores, labels: labels)
        // Abort once a few chunks or blocks have been read (the file spans more than a dozen of each).
        let checks = Mutex(0)
        let abort: @Sendable () -> Bool = { checks.withLock { count in count += 1; return count > 3 } }
        let error = #expect(throws: JobError.self) {
            _ = try read(model, parallel: parallel, blockSize: 64 << 10, abortRequested: abort)
        }
        #expect(error?.message == FileRecords.abandoned.message && error?.status == .temporaryFailure)
        #expect(checks.withLock { $0 } > 3)
        // Without the request, the same read completes.
        #expect(try read(model, parallel: parallel, blockSize: 64 << 10).counters.scoreRowsRead == 40_000)
    }

    @Test("a truncated or corrupt gzip file is a data error naming the file", arguments: ["truncated", "corrupt"])
    func damagedGzip(damage: String) throws {
        let directory = TemporaryDirectory()
        var gz = try Gzip.compress(Array(scoreCSV(rows: 20_000, seed: 8, multilineNotes: false, crlf: false).utf8))
        if damage == "truncated" {
            gz.removeLast(gz.count / 3)
        } else {
            for index in stride(from: gz.count / 2, to: gz.count / 2 + 64, by: 1) { gz[index] ^= 0x5A }
        }
        let scores = directory.file("scores.csv.gz")
        FileManager.default.createFile(atPath: scores, contents: Data(gz))
        let labels = directory.write("labels.csv", labelCSV(rows: 10, seed: 4))
        #expect {
            _ = try read(try model(scores: scores, labels: labels), parallel: true)
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.status == .dataError && error.message.contains(scores) && error.message.contains("gzip")
        }
    }

    @Test("a gzip file whose header lacks a column stops the inflating thread and names the key")
    func gzipMissingColumn() throws {
        let directory = TemporaryDirectory()
        let text = scoreCSV(rows: 30_000, seed: 2, multilineNotes: false, crlf: false).replacingOccurrences(of: ",f0,", with: ",g0,")
        let scores = directory.file("scores.csv.gz")
        FileManager.default.createFile(atPath: scores, contents: Data(try Gzip.compress(Array(text.utf8))))
        let labels = directory.write("labels.csv", labelCSV(rows: 10, seed: 4))
        #expect {
            _ = try read(try model(scores: scores, labels: labels), parallel: true)
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.status == .configError && error.message.contains("models[m].features.numeric: ") && error.message.contains("f0")
        }
    }
}
