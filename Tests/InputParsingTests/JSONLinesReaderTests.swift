import InputParsing
import Testing

@Suite("JSON Lines reader")
struct JSONLinesReaderTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let columns: [String]
        let expected: [Item]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "projects top-level keys in the requested order",
            input: "{\"a\": 1, \"b\": \"x\", \"c\": 2.5}\n{\"c\":3,\"a\":4}\n", columns: ["c", "a"],
            expected: [.record(line: 1, values: ["2.5", "1"]), .record(line: 2, values: ["3", "4"])]),
        Case(name: "string escapes are unescaped",
            input: #"{"s": "q\"b\\s\/n\nt\tr\rb\bf\f"}"# + "\n", columns: ["s"],
            expected: [.record(line: 1, values: ["q\"b\\s/n\nt\tr\rb\u{8}f\u{C}"])]),
        Case(name: "unicode escapes and surrogate pairs become UTF-8",
            input: #"{"s": "\u00e9\u4e2d\ud83d\ude00 ok"}"# + "\n", columns: ["s"],
            expected: [.record(line: 1, values: ["é中😀 ok"])]),
        Case(name: "raw UTF-8 passes through",
            input: "{\"s\": \"héllo wörld\"}\n", columns: ["s"],
            expected: [.record(line: 1, values: ["héllo wörld"])]),
        Case(name: "null and absent keys are null, empty string is empty",
            input: "{\"a\": null, \"b\": \"\"}\n", columns: ["a", "b", "missing"],
            expected: [.record(line: 1, values: [nil, "", nil])]),
        Case(name: "numbers and booleans keep their literal text",
            input: "{\"n\": -0.5e-3, \"t\": true, \"f\": false, \"i\": 0}\n", columns: ["n", "t", "f", "i"],
            expected: [.record(line: 1, values: ["-0.5e-3", "true", "false", "0"])]),
        Case(name: "nested values are returned as raw JSON text and nested keys are not projected",
            input: "{\"o\": {\"a\": [1, 2]}, \"arr\": [ ]}\n", columns: ["o", "arr", "a"],
            expected: [.record(line: 1, values: ["{\"a\": [1, 2]}", "[ ]", nil])]),
        Case(name: "escaped keys match their unescaped names",
            input: #"{"sc\u006fre": 1}"# + "\n", columns: ["score"],
            expected: [.record(line: 1, values: ["1"])]),
        Case(name: "duplicate keys: the last one wins",
            input: "{\"a\": 1, \"a\": 2}\n", columns: ["a"],
            expected: [.record(line: 1, values: ["2"])]),
        Case(name: "blank lines are skipped and CRLF accepted",
            input: "\n  \r\n{\"a\": 1}\r\n\n{\"a\": 2}", columns: ["a"],
            expected: [.record(line: 3, values: ["1"]), .record(line: 5, values: ["2"])]),
        Case(name: "garbage line reports line and column and reading continues",
            input: "{\"a\": 1}\n{\"a\": tru}\nnot json\n[1]\n{\"a\": 01}\n{\"a\": \"x\ty\"}\n{\"a\" 1}\n{\"a\": 3}\n",
            columns: ["a"],
            expected: [
                .record(line: 1, values: ["1"]),
                .error(line: 2, column: 7, reason: .invalidJSON("invalid literal")),
                .error(line: 3, column: 1, reason: .invalidJSON("expected '{' at start of line")),
                .error(line: 4, column: 1, reason: .invalidJSON("expected '{' at start of line")),
                .error(line: 5, column: 8, reason: .invalidJSON("expected ',' or '}'")),
                .error(line: 6, column: 9, reason: .invalidJSON("control character in string")),
                .error(line: 7, column: 6, reason: .invalidJSON("expected ':' after key")),
                .record(line: 8, values: ["3"]),
            ]),
        Case(name: "invalid escapes and deep nesting are row errors",
            input: "{\"a\": \"\\x\"}\n{\"a\": \"\\u12G4\"}\n{\"a\": " + String(repeating: "[", count: 300)
                + String(repeating: "]", count: 300) + "}\n",
            columns: ["a"],
            expected: [
                .error(line: 1, column: 9, reason: .invalidJSON("invalid escape sequence")),
                .error(line: 2, column: 12, reason: .invalidJSON("invalid \\u escape")),
                .error(line: 3, column: 262, reason: .invalidJSON("nesting too deep")),
            ]),
    ]

    @Test("JSON Lines behaviour", arguments: cases)
    func jsonLines(testCase: Case) throws {
        #expect(try readAll(testCase.input, format: .jsonLines, columns: testCase.columns) == testCase.expected)
    }

    @Test("row error text names source, line and column")
    func errorText() throws {
        let reader = RecordReader(format: .jsonLines, columns: ["a"], source: "scores.jsonl")
        reader.feed(Array("{\"a\": 1}\n{\"a\": }\n".utf8))
        reader.finish()
        _ = try reader.next()
        guard case .rowError(let error) = try reader.next() else { Issue.record("expected a row error"); return }
        #expect(error.description == "scores.jsonl:2:7: invalid JSON object: unexpected character, expected a value")
    }
}
