import InputParsing
import Testing
import TestSupport

/// `RecordReader.feed(borrowing:)` reads a chunk in place when nothing is pending and copies otherwise; either
/// way every record, value, line and row error must be what copying every chunk gives.
@Suite("Reading borrowed input")
struct BorrowedInputTests {
    static let inputs: [(name: String, format: InputFormat, text: String)] = [
        ("plain rows", .csv(), "a,b\n1,x\n2,y\n3,z\n"),
        ("quoted line feeds and doubled quotes", .csv(), "a,b\n\"1\n2\",\"x\"\"y\"\n3,\"z\"\n"),
        ("row errors", .csv(), "a,b\n1,2,3\nx\"y,2\n\"open,2\n4,5\n"),
        ("carriage returns and blank lines", .csv(), "a,b\r\n1,2\r\n\r\n3,4"),
        ("a record too long", .csv(), "a,b\n1,2\n" + String(repeating: "x", count: 300) + ",1\n5,6\n"),
        ("JSON Lines", .jsonLines, "{\"a\":1,\"b\":\"x\"}\n{\"a\":2}\nnot json\n{\"b\":\"y\\n\"}\n"),
    ]

    @Test("borrowed chunks read like copied ones, at any split", arguments: inputs.indices)
    func sameAsCopied(index: Int) throws {
        let input = Self.inputs[index]
        let bytes = Array(input.text.utf8)
        var generator = SplitMix64(seed: UInt64(index))
        for round in 0..<20 {
            let splits = round == 0 ? [] : (0..<Int.random(in: 1...4, using: &generator)).map { _ in Int.random(in: 0...bytes.count, using: &generator) }.sorted()
            let copied = try readAll(bytes, format: input.format, columns: ["b", "a"], splits: splits, maxRecordBytes: 128)
            let borrowed = try readAll(bytes, format: input.format, columns: ["b", "a"], splits: splits, maxRecordBytes: 128, borrowing: true)
            #expect(borrowed == copied, "\(input.name), splits \(splits)")
        }
    }
}
