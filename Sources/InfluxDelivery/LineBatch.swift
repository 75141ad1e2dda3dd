/// A run of complete, newline-terminated line-protocol lines: the unit that is sent, spooled or dead-lettered.
public struct LineBatch: Sendable, Hashable {
    /// The raw bytes; every line ends with `\n`.
    public private(set) var bytes: [UInt8]
    /// Number of lines (points).
    public private(set) var lineCount: Int

    /// Wraps `bytes`, adding a final newline if missing and dropping empty lines.
    public init(_ bytes: [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1)
        var count = 0
        var lineStart = true
        for b in bytes {
            if b == UInt8(ascii: "\n") {
                if !lineStart { out.append(b); count += 1 }
                lineStart = true
            } else if b == UInt8(ascii: "\r") && lineStart {
                continue
            } else {
                out.append(b)
                lineStart = false
            }
        }
        if !lineStart { out.append(UInt8(ascii: "\n")); count += 1 }
        self.bytes = out
        self.lineCount = count
    }

    private init(trusted bytes: [UInt8], lineCount: Int) {
        self.bytes = bytes
        self.lineCount = lineCount
    }

    public var isEmpty: Bool { lineCount == 0 }

    /// The lines without their newlines.
    public var lines: [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
    }

    /// Splits into consecutive batches of at most `maxLines` lines and `maxBytes` bytes (a single
    /// line longer than `maxBytes` gets a batch of its own). Order is preserved.
    public func split(maxLines: Int, maxBytes: Int) -> [LineBatch] {
        var result: [LineBatch] = []
        var current: [UInt8] = []
        var currentLines = 0
        for line in lines {
            let size = line.count + 1
            if currentLines > 0 && (currentLines >= maxLines || current.count + size > maxBytes) {
                result.append(LineBatch(trusted: current, lineCount: currentLines))
                current = []
                currentLines = 0
            }
            current.append(contentsOf: line)
            current.append(UInt8(ascii: "\n"))
            currentLines += 1
        }
        if currentLines > 0 { result.append(LineBatch(trusted: current, lineCount: currentLines)) }
        return result
    }

    /// The first and second half by line count (for 413). Requires at least two lines.
    public func halves() -> (LineBatch, LineBatch) {
        precondition(lineCount >= 2)
        let all = lines
        let mid = all.count / 2
        return (Self.joined(all[..<mid]), Self.joined(all[mid...]))
    }

    /// The lines in `lines` order, re-joined.
    static func joined<C: Collection>(_ lines: C) -> LineBatch where C.Element == ArraySlice<UInt8> {
        var out: [UInt8] = []
        for line in lines {
            out.append(contentsOf: line)
            out.append(UInt8(ascii: "\n"))
        }
        return LineBatch(trusted: out, lineCount: lines.count)
    }

    /// Concatenation, order preserved.
    static func + (lhs: LineBatch, rhs: LineBatch) -> LineBatch {
        LineBatch(trusted: lhs.bytes + rhs.bytes, lineCount: lhs.lineCount + rhs.lineCount)
    }
}
