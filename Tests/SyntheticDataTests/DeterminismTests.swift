import SyntheticData
import Testing

@Suite struct DeterminismTests {
    @Test func sameSeedGivesIdenticalBytes() throws {
        let config = smallConfig(seed: 11, days: 1, perHour: 60)
        let a = try generate(config)
        let b = try generate(config)
        #expect(fnv1a(a.scores) == fnv1a(b.scores))
        #expect(fnv1a(a.labels) == fnv1a(b.labels))
        #expect(a.scores == b.scores && a.labels == b.labels)
    }

    @Test func differentSeedGivesDifferentBytes() throws {
        let a = try generate(smallConfig(seed: 11, days: 1, perHour: 60))
        let b = try generate(smallConfig(seed: 12, days: 1, perHour: 60))
        #expect(fnv1a(a.scores) != fnv1a(b.scores))
        #expect(fnv1a(a.labels) != fnv1a(b.labels))
    }

    @Test func chunkSizeDoesNotChangeBytesAndChunksEndOnRows() throws {
        let config = smallConfig(seed: 5, days: 1, perHour: 40)
        let big = try generate(config)
        let small = try generate(config, chunkSize: 1024)
        #expect(big.scores == small.scores && big.labels == small.labels)

        var chunks: [[UInt8]] = []
        try Generator(config: config).generate(chunkSize: 1024, scores: { chunks.append(Array($0)) }, labels: { _ in })
        #expect(chunks.count > 10)
        #expect(chunks.allSatisfy { $0.last == 10 && $0.count >= 1024 || $0 == chunks.last! })
    }

    @Test func summaryMatchesEmittedBytes() throws {
        let output = try generate(smallConfig(seed: 3, days: 1, perHour: 30))
        #expect(output.summary.scoreBytes == output.scores.count)
        #expect(output.summary.labelBytes == output.labels.count)
        #expect(output.summary.predictions == output.scores.filter { $0 == 10 }.count - 1)
        #expect(output.summary.labels == output.labels.filter { $0 == 10 }.count - 1)
    }
}
