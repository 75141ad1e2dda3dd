extension RecordReader {
    /// JSON Lines: one object (or row error) per call; blank lines are skipped.
    func nextJSONLine() -> ReadEvent? {
        while position < input.count {
            let base = input.base
            let count = input.count
            let cursor = firstIndex(of: 0x0A, in: base, from: max(position, lineScanFrom), end: count)
            let lineEnd: Int
            let next: Int
            if cursor - position >= maxRecordBytes {
                // Longer than the limit with its line feed (or without one yet): whether it ended in the input
                // seen so far does not matter, so the outcome does not depend on how the input was cut.
                return skipTooLongRecord(recordStart: position, recordLine: line)
            } else if cursor < count {
                lineEnd = cursor
                next = cursor + 1
            } else if finished {
                lineEnd = count
                next = count
            } else {
                lineScanFrom = count
                return nil
            }
            let lineStart = position
            let recordLine = line
            position = next
            lineScanFrom = next
            line += 1
            for slot in 0..<uniqueColumns.count {
                slots[slot] = FieldSlot(kind: FieldSlot.null, offset: 0, length: 0)
            }
            var parser = JSONLineParser(
                bytes: base, end: lineEnd, index: lineStart, slots: slots, slotCount: uniqueColumns.count,
                nameBytes: nameBytes.base, nameOffsets: nameOffsets, nameLengths: nameLengths)
            do throws(JSONFailure) {
                guard try parser.parseLine() else { continue }
            } catch {
                return .rowError(RowError(source: source, line: recordLine, column: error.offset - lineStart + 1,
                    reason: .invalidJSON(error.message)))
            }
            unescapeJSONSlots()
            return .record(makeRecord(line: recordLine, start: lineStart))
        }
        return nil
    }

    /// Copies escaped string values, unescaped, into the scratch buffer.
    @inline(__always)
    private func unescapeJSONSlots() {
        scratch.count = 0
        for slot in 0..<uniqueColumns.count where slots[slot].kind == FieldSlot.jsonNeedsUnescape {
            let value = slots[slot]
            let offset = scratch.count
            appendUnescapedJSONString(input.base + value.offset, value.length) { scratch.append($0) }
            slots[slot] = FieldSlot(kind: FieldSlot.textInScratch, offset: offset, length: scratch.count - offset)
        }
    }
}
