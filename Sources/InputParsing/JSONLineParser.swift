/// Why a JSON line was rejected: byte offset (absolute, in the reader's buffer) and message.
struct JSONFailure: Error {
    let offset: Int
    let message: String
}

/// Validates one JSON Lines line and projects its top-level keys into slots. Allocation-free unless a key
/// contains escapes.
struct JSONLineParser {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    var index: Int
    let slots: UnsafeMutablePointer<FieldSlot>
    let slotCount: Int
    let nameBytes: UnsafePointer<UInt8>
    let nameOffsets: UnsafePointer<Int>
    let nameLengths: UnsafePointer<Int>

    static let maximumDepth = 256
    static let quotePattern = SWAR.broadcast(UInt8(ascii: "\""))
    static let backslashPattern = SWAR.broadcast(UInt8(ascii: "\\"))

    /// Parses the line; false if it is blank (only whitespace).
    mutating func parseLine() throws(JSONFailure) -> Bool {
        skipWhitespace()
        if index == end { return false }
        guard bytes[index] == UInt8(ascii: "{") else { throw fail("expected '{' at start of line") }
        index += 1
        skipWhitespace()
        if index < end && bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                guard index < end && bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try scanString()
                skipWhitespace()
                guard index < end && bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
                index += 1
                skipWhitespace()
                let slot = lookup(key)
                let value = try scanValue(depth: 1)
                if slot >= 0 { slots[slot] = value }
                skipWhitespace()
                guard index < end else { throw fail("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    skipWhitespace()
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                index += 1
                break
            }
        }
        skipWhitespace()
        guard index == end else { throw fail("unexpected characters after the object") }
        return true
    }

    private func fail(_ message: String) -> JSONFailure {
        JSONFailure(offset: index, message: index >= end ? "\(message) (end of line)" : message)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < end {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { return }
            index += 1
        }
    }

    /// Scans a string starting at its opening quote; returns the content range and whether it has escapes.
    private mutating func scanString() throws(JSONFailure) -> (start: Int, end: Int, escaped: Bool) {
        index += 1
        let start = index
        var escaped = false
        while index < end {
            // Skip eight bytes at a time while none is a quote, backslash or control character.
            while index &+ 8 <= end {
                let word = SWAR.load(bytes + index)
                let special = SWAR.equalMask(word, Self.quotePattern) | SWAR.equalMask(word, Self.backslashPattern)
                    | SWAR.controlMask(word)
                if special != 0 {
                    index &+= SWAR.firstLane(special)
                    break
                }
                index &+= 8
            }
            guard index < end else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start, index - 1, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
                guard index < end else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    index += 1
                    for _ in 0..<4 {
                        guard index < end, hexValue(bytes[index]) != nil else { throw fail("invalid \\u escape") }
                        index += 1
                    }
                default:
                    throw fail("invalid escape sequence")
                }
                continue
            }
            if byte < 0x20 { throw fail("control character in string") }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// Scans any JSON value; returns its slot description (raw text for nested objects/arrays).
    private mutating func scanValue(depth: Int) throws(JSONFailure) -> FieldSlot {
        guard index < end else { throw fail("expected a value") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let string = try scanString()
            let length = string.end - string.start
            let kind = length == 0 ? FieldSlot.empty : (string.escaped ? FieldSlot.jsonNeedsUnescape : FieldSlot.text)
            return FieldSlot(kind: kind, offset: string.start, length: length)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer(depth: depth)
            return FieldSlot(kind: FieldSlot.text, offset: start, length: index - start)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return FieldSlot(kind: FieldSlot.null, offset: start, length: 0)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
        default:
            throw fail("unexpected character, expected a value")
        }
        return FieldSlot(kind: FieldSlot.text, offset: start, length: index - start)
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONFailure) {
        let length = word.utf8CodeUnitCount
        guard index + length <= end else { throw fail("invalid literal") }
        for offset in 0..<length where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("invalid literal")
        }
        index += length
    }

    /// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func scanNumber() throws(JSONFailure) {
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, bytes[index] &- 48 <= 9 else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < end && bytes[index] &- 48 <= 9 { index += 1 }
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, bytes[index] &- 48 <= 9 else { throw fail("invalid number") }
            while index < end && bytes[index] &- 48 <= 9 { index += 1 }
        }
        if index < end && bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < end, bytes[index] &- 48 <= 9 else { throw fail("invalid number") }
            while index < end && bytes[index] &- 48 <= 9 { index += 1 }
        }
    }

    /// Validates and skips a nested object or array starting at its opening bracket.
    private mutating func skipContainer(depth: Int) throws(JSONFailure) {
        guard depth < Self.maximumDepth else { throw fail("nesting too deep") }
        let isObject = bytes[index] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        index += 1
        skipWhitespace()
        if index < end && bytes[index] == close {
            index += 1
            return
        }
        while true {
            if isObject {
                guard index < end && bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                _ = try scanString()
                skipWhitespace()
                guard index < end && bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
                index += 1
                skipWhitespace()
            }
            _ = try scanValue(depth: depth + 1)
            skipWhitespace()
            guard index < end else { throw fail(isObject ? "unterminated object" : "unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            guard bytes[index] == close else { throw fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'") }
            index += 1
            return
        }
    }

    /// The slot wanted for a key, or -1.
    @inline(__always)
    private func lookup(_ key: (start: Int, end: Int, escaped: Bool)) -> Int {
        if key.escaped {
            var unescaped: [UInt8] = []
            appendUnescapedJSONString(bytes + key.start, key.end - key.start) { unescaped.append($0) }
            return unescaped.withUnsafeBufferPointer { lookup($0.baseAddress ?? bytes, $0.count) }
        }
        return lookup(bytes + key.start, key.end - key.start)
    }

    @inline(__always)
    private func lookup(_ key: UnsafePointer<UInt8>, _ length: Int) -> Int {
        for slot in 0..<slotCount where nameLengths[slot] == length {
            let name = nameBytes + nameOffsets[slot]
            var offset = 0
            while offset < length && name[offset] == key[offset] { offset += 1 }
            if offset == length { return slot }
        }
        return -1
    }
}

