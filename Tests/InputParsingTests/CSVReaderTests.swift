import InputParsing
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let columns: [String]
        let expected: [Item]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "projects wanted columns in the requested order",
            input: "a,b,c\n1,2,3\n4,5,6\n", columns: ["c", "a"],
            expected: [.record(line: 2, values: ["3", "1"]), .record(line: 3, values: ["6", "4"])]),
        Case(name: "embedded delimiters inside quotes",
            input: "id,text\n1,\"x, y, z\"\n", columns: ["text", "id"],
            expected: [.record(line: 2, values: ["x, y, z", "1"])]),
        Case(name: "doubled quotes unescape to one quote",
            input: "id,text\n1,\"say \"\"hi\"\"\"\n2,\"\"\"\"\n", columns: ["text"],
            expected: [.record(line: 2, values: ["say \"hi\""]), .record(line: 3, values: ["\""])]),
        Case(name: "CRLF line endings are stripped",
            input: "a,b\r\n1,2\r\n\"3\",\"\"\r\n", columns: ["a", "b"],
            expected: [.record(line: 2, values: ["1", "2"]), .record(line: 3, values: ["3", ""])]),
        Case(name: "newlines inside quotes keep later line numbers right",
            input: "id,text\n1,\"line one\nline two\r\nline three\"\n2,plain\n", columns: ["id", "text"],
            expected: [
                .record(line: 2, values: ["1", "line one\nline two\r\nline three"]),
                .record(line: 5, values: ["2", "plain"]),
            ]),
        Case(name: "UTF-8 byte order mark before the header is skipped",
            input: "\u{FEFF}score,label\n0.5,1\n", columns: ["score", "label"],
            expected: [.record(line: 2, values: ["0.5", "1"])]),
        Case(name: "last line without a newline is a record",
            input: "a,b\n1,2\n3,4", columns: ["b"],
            expected: [.record(line: 2, values: ["2"]), .record(line: 3, values: ["4"])]),
        Case(name: "unquoted empty is null, quoted empty is empty",
            input: "a,b,c\n,\"\",x\n1,,\n", columns: ["a", "b", "c"],
            expected: [.record(line: 2, values: [nil, "", "x"]), .record(line: 3, values: ["1", nil, nil])]),
        Case(name: "too few and too many fields are row errors and reading continues",
            input: "a,b,c\n1,2\n1,2,3,4\n5,6,7\n", columns: ["a"],
            expected: [
                .error(line: 2, column: 4, reason: .fieldCountMismatch(expected: 3, found: 2)),
                .error(line: 3, column: 7, reason: .fieldCountMismatch(expected: 3, found: 4)),
                .record(line: 4, values: ["5"]),
            ]),
        Case(name: "quote in the middle of an unquoted field names the column",
            input: "id,score\n1,0\"5\n2,0.7\n", columns: ["score"],
            expected: [
                .error(line: 2, column: 4, reason: .quoteInUnquotedField(field: 2, name: "score")),
                .record(line: 3, values: ["0.7"]),
            ]),
        Case(name: "character after a closing quote is a row error",
            input: "id,score\n1,\"0.5\"x\n2,0.7\n", columns: ["score"],
            expected: [
                .error(line: 2, column: 8, reason: .characterAfterClosingQuote(field: 2, name: "score")),
                .record(line: 3, values: ["0.7"]),
            ]),
        Case(name: "a stray quote that pairs with a later line's quote is reported where it opens, and the lines it swallowed are still read",
            input: "id,text\n1,\"stray\n2,x\n3,y\n4,\"a,b\"\n5,z\n", columns: ["id", "text"],
            expected: [
                .error(line: 2, column: 3, reason: .strayQuote(field: 2, name: "text", lineBreaks: 3)),
                .record(line: 3, values: ["2", "x"]),
                .record(line: 4, values: ["3", "y"]),
                .record(line: 5, values: ["4", "a,b"]),
                .record(line: 6, values: ["5", "z"]),
            ]),
        Case(name: "a quoted field over several lines that ends badly is reported at its opening quote",
            input: "id,text\n1,\"two\nlines\"x\n2,y\n", columns: ["text"],
            expected: [
                .error(line: 2, column: 3, reason: .strayQuote(field: 2, name: "text", lineBreaks: 1)),
                .error(line: 3, column: 6, reason: .quoteInUnquotedField(field: 1, name: "id")),
                .record(line: 4, values: ["y"]),
            ]),
        Case(name: "unterminated quote at end of input is a row error, and the lines after it are still read",
            input: "id,text\n1,ok\n2,\"never closed\n3,x\n4,y\n", columns: ["text"],
            expected: [
                .record(line: 2, values: ["ok"]),
                .error(line: 3, column: 3, reason: .unterminatedQuote(field: 2, name: "text")),
                .record(line: 4, values: ["x"]),
                .record(line: 5, values: ["y"]),
            ]),
        Case(name: "blank lines are skipped but counted",
            input: "a\n1\n\n\r\n2\n\n", columns: ["a"],
            expected: [.record(line: 2, values: ["1"]), .record(line: 5, values: ["2"])]),
        Case(name: "trailing delimiter at end of input yields a null last field",
            input: "a,b\n1,", columns: ["b"],
            expected: [.record(line: 2, values: [nil])]),
        Case(name: "quoted header names and duplicate wanted columns",
            input: "\"my \"\"id\"\"\",b\n1,2\n", columns: ["my \"id\"", "b", "my \"id\""],
            expected: [.record(line: 2, values: ["1", "2", "1"])]),
        Case(name: "no wanted columns still validates rows",
            input: "a,b\n1,2\n3\n", columns: [],
            expected: [
                .record(line: 2, values: []),
                .error(line: 3, column: 2, reason: .fieldCountMismatch(expected: 2, found: 1)),
            ]),
        Case(name: "header only yields nothing",
            input: "a,b\n", columns: ["a"], expected: []),
    ]

    @Test("RFC 4180 behaviour", arguments: cases)
    func rfc4180(testCase: Case) throws {
        #expect(try readAll(testCase.input, columns: testCase.columns) == testCase.expected)
    }

    @Test("tab delimiter")
    func tabDelimited() throws {
        let items = try readAll("a\tb\n1,5\t2\n", format: .csv(delimiter: UInt8(ascii: "\t")), columns: ["a", "b"])
        #expect(items == [.record(line: 2, values: ["1,5", "2"])])
    }

    @Test("a wanted column missing from the header is a fatal error naming it")
    func missingColumn() {
        #expect(throws: InputError.missingColumn(name: "label", source: "test.csv", available: ["id", "score"])) {
            try readAll("id,score\n1,0.5\n", columns: ["score", "label"])
        }
        let message = InputError.missingColumn(name: "label", source: "s.csv", available: ["id"]).description
        #expect(message == "s.csv:1:1: missing column \"label\" in header (columns: id)")
    }

    @Test("empty input has no header")
    func emptyInput() {
        #expect(throws: InputError.missingHeader(source: "test.csv")) { try readAll("", columns: ["a"]) }
        #expect(throws: InputError.missingHeader(source: "test.csv")) { try readAll("\u{FEFF}", columns: ["a"]) }
    }

    @Test("malformed header is fatal")
    func malformedHeader() {
        #expect(throws: InputError.self) { try readAll("a,\"b\n1,2\n", columns: ["a"]) }
    }

    @Test("row errors render as path:line:column: reason")
    func rowErrorText() {
        let error = RowError(source: "data/s.csv", line: 7, column: 3,
            reason: .quoteInUnquotedField(field: 2, name: "score"))
        #expect(error.description == "data/s.csv:7:3: quote character inside unquoted field 2 (\"score\")")
    }

    @Test("typed accessors parse projected values")
    func typedAccessors() throws {
        let reader = RecordReader(format: .csv(), columns: ["ts", "score", "label", "id"], source: "x")
        reader.feed(Array("id,score,label,ts\n7,0.25,true,2026-11-20T00:00:00Z\n8,,\"\",abc\n".utf8))
        reader.finish()
        guard case .record(let first) = try reader.next() else { Issue.record("no record"); return }
        #expect(first.double(1) == 0.25)
        #expect(first.label(2) == true)
        #expect(first.timestamp(0) == 1_795_132_800_000)
        #expect(first.string(3) == "7")
        #expect(first.bytes(3) == [UInt8(ascii: "7")])
        #expect(first.withBytes(3) { $0.count } == 1)
        guard case .record(let second) = try reader.next() else { Issue.record("no record"); return }
        #expect(second.kind(1) == .null)
        #expect(second.double(1) == nil)
        #expect(second.kind(2) == .empty)
        #expect(second.string(2) == "")
        #expect(second.string(1) == nil)
        #expect(second.timestamp(0) == nil)
        #expect(try reader.next() == nil)
    }

    @Test("number(_:) gives the kind and the parsed value in one lookup, also for quoted and escaped cells")
    func numberAccessor() throws {
        let reader = RecordReader(format: .csv(), columns: ["a", "b", "c", "d", "e"], source: "x")
        reader.feed(Array("a,b,c,d,e\n1.5,,\"\",abc,\"2\"\"\"\n".utf8))
        reader.finish()
        guard case .record(let record) = try reader.next() else { Issue.record("no record"); return }
        #expect(record.number(0).kind == .text && record.number(0).value == 1.5)
        #expect(record.number(1).kind == .null && record.number(1).value == nil)
        #expect(record.number(2).kind == .empty && record.number(2).value == nil)
        #expect(record.number(3).kind == .text && record.number(3).value == nil, "text that is not a number")
        #expect(record.number(4).kind == .text && record.number(4).value == nil, "unescaped to 2\", not a number")
        for column in 0..<5 {
            #expect(record.number(column).kind == record.kind(column))
            #expect(record.number(column).value == record.double(column))
        }
    }
}
