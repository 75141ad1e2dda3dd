@testable import DriftMetrics
import Testing
import TestSupport

/// The collector builds many slots' runs at once; each slot must hold exactly what appending the same runs to its
/// own ``SortedRuns`` holds.
@Suite("SortedRunsCollector gives what appending to SortedRuns gives")
struct SortedRunsCollectorTests {
    @Test("random runs dealt to slots, zeros of both signs among them, equal SortedRuns appends bit for bit",
          arguments: [(slots: 1, values: 10), (slots: 3, values: 40), (slots: 9, values: 3_000), (slots: 18, values: 20_000)])
    func equalsAppends(slots: Int, values: Int) {
        var mix = SplitMix64(seed: UInt64(slots * 31 + values))
        let collector = SortedRunsCollector(slots: slots)
        var expected = [SortedRuns](repeating: SortedRuns(), count: slots)
        // Ascending distinct values, zero among them; each goes to some of the slots with its own count.
        let distinct = Set((0..<values).map { _ in (Double(mix.next() % 2_000_001) - 1_000_000) / 100 } + [0])
        for value in distinct.sorted() {
            for slot in 0..<slots where mix.next() % 3 != 0 {
                if value == 0 {
                    let signs: [FloatingPointSign] = (0..<Int(1 + mix.next() % 6)).map { _ in mix.next() % 2 == 0 ? .plus : .minus }
                    collector.appendZeros(signs: signs, to: slot)
                    expected[slot].appendZeros(signs: signs)
                } else {
                    let count = Int(1 + mix.next() % 50)
                    collector.append(value, count: count, to: slot)
                    expected[slot].append(value, count: count)
                }
            }
        }
        for slot in 0..<slots {
            let runs = collector.runs(slot)
            #expect(runs.values.map(\.bitPattern) == expected[slot].values.map(\.bitPattern), "slot \(slot)")
            #expect(runs.ends == expected[slot].ends, "slot \(slot)")
            #expect(runs.count == expected[slot].count)
        }
    }

    @Test("a slot given nothing is empty runs, and taking runs twice gives the same")
    func emptyAndRepeated() {
        let collector = SortedRunsCollector(slots: 3)
        collector.append(1.5, count: 2, to: 1)
        collector.append(2.5, count: 1, to: 1)
        #expect(collector.runs(0) == SortedRuns())
        #expect(collector.runs(2).isEmpty)
        #expect(collector.runs(1).values == [1.5, 2.5] && collector.runs(1).ends == [2, 3])
        #expect(collector.runs(1) == collector.runs(1))
    }

    @Test("runs given whole are checked as appends check them: ascending values (zeros may follow zeros), positive counts, finite",
          arguments: [
              ([-2, -0.0, 0.0, -0.0, 4], [1, 3, 4, 6, 9], true), ([], [], true), ([1e300], [5], true),
              ([2, 1], [1, 2], false), ([1, 1], [1, 2], false), ([1, 2], [1, 1], false), ([1], [0], false),
              ([.infinity], [1], false), ([.nan], [1], false), ([1, 2], [1], false), ([0, -1], [1, 2], false),
          ] as [([Double], [Int], Bool)])
    func checkedWhenTaken(values: [Double], ends: [Int], ascending: Bool) {
        #expect(SortedRuns.isAscending(values: values, ends: ends) == ascending)
        if ascending {
            let runs = SortedRuns(checkingValues: values, ends: ends)
            #expect(runs.values.map(\.bitPattern) == values.map(\.bitPattern) && runs.ends == ends)
        }
    }
}
