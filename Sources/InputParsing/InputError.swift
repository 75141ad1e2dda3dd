/// A fatal problem with an input as a whole (the reader cannot go on); rendered as `path:line:column: reason`.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A wanted column is not in the CSV header; `available` lists the header's columns.
    case missingColumn(name: String, source: String, available: [String])
    /// The CSV input ended before a header row was seen.
    case missingHeader(source: String)
    /// The CSV header row itself is malformed (e.g. an unterminated quote).
    case malformedHeader(source: String, line: Int, column: Int, reason: String)
    /// The first line holds a carriage return not followed by a line feed: the input ends its lines with CR
    /// alone (classic Mac OS), so it would read as one line.
    case crOnlyLineEndings(source: String, column: Int)

    /// User-facing text: `path:line:column: reason`.
    public var description: String {
        switch self {
        case .missingColumn(let name, let source, let available):
            "\(source):1:1: missing column \"\(name)\" in header (columns: \(available.joined(separator: ", ")))"
        case .missingHeader(let source):
            "\(source):1:1: no header row (empty input)"
        case .malformedHeader(let source, let line, let column, let reason):
            "\(source):\(line):\(column): malformed header: \(reason)"
        case .crOnlyLineEndings(let source, let column):
            "\(source):1:\(column): the file has CR-only line endings (classic Mac): a carriage return ends the first line "
                + "without a line feed, so the whole file would read as one line; convert the line endings to LF, e.g. "
                + "`tr '\\r' '\\n' < FILE > FILE.new` or `mac2unix FILE`"
        }
    }
}
