import InputParsing

/// One row of any source (a file record, a database row), with its projected columns in request order.
///
/// The reader parses scores and labels through this protocol, so every source shares the same validation,
/// missing-value rules and join.
public protocol SourceRow {
    /// Position for messages: the line in a file, the row number of a query.
    var line: Int { get }
    func kind(_ column: Int) -> FieldKind
    func string(_ column: Int) -> String?
    func double(_ column: Int) -> Double?
    func timestamp(_ column: Int, unit: TimestampUnit) -> Int64?
    func label(_ column: Int) -> Bool?
    /// Calls `body` with the value's UTF-8 bytes (empty for null and empty values).
    func valueBytes<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R
    /// The kind and, for text, the numeric value (nil when not a number).
    func number(_ column: Int) -> (kind: FieldKind, value: Double?)
}

extension Record: SourceRow {}

extension SourceRow {
    /// ``kind(_:)`` and ``double(_:)``; file records answer both with one lookup.
    public func number(_ column: Int) -> (kind: FieldKind, value: Double?) {
        let kind = kind(column)
        return (kind, kind == .text ? double(column) : nil)
    }

    /// Calls `body` with the value's UTF-8 bytes (empty for null). Sources that hold bytes override this to
    /// avoid creating a String per cell.
    public func valueBytes<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        (string(column) ?? "").withBytes(body)
    }
}

extension Record {
    /// The zero-copy form of ``SourceRow/valueBytes(_:_:)``.
    @inline(__always)
    public func valueBytes<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        withBytes(column, body)
    }
}

extension SourceRow {
    /// A short, quoted rendering of a bad value for error messages.
    func describeValue(_ column: Int) -> String {
        switch kind(column) {
        case .null: return "a missing value"
        case .empty: return "an empty value"
        case .text:
            let text = string(column) ?? ""
            return "\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        }
    }
}
