import InputParsing

/// A projected value copied out of a `Record`, for comparisons in tests.
enum Value: Equatable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    case null, empty, text(String)

    init(stringLiteral value: String) { self = value.isEmpty ? .empty : .text(value) }
    init(nilLiteral: ()) { self = .null }

    var description: String {
        switch self {
        case .null: "null"
        case .empty: "empty"
        case .text(let text): "\"\(text)\""
        }
    }
}

/// One event copied out of a reader.
enum Item: Equatable, CustomStringConvertible {
    case record(line: Int, values: [Value])
    case error(line: Int, column: Int, reason: RowError.Reason)

    var description: String {
        switch self {
        case .record(let line, let values): "record@\(line)\(values)"
        case .error(let line, let column, let reason): "error@\(line):\(column) \(reason)"
        }
    }
}

/// Reads `input` fed in chunks ending at `splits` (sorted offsets), draining after every feed.
func readAll(
    _ input: [UInt8], format: InputFormat, columns: [String], splits: [Int] = [], source: String = "test.csv",
    maxRecordBytes: Int = RecordReader.defaultMaxRecordBytes, inPlace: Bool = false
) throws(InputError) -> [Item] {
    let reader = RecordReader(format: format, columns: columns, source: source, maxRecordBytes: maxRecordBytes)
    var items: [Item] = []
    func drain() throws(InputError) {
        while let event = try reader.next() {
            switch event {
            case .record(let record):
                let values: [Value] = (0..<record.count).map { column in
                    switch record.kind(column) {
                    case .null: .null
                    case .empty: .empty
                    case .text: .text(record.string(column)!)
                    }
                }
                items.append(.record(line: record.line, values: values))
            case .rowError(let error):
                items.append(.error(line: error.line, column: error.column, reason: error.reason))
            }
        }
    }
    try feedInChunks(input, to: reader, splits: splits, inPlace: inPlace, drain: drain)
    return items
}

/// Feeds `input` to `reader` in chunks ending at `splits` (sorted offsets; later ones past the end are ignored),
/// calling `drain` after every feed and once more after `finish()`. `inPlace`: each chunk is written into the
/// reader's buffer (``RecordReader/feed(capacity:_:)``) between bytes that are not appended (a line feed, a
/// quote, a comma, a brace, varying in number), as the parallel block reader does.
func feedInChunks<Failure: Error>(
    _ input: [UInt8], to reader: RecordReader, splits: [Int], inPlace: Bool = false, drain: () throws(Failure) -> Void
) throws(Failure) {
    var start = 0
    for split in splits + [input.count] where split >= start {
        if inPlace {
            let chunk = input[start..<split]
            let before = start % 5, after = (split * 7) % 4
            reader.feed(capacity: before + chunk.count + after) { room in
                let noise = Array("\n\",{".utf8)
                for offset in 0..<room.count { room[offset] = noise[offset % noise.count] }
                room.baseAddress!.advanced(by: before).copyMemory(from: Array(chunk), byteCount: chunk.count)
                return before..<(before + chunk.count)
            }
        } else {
            reader.feed(Array(input[start..<split]))
        }
        try drain()
        start = split
    }
    reader.finish()
    try drain()
}

/// Convenience for string inputs.
func readAll(
    _ text: String, format: InputFormat = .csv(), columns: [String], splits: [Int] = [],
    maxRecordBytes: Int = RecordReader.defaultMaxRecordBytes
) throws(InputError) -> [Item] {
    try readAll(Array(text.utf8), format: format, columns: columns, splits: splits, maxRecordBytes: maxRecordBytes)
}
