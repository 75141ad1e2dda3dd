@testable import LineProtocol
import TestSupport
import Testing

/// The encoder's float writer against `Double.description`, which the golden files were written with.
@Suite("Shortest float text")
struct ShortestFloatTests {
    /// The text `ShortestFloat` writes for `value`.
    private static func written(_ value: Double) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ShortestFloat.capacity) { buffer in
            let count = ShortestFloat.write(value, to: buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    /// Checks every value and its negation; returns how many differ (the first few are reported).
    private static func mismatches(in values: some Sequence<Double>) -> Int {
        var count = 0
        for value in values where value.isFinite && value != 0 {
            for signed in [value, -value] where written(signed) != signed.description {
                count += 1
                if count <= 5 {
                    Issue.record("\(signed.description) (bits \(String(signed.bitPattern, radix: 16))) written as \(written(signed))")
                }
            }
        }
        return count
    }

    @Test("random bit patterns: every exponent, subnormals included")
    func randomBitPatterns() {
        var random = SplitMix64(seed: 1)
        // 300 significands for each of the 2047 exponents that are not NaN or infinity.
        let values = (0..<2047 * 300).lazy.map { index in
            Double(bitPattern: UInt64(index / 300) << 52 | random.next() >> 12)
        }
        #expect(Self.mismatches(in: values) == 0)
    }

    @Test("random doubles in the ranges metrics take")
    func typicalRanges() {
        var random = SplitMix64(seed: 2)
        let ranges: [ClosedRange<Double>] = [0...1, 0...1e-3, -5...5, 0...100, -1e6...1e6, 1e9...1e12, 0...1e16, 1e15...1e18]
        let values = (0..<400_000).lazy.map { index in Double.random(in: ranges[index % ranges.count], using: &random) }
        #expect(Self.mismatches(in: values) == 0)
    }

    @Test("integers, short decimals and values with few digits")
    func shortValues() {
        var random = SplitMix64(seed: 3)
        let integers = (1...100_000).lazy.map(Double.init)
        let largeIntegers = (0..<50_000).lazy.map { _ in Double(Int64(bitPattern: random.next()) >> random.below(63)) }
        let decimals = (1...100_000).lazy.map { Double($0) / 1000 }
        let fewDigits = (0..<50_000).lazy.map { _ in Double(random.below(1000)) * [1e-7, 1e-3, 0.1, 1e5, 1e14, 1e17, 1e22][random.below(7)] }
        #expect(Self.mismatches(in: integers) + Self.mismatches(in: largeIntegers) + Self.mismatches(in: decimals) + Self.mismatches(in: fewDigits) == 0)
    }

    @Test("powers of ten and two and their neighbours, across the whole range")
    func powersAndNeighbours() {
        var values: [Double] = []
        for exponent in -325...308 {
            for leading in [1.0, 2.0, 2.5, 5.0, 9.0, 9.999_999_999_999_999] {
                let value = Double("\(leading)e\(exponent)")!
                values += [value, value.nextUp, value.nextDown, value.nextUp.nextUp, value.nextDown.nextDown]
            }
        }
        for exponent in Double.leastNonzeroMagnitude.exponent...Double.greatestFiniteMagnitude.exponent {
            let power = Double(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power.nextUp, power.nextDown, power * 1.5]
        }
        #expect(Self.mismatches(in: values) == 0)
    }

    @Test("where the layout switches between decimal and exponential, and the extremes")
    func switchPointsAndExtremes() {
        let switchPoints: [Double] = [1e-4, 1e-5, 1e-3, 0x1p53, 1e15, 1e16, 1e17, 0x1p54, 1, 10]
        var values = switchPoints.flatMap { point in
            (0..<50).reduce(into: [point]) { neighbours, _ in neighbours += [neighbours.last!.nextUp] }
                + (0..<50).reduce(into: [point]) { neighbours, _ in neighbours += [neighbours.last!.nextDown] }
        }
        values += [
            .leastNonzeroMagnitude, .leastNonzeroMagnitude.nextUp, .leastNormalMagnitude, .leastNormalMagnitude.nextDown,
            .greatestFiniteMagnitude, .greatestFiniteMagnitude.nextDown, .pi, 0.1, 0.2, 0.30000000000000004, 1.0 / 3, 2.0 / 3,
        ]
        #expect(Self.mismatches(in: values) == 0)
    }

    @Test("decimal digit counts", arguments: [UInt64(0), 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, UInt64(Int64.max), 1 << 63, .max])
    func digitCounts(value: UInt64) {
        #expect(DecimalDigits.count(value) == String(value).count)
    }
}
