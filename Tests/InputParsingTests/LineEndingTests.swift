import InputParsing
import Testing

/// Input whose lines end in CR alone is reported as such, not as a missing column or one giant bad row.
@Suite("CR-only line endings")
struct LineEndingTests {
    static let crOnlyCSV = Array("id,time,score\rp1,2026-11-20T00:00:00Z,0.5\rp2,2026-11-20T01:00:00Z,0.7\r".utf8)
    static let crOnlyJSONL = Array(#"{"id":"p1","score":0.5}"#.utf8) + [0x0D] + Array(#"{"id":"p2","score":0.7}"#.utf8) + [0x0D]

    @Test("a CR-only file is an input error naming the file and the line endings, however it is cut into chunks",
          arguments: [[], [1], [5, 13, 14], Array(1..<40)])
    func crOnlyIsReported(_ splits: [Int]) {
        for (input, format, columns) in [(Self.crOnlyCSV, InputFormat.csv(), ["id", "score"]), (Self.crOnlyJSONL, .jsonLines, ["id", "score"])] {
            do {
                let items = try readAll(input, format: format, columns: columns, splits: splits, source: "mac.csv")
                Issue.record("read \(items) from a CR-only file")
            } catch {
                #expect(error == .crOnlyLineEndings(source: "mac.csv", column: format == .jsonLines ? 24 : 14))
                #expect(error.description.hasPrefix("mac.csv:1:"))
                #expect(error.description.contains("CR-only line endings (classic Mac)"))
                #expect(error.description.contains("convert"))
            }
        }
    }

    @Test("CRLF files, a bare CR inside a quoted field of a data row, and a final CR read as before")
    func ordinaryCarriageReturnsAreData() throws {
        let crlf = Array("id,score\r\np1,0.5\r\np2,0.7\r\n".utf8)
        #expect(try readAll(crlf, format: .csv(), columns: ["id", "score"]) == [
            .record(line: 2, values: ["p1", "0.5"]), .record(line: 3, values: ["p2", "0.7"]),
        ])
        let quoted = Array("id,note\np1,\"a\rb\"\n".utf8)
        #expect(try readAll(quoted, format: .csv(), columns: ["id", "note"], splits: [9, 12]) == [.record(line: 2, values: ["p1", "a\rb"])])
        let headerOnlyCR = Array("id,score\r".utf8)
        #expect(try readAll(headerOnlyCR, format: .csv(), columns: ["id", "score"]) == [])
    }
}
