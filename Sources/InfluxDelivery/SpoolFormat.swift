/// The bytes of one spool file, and the check a file passes before its lines are sent again.
///
/// A file is a header line, then the batch:
///
///     #modelwatch-spool v1 lines=<points> bytes=<body bytes> crc32=<8 hex digits>
///     <line protocol, one point per line, each ending in \n>
///
/// The header is a line-protocol comment, so the file stays valid line protocol (`influx -import` and the
/// HTTP write APIs skip `#` lines). It is written with the body, before the atomic rename, so a complete file
/// always carries it; a file cut short, extended or altered fails the length or checksum, and every line must
/// still be a complete point (`LineProtocolCheck`).
///
/// **Upgrade path.** Files written before the header existed (plain line protocol) are still replayed when
/// every line passes the check and the file ends with a newline (the old writer always wrote one; a file cut
/// inside its last line does not).
enum SpoolFormat {
    static let magic = "#modelwatch-spool v1 "

    /// Header and body of the file that holds `batch`.
    static func encode(_ batch: LineBatch) -> [UInt8] {
        let crc = String(CRC32.checksum(batch.bytes), radix: 16)
        let header = "\(magic)lines=\(batch.lineCount) bytes=\(batch.bytes.count) crc32=\(String(repeating: "0", count: 8 - crc.count))\(crc)\n"
        return Array(header.utf8) + batch.bytes
    }

    /// The batch in a file's bytes, or why the file cannot be trusted.
    static func decode(_ bytes: [UInt8]) -> Result<LineBatch, SpoolDefect> {
        let body: ArraySlice<UInt8>
        if bytes.starts(with: magic.utf8) {
            guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return .failure(.header("the header line is cut off")) }
            let header = String(decoding: bytes[..<newline], as: UTF8.self)
            var values: [String: String] = [:]
            for part in header.dropFirst(magic.count).split(separator: " ") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
            }
            guard let lines = values["lines"].flatMap({ Int($0) }), let length = values["bytes"].flatMap({ Int($0) }),
                let crc = values["crc32"].flatMap({ UInt32($0, radix: 16) })
            else { return .failure(.header("unreadable header `\(header.prefix(120))`")) }
            body = bytes[(newline + 1)...]
            guard body.count == length else {
                return .failure(.length("the header says \(length) bytes, the file holds \(body.count) (cut short or appended to)"))
            }
            let actual = CRC32.checksum(body)
            guard actual == crc else {
                return .failure(.checksum("CRC-32 is \(String(actual, radix: 16)), the header says \(String(crc, radix: 16))"))
            }
            let batch = LineBatch(Array(body))
            guard batch.lineCount == lines, batch.bytes.count == body.count else {
                return .failure(.length("the header says \(lines) lines, the file holds \(batch.lineCount)"))
            }
            if let problem = firstBadLine(batch) { return .failure(problem) }
            return .success(batch)
        }
        // A file of the previous version: no header; the lines must prove themselves.
        guard !bytes.isEmpty else { return .success(LineBatch([])) }
        guard bytes.last == UInt8(ascii: "\n") else {
            return .failure(.length("no header and the last line has no newline: the file was cut short"))
        }
        let batch = LineBatch(bytes)
        if let problem = firstBadLine(batch) { return .failure(problem) }
        return .success(batch)
    }

    private static func firstBadLine(_ batch: LineBatch) -> SpoolDefect? {
        for (index, line) in batch.lines.enumerated() {
            if let problem = LineProtocolCheck.problem(in: line) { return .line(index + 1, problem) }
        }
        return nil
    }
}

/// Why a spool file is moved to the quarantine instead of being sent.
public enum SpoolDefect: Error, Sendable, Hashable, CustomStringConvertible {
    case header(String)
    case length(String)
    case checksum(String)
    /// A line (1-based) that is not a complete point.
    case line(Int, String)

    public var description: String {
        switch self {
        case .header(let text): return "bad header: \(text)"
        case .length(let text): return "wrong length: \(text)"
        case .checksum(let text): return "checksum mismatch: \(text)"
        case .line(let number, let text): return "line \(number) is not a complete line-protocol point: \(text)"
        }
    }
}
