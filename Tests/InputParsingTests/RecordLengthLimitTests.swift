import InputParsing
import Testing

@Suite("Record length limit: a runaway record is a row error, not the rest of the input in memory")
struct RecordLengthLimitTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        var format: InputFormat = .csv()
        let columns: [String]
        let limit: Int
        let expected: [Item]
        var testDescription: String { name }
    }

    static func tooLong(_ line: Int, _ limit: Int) -> Item { .error(line: line, column: 1, reason: .recordTooLong(limit: limit)) }

    static let cases: [Case] = [
        Case(name: "CSV: an unterminated quote is given up at the limit and reading resumes on the next line",
            input: "id,text\n1,ok\n2,\"never closed\n3,x\n4,y\n5,zzzzzzzzzzzzzzzz\n6,w\n", columns: ["text"], limit: 32,
            expected: [
                .record(line: 2, values: ["ok"]), tooLong(3, 32), .record(line: 4, values: ["x"]),
                .record(line: 5, values: ["y"]), .record(line: 6, values: ["zzzzzzzzzzzzzzzz"]), .record(line: 7, values: ["w"]),
            ]),
        Case(name: "CSV: a line longer than the limit is skipped whole",
            input: "a\n" + String(repeating: "x", count: 40) + "\n1\n", columns: ["a"], limit: 16,
            expected: [tooLong(2, 16), .record(line: 3, values: ["1"])]),
        Case(name: "CSV: a record of exactly the limit, line feed included, is kept",
            input: "a\n" + String(repeating: "x", count: 15) + "\n1\n", columns: ["a"], limit: 16,
            expected: [.record(line: 2, values: [.text(String(repeating: "x", count: 15))]), .record(line: 3, values: ["1"])]),
        Case(name: "CSV: one byte more is too long",
            input: "a\n" + String(repeating: "x", count: 16) + "\n1\n", columns: ["a"], limit: 16,
            expected: [tooLong(2, 16), .record(line: 3, values: ["1"])]),
        Case(name: "CSV: a complete quoted record over the limit resumes after its first line feed",
            input: "id,text\n1,\"ab\ncd\"\n2,e\n", columns: ["text"], limit: 8,
            expected: [
                tooLong(2, 8), .error(line: 3, column: 3, reason: .quoteInUnquotedField(field: 1, name: "id")),
                .record(line: 4, values: ["e"]),
            ]),
        Case(name: "CSV: an unterminated quote over the limit at the end of input is too long, not swallowed",
            input: "id,text\n1,\"open\n2,b\n3,c\n", columns: ["text"], limit: 8,
            expected: [tooLong(2, 8), .record(line: 3, values: ["b"]), .record(line: 4, values: ["c"])]),
        Case(name: "CSV: the last line without a line feed over the limit",
            input: "a\n1\n" + String(repeating: "y", count: 20), columns: ["a"], limit: 16,
            expected: [.record(line: 2, values: ["1"]), tooLong(3, 16)]),
        Case(name: "JSON Lines: a line longer than the limit is skipped",
            input: "{\"a\": 1}\n{\"a\": \"" + String(repeating: "x", count: 30) + "\"}\n{\"a\": 2}\n", format: .jsonLines,
            columns: ["a"], limit: 20,
            expected: [.record(line: 1, values: ["1"]), tooLong(2, 20), .record(line: 3, values: ["2"])]),
        Case(name: "JSON Lines: a line of exactly the limit, line feed included, is kept",
            input: "{\"a\": \"xxxxxxxxx\"}\n{\"a\": 2}\n", format: .jsonLines, columns: ["a"], limit: 19,
            expected: [.record(line: 1, values: ["xxxxxxxxx"]), .record(line: 2, values: ["2"])]),
        Case(name: "JSON Lines: a last line without a line feed over the limit",
            input: "{\"a\": 1}\n{\"a\": \"" + String(repeating: "x", count: 30) + "\"}", format: .jsonLines, columns: ["a"],
            limit: 20, expected: [.record(line: 1, values: ["1"]), tooLong(2, 20)]),
    ]

    @Test("records past the limit are row errors at their first line; the next line is read", arguments: cases)
    func limitApplies(item: Case) throws {
        #expect(try readAll(item.input, format: item.format, columns: item.columns, maxRecordBytes: item.limit) == item.expected)
    }

    @Test("the outcome does not depend on how the input is cut: every single split and one byte at a time", arguments: cases)
    func independentOfCuts(item: Case) throws {
        let bytes = Array(item.input.utf8)
        for split in 0...bytes.count {
            let items = try readAll(bytes, format: item.format, columns: item.columns, splits: [split], maxRecordBytes: item.limit)
            #expect(items == item.expected, "split at byte \(split)")
        }
        let byteByByte = try readAll(bytes, format: item.format, columns: item.columns, splits: Array(0...bytes.count), maxRecordBytes: item.limit)
        #expect(byteByByte == item.expected)
    }

    @Test("a runaway quote is reported as soon as it passes the limit, long before the end of input", arguments: [
        InputFormat.csv(), .jsonLines,
    ])
    func reportedBeforeEndOfInput(format: InputFormat) throws {
        let limit = 1 << 16
        let reader = RecordReader(format: format, columns: ["a"], source: "big", maxRecordBytes: limit)
        let start: [UInt8] = Array((format == .jsonLines ? "{\"a\": \"" : "a\n\"").utf8)
        var events: [ReadEvent] = []
        func drain() throws(InputError) { while let event = try reader.next() { events.append(event) } }
        reader.feed(start)
        try drain()
        // 16 MiB of the same open field, fed in 64 KiB pieces: the error arrives after the second piece.
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 16)
        var fed = 0
        while events.isEmpty && fed < 16 << 20 {
            reader.feed(piece)
            fed += piece.count
            try drain()
        }
        #expect(fed <= 2 * limit, "gave up after \(fed) bytes")
        guard case .rowError(let error) = try #require(events.first) else { Issue.record("\(events)"); return }
        #expect(error.reason == .recordTooLong(limit: limit))
        #expect(error.description == "big:\(format == .jsonLines ? 1 : 2):1: record longer than 65536 bytes without ending (an unterminated quote or a missing line break?); skipped to the next line")
        // The rest of the runaway line is dropped as it arrives; the line after it is read.
        for _ in 0..<4 { reader.feed(piece); try drain() }
        reader.feed(Array((format == .jsonLines ? "\n{\"a\": 7}\n" : "\n7\n").utf8))
        reader.finish()
        try drain()
        #expect(events.count == 2)
        guard case .record(let record) = try #require(events.last) else { Issue.record("\(events)"); return }
        #expect(record.string(0) == "7" && record.line == (format == .jsonLines ? 2 : 3))
    }

    @Test("a CSV header row past the limit is a malformed header naming the file, line and column")
    func headerTooLong() {
        #expect(throws: InputError.malformedHeader(source: "test.csv", line: 1, column: 1,
            reason: "header row longer than 8 bytes without ending (an unterminated quote or a missing line break?)")) {
            _ = try readAll("\"id,text\n1,2\n", columns: ["id"], maxRecordBytes: 8)
        }
    }
}
