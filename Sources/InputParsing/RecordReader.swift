/// Streaming, projecting reader for CSV and JSON Lines input.
///
/// Feed byte chunks as they arrive (any split, e.g. straight from a file or a `GzipInflater`), then drain events
/// with `next()` until it returns nil; call `finish()` at end of input and drain once more. Each record carries,
/// for every name in `columns` (in that order), a value — see `FieldKind` for null/empty conventions.
///
/// Malformed records surface as `.rowError` and the reader continues with the next record; only problems with
/// the input as a whole (no header, a wanted column missing from it) throw `InputError`.
/// A UTF-8 byte order mark at the start of input is skipped. Not thread-safe.
///
/// ```swift
/// let reader = RecordReader(format: .csv(), columns: ["score", "label"], source: path)
/// func drain() throws(InputError) {
///     while let event = try reader.next() {
///         switch event {
///         case .record(let r): use(r.double(0), r.label(1), line: r.line)
///         case .rowError(let e): badRows += 1; log(e.description)  // "path:line:column: reason"
///         }
///     }
/// }
/// for chunk in chunks { reader.feed(chunk); try drain() }
/// reader.finish(); try drain()
/// ```
///
/// CSV specifics: the header row is required; blank lines are skipped (but counted for line numbers); a lone
/// `\r` not followed by `\n` is data. After a quote error (a quote still open at the end of input included) the
/// reader resynchronises at the next line feed.
/// JSON Lines specifics: one object per line, top-level keys only, duplicate keys: the last one wins.
/// Records are length-limited (``maxRecordBytes``): one that runs past the limit without ending (an unterminated
/// quote, a file without line breaks) is reported as `.recordTooLong` and skipped to the line after its first line
/// feed, so memory stays bounded whatever the input.
public final class RecordReader {
    /// The input layout.
    public let format: InputFormat
    /// The projected column names, in the order `Record` indexes them.
    public let columns: [String]
    /// The input name used in error messages (e.g. a file path).
    public let source: String
    /// The most bytes a record may span (CSV: its quoted line feeds included; JSON Lines: its line).
    public let maxRecordBytes: Int
    /// Default of ``maxRecordBytes``: 1 MiB, eight times Python's `csv.field_size_limit()` default.
    public static let defaultMaxRecordBytes = 1 << 20

    // The state read and written for every record is marked `@exclusivity(unchecked)`: a reader is used by one
    // thread at a time (it is not thread-safe) and never passes its properties inout to code that could reach
    // them again, while the run-time check of each access to a class's stored property was about 3% of a
    // benchmark run's samples (the label file's short records most). Only the run-time check goes; the
    // compiler still checks these accesses statically.
    @exclusivity(unchecked) var input = ByteBuffer(capacity: 1 << 16)
    /// Offset in `input` of the first byte not yet consumed.
    @exclusivity(unchecked) var position = 0
    /// 1-based physical line of the byte at `position`.
    @exclusivity(unchecked) var line = 1

    /// The line the next unread byte is on: `startLine` plus the line feeds read so far (at the end of input,
    /// plus one after a JSON Lines last line without a line feed).
    public var currentLine: Int { line }
    @exclusivity(unchecked) var finished = false
    /// Set after a record too long to buffer: bytes are dropped up to and including the next line feed.
    @exclusivity(unchecked) var discardingLine = false
    @exclusivity(unchecked) private var startChecked = false
    /// Set once the first line was seen to end in a line feed (or to hold no bare carriage return).
    @exclusivity(unchecked) var lineEndingsChecked = false

    /// Distinct wanted names; `slotIndex[i]` maps `columns[i]` to its slot.
    let uniqueColumns: [String]
    let slots: UnsafeMutablePointer<FieldSlot>
    let slotIndex: UnsafeMutablePointer<Int>
    /// Unescaped values of the current record.
    @exclusivity(unchecked) var scratch = ByteBuffer(capacity: 256)

    // CSV state
    let delimiter: UInt8
    /// The header's column names, once read.
    @exclusivity(unchecked) public internal(set) var header: [String]?
    /// For each header column, the slot it fills or -1.
    @exclusivity(unchecked) var columnToSlot: UnsafeMutablePointer<Int> = .allocate(capacity: 1)
    /// For each header column, whether its slot is read as a number.
    @exclusivity(unchecked) var columnIsNumber: UnsafeMutablePointer<Bool> = .allocate(capacity: 1)
    /// Per slot: whether its column was named in `numberColumns`.
    let slotIsNumber: [Bool]
    /// The input window the plain-record path is reading (``readPlainCSVRecord(headerCount:numbersAhead:sink:)``).
    @exclusivity(unchecked) var byteClasses = ByteClassWindow()
    /// Whether CSV records may take the plain-record path; tests turn it off to read with the general scanner only.
    var readsPlainRecords = true
    /// Records read by the plain-record path (tests check that it was taken).
    @exclusivity(unchecked) var plainRecordsRead = 0

