import CLibPQ
import InputParsing

/// One row of a streamed query, with its columns in the order of the query's select list.
///
/// Points into libpq's result buffer: valid only during the `onRow` call that received it. Values are
/// the server's text output (UTC, ISO dates) and are parsed with the same parsers as file records, so a
/// database source and a CSV file of the same data read identically:
/// SQL NULL is `.null`, `''` is `.empty`, anything else `.text`; `t`/`f` parse as labels;
/// `2026-11-20 13:05:02.123+00` parses as a timestamp; `NaN`, `Infinity` as doubles.
public struct PostgresRow {
    /// The 1-based row number within the query (for messages).
    public let line: Int
    /// Number of columns.
    public let count: Int
    private let result: OpaquePointer
    private let row: Int32

    init(result: OpaquePointer?, row: Int32, columns: Int32, number: Int) {
        self.result = result!
        self.row = row
        self.count = Int(columns)
        self.line = number
    }

    @inline(__always)
    private func withBytes<Result>(_ column: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        precondition(column >= 0 && column < count, "column index out of range")
        let length = Int(PQgetlength(result, row, Int32(column)))
        let value = PQgetvalue(result, row, Int32(column))
        return body(UnsafeRawBufferPointer(start: value.map { UnsafeRawPointer($0) }, count: length))
    }

    /// Calls `body` with the value's UTF-8 bytes in libpq's buffer (empty for NULL and ''), without copying.
    @inline(__always)
    public func valueBytes<Result>(_ column: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withBytes(column, body)
    }

    /// `.null` for SQL NULL, `.empty` for the empty string, `.text` otherwise.
    public func kind(_ column: Int) -> FieldKind {
        precondition(column >= 0 && column < count, "column index out of range")
        if PQgetisnull(result, row, Int32(column)) == 1 { return .null }
        return PQgetlength(result, row, Int32(column)) == 0 ? .empty : .text
    }

    /// The value as text; nil for NULL.
    public func string(_ column: Int) -> String? {
        if kind(column) == .null { return nil }
        return withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    /// The value parsed with `parseDouble`; nil for NULL, empty or non-numeric text.
    public func double(_ column: Int) -> Double? {
        withBytes(column) { parseDouble($0) }
    }

    /// The value parsed with `parseTimestamp` as epoch milliseconds.
    public func timestamp(_ column: Int, unit: TimestampUnit) -> Int64? {
        withBytes(column) { parseTimestamp($0, unit: unit) }
    }

    /// The value parsed with `parseLabel` (`0`/`1`, `t`/`f`, `true`/`false`).
    public func label(_ column: Int) -> Bool? {
        withBytes(column) { parseLabel($0) }
    }
}
