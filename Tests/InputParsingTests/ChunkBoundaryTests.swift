import InputParsing
import Testing
import TestSupport

@Suite("Chunk-boundary independence")
struct ChunkBoundaryTests {
    static let csvInput = "\u{FEFF}id,text,score\r\n1,\"a, \"\"quoted\"\"\nvalue\",0.5\r\n2,,\"\"\n3,x\"y,1\n"
        + "4,\"z\"q,1\n5,plain,2\n6,too,many,fields\n\n7,\"é ünïcødé\",3\n9,\"stray,1\n10,ok,4\n11,\"q\"z,5\n8,\"open"
    static let jsonInput = "\u{FEFF}{\"id\": 1, \"text\": \"a\\\"b\\u00e9\\ud83d\\ude00\", \"score\": 0.5}\r\n\n"
        + "{\"id\": 2, \"nested\": {\"text\": [1, {\"x\": null}]}, \"score\": null}\n"
        + "{\"id\": 3, \"text\": \"\"} trailing\n{\"id\": 4, \"score\": -1.5e3, \"text\": true}\n{\"id\": 5"

    static let inputs: [(String, InputFormat)] = [(csvInput, .csv()), (jsonInput, .jsonLines)]

    /// `inPlace`: the pieces are written into the reader's buffer between other bytes (`feed(capacity:_:)`), as
    /// the parallel block reader does, instead of fed by copy.
    @Test("splitting at every single byte position gives identical results", arguments: [0, 1], [false, true])
    func everyPosition(inputIndex: Int, inPlace: Bool) throws {
        let (text, format) = Self.inputs[inputIndex]
        let bytes = Array(text.utf8)
        let columns = ["score", "text", "id"]
        let reference = try readAll(bytes, format: format, columns: columns)
        #expect(reference.count >= 5)
        for split in 0...bytes.count {
            let items = try readAll(bytes, format: format, columns: columns, splits: [split], inPlace: inPlace)
            #expect(items == reference, "split at byte \(split)")
        }
        if inPlace {
            #expect(try readAll(bytes, format: format, columns: columns, splits: Array(0...bytes.count), inPlace: true) == reference)
        }
    }

    @Test("one byte at a time and random splits give identical results", arguments: [0, 1])
    func randomSplits(inputIndex: Int) throws {
        let (text, format) = Self.inputs[inputIndex]
        let bytes = Array(text.utf8)
        let columns = ["id", "text"]
        let reference = try readAll(bytes, format: format, columns: columns)
        #expect(try readAll(bytes, format: format, columns: columns, splits: Array(0...bytes.count)) == reference)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let cuts = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                Int.random(in: 0...bytes.count, using: &generator)
            }.sorted()
            #expect(try readAll(bytes, format: format, columns: columns, splits: cuts) == reference, "cuts \(cuts)")
        }
    }

    @Test("the reference results themselves are right for CSV")
    func csvReference() throws {
        let items = try readAll(Self.csvInput, columns: ["score", "text", "id"])
        #expect(items == [
            .record(line: 2, values: ["0.5", "a, \"quoted\"\nvalue", "1"]),
            .record(line: 4, values: ["", nil, "2"]),
            .error(line: 5, column: 4, reason: .quoteInUnquotedField(field: 2, name: "text")),
            .error(line: 6, column: 6, reason: .characterAfterClosingQuote(field: 2, name: "text")),
            .record(line: 7, values: ["2", "plain", "5"]),
            .error(line: 8, column: 12, reason: .fieldCountMismatch(expected: 3, found: 4)),
            .record(line: 10, values: ["3", "é ünïcødé", "7"]),
            .error(line: 11, column: 3, reason: .strayQuote(field: 2, name: "text", lineBreaks: 2)),
            .record(line: 12, values: ["4", "ok", "10"]),
            .error(line: 13, column: 7, reason: .characterAfterClosingQuote(field: 2, name: "text")),
            .error(line: 14, column: 3, reason: .unterminatedQuote(field: 2, name: "text")),
        ])
    }

    @Test("the reference results themselves are right for JSON Lines")
    func jsonReference() throws {
        let items = try readAll(Self.jsonInput, format: .jsonLines, columns: ["score", "text", "id"])
        #expect(items == [
            .record(line: 1, values: ["0.5", "a\"bé😀", "1"]),
            .record(line: 3, values: [nil, nil, "2"]),
            .error(line: 4, column: 23, reason: .invalidJSON("unexpected characters after the object")),
            .record(line: 5, values: ["-1.5e3", "true", "4"]),
            .error(line: 6, column: 9, reason: .invalidJSON("unterminated object (end of line)")),
        ])
    }
}
