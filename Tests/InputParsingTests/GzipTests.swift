import Gzip
import Testing

@Suite("Gzip")
struct GzipTests {
    static func sampleBytes(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Compressible but not trivial: small alphabet.
            return UInt8(ascii: "a") + UInt8((state >> 33) % 7)
        }
    }

    @Test("round trip restores the original bytes", arguments: [0, 1, 100, 70_000, 300_000])
    func roundTrip(count: Int) throws {
        let original = Self.sampleBytes(count)
        let compressed = try Gzip.compress(original)
        #expect(Gzip.isGzip(compressed))
        #expect(try Gzip.decompress(compressed) == original)
    }

    @Test("compression levels 0, 1 and 9 all round trip", arguments: [Int32(0), 1, 9])
    func levels(level: Int32) throws {
        let original = Self.sampleBytes(10_000)
        #expect(try Gzip.decompress(Gzip.compress(original, level: level)) == original)
    }

    @Test("streaming inflate in small chunks equals one-shot output", arguments: [1, 7, 4096])
    func streamingChunks(chunkSize: Int) throws {
        let original = Self.sampleBytes(200_000)
        let compressed = try Gzip.compress(original)
        let inflater = try GzipInflater(outputChunkSize: 1000)
        var output: [UInt8] = []
        var start = 0
        while start < compressed.count {
            let end = min(start + chunkSize, compressed.count)
            output += try inflater.decompress(Array(compressed[start..<end]))
            start = end
        }
        try inflater.finish()
        #expect(output == original)
    }

    @Test("multi-member input (cat a.gz b.gz) yields both members")
    func multiMember() throws {
        let first = Array("score,label\n0.5,1\n".utf8)
        let second = Array("0.25,0\n".utf8)
        let joined = try Gzip.compress(first) + Gzip.compress(second) + Gzip.compress([])
        #expect(try Gzip.decompress(joined) == first + second)
        for split in 1..<joined.count {
            let inflater = try GzipInflater()
            let output = try inflater.decompress(Array(joined[..<split])) + inflater.decompress(Array(joined[split...]))
            try inflater.finish()
            #expect(output == first + second, "split at \(split)")
        }
    }

    @Test("truncated input is reported at finish")
    func truncated() throws {
        let compressed = try Gzip.compress(Self.sampleBytes(5000))
        let inflater = try GzipInflater()
        _ = try inflater.decompress(Array(compressed.dropLast(10)))
        #expect(throws: GzipError.truncatedData) { try inflater.finish() }
        #expect(throws: GzipError.truncatedData) { try Gzip.decompress([]) }
    }

    @Test("corrupt input raises corruptData")
    func corrupt() throws {
        var compressed = try Gzip.compress(Self.sampleBytes(5000))
        for index in 12..<40 { compressed[index] ^= 0x5a }
        #expect {
            try Gzip.decompress(compressed)
        } throws: { error in
            if case .corruptData = error as? GzipError { return true }
            return false
        }
        #expect(throws: GzipError.self) { try Gzip.decompress(Array("not gzip at all".utf8)) }
    }

    @Test("magic check recognises 1f 8b only")
    func magic() {
        #expect(Gzip.isGzip([0x1f, 0x8b, 0x08]))
        #expect(!Gzip.isGzip([0x1f]))
        #expect(!Gzip.isGzip(Array("id,score".utf8)))
        #expect(!Gzip.isGzip([UInt8]()))
    }
}
