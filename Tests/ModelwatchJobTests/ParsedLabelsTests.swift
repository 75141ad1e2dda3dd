@testable import ModelwatchSources
import Testing

/// `ParsedLabels` keeps no offsets while its ids have one length and switches to offsets at the first id of
/// another: every id must read back the same either way, in order.
@Suite("Parsed labels")
struct ParsedLabelsTests {
    static func ids(_ count: Int, length: Int) -> [String] {
        (0..<count).map { String(String(1_000_000_000_000 + $0).suffix(length)) }
    }

    @Test("ids of one length, then another at the first, second, middle or last place, read back in order", arguments: [nil, 0, 1, 500, 999] as [Int?])
    func idsReadBack(otherAt position: Int?) {
        var ids = Self.ids(1_000, length: 12)
        if let position { ids[position] = "short" }
        ids.append(contentsOf: Self.ids(10, length: 12))
        var parsed = ParsedLabels()
        parsed.reserveCapacity(labels: 100, idBytes: 1_000)
        for (index, id) in ids.enumerated() {
            var bytes = Array(id.utf8)
            bytes.withUnsafeMutableBytes { parsed.append(idBytes: UnsafeRawBufferPointer($0), label: index % 3 == 0, timeMs: Int64(index)) }
        }
        #expect(parsed.labels.count == ids.count && parsed.timesMs == (0..<ids.count).map(Int64.init))
        let readBack = ids.indices.map { Self.id(parsed, parsed.idRange($0)) }
        #expect(readBack == ids)
        var seen: [String] = []
        parsed.forEachLabel(in: 0, of: 1) { range, hash, label, timeMs in
            let id = Self.id(parsed, range)
            #expect(hash == parsed.arena.withUnsafeBytes { ByteKeyIndex.hash(UnsafeRawBufferPointer(rebasing: $0[range])) })
            #expect(label == (timeMs % 3 == 0))
            seen.append(id)
        }
        #expect(seen == ids)
    }

    @Test("empty ids, alone and beside others")
    func emptyIDs() {
        for ids in [["", "", ""], ["", "ab", ""], ["ab", "", "cd"]] {
            var parsed = ParsedLabels()
            for id in ids {
                var bytes = Array(id.utf8)
                bytes.withUnsafeMutableBytes { parsed.append(idBytes: UnsafeRawBufferPointer($0), label: true, timeMs: 0) }
            }
            #expect(ids.indices.map { Self.id(parsed, parsed.idRange($0)) } == ids)
        }
    }

    /// The id in `range` of the labels' arena.
    static func id(_ parsed: ParsedLabels, _ range: Range<Int>) -> String {
        parsed.arena.withUnsafeBytes { String(decoding: $0[range], as: UTF8.self) }
    }
}
