import Dispatch
import Foundation
import Gzip
import InputParsing
#if canImport(Glibc)
import Glibc
import ModelwatchConfiguration
#endif

/// Parses one large, uncompressed score file on several threads and hands its rows to a ``ScoreIngestion``
/// in file order, so the table, the counts and the rejection samples are those of the sequential reader.
///
/// The file is cut into blocks of about ``blockSize`` bytes, each starting after a line feed; every block is
/// parsed on its own (the header row first) into its own batches, and blocks are handed over in order. A cut
/// is only right where the line feed ends a record; one inside a quoted CSV field would split a record.
/// Such a cut shows as the block before it ending in an unterminated quoted field: the reader then drops
/// that block and every later one and returns where the sequential reader must go on (the start of that
/// block, a known record boundary). JSON Lines cannot contain a raw line feed inside a value. A block holding
/// a record too long for the reader (``RecordReader/maxRecordBytes``) is handled the same way: where the
/// sequential reader resynchronises after it depends on everything before, so it reads on from there.
enum ParallelScoreFile {
    /// Bytes per block (a block's rows are held in batches until their turn).
    static let blockSize = 8 << 20
    /// Files smaller than this are read sequentially.
    static let minimumSize = 32 << 20
    /// Bytes read at a time inside a block. Reading a piece small enough to stay in the core's cache, then
    /// parsing it, costs a quarter of reading the whole block at once: on this project's benchmark machine
    /// `pread` of the 1 GB score file took 0.13–0.17 s of system time in pieces of 64–128 KiB and 0.46–0.70 s
    /// in pieces of 192 KiB to 8 MiB (the kernel's copy then writes to memory instead of the cache), and the
    /// parser then read the 8 MiB block from memory again.
    static let pieceSize = 1 << 16

    /// What the parallel part read.
    struct Outcome {
        var rowsRead = 0
        var rowsInRange = 0
        var rejectedCount = 0
        /// The first rejection messages, in file order.
        var rejections: [String] = []
        /// Set when a cut fell inside a quoted field: read the rest sequentially from here.
        var resume: FileRecords.Resume?
    }

    /// Parsing threads for a run of `threads` threads (1: read sequentially); more than 8 do not pay.
    static func workers(threads: Int) -> Int { Swift.min(threads, 8) }

    /// Reads `path` in parallel, or returns nil when it is better read sequentially (small, compressed, or a
    /// header row longer than a block).
    static func read(
        path: String, format: InputFormat, key: String, parser: ScoreRowParser, ingestion: ScoreIngestion,
        sampleLimit: Int, workers: Int, blockSize: Int = blockSize, pieceSize: Int = pieceSize, minimumSize: Int = minimumSize,
        maxRecordBytes: Int = RecordReader.defaultMaxRecordBytes, shouldAbort: () -> Bool = { false }
    ) throws(JobError) -> Outcome? {
        guard workers >= 2 else { return nil }
        let descriptor = try FileRecords.openInput(path, key: key)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= minimumSize else { return nil }
        let fileSize = Int(status.st_size)
        var head = [UInt8](repeating: 0, count: Swift.min(fileSize, blockSize))
        guard readFully(descriptor, into: &head, at: 0) == head.count, !Gzip.isGzip(head.prefix(2)) else { return nil }
        let headerEnd: Int
        if case .csv = format {
            guard let end = csvHeaderEnd(head) else { return nil }
            headerEnd = end
        } else {
            headerEnd = 0
        }
        let header = Array(head[0..<headerEnd])
        let headerLines = header.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let blockCount = Swift.max(1, (fileSize - headerEnd + blockSize - 1) / blockSize)

        let queue = BlockQueue(blocks: blockCount, inFlight: workers + 2)
        let group = DispatchGroup()
        let job = BlockJob(
            path: path, descriptor: descriptor, fileSize: fileSize, format: format, key: key, header: header,
            headerLines: headerLines, headerEnd: headerEnd, blockSize: blockSize, pieceSize: pieceSize, blockCount: blockCount, parser: parser, ingestion: ingestion,
            sampleLimit: sampleLimit, maxRecordBytes: maxRecordBytes)
        for worker in 0..<workers {
            group.enter()
            ReaderThread.start("parse.\(worker)") {
                while let index = queue.claim() { queue.complete(job.parse(index)) }
                group.leave()
            }
        }
        // Batches of the sequential reader's current batch (an earlier file) go first.
        ingestion.flushCurrent()
        var outcome = Outcome()
        var line = 1 + headerLines
        for index in 0..<blockCount {
            if shouldAbort() {
                queue.cancel()
                group.wait()
                throw FileRecords.abandoned
            }
            let block = queue.take(index)
            if let error = block.error {
                queue.cancel()
                group.wait()
                throw error
            }
            if block.needsSequentialRead && index < blockCount - 1 {
                queue.cancel()
                group.wait()
                outcome.resume = FileRecords.Resume(offset: block.start, header: header, line: line)
                return outcome
            }
            for batch in block.batches { ingestion.submit(batch) }
            outcome.rowsRead += block.rowsRead
            outcome.rowsInRange += block.rowsInRange
            outcome.rejectedCount += block.rejectedCount
            let shift = line - (1 + headerLines)
            for rejection in block.rejections where outcome.rejections.count < sampleLimit {
                switch rejection {
                case .row(let relativeLine, let reason):
                    outcome.rejections.append("\(path):\(relativeLine + shift): \(reason)")
                case .rowError(let error):
                    outcome.rejections.append(RowError(source: error.source, line: error.line + shift, column: error.column, reason: error.reason).description)
                }
            }
            line += block.lineFeeds
            queue.release()
        }
        group.wait()
        return outcome
    }

