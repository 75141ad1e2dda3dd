import Glibc

/// Append-only file of rejected lines. Each entry is a `#` comment with the time and the server's
/// message, then the rejected lines, so the file is itself valid line protocol once the lines are fixed.
struct DeadLetter {
    let path: String

    func append(_ batch: LineBatch, reason: String, wallClockMilliseconds: Int64) throws(PosixFile.Failure) {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try PosixFile.createDirectories(String(path[..<slash]))
        }
        let oneLineReason = reason.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " | ")
        var entry = Array("# rejected at epoch_ms=\(wallClockMilliseconds) points=\(batch.lineCount): \(oneLineReason)\n".utf8)
        entry += batch.bytes
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PosixFile.Failure(operation: "open", path: path, errnoValue: errno) }
        defer { close(fd) }
        try PosixFile.writeAll(fd: fd, entry, path: path)
        guard fsync(fd) == 0 else { throw PosixFile.Failure(operation: "fsync", path: path, errnoValue: errno) }
    }
}
