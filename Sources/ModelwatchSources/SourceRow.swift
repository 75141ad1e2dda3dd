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
    /// Where the value of `column` starts in a file (line, 1-based byte column), when known.
    func position(of column: Int) -> (line: Int, column: Int)?
    /// True when every byte of the row is known to be ASCII, so no value needs a UTF-8 check (``Record/isKnownASCII``).
    var isKnownASCII: Bool { get }
    /// For a value the source read as a plain decimal (``Record/plainDecimal(_:)``): the value and `f` such that
    /// it is the double nearest to an integer divided by `10^f`; nil otherwise.
    func plainDecimal(_ column: Int) -> (value: Double, fractionDigits: Int)?
}

extension Record: SourceRow {}

extension SourceRow {
    /// ``kind(_:)`` and ``double(_:)``; file records answer both with one lookup.
    public func number(_ column: Int) -> (kind: FieldKind, value: Double?) {
        let kind = kind(column)
        return (kind, kind == .text ? double(column) : nil)
    }

    /// Unknown: a database row has no file position.
    public func position(of column: Int) -> (line: Int, column: Int)? { nil }

    /// Unknown unless the source knows it.
    public var isKnownASCII: Bool { false }

    /// Unknown unless the source read the value as a decimal.
    public func plainDecimal(_ column: Int) -> (value: Double, fractionDigits: Int)? { nil }

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
    /// Why the time in `column` (named `name`) was rejected: a missing declaration of the source at `key`
    /// (`timestamp_unit` for an epoch number, `timezone` for a time without a zone), or not a timestamp at all.
    func timestampRejection(_ column: Int, name: String, unit: TimestampUnit, key: String) -> String {
        let value = describeValue(column)
        switch valueBytes(column, { unit.undeclared($0) }) {
        case .epochUnit?:
            return "column \"\(name)\": \(value) is an epoch number, and `\(key).timestamp_unit` is not set: "
                + "declare `seconds` or `milliseconds` to read epoch numbers"
        case .timeZone?:
            return "column \"\(name)\": \(value) has no time zone, and `\(key).timezone` is not set: "
                + "declare the zone it was written in (UTC or an offset such as +02:00)"
        case nil:
            return "column \"\(name)\": \(value) is not a timestamp (RFC 3339 with a zone, or an epoch number with `timestamp_unit`)"
        }
    }

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
