@testable import DriftMetrics
import Testing
import TestSupport

/// A summary's top categories are ranked by count, ties by UTF-8 bytes, from only the categories that can rank
/// (not a sort of all of them); whatever the counts and names, they must be the first of the full ranking.
@Suite("Top categories ranked from the candidates only")
struct CategoricalRankingTests {
    /// The full ranking written out here: count descending, then the names' UTF-8 bytes ascending.
    static func fullRanking(_ counts: [String: Int]) -> [(String, Int)] {
        counts.filter { $0.value > 0 }.map { ($0.key, $0.value) }.sorted {
            $0.1 != $1.1 ? $0.1 > $1.1 : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
        }
    }

    static let names = ["a", "ab", "b", "B", "é", "e\u{301}", "z", "😀", "ab\u{0}", "", "merchant_0001", "merchant_001", "Ω", "~"]

    @Test("random counts with many ties: the top N are the full ranking's first N, with its totals", arguments: [0, 1, 3, 10, 50])
    func topOfRandomCounts(topN: Int) {
        var generator = SplitMix64(seed: 0x70B + UInt64(topN))
        for round in 0..<200 {
            var counts: [String: Int] = [:]
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                let name = Self.names.randomElement(using: &generator)! + String(Int.random(in: 0...9, using: &generator))
                counts[name] = Int.random(in: -1...(round % 3 == 0 ? 2 : 30), using: &generator)
            }
            let summary = CategoricalSummary(counts: counts, topN: topN)
            let expected = Self.fullRanking(counts)
            #expect(summary.top.map(\.category) == expected.prefix(topN).map(\.0), "round \(round)")
            #expect(summary.top.map(\.count) == expected.prefix(topN).map(\.1))
            #expect(summary.count == expected.reduce(0) { $0 + $1.1 })
            #expect(summary.distinctCount == expected.count)
        }
    }

    @Test("UTF-8 byte order of strings: the order of their UTF-8 bytes", arguments: names)
    func utf8Order(_ left: String) {
        for right in Self.names {
            #expect(utf8Less(left, right) == Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8)), "\(left) < \(right)")
        }
    }
}
