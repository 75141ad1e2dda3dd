/// A cursor writing one line into memory reserved for it.
///
/// Names and strings check the room they need (twice their length, for escaping, plus ``slack``) and return false
/// when it is short; the caller then writes the line again with more room. After any write that checked, ``slack``
/// bytes remain, enough for separators, a number and the line's end without checking.
struct LineWriter {
    /// Where the next byte goes.
    private(set) var cursor: UnsafeMutablePointer<UInt8>
    /// One past the last reserved byte.
    private let end: UnsafeMutablePointer<UInt8>
    /// Names and values rewritten so far (newlines, tabs, a trailing backslash).
    var rewrittenValues = 0

    /// Room kept free after each checked write: separators, one number (``ShortestFloat/capacity`` bytes),
    /// the timestamp and newline, and word-sized stores that run past the end of a copy.
    static let slack = 64

    init(_ region: UnsafeMutableBufferPointer<UInt8>) {
        cursor = region.baseAddress!
        end = cursor + region.count
    }

    @inline(__always)
    func hasRoom(for count: Int) -> Bool {
        end - cursor >= count
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        cursor.pointee = byte
        cursor += 1
    }

    // MARK: - Names

    /// Writes a measurement, tag key, tag value or field key: `,` and space escaped, and `=` too unless this is a
    /// measurement; newline, carriage return and tab become (escaped) spaces; a trailing backslash becomes `/`.
    /// Returns false when it does not fit.
    @inline(__always)
    mutating func writeName(_ name: String, isMeasurement: Bool = false) -> Bool {
        if let short = ShortUTF8(name), short.hasNone(WordScan.nameSpecials) { return writePlain(short) }
        return writeLongName(name, isMeasurement: isMeasurement)
    }

    /// Writes a name that needs no escaping (``WordScan/nameSpecials`` finds nothing in it); returns false when it
    /// does not fit.
    @inline(__always)
    mutating func writePlain(_ name: ShortUTF8) -> Bool {
        guard hasRoom(for: name.count + Self.slack) else { return false }
        name.write(to: cursor)
        cursor += name.count
        return true
    }

    /// ``writeName(_:isMeasurement:)`` for names longer than ``ShortUTF8/capacity`` or needing escaping.
    @inline(never)
    private mutating func writeLongName(_ name: String, isMeasurement: Bool) -> Bool {
        withUTF8Bytes(of: name) { bytes in
            guard hasRoom(for: 2 * bytes.count + Self.slack) else { return false }
            if !Self.copyIfPlain(bytes, to: &cursor, where: WordScan.nameSpecials) {
                writeNameEscaping(bytes, isMeasurement: isMeasurement)
            }
            return true
        }
    }

    private mutating func writeNameEscaping(_ bytes: UnsafeBufferPointer<UInt8>, isMeasurement: Bool) {
        var rewrote = false
        for var byte in bytes {
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
                byte = UInt8(ascii: " ")
                rewrote = true
            }
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ") || (byte == UInt8(ascii: "=") && !isMeasurement) {
                write(UInt8(ascii: "\\"))
            }
            write(byte)
        }
        if bytes.last == UInt8(ascii: "\\") {
            // A trailing backslash would escape the separator that follows; it cannot be spelled safely.
            cursor[-1] = UInt8(ascii: "/")
            rewrote = true
        }
        if rewrote { rewrittenValues += 1 }
    }

    // MARK: - Values

    /// Writes a string field value in double quotes: `"` and `\` escaped, each newline or carriage return
    /// replaced by a space (and counted). Returns false when it does not fit.
    @inline(__always)
    mutating func writeQuoted(_ string: String) -> Bool {
        if let short = ShortUTF8(string), short.hasNone(WordScan.stringSpecials) {
            guard hasRoom(for: short.count + 2 + Self.slack) else { return false }
            write(UInt8(ascii: "\""))
            short.write(to: cursor)
            cursor += short.count
            write(UInt8(ascii: "\""))
            return true
        }
        return writeLongQuoted(string)
    }

    /// ``writeQuoted(_:)`` for strings longer than ``ShortUTF8/capacity`` or needing escaping.
    @inline(never)
    private mutating func writeLongQuoted(_ string: String) -> Bool {
        withUTF8Bytes(of: string) { bytes in
            guard hasRoom(for: 2 * bytes.count + 2 + Self.slack) else { return false }
            write(UInt8(ascii: "\""))
            defer { write(UInt8(ascii: "\"")) }
            if Self.copyIfPlain(bytes, to: &cursor, where: WordScan.stringSpecials) { return true }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    write(UInt8(ascii: "\\"))
                    write(byte)
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    write(UInt8(ascii: " "))
                    rewrittenValues += 1
                default:
                    write(byte)
                }
            }
            return true
        }
    }

    /// Writes a finite double in shortest round-trip form (`description`), zero (either sign) as `0`.
    @inline(__always)
    mutating func writeFloat(_ value: Double) {
        if value == 0 {
            write(UInt8(ascii: "0"))
        } else {
            cursor += ShortestFloat.write(value, to: cursor)
        }
    }

    /// Writes decimal digits as `String(value)` spells them.
    @inline(__always)
    mutating func writeInteger(_ value: Int64) {
        if value < 0 { write(UInt8(ascii: "-")) }
        let digitCount = DecimalDigits.count(value.magnitude)
        DecimalDigits.write(value.magnitude, digitCount: digitCount, to: cursor)
        cursor += digitCount
    }

    /// Writes `true` or `false`.
    @inline(__always)
    mutating func writeBoolean(_ value: Bool) {
        for byte in value ? "true".utf8 : "false".utf8 { write(byte) }
    }

    // MARK: - Long strings

    /// Calls `body` with the UTF-8 bytes of `string`, copying them only if the string is not stored contiguously.
    @inline(__always)
    private func withUTF8Bytes<Result>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var contiguous = string
        return contiguous.withUTF8(body)
    }

    /// Copies `bytes` when `specials` finds nothing in any 8-byte word of them; returns false otherwise, having written
    /// nothing that counts. Only for 8 bytes or more.
    @inline(__always)
    private static func copyIfPlain(
        _ bytes: UnsafeBufferPointer<UInt8>, to cursor: inout UnsafeMutablePointer<UInt8>, where specials: (UInt64) -> UInt64
    ) -> Bool {
        let count = bytes.count
        guard count >= 8, let source = bytes.baseAddress.map(UnsafeRawPointer.init) else { return false }
        var offset = 0
        while offset + 8 < count {
            let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            guard specials(word) == 0 else { return false }
            UnsafeMutableRawPointer(cursor + offset).storeBytes(of: word, as: UInt64.self)
            offset += 8
        }
        let last = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)  // may overlap the previous word
        guard specials(last) == 0 else { return false }
        UnsafeMutableRawPointer(cursor + count - 8).storeBytes(of: last, as: UInt64.self)
        cursor += count
        return true
    }
}