    /// The offset after the CSV header row (a line feed outside quotes), if it lies within `bytes`.
    static func csvHeaderEnd(_ bytes: [UInt8]) -> Int? {
        var quoted = false
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == 0x0A && !quoted { return index + 1 }
        }
        return nil
    }

    /// Reads `buffer.count` bytes at `offset` (fewer at end of file); -1 on error.
    static func readFully(_ descriptor: Int32, into buffer: inout [UInt8], at offset: Int) -> Int {
        buffer.withUnsafeMutableBytes { readFully(descriptor, into: $0, at: offset) }
    }

    /// Reads `buffer.count` bytes at `offset` (fewer at end of file); -1 on error.
    static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        errno = 0
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if count == 0 { break }
            done += count
        }
        return done
    }
}

/// One parsed block, waiting for its turn.
private struct ParsedBlock {
    enum Rejection {
        /// A row the parser rejected: block-relative line and reason.
        case row(Int, String)
        /// A row the reader rejected, with a block-relative line.
        case rowError(RowError)
    }

    let index: Int
    /// File offset of the block's first byte (a record boundary once the blocks before are confirmed).
    var start = 0
    var batches: [ScoreBatch] = []
    var rowsRead = 0
    var rowsInRange = 0
    var rejectedCount = 0
    var rejections: [Rejection] = []
    var lineFeeds = 0
    /// A quoted field was still open at the block's end (the cut after it may be inside a record), or a record was
    /// too long for the reader: the rest of the file is read sequentially from the block's start.
    var needsSequentialRead = false
    var error: JobError?
}

/// Hands out block numbers and collects parsed blocks; at most `inFlight` blocks are parsed or waiting.
private final class BlockQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private let slots: DispatchSemaphore
    private let blocks: Int
    private var next = 0
    private var cancelled = false
    private var done: [Int: ParsedBlock] = [:]

    init(blocks: Int, inFlight: Int) {
        self.blocks = blocks
        slots = DispatchSemaphore(value: inFlight)
    }

    /// The next block to parse, or nil when there is none (or reading was cancelled).
    func claim() -> Int? {
        slots.wait()
        lock.lock()
        defer { lock.unlock() }
        guard !cancelled, next < blocks else {
            slots.signal()
            return nil
        }
        next += 1
        return next - 1
    }

    func complete(_ block: ParsedBlock) {
        lock.lock()
        done[block.index] = block
        lock.unlock()
        ready.signal()
    }

    /// Waits for block `index`.
    func take(_ index: Int) -> ParsedBlock {
        while true {
            lock.lock()
            if let block = done.removeValue(forKey: index) {
                lock.unlock()
                return block
            }
            lock.unlock()
            ready.wait()
        }
    }

    /// A taken block has been handed over: another may be parsed.
    func release() { slots.signal() }

    /// Stops handing out blocks (parsers finish the one they hold).
    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
        for _ in 0..<blocks { slots.signal() }
    }
}

/// Parses one block: everything a parsing thread needs, immutable.
private struct BlockJob: @unchecked Sendable {
    let path: String
    let descriptor: Int32
    let fileSize: Int
    let format: InputFormat
    let key: String
    let header: [UInt8]
    /// Line feeds in `header`.
    let headerLines: Int
    let headerEnd: Int
    let blockSize: Int
    /// Bytes read at a time (``ParallelScoreFile/pieceSize``).
    let pieceSize: Int
    let blockCount: Int
    let parser: ScoreRowParser
    let ingestion: ScoreIngestion
    let sampleLimit: Int
    let maxRecordBytes: Int

