/// Checks that one line is a complete line-protocol point as modelwatch writes it, before a spooled line is
/// sent: measurement, optional tags, at least one field with a well-formed value, and an integer timestamp;
/// valid UTF-8 and no control characters (a NUL, a raw tab or carriage return never comes from the encoder,
/// which escapes what line protocol cannot hold).
///
/// It rejects what a disk error, a cut file or a hand edit leaves behind; it does not judge the values
/// (a point the server refuses for another reason still goes to the dead-letter file).
enum LineProtocolCheck {
    /// Why `line` is not a complete point (with the 1-based byte column), or nil when it is.
    static func problem(in line: ArraySlice<UInt8>) -> String? {
        if let bad = line.firstIndex(where: { $0 < 0x20 || $0 == 0x7F }) {
            let byte = line[bad]
            return "control byte 0x\(hex(byte)) at column \(bad - line.startIndex + 1)"
        }
        if String(validating: line, as: UTF8.self) == nil { return "not valid UTF-8" }
        var scanner = Scanner(bytes: line)
        return scanner.point()
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    private struct Scanner {
        let bytes: ArraySlice<UInt8>
        var i: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            i = bytes.startIndex
        }

        var column: Int { i - bytes.startIndex + 1 }
        var atEnd: Bool { i >= bytes.endIndex }
        var current: UInt8 { bytes[i] }

        /// Reads an escaped name up to one of `stops` (unescaped); returns its length.
        mutating func name(until stops: Set<UInt8>) -> Int {
            let start = i
            while !atEnd, !stops.contains(current) {
                if current == UInt8(ascii: "\\"), i + 1 < bytes.endIndex { i += 1 }
                i += 1
            }
            return i - start
        }

        mutating func point() -> String? {
            let space = UInt8(ascii: " "), comma = UInt8(ascii: ","), equals = UInt8(ascii: "=")
            guard name(until: [comma, space]) > 0 else { return "no measurement at column \(column)" }
            while !atEnd, current == comma {
                i += 1
                guard name(until: [equals, comma, space]) > 0 else { return "empty tag key at column \(column)" }
                guard !atEnd, current == equals else { return "tag without `=` at column \(column)" }
                i += 1
                guard name(until: [comma, space]) > 0 else { return "empty tag value at column \(column)" }
            }
            guard !atEnd, current == space else { return "no fields (line ends at column \(column))" }
            i += 1
            while true {
                guard name(until: [equals, comma, space]) > 0 else { return "empty field key at column \(column)" }
                guard !atEnd, current == equals else { return "field without `=` at column \(column)" }
                i += 1
                if let problem = fieldValue() { return problem }
                if atEnd || current == space { break }
                i += 1  // the comma before the next field
            }
            guard !atEnd else { return "no timestamp (line ends at column \(column))" }
            i += 1
            let start = i
            if !atEnd, current == UInt8(ascii: "-") { i += 1 }
            let digitsStart = i
            while !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(current) { i += 1 }
            guard atEnd, i > digitsStart, i - digitsStart <= 19 else {
                return "timestamp is not an integer at column \(start - bytes.startIndex + 1)"
            }
            return nil
        }

        /// A quoted string, a float, an `i`/`u` integer or a boolean.
        mutating func fieldValue() -> String? {
            let start = column
            guard !atEnd else { return "field value missing at column \(start)" }
            if current == UInt8(ascii: "\"") {
                i += 1
                while !atEnd, current != UInt8(ascii: "\"") {
                    if current == UInt8(ascii: "\\"), i + 1 < bytes.endIndex { i += 1 }
                    i += 1
                }
                guard !atEnd else { return "unterminated string at column \(start)" }
                i += 1
                guard atEnd || current == UInt8(ascii: ",") || current == UInt8(ascii: " ") else {
                    return "text after a string at column \(column)"
                }
                return nil
            }
            let tokenStart = i
            while !atEnd, current != UInt8(ascii: ","), current != UInt8(ascii: " ") { i += 1 }
            let token = String(decoding: bytes[tokenStart..<i], as: UTF8.self)
            guard !token.isEmpty else { return "field value missing at column \(start)" }
            return Self.isValue(token) ? nil : "field value `\(token.prefix(40))` is not a number, string or boolean at column \(start)"
        }

        static func isValue(_ token: String) -> Bool {
            if ["t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"].contains(token) { return true }
            if let last = token.last, last == "i" || last == "u" {
                let digits = token.dropLast()
                return Int64(digits) != nil || (last == "u" && UInt64(digits) != nil)
            }
            guard let first = token.first, first.isNumber || first == "-" || first == "." || first == "+" else { return false }
            return Double(token)?.isFinite == true
        }
    }
}
