/// A recoverable problem with one record: the reader skips the record and continues with the next one.
///
/// `line` and `column` locate the problem (1-based physical line; 1-based byte column within that line).
/// Rendered as `path:line:column: reason`.
public struct RowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why a record was rejected.
    public enum Reason: Equatable, Sendable, CustomStringConvertible {
        /// CSV: the record has `found` fields but the header has `expected`.
        case fieldCountMismatch(expected: Int, found: Int)
        /// CSV: a `"` inside an unquoted field (`field` is 1-based; `name` from the header when known).
        case quoteInUnquotedField(field: Int, name: String?)
        /// CSV: a quoted field is still open at end of input.
        case unterminatedQuote(field: Int, name: String?)
        /// CSV: something other than a delimiter or line end follows a closing quote.
        case characterAfterClosingQuote(field: Int, name: String?)
        /// CSV: a quoted field opened here runs over `lineBreaks` line breaks to a closing quote that is not
        /// followed by a delimiter or line end: most likely a stray quote paired with a quote on a later line.
        /// The error is placed at the opening quote, and reading resumes on the line after it.
        case strayQuote(field: Int, name: String?, lineBreaks: Int)
        /// JSON Lines: the line is not a valid JSON object; `message` says what was wrong.
        case invalidJSON(String)
        /// The record ran past `limit` bytes without ending (an unterminated quote, a missing line break): the
        /// reader skipped to the line after its first line feed instead of buffering the rest of the input.
        case recordTooLong(limit: Int)

        /// Human-readable reason, used after `path:line:column: `.
        public var description: String {
            func label(_ field: Int, _ name: String?) -> String {
                name.map { "field \(field) (\"\($0)\")" } ?? "field \(field)"
            }
            switch self {
            case .fieldCountMismatch(let expected, let found):
                return "expected \(expected) fields as in the header, found \(found)"
            case .quoteInUnquotedField(let field, let name):
                return "quote character inside unquoted \(label(field, name))"
            case .unterminatedQuote(let field, let name):
                return "unterminated quoted \(label(field, name)) at end of input"
            case .characterAfterClosingQuote(let field, let name):
                return "unexpected character after closing quote of \(label(field, name))"
            case .strayQuote(let field, let name, let lineBreaks):
                return "quoted \(label(field, name)) opened here runs over \(lineBreaks) line break\(lineBreaks == 1 ? "" : "s") to a "
                    + "closing quote followed by an unexpected character (a stray quote?); reading resumes on the next line"
            case .invalidJSON(let message):
                return "invalid JSON object: \(message)"
            case .recordTooLong(let limit):
                return "record longer than \(limit) bytes without ending (an unterminated quote or a missing line break?); skipped to the next line"
            }
        }
    }

    /// The input name given to the reader (e.g. a file path).
    public let source: String
    /// 1-based physical line of the problem.
    public let line: Int
    /// 1-based byte column of the problem within `line`.
    public let column: Int
    /// What was wrong.
    public let reason: Reason

    /// Creates a row error.
    public init(source: String, line: Int, column: Int, reason: Reason) {
        self.source = source
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// User-facing text: `path:line:column: reason`.
    public var description: String { "\(source):\(line):\(column): \(reason)" }
}