    func parse(_ index: Int) -> ParsedBlock {
        var block = ParsedBlock(index: index)
        let nominalStart = headerEnd + index * blockSize
        let nominalEnd = index == blockCount - 1 ? fileSize : nominalStart + blockSize
        block.start = nominalStart

        // Fed the header first, the reader is on line 1 + the header's lines when the block starts, and counts the
        // block's line feeds as it reads (see `lineFeeds` below).
        let reader = RecordReader(
            format: format, columns: parser.columns, source: path, numberColumns: parser.numberColumns, maxRecordBytes: maxRecordBytes)
        reader.feed(header)
        var batch = ingestion.takeBatch()
        // A quote still open at the block's end (the reader reports it and reads on from the next line) or a
        // record too long for the reader: either way the cut after this block may be inside a record.
        var endedInsideQuote = false
        var hadTooLongRecord = false
        func drain() throws(InputError) {
            // The batch in a local for the loop: read from the captured variable, it was retained and released
            // for every row.
            var current = batch
            defer { batch = current }
            while let event = try reader.next() {
                block.rowsRead += 1
                // Consumed, not copied: matching the event in place called its value witnesses (copy, destroy,
                // tag) for every row, as its row-error case holds strings.
                switch consume event {
                case .record(let record):
                    switch parser.parse(record, into: current) {
                    case .stored:
                        block.rowsInRange += 1
                        if current.isFull {
                            block.batches.append(current)
                            current = ingestion.takeBatch()
                        }
                    case .outside:
                        break
                    case .rejected(let reason):
                        block.rejectedCount += 1
                        if block.rejections.count < sampleLimit { block.rejections.append(.row(record.line, reason)) }
                    }
                case .rowError(let error):
                    if case .unterminatedQuote = error.reason { endedInsideQuote = true }
                    if case .recordTooLong = error.reason { hadTooLongRecord = true }
                    block.rejectedCount += 1
                    if block.rejections.count < sampleLimit { block.rejections.append(.rowError(error)) }
                }
            }
        }
        // The block is read in pieces of `pieceSize` bytes straight into the reader's buffer, each parsed before
        // the next is read (see `pieceSize` for why). It starts after the first line feed at or after its nominal
        // start (the previous block ends there; the first block starts after the header) and ends with the first
        // line feed at or after its nominal end (or at the end of the file): a line feed found while looking for
        // the start at or past the nominal end is that same line feed, and the block is empty.
        var offset = nominalStart
        var lookingForStart = index > 0
        var ended = false
        do throws(InputError) {
            try drain()
            while !ended && offset < fileSize {
                let count = Swift.min(pieceSize, fileSize - offset)
                var failure: JobError?
                reader.feed(capacity: count) { piece -> Range<Int>? in
                    let done = ParallelScoreFile.readFully(descriptor, into: piece, at: offset)
                    guard done == count else {
                        failure = readError(at: offset + Swift.max(done, 0))
                        return nil
                    }
                    var from = 0, to = count
                    if lookingForStart {
                        guard let lineFeed = piece.firstIndex(of: 0x0A) else { return nil }
                        lookingForStart = false
                        block.start = offset + lineFeed + 1
                        if nominalEnd < fileSize && offset + lineFeed >= nominalEnd {
                            ended = true
                            return nil
                        }
                        from = lineFeed + 1
                    }
                    if nominalEnd < fileSize && offset + count > nominalEnd {
                        let searchFrom = Swift.max(from, nominalEnd - offset)
                        if let lineFeed = piece[searchFrom..<count].firstIndex(of: 0x0A) {
                            to = lineFeed + 1
                            ended = true
                        }
                    }
                    return from..<to
                }
                if let failure {
                    block.error = failure
                    return block
                }
                try drain()
                offset += count
            }
            if lookingForStart { block.start = fileSize }
            reader.finish()
            try drain()
        } catch {
            block.error = FileRecords.jobError(error, key: key, columnKeys: parser.columnKeys(scoresKey: key))
            return block
        }
        // Every byte read: the lines passed are the block's line feeds (a block other than the file's last ends
        // with one; the last block's count is not used).
        block.lineFeeds = reader.currentLine - 1 - headerLines
        if !batch.isEmpty { block.batches.append(batch) }
        block.needsSequentialRead = endedInsideQuote || hadTooLongRecord
        return block
    }

    /// A failed or short read: an I/O error, or the file shrank while being read (it was replaced or truncated).
    private func readError(at offset: Int) -> JobError {
        let reason = errno != 0 ? String(cString: strerror(errno)) : "the file ended early (was it truncated or replaced while being read?)"
        return JobError(.temporaryFailure, "\(path): read failed at byte \(offset) of \(fileSize): \(reason)")
    }
}