    // JSON Lines state
    /// Offset from which to continue looking for the end of the current line.
    @exclusivity(unchecked) var lineScanFrom = 0
    /// Wanted names as UTF-8, concatenated; `nameOffsets[slot]`, `nameLengths[slot]`.
    var nameBytes = ByteBuffer(capacity: 64)
    let nameOffsets: UnsafeMutablePointer<Int>
    let nameLengths: UnsafeMutablePointer<Int>

    /// Creates a reader projecting `columns` (names; duplicates allowed) from input of `format`. `startLine`
    /// is the line number of the first byte fed (for reading a file from the middle, header bytes first).
    /// `numberColumns` (indices into `columns`) are the columns the caller reads with ``Record/number(_:)``: in
    /// CSV, a plain decimal there is parsed while the record is scanned, in the same pass over its bytes, and
    /// `number` returns it; the result is the same either way.
    public init(
        format: InputFormat, columns: [String], source: String, startLine: Int = 1, numberColumns: [Int] = [],
        maxRecordBytes: Int = RecordReader.defaultMaxRecordBytes
    ) {
        precondition(maxRecordBytes > 0, "maxRecordBytes must be positive")
        self.maxRecordBytes = maxRecordBytes
        self.line = startLine
        self.format = format
        self.columns = columns
        self.source = source
        if case .csv(let delimiter) = format {
            precondition(delimiter != UInt8(ascii: "\"") && delimiter != 0x0A && delimiter != 0x0D,
                "invalid CSV delimiter")
            self.delimiter = delimiter
        } else {
            self.delimiter = 0
        }
        var unique: [String] = []
        var indices: [Int] = []
        for name in columns {
            if let existing = unique.firstIndex(of: name) {
                indices.append(existing)
            } else {
                indices.append(unique.count)
                unique.append(name)
            }
        }
        uniqueColumns = unique
        var slotIsNumber = [Bool](repeating: false, count: unique.count)
        for column in numberColumns where columns.indices.contains(column) { slotIsNumber[indices[column]] = true }
        self.slotIsNumber = slotIsNumber
        slots = .allocate(capacity: max(unique.count, 1))
        slots.initialize(repeating: FieldSlot(kind: FieldSlot.null, offset: 0, length: 0), count: max(unique.count, 1))
        slotIndex = .allocate(capacity: max(columns.count, 1))
        for (position, index) in indices.enumerated() { slotIndex[position] = index }
        nameOffsets = .allocate(capacity: max(unique.count, 1))
        nameLengths = .allocate(capacity: max(unique.count, 1))
        for (slot, name) in unique.enumerated() {
            nameOffsets[slot] = nameBytes.count
            let utf8 = Array(name.utf8)
            utf8.withUnsafeBufferPointer { nameBytes.append($0.baseAddress ?? UnsafePointer(nameBytes.base), $0.count) }
            nameLengths[slot] = utf8.count
        }
    }

    deinit {
        input.free()
        scratch.free()
        nameBytes.free()
        slots.deallocate()
        slotIndex.deallocate()
        columnToSlot.deallocate()
        columnIsNumber.deallocate()
        nameOffsets.deallocate()
        nameLengths.deallocate()
    }

    /// Appends a chunk of input. Invalidates any `Record` obtained earlier.
    public func feed(_ chunk: UnsafeRawBufferPointer) {
        dropConsumedInput()
        guard let bytes = chunk.baseAddress, chunk.count > 0 else { return }
        input.append(bytes.assumingMemoryBound(to: UInt8.self), chunk.count)
    }

    /// Appends input written straight into the reader's buffer, without the copy ``feed(_:)-(UnsafeRawBufferPointer)``
    /// makes: `fill` gets room for `capacity` bytes at the end of the buffer and returns which of the bytes it
    /// wrote there to append (nil: none). Invalidates any `Record` obtained earlier.
    public func feed(capacity: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Range<Int>?) {
        dropConsumedInput()
        input.reserve(capacity)
        let end = input.base + input.count
        guard let kept = fill(UnsafeMutableRawBufferPointer(start: end, count: capacity)), !kept.isEmpty else { return }
        precondition(kept.lowerBound >= 0 && kept.upperBound <= capacity, "RecordReader.feed(capacity:_:): range outside the room given")
        if kept.lowerBound > 0 { end.update(from: end + kept.lowerBound, count: kept.count) }
        input.count += kept.count
    }

