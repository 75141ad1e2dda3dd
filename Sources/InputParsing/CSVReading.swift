/// Fills the projected slots from CSV fields.
struct CSVProjectionSink: CSVFieldSink {
    let columnToSlot: UnsafePointer<Int>
    /// Per header column: whether it fills a slot read as a number.
    let columnIsNumber: UnsafePointer<Bool>
    let headerCount: Int
    let slots: UnsafeMutablePointer<FieldSlot>

    @inline(__always)
    func wantsNumber(_ index: Int) -> Bool {
        index < headerCount && columnIsNumber[index]
    }

    @inline(__always)
    mutating func number(_ index: Int, start: Int, end: Int, value: Double, fractionDigits: Int) {
        slots[columnToSlot[index]] = FieldSlot(
            kind: FieldSlot.number, fractionDigits: UInt8(truncatingIfNeeded: fractionDigits), offset: start, length: end - start,
            number: value)
    }

    @inline(__always)
    mutating func field(_ index: Int, start: Int, end: Int, quoted: Bool, escaped: Bool) {
        guard index < headerCount else { return }
        let slot = columnToSlot[index]
        guard slot >= 0 else { return }
        let kind: UInt8 =
            end == start ? (quoted ? FieldSlot.empty : FieldSlot.null)
            : (escaped ? FieldSlot.textNeedsUnescape : FieldSlot.text)
        slots[slot] = FieldSlot(kind: kind, offset: start, length: end - start)
    }
}

/// Collects every field of the header row.
struct CSVHeaderSink: CSVFieldSink {
    var fields: [(start: Int, end: Int, escaped: Bool)] = []

    mutating func field(_ index: Int, start: Int, end: Int, quoted: Bool, escaped: Bool) {
        fields.append((start, end, escaped))
    }

    func wantsNumber(_ index: Int) -> Bool { false }

    mutating func number(_ index: Int, start: Int, end: Int, value: Double, fractionDigits: Int) {
        fields.append((start, end, false))
    }
}

extension RecordReader {
    /// CSV: reads the header once, then one record (or row error) per call.
    func nextCSV() throws(InputError) -> ReadEvent? {
        if header == nil {
            guard try readCSVHeader() else { return nil }
        }
        let headerCount = header?.count ?? 0
        var sink = CSVProjectionSink(columnToSlot: columnToSlot, columnIsNumber: columnIsNumber, headerCount: headerCount, slots: slots)
        let numbersAhead = delimiterAllowsNumberScan(delimiter)
        let plainRecords = readsPlainRecords
        while position < input.count {
            let recordStart = position
            let recordLine = line
            var isASCII = false
            if plainRecords && readPlainCSVRecord(headerCount: headerCount, numbersAhead: numbersAhead, sink: &sink, isASCII: &isASCII) {
                return .record(makeRecord(line: recordLine, start: recordStart, isKnownASCII: isASCII))
            }
            let outcome = scanCSVRecord(
                input.base, start: recordStart, end: input.count, finished: finished, delimiter: delimiter,
                expectedFields: headerCount, sink: &sink)
            switch outcome {
            case .needMore:
                if input.count - recordStart > maxRecordBytes {
                    return skipTooLongRecord(recordStart: recordStart, recordLine: recordLine)
                }
                return nil
            case .blankLine(let next):
                position = next
                line += 1
            case .record(let next, let fieldCount, let recordEnd, let extraFieldStart, let lineFeeds):
                // Checked here too, so that whether a record is too long does not depend on how the input was cut.
                if next - recordStart > maxRecordBytes {
                    return skipTooLongRecord(recordStart: recordStart, recordLine: recordLine)
                }
                line += lineFeeds
                position = next
                guard fieldCount == headerCount else {
                    let offset = fieldCount > headerCount ? extraFieldStart : recordEnd
                    let place = location(of: offset, recordStart: recordStart, recordLine: recordLine)
                    return .rowError(RowError(source: source, line: place.line, column: place.column,
                        reason: .fieldCountMismatch(expected: headerCount, found: fieldCount)))
                }
                unescapeCSVSlots()
                return .record(makeRecord(line: recordLine, start: recordStart))
            case .quoteInUnquotedField(let at, let field):
                guard skipToNextLine(from: at, recordStart: recordStart) else { return nil }
                return .rowError(rowError(at: at, recordStart: recordStart, recordLine: recordLine,
                    reason: .quoteInUnquotedField(field: field + 1, name: headerName(field))))
            case .characterAfterClosingQuote(let at, let field, let quoteAt):
                let lineBreaks = countLineFeeds(from: quoteAt, to: at)
                if lineBreaks > 0 {
                    // The quoted field ran over line breaks and then did not end properly: most likely a stray
                    // quote that paired with a quote on a later line. Reported at the stray quote, and reading
                    // resumes on the line after it, so the rows the "field" swallowed are still read and counted.
                    let error = rowError(at: quoteAt, recordStart: recordStart, recordLine: recordLine,
                        reason: .strayQuote(field: field + 1, name: headerName(field), lineBreaks: lineBreaks))
                    _ = skipToNextLine(from: quoteAt, recordStart: recordStart)  // a line feed follows the quote
                    return .rowError(error)
                }
                guard skipToNextLine(from: at, recordStart: recordStart) else { return nil }
                return .rowError(rowError(at: at, recordStart: recordStart, recordLine: recordLine,
                    reason: .characterAfterClosingQuote(field: field + 1, name: headerName(field))))
            case .unterminatedQuote(let at, let field):
                if input.count - recordStart > maxRecordBytes {
                    return skipTooLongRecord(recordStart: recordStart, recordLine: recordLine)
                }
                // Like the other quote errors, reading resumes on the line after the quote's, so the rows after a
                // stray quote are still read and counted rather than taken as the rest of one field.
                let error = rowError(at: at, recordStart: recordStart, recordLine: recordLine,
                    reason: .unterminatedQuote(field: field + 1, name: headerName(field)))
                _ = skipToNextLine(from: at, recordStart: recordStart)  // at the end of input: always resumes
                return .rowError(error)
            }
        }
        return nil
    }

