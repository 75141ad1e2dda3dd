extension RecordReader {
    /// How far into a first line without a line feed the check looks for a bare carriage return.
    static let lineEndingScanLimit = 1 << 16

    /// Checks the first line once: a carriage return in it that is not followed by a line feed means the input
    /// ends its lines with CR alone (classic Mac OS), which would read as a single line, and is reported as such
    /// instead of as a missing column or one giant bad row. False while too little input is available to tell.
    func checkLineEndings() throws(InputError) -> Bool {
        let base = input.base
        let available = input.count - position
        let lineFeed = firstIndex(of: 0x0A, in: base, from: position, end: input.count)
        let foundLineFeed = lineFeed < input.count
        if !foundLineFeed && !finished && available < Self.lineEndingScanLimit { return false }
        let end = foundLineFeed ? lineFeed : min(input.count, position + Self.lineEndingScanLimit)
        var index = firstIndex(of: 0x0D, in: base, from: position, end: end)
        while index < end {
            // A CR right before the line feed (or at the very end of the input) is an ordinary line ending.
            if index + 1 == input.count {
                // The byte after it has not arrived yet (or the input ends with it).
                if !finished { return false }
                break
            }
            if base[index + 1] != 0x0A {
                throw .crOnlyLineEndings(source: source, column: index - position + 1)
            }
            index = firstIndex(of: 0x0D, in: base, from: index + 1, end: end)
        }
        lineEndingsChecked = true
        return true
    }
}
