import OrderedKeys
@testable import PerformanceMetrics
import Testing
import TestSupport

@Suite("The one sort: order-preserving keys and radix sort")
struct SortingTests {
    @Test(
        "score keys preserve order and round-trip",
        arguments: [
            -Double.greatestFiniteMagnitude, -1e300, -1, -Double.leastNonzeroMagnitude, 0, 1e-300, 0.5, 1, 1e300,
        ]
    )
    func keysRoundTrip(score: Double) {
        #expect(OrderedKeys.value(OrderedKeys.key(score)) == score)
        #expect(OrderedKeys.key(score) < OrderedKeys.key(score.nextUp))
    }

    @Test("-0.0 and 0.0 get the same key")
    func signedZero() {
        #expect(OrderedKeys.key(-0.0) == OrderedKeys.key(0.0))
    }

    @Test("radix sort agrees with the standard library sort", arguments: [0, 1, 1023, 1024, 5000, 70_000])
    func radixMatchesStandardSort(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        var keys = (0..<count).map { i -> UInt64 in
            let r = generator.next()
            // Mix full-range keys, keys from negative scores and heavy duplicates.
            switch i % 3 {
            case 0: return r
            case 1: return OrderedKeys.key(-Double(r >> 11) * 0x1p-53)
            default: return OrderedKeys.key(Double(r % 7) / 10)
            }
        }
        let expected = keys.sorted()
        OrderedKeys.sort(&keys)
        #expect(keys == expected)
    }

    @Test("stable order equals sorting positions by key with ties in position order", arguments: [0, 1, 1023, 1024, 5000, 70_000])
    func stableOrderMatchesStableSort(count: Int) {
        var generator = SplitMix64(seed: UInt64(count) &+ 17)
        // Millisecond times: a day of them (few distinct high bytes, many ties) and some far apart.
        let keys = (0..<count).map { i -> UInt64 in
            let r = generator.next()
            let time: Int64 = i % 5 == 0 ? Int64(bitPattern: r) >> 20 : 1_793_577_600_000 + Int64(r % 86_400) * 1000
            return OrderedKeys.key(time)
        }
        func precedes(_ a: Int32, _ b: Int32) -> Bool {
            let left = keys[Int(a)], right = keys[Int(b)]
            return left < right || (left == right && a < b)
        }
        let expected = (0..<Int32(count)).sorted(by: precedes)
        #expect(OrderedKeys.stableOrder(keys) == expected)
    }

