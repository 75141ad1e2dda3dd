/// One projected record: for each column the reader was asked for (in that order), a value.
///
/// A `Record` points into the reader's buffers: it is valid only until the next call on its `RecordReader`
/// (`next`, `feed` or `finish`). Extract what you need (numbers, strings) before reading on.
public struct Record {
    /// 1-based physical line where the record starts (counts lines inside quoted CSV fields).
    public let line: Int
    /// Number of projected columns (the reader's `columns.count`).
    public let count: Int
    @usableFromInline let slots: UnsafePointer<FieldSlot>
    @usableFromInline let slotIndex: UnsafePointer<Int>
    @usableFromInline let input: UnsafePointer<UInt8>
    @usableFromInline let scratch: UnsafePointer<UInt8>
    /// Offset of the record's first byte in `input`.
    let start: Int
    /// True when every byte of the record is known to be ASCII (so every value is valid UTF-8); false when
    /// unknown. The plain-record path knows it from its byte classes; other paths leave it false.
    public let isKnownASCII: Bool

    @inlinable @inline(__always)
    func slot(_ column: Int) -> FieldSlot {
        precondition(column >= 0 && column < count, "column index out of range")
        return slots[slotIndex[column]]
    }

    /// The kind of value in projected column `column` (0-based index into the reader's `columns`).
    @inlinable @inline(__always)
    public func kind(_ column: Int) -> FieldKind {
        FieldKind(rawValue: min(slot(column).kind, FieldSlot.text))!
    }

    /// Calls `body` with the value's bytes (unescaped; empty for `null` and `empty`). Do not let them escape.
    @inlinable @inline(__always)
    public func withBytes<Result, Failure: Error>(
        _ column: Int, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let slot = slot(column)
        let base = slot.kind == FieldSlot.textInScratch ? scratch : input
        return try body(UnsafeRawBufferPointer(start: base + slot.offset, count: slot.length))
    }

    /// The value as a String (invalid UTF-8 is repaired); nil for `null`, "" for `empty`.
    public func string(_ column: Int) -> String? {
        if kind(column) == .null { return nil }
        return withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    /// The value's bytes copied into an array; nil for `null`.
    public func bytes(_ column: Int) -> [UInt8]? {
        if kind(column) == .null { return nil }
        return withBytes(column) { Array($0) }
    }

    /// The value parsed with `parseDouble`; nil for `null`, `empty` or non-numeric text.
    @inline(__always)
    public func double(_ column: Int) -> Double? {
        number(column).value
    }

    /// The kind of column `column` and, for text, the value parsed with `parseDouble` (nil when it is not a
    /// number): ``kind(_:)`` and ``double(_:)`` in one lookup, for the per-cell hot path.
    @inlinable @inline(__always)
    public func number(_ column: Int) -> (kind: FieldKind, value: Double?) {
        let slot = slot(column)
        if slot.kind == FieldSlot.number { return (.text, slot.number) }
        let kind = FieldKind(rawValue: min(slot.kind, FieldSlot.text))!
        guard kind == .text else { return (kind, nil) }
        let base = slot.kind == FieldSlot.textInScratch ? scratch : input
        return (kind, parseDouble(UnsafeRawBufferPointer(start: base + slot.offset, count: slot.length)))
    }

    /// For a value the scanner read as a plain decimal (``RecordReader/init(format:columns:source:startLine:numberColumns:maxRecordBytes:)``'s
    /// `numberColumns`): `f` such that ``number(_:)``'s value is the double nearest to an integer divided by
    /// `10^f` (`12.50`: 2, `1.5e-4`: 5, `7`: 0); nil when unknown. Lets a store keep the value as a decimal code
    /// without checking that the code gives the value back.
    @inlinable @inline(__always)
    public func fractionDigits(_ column: Int) -> Int? {
        let slot = slot(column)
        return slot.kind == FieldSlot.number ? Int(slot.fractionDigits) : nil
    }

    /// For a value the scanner read as a plain decimal: the value (finite) and ``fractionDigits(_:)``, in one
    /// lookup; nil for any other value, which ``number(_:)`` reads.
    @inlinable @inline(__always)
    public func plainDecimal(_ column: Int) -> (value: Double, fractionDigits: Int)? {
        let slot = slot(column)
        return slot.kind == FieldSlot.number ? (slot.number, Int(slot.fractionDigits)) : nil
    }

    /// The value parsed with `parseTimestamp` as epoch milliseconds; nil for `null`, `empty` or invalid text.
    @inline(__always)
    public func timestamp(_ column: Int, unit: TimestampUnit = .auto) -> Int64? {
        withBytes(column) { parseTimestamp($0, unit: unit) }
    }

    /// The physical line and 1-based byte column where the value of `column` starts, for messages; nil for a
    /// value that was unescaped (a quoted CSV field with doubled quotes, a JSON string with escapes), whose bytes
    /// are no longer those of the input. Off the hot path.
    public func position(of column: Int) -> (line: Int, column: Int)? {
        let slot = slot(column)
        guard slot.kind != FieldSlot.textInScratch, slot.kind != FieldSlot.null, slot.offset >= start else { return nil }
        var line = self.line
        var lineStart = start
        for offset in start..<slot.offset where input[offset] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        return (line, slot.offset - lineStart + 1)
    }

    /// The value parsed with `parseLabel`; nil for `null`, `empty` or unrecognised text.
    @inline(__always)
    public func label(_ column: Int) -> Bool? {
        withBytes(column) { parseLabel($0) }
    }
}
