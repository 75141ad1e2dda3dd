import Gzip
import InputParsing
import Testing

@Suite("Gzip into RecordReader")
struct StreamingPipelineTests {
    @Test("a gzipped CSV streamed through GzipInflater parses like the plain bytes")
    func gzippedCSV() throws {
        var text = "id,score,label,ts\n"
        for row in 0..<2000 { text += "\(row),0.\(row % 97),\(row % 2),\(1_795_132_800 + row)\n" }
        let plain = Array(text.utf8)
        let compressed = try Gzip.compress(Array(plain.prefix(30_000))) + Gzip.compress(Array(plain.dropFirst(30_000)))

        let reader = RecordReader(format: .csv(), columns: ["score", "label", "ts"], source: "s.csv.gz")
        let inflater = try GzipInflater(outputChunkSize: 4096)
        var scoreSum = 0.0
        var positives = 0
        var lastTimestamp: Int64 = 0
        var records = 0
        func drain() throws {
            while let event = try reader.next() {
                guard case .record(let record) = event else { Issue.record("unexpected row error"); continue }
                scoreSum += record.double(0) ?? .nan
                positives += record.label(1) == true ? 1 : 0
                lastTimestamp = record.timestamp(2) ?? -1
                records += 1
            }
        }
        var offset = 0
        while offset < compressed.count {
            let end = min(offset + 1000, compressed.count)
            try Array(compressed[offset..<end]).withUnsafeBytes { chunk in
                try inflater.decompress(chunk) { reader.feed($0) }
            }
            try drain()
            offset = end
        }
        try inflater.finish()
        reader.finish()
        try drain()

        #expect(records == 2000)
        #expect(positives == 1000)
        #expect(lastTimestamp == (1_795_132_800 + 1999) * 1000)
        let expectedSum = (0..<2000).reduce(0.0) { $0 + Double("0.\($1 % 97)")! }
        #expect(abs(scoreSum - expectedSum) < 1e-9)
    }
}
