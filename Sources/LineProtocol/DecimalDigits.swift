/// Writes unsigned integers in decimal, eight digits at a time.
enum DecimalDigits {
    /// "00" "01" … "99": the two digits of every number below 100.
    private static let pairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// 10⁰ … 10¹⁹.
    private static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000,
        10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000,
        1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    /// Number of decimal digits of `value` (1 for zero).
    @inline(__always)
    static func count(_ value: UInt64) -> Int {
        // floor(log10(value)) is within one of floor(log2(value)) * log10(2), approximated by 1233 / 4096.
        // (`value | 1` gives zero one digit and changes no other count: powers of ten above 1 are even.)
        let odd = value | 1
        let estimate = ((64 - odd.leadingZeroBitCount) &* 1233) >> 12
        return estimate + (odd >= powersOfTen[estimate] ? 1 : 0)
    }

    /// Writes the `digitCount` (``count(_:)``) digits of `value` at `destination`, which has room for 8 bytes more
    /// than that.
    @inline(__always)
    static func write(_ value: UInt64, digitCount: Int, to destination: UnsafeMutablePointer<UInt8>) {
        // Eight digits per store, from the left, each store running over the start of the next.
        let raw = UnsafeMutableRawPointer(destination)
        if digitCount <= 8 {
            raw.storeBytes(of: leading(UInt32(truncatingIfNeeded: value), digitCount: digitCount), as: UInt64.self)
            return
        }
        let (high, low) = value.quotientAndRemainder(dividingBy: 100_000_000)
        if digitCount <= 16 {
            raw.storeBytes(of: leading(UInt32(truncatingIfNeeded: high), digitCount: digitCount - 8), as: UInt64.self)
        } else {
            let (top, middle) = high.quotientAndRemainder(dividingBy: 100_000_000)
            raw.storeBytes(of: leading(UInt32(truncatingIfNeeded: top), digitCount: digitCount - 16), as: UInt64.self)
            raw.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: middle)), toByteOffset: digitCount - 16, as: UInt64.self)
        }
        raw.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: low)), toByteOffset: digitCount - 8, as: UInt64.self)
    }

    /// Writes the `digitCount` digits of `value` with a point after the first `integerDigits` of them (fewer than
    /// `digitCount`) at `destination`.
    @inline(__always)
    static func write(_ value: UInt64, digitCount: Int, pointAfter integerDigits: Int, to destination: UnsafeMutablePointer<UInt8>) {
        let point = destination + integerDigits
        let integerPart = writePairs(value, digitCount: digitCount - integerDigits, endingAt: destination + digitCount + 1)
        point.pointee = UInt8(ascii: ".")
        writePairs(integerPart, digitCount: integerDigits, endingAt: point)
    }

    /// Writes the last `digitCount` digits of `value` so that they end at `end`, two at a time from the right;
    /// returns what is left of `value`.
    @inline(__always) @discardableResult
    private static func writePairs(_ value: UInt64, digitCount: Int, endingAt end: UnsafeMutablePointer<UInt8>) -> UInt64 {
        var position = end
        var remaining = value
        var digitsLeft = digitCount
        while digitsLeft >= 2 {
            position -= 2
            writeTwoDigits(remaining % 100, to: position)
            remaining /= 100
            digitsLeft -= 2
        }
        if digitsLeft == 1 {
            position[-1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        return remaining
    }

    /// Writes the two digits of `value` (below 100) at `destination`, with a leading zero below 10.
    @inline(__always)
    static func writeTwoDigits(_ value: UInt64, to destination: UnsafeMutablePointer<UInt8>) {
        let pair = UnsafeRawPointer(pairs.utf8Start).loadUnaligned(fromByteOffset: 2 * Int(value), as: UInt16.self)
        UnsafeMutableRawPointer(destination).storeBytes(of: pair, as: UInt16.self)
    }

    /// The last `digitCount` (1…8) digits of `value` first in a word, as ASCII in memory order.
    @inline(__always)
    private static func leading(_ value: UInt32, digitCount: Int) -> UInt64 {
        (eightDigits(value).littleEndian >> (8 * (8 - digitCount))).littleEndian
    }

    /// The eight digits of `value` (below 10⁸, with leading zeros) as ASCII in memory order: the four-digit halves
    /// side by side in a word, then their two-digit halves, then single digits, each split with a multiplication.
    @inline(__always)
    private static func eightDigits(_ value: UInt32) -> UInt64 {
        let (high, low) = value.quotientAndRemainder(dividingBy: 10_000)
        var lanes = UInt64(high) | UInt64(low) << 32
        let hundreds = ((lanes &* 10_486) >> 20) & 0x0000_007F_0000_007F  // n / 100 for n < 10⁴
        lanes = hundreds | (lanes &- hundreds &* 100) << 16
        let tens = ((lanes &* 103) >> 10) & 0x000F_000F_000F_000F  // n / 10 for n < 100
        lanes = tens | (lanes &- tens &* 10) << 8
        return (lanes &+ 0x3030_3030_3030_3030).littleEndian
    }
}