/// Hex digit value, or nil.
@inline(__always)
func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}

/// Unescapes the content of a validated JSON string, emitting UTF-8 bytes. `\uXXXX` escapes (with surrogate
/// pairs) become UTF-8; a lone surrogate, which is no character, is emitted as its three-byte form (ill-formed
/// UTF-8, as WTF-8 writes it), so the UTF-8 check of the values kept as text rejects the row instead of a
/// U+FFFD standing in for it silently.
@inline(__always)
func appendUnescapedJSONString(_ source: UnsafePointer<UInt8>, _ length: Int, _ emit: (UInt8) -> Void) {
    @inline(__always) func hex4(_ at: Int) -> UInt32 {
        (hexValue(source[at])! << 12) | (hexValue(source[at + 1])! << 8) | (hexValue(source[at + 2])! << 4)
            | hexValue(source[at + 3])!
    }
    var index = 0
    while index < length {
        let byte = source[index]
        guard byte == UInt8(ascii: "\\") else {
            emit(byte)
            index += 1
            continue
        }
        let escape = source[index + 1]
        index += 2
        switch escape {
        case UInt8(ascii: "b"): emit(0x08)
        case UInt8(ascii: "f"): emit(0x0C)
        case UInt8(ascii: "n"): emit(0x0A)
        case UInt8(ascii: "r"): emit(0x0D)
        case UInt8(ascii: "t"): emit(0x09)
        case UInt8(ascii: "u"):
            var scalar = hex4(index)
            index += 4
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                if index + 6 <= length && source[index] == UInt8(ascii: "\\") && source[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(index + 2)
                    if low >= 0xDC00 && low <= 0xDFFF {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
            }
            guard let character = Unicode.Scalar(scalar) else {
                // A lone surrogate: its three-byte form, which is not UTF-8.
                emit(UInt8(0xE0 | (scalar >> 12)))
                emit(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                emit(UInt8(0x80 | (scalar & 0x3F)))
                continue
            }
            for unit in UTF8.encode(character)! { emit(unit) }
        default: emit(escape)  // \" \\ \/
        }
    }
}