    @Test("a sort carrying low bytes orders by the upper bytes only and keeps ties in input order",
          arguments: [(0, 2), (1, 900), (4, 1023), (4, 5000), (4, 70_000), (7, 3000)])
    func carryingLowBytesIsAStableSortOfTheUpperBytes(carried: Int, count: Int) {
        var generator = SplitMix64(seed: UInt64(count * 8 + carried))
        // Upper bytes with heavy ties (or the full range), the payload random: a plain sort would order by it.
        let keys = (0..<count).map { i -> UInt64 in
            let r = generator.next()
            let upper = i % 2 == 0 ? r % 13 : r >> UInt64(8 * carried)
            let payload = carried == 0 ? 0 : generator.next() & ((1 << UInt64(8 * carried)) - 1)
            return upper << UInt64(8 * carried) | payload
        }
        let expected = keys.enumerated().sorted { a, b in
            let left = a.element >> UInt64(8 * carried), right = b.element >> UInt64(8 * carried)
            return left < right || (left == right && a.offset < b.offset)
        }.map(\.element)
        var a = keys
        var b = [UInt64](repeating: 0, count: count)
        let inScratch = a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in OrderedKeys.sort(a, scratch: b, carryingLowBytes: carried) }
        }
        #expect((inScratch ? b : a) == expected)
    }

    @Test("a sort with a payload orders by the whole key, keeps ties in input order and moves each payload with its key",
          arguments: [0, 1, 2, 1023, 5000, 70_000])
    func payloadSortIsAStableSortMovingThePayloads(count: Int) {
        var generator = SplitMix64(seed: UInt64(count) &+ 77)
        // Heavy ties on even positions, full 64-bit keys (all bytes differ) on odd ones; each payload its position.
        let keys = (0..<count).map { i -> UInt64 in i % 2 == 0 ? generator.next() % 13 : generator.next() }
        let expected = keys.enumerated().sorted { a, b in
            a.element < b.element || (a.element == b.element && a.offset < b.offset)
        }
        func check<Payload: FixedWidthInteger>(_: Payload.Type) {
            var a = keys
            var b = [UInt64](repeating: 0, count: count)
            var payload = (0..<count).map { Payload(truncatingIfNeeded: $0) }
            var payloadScratch = [Payload](repeating: 0, count: count)
            let inScratch = a.withUnsafeMutableBufferPointer { a in
                b.withUnsafeMutableBufferPointer { b in
                    payload.withUnsafeMutableBufferPointer { p in
                        payloadScratch.withUnsafeMutableBufferPointer { q in OrderedKeys.sort(a, payload: p, scratch: b, payloadScratch: q) }
                    }
                }
            }
            #expect((inScratch ? b : a) == expected.map(\.element), "\(Payload.self)")
            #expect((inScratch ? payloadScratch : payload) == expected.map { Payload(truncatingIfNeeded: $0.offset) }, "\(Payload.self)")
        }
        check(UInt8.self)
        check(UInt16.self)
        check(UInt32.self)
    }

    /// Keys in order already (a time-ordered log's times, with ties), and the same with one key out of place at
    /// the start, the middle or the end: the radix sorts skip their passes only for the first.
    static func nearlySorted(_ count: Int, outOfPlace: Int?) -> [UInt64] {
        var keys = (0..<count).map { OrderedKeys.key(Int64(1_793_577_600_000 + $0 / 3 * 7)) }
        if let outOfPlace, count > 1 { keys[outOfPlace * (count - 1) / 2] = OrderedKeys.key(Int64(1_793_577_600_000 + 3 * count)) }
        return keys
    }

    @Test("keys in order already, or all but one: every sort gives the standard stable sort", arguments: [nil, 0, 1, 2] as [Int?])
    func orderedInput(outOfPlace: Int?) {
        for count in [2, 1023, 1024, 50_000] {
            let keys = Self.nearlySorted(count, outOfPlace: outOfPlace)
            let positions = keys.enumerated().sorted { a, b in a.element < b.element || (a.element == b.element && a.offset < b.offset) }
            var plain = keys
            OrderedKeys.sort(&plain)
            #expect(plain == positions.map(\.element), "\(count)")
            #expect(OrderedKeys.stableOrder(keys) == positions.map { Int32($0.offset) }, "\(count)")
            // By the upper four bytes, the lower four travelling: stable by the upper bytes.
            var carried = keys
            var scratch = [UInt64](repeating: 0, count: count)
            let inScratch = carried.withUnsafeMutableBufferPointer { a in
                scratch.withUnsafeMutableBufferPointer { b in OrderedKeys.sort(a, scratch: b, carryingLowBytes: 4) }
            }
            let byUpper = keys.enumerated().sorted { a, b in
                a.element >> 32 < b.element >> 32 || (a.element >> 32 == b.element >> 32 && a.offset < b.offset)
            }.map(\.element)
            #expect((inScratch ? scratch : carried) == byUpper, "\(count)")
        }
    }

    @Test("Int64 keys preserve order and the Int64 sort agrees with the standard sort", arguments: [10, 1024, 30_000])
    func int64Sort(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        var values = (0..<count).map { i -> Int64 in
            let r = Int64(bitPattern: generator.next())
            return i % 2 == 0 ? r : r % 1000
        }
        let expected = values.sorted()
        OrderedKeys.sort(&values)
        #expect(values == expected)
        for pair in [(Int64.min, Int64.min + 1), (-1, 0), (0, 1), (Int64.max - 1, Int64.max)] {
            #expect(OrderedKeys.key(pair.0) < OrderedKeys.key(pair.1))
        }
    }
}