    /// Before more input: checks the reader is still open and drops the bytes already consumed.
    private func dropConsumedInput() {
        precondition(!finished, "RecordReader.feed called after finish()")
        if position > 0 {
            input.removeFirst(position)
            lineScanFrom = max(0, lineScanFrom - position)
            byteClasses = ByteClassWindow()
            position = 0
        }
    }

    /// Appends a chunk of input. Invalidates any `Record` obtained earlier.
    public func feed(_ chunk: [UInt8]) {
        chunk.withUnsafeBytes { feed($0) }
    }

    /// Declares the end of input: a last line without a newline becomes a record, open quotes become errors.
    public func finish() {
        finished = true
    }

    /// The next record or row error, or nil when more input is needed (or, after `finish()`, at the end).
    /// Invalidates any `Record` obtained earlier.
    public func next() throws(InputError) -> ReadEvent? {
        if !startChecked {
            guard skipByteOrderMark() else { return nil }
        }
        if !lineEndingsChecked {
            guard try checkLineEndings() else { return nil }
        }
        if discardingLine {
            guard skipDiscardedLine() else { return nil }
        }
        switch format {
        case .csv: return try nextCSV()
        case .jsonLines: return nextJSONLine()
        }
    }

    /// Skips a leading UTF-8 BOM; false while too few bytes are available to decide.
    private func skipByteOrderMark() -> Bool {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let available = input.count - position
        let prefix = min(available, 3)
        for offset in 0..<prefix where input.base[position + offset] != bom[offset] {
            startChecked = true
            return true
        }
        if available >= 3 {
            position += 3
        } else if !finished {
            return false
        }
        startChecked = true
        return true
    }

    /// After a row error, resynchronises at the line following offset `from` of the record that starts at
    /// `recordStart` (counting the lines in between); false, changing nothing, if that line is incomplete.
    func skipToNextLine(from: Int, recordStart: Int) -> Bool {
        var index = firstIndex(of: 0x0A, in: input.base, from: from, end: input.count)
        if index == input.count {
            guard finished else { return false }
        } else {
            index += 1
        }
        line += countLineFeeds(from: recordStart, to: index)
        position = index
        return true
    }

    /// Reports the record starting at `recordStart` on `recordLine` as too long and skips to the line after its
    /// first line feed, dropping bytes until one arrives if none has yet.
    func skipTooLongRecord(recordStart: Int, recordLine: Int) -> ReadEvent {
        if !skipToNextLine(from: recordStart, recordStart: recordStart) {
            position = input.count
            discardingLine = true
        }
        lineScanFrom = position
        return .rowError(RowError(source: source, line: recordLine, column: 1, reason: .recordTooLong(limit: maxRecordBytes)))
    }

    /// Drops bytes up to and including the next line feed (the end of a record too long to buffer); false while
    /// none has arrived.
    private func skipDiscardedLine() -> Bool {
        guard skipToNextLine(from: position, recordStart: position) else {
            position = input.count  // what arrived of the line is dropped, not kept until its end
            lineScanFrom = position
            return false
        }
        lineScanFrom = position
        discardingLine = false
        return true
    }

    /// Builds the public view of the current record.
    @inline(__always)
    func makeRecord(line: Int, start: Int, isKnownASCII: Bool = false) -> Record {
        Record(line: line, count: columns.count, slots: slots, slotIndex: slotIndex,
            input: input.base, scratch: scratch.base, start: start, isKnownASCII: isKnownASCII)
    }

    /// Line and 1-based byte column of absolute offset `offset`, given the record started at `recordStart`
    /// on `recordLine` (slow path, for error messages only).
    func location(of offset: Int, recordStart: Int, recordLine: Int) -> (line: Int, column: Int) {
        var lineNumber = recordLine
        var lineStart = recordStart
        var index = recordStart
        while index < offset {
            if input.base[index] == 0x0A {
                lineNumber += 1
                lineStart = index + 1
            }
            index += 1
        }
        return (lineNumber, offset - lineStart + 1)
    }

    /// Number of line feeds in `input[from..<to]`.
    func countLineFeeds(from: Int, to: Int) -> Int {
        var count = 0
        var index = from
        while index < to {
            if input.base[index] == 0x0A { count += 1 }
            index += 1
        }
        return count
    }
}
