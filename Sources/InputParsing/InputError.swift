/// A fatal problem with an input as a whole (the reader cannot go on); rendered as `path:line:column: reason`.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A wanted column is not in the CSV header; `available` lists the header's columns.
    case missingColumn(name: String, source: String, available: [String])
    /// The CSV input ended before a header row was seen.
    case missingHeader(source: String)
    /// The CSV header row itself is malformed (e.g. an unterminated quote).
    case malformedHeader(source: String, line: Int, column: Int, reason: String)

    /// User-facing text: `path:line:column: reason`.
    public var description: String {
        switch self {
        case .missingColumn(let name, let source, let available):
            "\(source):1:1: missing column \"\(name)\" in header (columns: \(available.joined(separator: ", ")))"
        case .missingHeader(let source):
            "\(source):1:1: no header row (empty input)"
        case .malformedHeader(let source, let line, let column, let reason):
            "\(source):\(line):\(column): malformed header: \(reason)"
        }
    }
}
