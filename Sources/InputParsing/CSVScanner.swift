/// Receives the fields of one CSV record as byte ranges of the scanned buffer.
protocol CSVFieldSink {
    /// Field `index` (0-based) spans `start..<end` (quotes excluded); `escaped` means it contains doubled quotes.
    mutating func field(_ index: Int, start: Int, end: Int, quoted: Bool, escaped: Bool)
}

/// Outcome of scanning one CSV record.
enum CSVScan {
    /// The record is not complete in the buffer yet.
    case needMore
    /// An empty line; continue at `next`.
    case blankLine(next: Int)
    /// A complete record of `fieldCount` fields ending (before its line break) at `recordEnd`; continue at `next`.
    /// `extraFieldStart` is where field number `expectedFields + 1` starts, or -1.
    /// `lineFeeds` counts the line feeds consumed (inside quoted fields plus the terminating one).
    case record(next: Int, fieldCount: Int, recordEnd: Int, extraFieldStart: Int, lineFeeds: Int)
    /// A `"` at offset `at` inside unquoted field `field` (0-based).
    case quoteInUnquotedField(at: Int, field: Int)
    /// A byte other than delimiter/line break at `at` right after the closing quote of `field`.
    case characterAfterClosingQuote(at: Int, field: Int)
    /// The quoted field `field` opened at `at` never closes before the end of input.
    case unterminatedQuote(at: Int, field: Int)
}

private let quote = UInt8(ascii: "\"")
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
private let lineFeedPattern: UInt64 = 0x0A * SWAR.ones
private let quotePattern: UInt64 = 0x22 * SWAR.ones

/// Scans one RFC 4180 record starting at `start` (which must be `< end`). Allocation-free hot loop.
@inline(__always)
func scanCSVRecord<Sink: CSVFieldSink>(
    _ bytes: UnsafePointer<UInt8>, start: Int, end: Int, finished: Bool, delimiter: UInt8,
    expectedFields: Int, sink: inout Sink
) -> CSVScan {
    var index = start
    let delimiterPattern = SWAR.broadcast(delimiter)
    let first = bytes[index]
    if first == lineFeed { return .blankLine(next: index + 1) }
    if first == carriageReturn {
        if index + 1 < end {
            if bytes[index + 1] == lineFeed { return .blankLine(next: index + 2) }
        } else {
            return finished ? .blankLine(next: index + 1) : .needMore
        }
    }
    var field = 0
    var extraFieldStart = -1
    var lineFeeds = 0
    while true {
        if index == end {
            // A field starting at end of input (after a trailing delimiter).
            if !finished { return .needMore }
            sink.field(field, start: index, end: index, quoted: false, escaped: false)
            return .record(
                next: index, fieldCount: field + 1, recordEnd: index, extraFieldStart: extraFieldStart,
                lineFeeds: lineFeeds)
        }
        if bytes[index] == quote {
            var cursor = index + 1
            var escaped = false
            while true {
                if cursor >= end {
                    return finished ? .unterminatedQuote(at: index, field: field) : .needMore
                }
                if bytes[cursor] == quote {
                    if cursor + 1 < end {
                        if bytes[cursor + 1] != quote { break }
                        escaped = true
                        cursor += 2
                        continue
                    }
                    if !finished { return .needMore }
                    break
                }
                if bytes[cursor] == lineFeed { lineFeeds += 1 }
                cursor += 1
            }
            sink.field(field, start: index + 1, end: cursor, quoted: true, escaped: escaped)
            index = cursor + 1
            if index == end {
                if !finished { return .needMore }
                return .record(
                next: index, fieldCount: field + 1, recordEnd: index, extraFieldStart: extraFieldStart,
                lineFeeds: lineFeeds)
            }
            let after = bytes[index]
            if after == delimiter {
                field += 1
                index += 1
                if field == expectedFields { extraFieldStart = index }
                continue
            }
            if after == lineFeed {
                return .record(
                    next: index + 1, fieldCount: field + 1, recordEnd: index, extraFieldStart: extraFieldStart,
                    lineFeeds: lineFeeds + 1)
            }
            if after == carriageReturn {
                if index + 1 < end {
                    if bytes[index + 1] == lineFeed {
                        return .record(
                            next: index + 2, fieldCount: field + 1, recordEnd: index, extraFieldStart: extraFieldStart,
                            lineFeeds: lineFeeds + 1)
                    }
                } else if !finished {
                    return .needMore
                } else {
                    return .record(
                        next: index + 1, fieldCount: field + 1, recordEnd: index, extraFieldStart: extraFieldStart,
                        lineFeeds: lineFeeds)
                }
            }
            return .characterAfterClosingQuote(at: index, field: field)
        }
        var cursor = index
        // Skip 8 bytes at a time while none of them is a delimiter, line feed or quote.
        while cursor &+ 8 <= end {
            let word = SWAR.load(bytes + cursor)
            let found = SWAR.equalMask(word, delimiterPattern) | SWAR.equalMask(word, lineFeedPattern)
                | SWAR.equalMask(word, quotePattern)
            if found != 0 {
                cursor &+= SWAR.firstLane(found)
                break
            }
            cursor &+= 8
        }
        while cursor < end {
            let byte = bytes[cursor]
            if byte == delimiter || byte == lineFeed { break }
            if byte == quote { return .quoteInUnquotedField(at: cursor, field: field) }
            cursor += 1
        }
        if cursor < end && bytes[cursor] == delimiter {
            sink.field(field, start: index, end: cursor, quoted: false, escaped: false)
            field += 1
            index = cursor + 1
            if field == expectedFields { extraFieldStart = index }
            continue
        }
        // Line feed or end of input: the record ends here.
        if cursor == end && !finished { return .needMore }
        var fieldEnd = cursor
        if fieldEnd > index && bytes[fieldEnd - 1] == carriageReturn { fieldEnd -= 1 }
        sink.field(field, start: index, end: fieldEnd, quoted: false, escaped: false)
        let terminated = cursor < end
        return .record(
            next: terminated ? cursor + 1 : cursor, fieldCount: field + 1, recordEnd: fieldEnd,
            extraFieldStart: extraFieldStart, lineFeeds: terminated ? lineFeeds + 1 : lineFeeds)
    }
}
