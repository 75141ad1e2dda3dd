import LineProtocol

/// The encoder's rules written the plain way, one byte and one string at a time, to check the fast encoder
/// against (see the rules in `LineProtocolEncoder`'s documentation).
struct ReferenceEncoder {
    private(set) var statistics = EncodingStatistics()

    /// The point's line with its newline, or nil when the point is skipped.
    mutating func line(_ point: Point) -> [UInt8]? {
        var line = escapedName(point.measurement, specials: ", ")
        let kept = point.tags.filter { !$0.key.isEmpty && !$0.value.isEmpty }
        statistics.droppedTags += point.tags.count - kept.count
        // A stable sort by the keys' bytes.
        let sorted = kept.enumerated().sorted { lhs, rhs in
            let (left, right) = (Array(lhs.element.key.utf8), Array(rhs.element.key.utf8))
            return left == right ? lhs.offset < rhs.offset : left.lexicographicallyPrecedes(right)
        }
        for (_, tag) in sorted {
            line += Array(",".utf8) + escapedName(tag.key, specials: ",= ") + Array("=".utf8) + escapedName(tag.value, specials: ",= ")
        }
        var fields: [[UInt8]] = []
        for field in point.fields {
            let value: String
            switch field.value {
            case .float(let double) where !double.isFinite:
                statistics.droppedNonFiniteFields += 1
                continue
            case .float(let double):
                value = double == 0 ? "0" : double.description
            case .integer(let integer):
                value = "\(integer)i"
            case .boolean(let boolean):
                value = boolean ? "true" : "false"
            case .string(let string):
                value = quoted(string)
            }
            fields.append(escapedName(field.key, specials: ",= ") + Array("=".utf8) + Array(value.utf8))
        }
        guard !fields.isEmpty else {
            statistics.skippedPoints += 1
            return nil
        }
        line += Array(" ".utf8) + Array(fields.joined(separator: Array(",".utf8))) + Array(" \(point.timestampMs)\n".utf8)
        statistics.encodedPoints += 1
        return line
    }

    /// Newline, carriage return and tab become spaces, the specials get a backslash, a trailing backslash becomes
    /// a slash; a name with any of these rewrites counts once.
    private mutating func escapedName(_ name: String, specials: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var rewritten = false
        for var byte in name.utf8 {
            if "\n\r\t".utf8.contains(byte) {
                byte = UInt8(ascii: " ")
                rewritten = true
            }
            if specials.utf8.contains(byte) { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\\") {
            bytes[bytes.count - 1] = UInt8(ascii: "/")
            rewritten = true
        }
        if rewritten { statistics.rewrittenValues += 1 }
        return bytes
    }

    /// In double quotes, `"` and `\` escaped; each newline or carriage return becomes a space and counts.
    private mutating func quoted(_ string: String) -> String {
        var text = "\""
        for character in string.unicodeScalars {
            switch character {
            case "\"", "\\":
                text += "\\\(character)"
            case "\n", "\r":
                text += " "
                statistics.rewrittenValues += 1
            default:
                text.unicodeScalars.append(character)
            }
        }
        return text + "\""
    }
}
