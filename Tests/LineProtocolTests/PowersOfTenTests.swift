@testable import LineProtocol
import Testing

/// A natural number in 32-bit limbs, least significant first: just what checking the table needs.
private struct Natural: Comparable {
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    init(high: UInt64, low: UInt64) {
        self = Natural(high).shiftedLeft(by: 64) + Natural(low)
    }

    static func power(of base: UInt32, _ exponent: Int) -> Natural {
        (0..<exponent).reduce(Natural(1)) { power, _ in power * base }
    }

    private mutating func normalize() {
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
    }

    static func * (lhs: Natural, rhs: UInt32) -> Natural {
        var result = lhs
        var carry: UInt64 = 0
        for index in result.limbs.indices {
            let product = UInt64(result.limbs[index]) * UInt64(rhs) + carry
            result.limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        result.limbs.append(UInt32(carry))
        result.normalize()
        return result
    }

    static func * (lhs: Natural, rhs: Natural) -> Natural {
        rhs.limbs.enumerated().reduce(Natural(0)) { sum, limb in sum + (lhs * limb.element).shiftedLeft(by: 32 * limb.offset) }
    }

    static func + (lhs: Natural, rhs: Natural) -> Natural {
        var result = Natural(0)
        result.limbs = []
        var carry: UInt64 = 0
        for index in 0..<max(lhs.limbs.count, rhs.limbs.count) {
            let sum = UInt64(lhs.limbs.indices.contains(index) ? lhs.limbs[index] : 0)
                + UInt64(rhs.limbs.indices.contains(index) ? rhs.limbs[index] : 0) + carry
            result.limbs.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        result.limbs.append(UInt32(carry))
        result.normalize()
        return result
    }

    func shiftedLeft(by bits: Int) -> Natural {
        var result = self * (1 << UInt32(bits % 32))
        result.limbs.insert(contentsOf: repeatElement(0, count: bits / 32), at: 0)
        result.normalize()
        return result
    }

    static func < (lhs: Natural, rhs: Natural) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        return lhs.limbs.reversed().lexicographicallyPrecedes(rhs.limbs.reversed())
    }
}

@Suite("Powers of ten for the float writer")
struct PowersOfTenTests {
    /// Entry e is ⌈10^e · 2^shift⌉ with shift = 127 − ⌊log₂ 10^e⌋: in integers, with 10^e · 2^shift written as
    /// numerator / denominator, (entry − 1) · denominator < numerator ≤ entry · denominator, and entry has 128 bits.
    @Test("every entry is the rounded-up 128-bit power of ten", arguments: Array(PowersOfTen.exponents))
    func entry(exponent: Int) {
        let (high, low) = PowersOfTen.entry(exponent)
        let entry = Natural(high: high, low: low)
        #expect(high >> 63 == 1)
        let floorLog2 = (exponent * 1_741_647) >> 19
        let shift = 127 - floorLog2
        var numerator = Natural.power(of: 10, max(exponent, 0))
        var denominator = Natural.power(of: 10, max(-exponent, 0))
        if shift >= 0 { numerator = numerator.shiftedLeft(by: shift) } else { denominator = denominator.shiftedLeft(by: -shift) }
        let entryMinusOne = low == 0 ? Natural(high: high - 1, low: .max) : Natural(high: high, low: low - 1)
        #expect(entryMinusOne * denominator < numerator)
        #expect(!(entry * denominator < numerator))
    }
}
