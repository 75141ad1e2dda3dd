import CByteClasses

/// The classified 64-byte window of the input that the plain-record path is reading (``RecordReader``).
struct ByteClassWindow {
    /// Offset in the input of the window's first byte; -1 when no window is held.
    var base = -1
    /// Delimiters and line feeds not yet consumed (bit i: byte `base + i`).
    var separators: UInt64 = 0
    /// Quotes and carriage returns in the window (none before the next separator, while a window is held).
    var specials: UInt64 = 0
    /// Bytes outside ASCII (0x80 or more) in the window.
    var high: UInt64 = 0

    /// The window of the 64 bytes at `base`.
    @inline(__always)
    init(_ bytes: UnsafePointer<UInt8>, base: Int, delimiter: UInt8) {
        let classes = modelwatch_classify64(bytes + base, delimiter)
        self.base = base
        separators = classes.separators
        specials = classes.specials
        high = classes.high
    }

    init() {}
}

extension RecordReader {
    /// Reads the record at `position` the fast way when it is plain: no quote and no carriage return, complete
    /// in the input with room for a whole 64-byte window after its start, `headerCount` fields, and not a blank
    /// line. The fields' ends come from bit masks of the input's separators (``modelwatch_classify64``), 64 bytes
    /// at a time, instead of a search byte by byte. Fills the slots through `sink`, sets `isASCII` to whether every
    /// byte of the record is ASCII, moves `position` and `line` past the record and returns true; returns false,
    /// changing none of them, for any other record, which ``nextCSV()`` then reads the general way
    /// (``scanCSVRecord(_:start:end:finished:delimiter:expectedFields:sink:)``), whose slots and errors are the
    /// reference: for a plain record both give the same slots.
    @inline(__always)
    func readPlainCSVRecord(headerCount: Int, numbersAhead: Bool, sink: inout CSVProjectionSink, isASCII: inout Bool) -> Bool {
        let bytes = input.base
        let available = input.count
        let recordStart = position
        var window = byteClasses
        if window.base >= 0 && recordStart >= window.base && recordStart < window.base &+ 64 {
            // The window left by the previous record: its bits below this record's start are consumed already.
            let consumed = UInt64.max &<< UInt64(recordStart &- window.base)
            window.separators &= consumed
            window.specials &= consumed
        } else {
            guard recordStart &+ 64 <= available else { return false }
            window = ByteClassWindow(bytes, base: recordStart, delimiter: delimiter)
        }
        var field = 0
        var fieldStart = recordStart
        // The record's bytes outside ASCII in the windows left behind, and the current window's bits from here on
        // (the record's start in the first window, its first byte in the others).
        var highBehind: UInt64 = 0
        var recordBits = UInt64.max &<< UInt64(recordStart &- window.base)
        while true {
            if window.separators == 0 {
                // A quote or carriage return in the rest of the window lies in the field being read.
                guard window.specials == 0, window.base &+ 128 <= available else { return abandonPlainRecord() }
                highBehind |= window.high & recordBits
                recordBits = UInt64.max
                window = ByteClassWindow(bytes, base: window.base &+ 64, delimiter: delimiter)
                continue
            }
            let bit = window.separators.trailingZeroBitCount
            guard window.specials & ((1 &<< UInt64(bit)) &- 1) == 0, field < headerCount else { return abandonPlainRecord() }
            window.separators &= window.separators &- 1
            let fieldEnd = window.base &+ bit
            // The general scanner's sink fills the slot, as it does for the same unquoted field.
            if numbersAhead && fieldEnd > fieldStart && sink.wantsNumber(field),
               let number = scanPlainDecimal(bytes, from: fieldStart, end: available), number.end == fieldEnd {
                sink.number(field, start: fieldStart, end: fieldEnd, value: number.value, fractionDigits: number.fractionDigits)
            } else {
                sink.field(field, start: fieldStart, end: fieldEnd, quoted: false, escaped: false)
            }
            field &+= 1
            if bytes[fieldEnd] == 0x0A {
                let next = fieldEnd &+ 1
                guard field == headerCount, fieldEnd > recordStart, next &- recordStart <= maxRecordBytes else {
                    return abandonPlainRecord()
                }
                position = next
                line &+= 1
                plainRecordsRead &+= 1
                byteClasses = window
                // Bits past the line feed (bit `bit`) are the next record's.
                isASCII = highBehind | (window.high & recordBits & ~((UInt64.max &<< UInt64(bit)) &<< 1)) == 0
                return true
            }
            fieldStart = fieldEnd &+ 1
        }
    }

    /// Leaves the record to the general scanner (and forgets the window, which it does not keep up to date).
    @inline(__always)
    private func abandonPlainRecord() -> Bool {
        byteClasses = ByteClassWindow()
        return false
    }
}
