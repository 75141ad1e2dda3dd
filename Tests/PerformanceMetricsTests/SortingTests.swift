import OrderedKeys
@testable import PerformanceMetrics
import Testing

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
}
