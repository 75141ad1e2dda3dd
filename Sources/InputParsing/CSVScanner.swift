/// Receives the fields of one CSV record as byte ranges of the scanned buffer.
protocol CSVFieldSink {
    /// Field `index` (0-based) spans `start..<end` (quotes excluded); `escaped` means it contains doubled quotes.
    mutating func field(_ index: Int, start: Int, end: Int, quoted: Bool, escaped: Bool)
    /// Whether field `index` is read as a number: the scanner then parses a plain decimal there as it reads
    /// it (``scanPlainDecimal(_:from:end:)``) and reports it with ``number(_:start:end:value:fractionDigits:)``.
    func wantsNumber(_ index: Int) -> Bool
    /// Field `index` spans `start..<end`, unquoted, and is the plain decimal `value`, the double nearest to an
    /// integer divided by `10^fractionDigits`.
    mutating func number(_ index: Int, start: Int, end: Int, value: Double, fractionDigits: Int)
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
    /// A byte other than delimiter/line break at `at` right after the closing quote of `field`, whose opening
    /// quote is at `quoteAt`.
    case characterAfterClosingQuote(at: Int, field: Int, quoteAt: Int)
    /// The quoted field `field` opened at `at` never closes before the end of input.
    case unterminatedQuote(at: Int, field: Int)
}

private let quote = UInt8(ascii: "\"")
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
private let lineFeedPattern: UInt64 = 0x0A * SWAR.ones
private let quotePattern: UInt64 = 0x22 * SWAR.ones

/// Reads a plain decimal, `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?` with at most 19 digits, a significand of at
/// most 2^53 and a power of ten (the exponent less the fraction digits) in -22...22, at `from` and returns its value,
/// the offset of the byte after it (which is `< end`) and its fraction digits (the value is the double nearest
/// to an integer divided by `10^fractionDigits`), or nil for anything else (more digits, a larger power,
/// `nan`, no digit before or after the point or in the exponent, or the end of the buffer), which the caller then
/// reads the general way. The value is the one ``parseDouble(_:)`` gives for those bytes: the same single correctly
/// rounded division or multiplication of exact operands (Clinger's fast path, which the general path takes for
/// them too). Exponents matter: producers write small magnitudes such as `1.5819e-04` that way.
@inline(__always)
func scanPlainDecimal(_ bytes: UnsafePointer<UInt8>, from: Int, end: Int) -> (value: Double, end: Int, fractionDigits: Int)? {
    var index = from
    let negative = bytes[index] == UInt8(ascii: "-")
    if negative { index &+= 1 }
    var significand: UInt64 = 0
    var digitCount = readDigits(bytes, at: &index, end: end, into: &significand)
    guard digitCount > 0, index < end else { return nil }
    var fractionDigits = 0
    if bytes[index] == UInt8(ascii: ".") {
        index &+= 1
        fractionDigits = readDigits(bytes, at: &index, end: end, into: &significand)
        guard fractionDigits > 0, index < end else { return nil }
        digitCount &+= fractionDigits
    }
    guard digitCount <= 19, significand <= 1 << 53 else { return nil }
    if bytes[index] | 0x20 == UInt8(ascii: "e") {
        return scanExponent(bytes, at: index, end: end, significand: significand, fractionDigits: fractionDigits, negative: negative)
    }
    // An integer needs no division (dividing by 10^0 gives the same double, after a division's latency).
    let magnitude = fractionDigits == 0 ? Double(significand) : Double(significand) / exactPowersOfTen[fractionDigits]
    return (negative ? -magnitude : magnitude, index, fractionDigits)
}

/// The exponent part of ``scanPlainDecimal(_:from:end:)`` from the `e` at `index`; kept out of line so the plain
/// decimal's path, the common one, stays small enough to be inlined into the scanner's loop.
@inline(never)
func scanExponent(
    _ bytes: UnsafePointer<UInt8>, at index: Int, end: Int, significand: UInt64, fractionDigits: Int, negative: Bool
) -> (value: Double, end: Int, fractionDigits: Int)? {
    var cursor = index &+ 1
    guard cursor < end else { return nil }
    let sign = bytes[cursor]
    if sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { cursor &+= 1 }
    var exponent: UInt64 = 0
    let exponentDigits = readDigits(bytes, at: &cursor, end: end, into: &exponent)
    guard exponentDigits > 0, exponentDigits <= 3, cursor < end else { return nil }
    let power = (sign == UInt8(ascii: "-") ? -Int(exponent) : Int(exponent)) &- fractionDigits
    guard power >= -22, power <= 22 else { return nil }
    let magnitude = power < 0
        ? Double(significand) / exactPowersOfTen[-power] : Double(significand) * exactPowersOfTen[power]
    return (negative ? -magnitude : magnitude, cursor, power < 0 ? -power : 0)
}

/// Whether plain decimals can be read ahead of the delimiter search: not when the delimiter could be part of one.
@inline(__always)
func delimiterAllowsNumberScan(_ delimiter: UInt8) -> Bool {
    delimiter &- 48 > 9 && delimiter != UInt8(ascii: ".") && delimiter != UInt8(ascii: "-")
        && delimiter != UInt8(ascii: "+") && delimiter | 0x20 != UInt8(ascii: "e")
}

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
    let numbersAhead = delimiterAllowsNumberScan(delimiter)
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
            let quoteStart = index
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
            return .characterAfterClosingQuote(at: index, field: field, quoteAt: quoteStart)
        }
        if numbersAhead && sink.wantsNumber(field), let number = scanPlainDecimal(bytes, from: index, end: end) {
            // A number field: read in the same pass that finds its end. Anything but a delimiter or a line feed
            // after the digits (a carriage return, a quote, more text) is left to the general path below.
            let after = bytes[number.end]
            if after == delimiter {
                sink.number(field, start: index, end: number.end, value: number.value, fractionDigits: number.fractionDigits)
                field += 1
                index = number.end + 1
                if field == expectedFields { extraFieldStart = index }
                continue
            }
            if after == lineFeed {
                sink.number(field, start: index, end: number.end, value: number.value, fractionDigits: number.fractionDigits)
                return .record(
                    next: number.end + 1, fieldCount: field + 1, recordEnd: number.end,
                    extraFieldStart: extraFieldStart, lineFeeds: lineFeeds + 1)
            }
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