    /// The header name of 0-based `field`, if the header has one.
    private func headerName(_ field: Int) -> String? {
        guard let header, field < header.count else { return nil }
        return header[field]
    }

    private func rowError(at offset: Int, recordStart: Int, recordLine: Int, reason: RowError.Reason) -> RowError {
        let place = location(of: offset, recordStart: recordStart, recordLine: recordLine)
        return RowError(source: source, line: place.line, column: place.column, reason: reason)
    }

    /// Replaces doubled quotes in pending slots by copying them into the scratch buffer.
    @inline(__always)
    private func unescapeCSVSlots() {
        scratch.count = 0
        for slot in 0..<uniqueColumns.count where slots[slot].kind == FieldSlot.textNeedsUnescape {
            let value = slots[slot]
            let offset = scratch.count
            scratch.reserve(value.length)
            var index = value.offset
            let end = value.offset + value.length
            while index < end {
                let byte = input.base[index]
                scratch.base[scratch.count] = byte
                scratch.count += 1
                index += byte == UInt8(ascii: "\"") ? 2 : 1
            }
            slots[slot] = FieldSlot(kind: FieldSlot.textInScratch, offset: offset, length: scratch.count - offset)
        }
    }

    /// Reads the header row and maps wanted columns; false if it is not complete yet.
    private func readCSVHeader() throws(InputError) -> Bool {
        guard position < input.count else {
            if finished { throw .missingHeader(source: source) }
            return false
        }
        var sink = CSVHeaderSink()
        let recordStart = position
        let outcome = scanCSVRecord(
            input.base, start: recordStart, end: input.count, finished: finished, delimiter: delimiter,
            expectedFields: Int.max, sink: &sink)
        func malformed(_ offset: Int, _ reason: String) -> InputError {
            let place = location(of: offset, recordStart: recordStart, recordLine: line)
            return .malformedHeader(source: source, line: place.line, column: place.column, reason: reason)
        }
        switch outcome {
        case .needMore:
            if input.count - recordStart > maxRecordBytes {
                throw malformed(recordStart, "header row longer than \(maxRecordBytes) bytes without ending (an unterminated quote or a missing line break?)")
            }
            return false
        case .blankLine:
            throw malformed(recordStart, "empty header row")
        case .quoteInUnquotedField(let at, let field):
            throw malformed(at, "quote character inside unquoted field \(field + 1)")
        case .characterAfterClosingQuote(let at, let field, _):
            throw malformed(at, "unexpected character after closing quote of field \(field + 1)")
        case .unterminatedQuote(let at, let field):
            throw malformed(at, "unterminated quoted field \(field + 1)")
        case .record(let next, _, _, _, _):
            var names: [String] = []
            names.reserveCapacity(sink.fields.count)
            for field in sink.fields {
                var bytes = Array(UnsafeBufferPointer(start: input.base + field.start, count: field.end - field.start))
                if field.escaped {
                    var unescaped: [UInt8] = []
                    var index = 0
                    while index < bytes.count {
                        unescaped.append(bytes[index])
                        index += bytes[index] == UInt8(ascii: "\"") ? 2 : 1
                    }
                    bytes = unescaped
                }
                names.append(String(decoding: bytes, as: UTF8.self))
            }
            columnToSlot.deallocate()
            columnToSlot = .allocate(capacity: max(names.count, 1))
            columnToSlot.initialize(repeating: -1, count: max(names.count, 1))
            columnIsNumber.deallocate()
            columnIsNumber = .allocate(capacity: max(names.count, 1))
            columnIsNumber.initialize(repeating: false, count: max(names.count, 1))
            for (slot, wanted) in uniqueColumns.enumerated() {
                guard let headerIndex = names.firstIndex(of: wanted) else {
                    throw .missingColumn(name: wanted, source: source, available: names)
                }
                columnToSlot[headerIndex] = slot
                columnIsNumber[headerIndex] = slotIsNumber[slot]
            }
            line += countLineFeeds(from: recordStart, to: next)
            position = next
            header = names
            return true
        }
    }
}
