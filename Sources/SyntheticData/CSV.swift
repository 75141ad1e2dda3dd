/// RFC 4180 field encoding.
enum CSV {
    /// The field's UTF-8 bytes, wrapped in double quotes (with inner quotes doubled) when it contains
    /// a comma, a double quote, CR or LF.
    static func encodeField(_ field: String) -> [UInt8] {
        let bytes = Array(field.utf8)
        let needsQuoting = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuoting else { return bytes }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
