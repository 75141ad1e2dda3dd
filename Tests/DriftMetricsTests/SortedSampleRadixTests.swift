@testable import DriftMetrics
import Testing
import TestSupport

/// The radix path of `SortedSample.sortedFinite` must give exactly the standard library's stable sort.
@Suite("SortedSample radix sort equals the standard sort")
struct SortedSampleRadixTests {
    static func sample(_ kind: Int, count: Int) -> [Double] {
        var mix = SplitMix64(seed: UInt64(kind) &* 7919 &+ UInt64(count))
        return (0..<count).map { _ in
            let u = mix.nextDouble()
            switch kind {
            case 0: return (u - 0.5) * 1e6                                     // continuous, mixed sign
            case 1: return (u * 100).rounded() / 100 - 0.3                        // heavy ties
            case 2: return mix.next() % 3 == 0 ? -0.0 : (mix.next() % 2 == 0 ? 0.0 : u - 0.5)  // signed zeros
            case 3: return Double(bitPattern: mix.next() & ~(0x7FF << 52)) * (u < 0.5 ? -1 : 1)  // subnormals
            case 4: return mix.next() % 7 == 0 ? .nan : (mix.next() % 11 == 0 ? -.infinity : (u - 0.5) * 1e300)
            default: return 42
            }
        }
    }

    @Test("equal bit for bit, signed zeros in input order", arguments: [0, 1, 2, 3, 4, 5])
    func equalsStandardSort(_ kind: Int) {
        for count in [SortedSample.radixThreshold, 10_000, 100_003] {
            let values = Self.sample(kind, count: count)
            var expected = values.filter(\.isFinite)
            expected.sort()
            let actual = SortedSample.sortedFinite(values)
            #expect(actual.count == expected.count)
            #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern), "kind \(kind), \(count) values")
        }
    }
}
