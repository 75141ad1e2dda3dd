import LineProtocol
import Testing

/// Where two outputs first differ (their shorter length if one is a prefix of the other), or nil if they are equal:
/// a failure names a byte rather than printing megabytes.
private func firstDifference(_ output: [UInt8], _ expected: [UInt8]) -> Int? {
    if output == expected { return nil }
    let common = min(output.count, expected.count)
    return (0..<common).first { output[$0] != expected[$0] } ?? common
}

/// 5,000 random points from `seed`, and their bytes and statistics encoded one by one.
private func pointsEncodedOneByOne(seed: UInt64) -> (points: [Point], bytes: [UInt8], statistics: EncodingStatistics) {
    var random = RandomPoints(seed: seed)
    let points = (0..<5_000).map { _ in random.point() }
    var encoder = LineProtocolEncoder()
    var bytes: [UInt8] = []
    for point in points { encoder.encode(point, into: &bytes) }
    return (points, bytes, encoder.statistics)
}

@Suite("Line protocol encoder against the reference")
struct EncoderDifferentialTests {
    @Test("random points: the same bytes and statistics as the reference", arguments: [UInt64(1), 2, 3])
    func randomPoints(seed: UInt64) {
        var points = RandomPoints(seed: seed)
        var encoder = LineProtocolEncoder()
        var reference = ReferenceEncoder()
        var buffer: [UInt8] = []
        for index in 0..<20_000 {
            let point = points.point()
            let start = buffer.count
            let encoded = encoder.encode(point, into: &buffer)
            let expected = reference.line(point)
            guard encoded == (expected != nil), Array(buffer[start...]) == (expected ?? []) else {
                Issue.record("""
                    point \(index) (\(point)) encoded as \(String(decoding: buffer[start...], as: UTF8.self).debugDescription), \
                    expected \(expected.map { String(decoding: $0, as: UTF8.self) }.debugDescription)
                    """)
                return
            }
            guard encoder.statistics == reference.statistics else {
                Issue.record("statistics after point \(index): \(encoder.statistics), expected \(reference.statistics)")
                return
            }
        }
        #expect(encoder.statistics.encodedPoints > 10_000 && encoder.statistics.skippedPoints > 100)
        #expect(encoder.statistics.rewrittenValues > 1000 && encoder.statistics.droppedTags > 1000 && encoder.statistics.droppedNonFiniteFields > 1000)
    }

    @Test("concurrent chunks encode as the points one by one", arguments: [0, 1, 2, 7, 64, 10_000])
    func concurrentChunks(chunkCount: Int) {
        let expected = pointsEncodedOneByOne(seed: 5)
        var encoder = LineProtocolEncoder()
        #expect(firstDifference(encoder.encode(expected.points, chunks: chunkCount), expected.bytes) == nil)
        #expect(encoder.statistics == expected.statistics)
    }

    @Test("a batch encodes as its points one by one")
    func batch() {
        let expected = pointsEncodedOneByOne(seed: 4)
        var encoder = LineProtocolEncoder()
        #expect(firstDifference(encoder.encode(expected.points), expected.bytes) == nil)
        #expect(encoder.statistics == expected.statistics)
    }
}
