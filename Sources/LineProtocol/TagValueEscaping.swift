/// The injective mapping from a value found in the data (a segment value, say) to the tag value written for it.
///
/// InfluxDB 1.x cannot store every string as a tag value: a line break ends the line, other control characters
/// are not kept reliably, and a backslash before a separator (or at the end) changes how the rest of the line is
/// read. Rewriting such characters to something storable (a space, a slash) made distinct values collide, so
/// instead they are percent-escaped: each such byte becomes `%` and two upper-case hex digits. The escape
/// character `%` itself is escaped the same way, and so is the first character of a value that spells one of the
/// job's reserved values (such as `(missing)` or `(other)`), so that a real value never merges with them.
///
/// Escaped bytes: U+0000–U+001F, U+007F, `\` and `%` (everywhere), and the first byte of a reserved spelling.
/// ``unescaped(_:)`` inverts the mapping: replacing every `%XX` by its byte gives the original value back,
/// which is why the mapping is injective.
public enum TagValueEscaping {
    /// The escape character.
    public static let escape = UInt8(ascii: "%")

    /// True when `byte` is escaped wherever it appears.
    @inline(__always)
    public static func isEscaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\") || byte == escape
    }

    /// The tag value for `value`: unchanged when no byte needs escaping and it spells none of `reserved`.
    public static func escaped(_ value: String, reserved: [String]) -> String {
        let spellsReserved = reserved.contains(value)
        var value = value
        return value.withUTF8 { bytes in
            if !spellsReserved && !bytes.contains(where: isEscaped) { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 8)
            for (index, byte) in bytes.enumerated() {
                if isEscaped(byte) || (index == 0 && spellsReserved) {
                    out.append(escape)
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0x0F))
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? value
    }

    /// The value a tag value was written for: every `%XX` replaced by its byte (the inverse of
    /// ``escaped(_:reserved:)``; a `%` not followed by two hex digits is kept as it is).
    public static func unescaped(_ tagValue: String) -> String {
        let bytes = Array(tagValue.utf8)
        guard bytes.contains(escape) else { return tagValue }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == escape, index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
