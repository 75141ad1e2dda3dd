/// Writes doubles exactly as `Double.description` spells them, without allocating a `String` each.
///
/// The digits are the shortest that read back as the same double and, among those, the closest to it (ties to
/// an even last digit), which is what `description` promises; they are computed with Raffaello Giulietti's
/// Schubfach algorithm ("The Schubfach way to render doubles", 2020). The layout follows `description`: plain
/// decimal (`0.001`, `123.25`, `100.0`) from 10⁻⁴ up to 2⁵³, exponential (`1e-05`, `1.5e+16`) outside.
/// `ShortestFloatTests` compares the output with `description` byte for byte over millions of values.
enum ShortestFloat {
    /// Bytes `write` may touch after its destination: the longest text, `-2.2250738585072014e-308`, has 24, and
    /// digits are stored eight at a time.
    static let capacity = 40

    /// Writes a finite, non-zero `value` at `destination`; returns the number of bytes written.
    @inline(__always)
    static func write(_ value: Double, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var start = destination
        if value < 0 {
            start.pointee = UInt8(ascii: "-")
            start += 1
        }
        let magnitude = Double(bitPattern: value.bitPattern & ~(1 << 63))
        var (digits, exponent) = decimal(ofPositive: magnitude)
        while digits % 10 == 0 {
            digits /= 10
            exponent += 1
        }
        let digitCount = DecimalDigits.count(digits)
        // The power of ten of the first digit, as in scientific notation.
        let leadingExponent = exponent + digitCount - 1
        let length: Int
        if leadingExponent < -4 || magnitude > 0x1p53 {
            length = writeExponential(digits, digitCount: digitCount, exponent: leadingExponent, to: start)
        } else if leadingExponent < 0 {
            // "0.000123": a zero, the point and up to three more zeros before the digits.
            storeWords(zeros: start, count: 1)
            start[1] = UInt8(ascii: ".")
            DecimalDigits.write(digits, digitCount: digitCount, to: start + 1 - leadingExponent)
            length = 1 - leadingExponent + digitCount
        } else if leadingExponent + 1 < digitCount {
            // "123.456"
            DecimalDigits.write(digits, digitCount: digitCount, pointAfter: leadingExponent + 1, to: start)
            length = digitCount + 1
        } else {
            // "1200.0": the digits, zeros up to the point, then ".0".
            DecimalDigits.write(digits, digitCount: digitCount, to: start)
            storeWords(zeros: start + digitCount, count: 2)
            start[leadingExponent + 1] = UInt8(ascii: ".")
            start[leadingExponent + 2] = UInt8(ascii: "0")
            length = leadingExponent + 3
        }
        return start - destination + length
    }

    /// "1.2345e+16", "5e-324": the first digit, the point and the others if any, and an exponent of two or three
    /// digits with its sign.
    @inline(__always)
    private static func writeExponential(_ digits: UInt64, digitCount: Int, exponent: Int, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var end = start + 1
        if digitCount > 1 {
            DecimalDigits.write(digits, digitCount: digitCount, pointAfter: 1, to: start)
            end = start + digitCount + 1
        } else {
            start[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digits)
        }
        end[0] = UInt8(ascii: "e")
        end[1] = exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        let magnitude = UInt64(exponent.magnitude)
        if magnitude < 100 {
            DecimalDigits.writeTwoDigits(magnitude, to: end + 2)
            return end + 4 - start
        }
        DecimalDigits.write(magnitude, digitCount: 3, to: end + 2)
        return end + 5 - start
    }

    /// Stores `count` words of ASCII zeros at `destination`.
    @inline(__always)
    private static func storeWords(zeros destination: UnsafeMutablePointer<UInt8>, count: Int) {
        for word in 0..<count {
            UnsafeMutableRawPointer(destination + 8 * word).storeBytes(of: 0x3030_3030_3030_3030, as: UInt64.self)
        }
    }

    // MARK: - Schubfach

    /// The shortest `digits × 10^exponent` that rounds to `value` (finite, positive), the closest to it among
    /// those; `digits` may end in zeros.
    @inline(__always)
    static func decimal(ofPositive value: Double) -> (digits: UInt64, exponent: Int) {
        let fraction = value.significandBitPattern
        let biasedExponent = Int(value.exponentBitPattern)
        // value = significand × 2^binaryExponent, with an integer significand.
        let significand: UInt64
        let binaryExponent: Int
        if biasedExponent != 0 {
            significand = fraction | 1 << 52
            binaryExponent = biasedExponent - 1075
        } else {
            significand = fraction
            binaryExponent = -1074
        }
        // Halfway to the neighbours, which round to even: the interval includes its ends for an even significand.
        // Above a power of two, the neighbour below is twice as close.
        let includesEnds = significand & 1 == 0
        let lowerIsCloser = fraction == 0 && biasedExponent > 1
        // k = ⌊log₁₀ of the gap to the neighbours⌋, h the scaling left as a power of two (1…4).
        let k = lowerIsCloser ? (binaryExponent * 315_653 - 131_237) >> 20 : (binaryExponent * 315_653) >> 20
        let h = binaryExponent + ((-k * 1_741_647) >> 19) + 1
        let power = PowersOfTen.entry(-k)
        // Four times the value and the ends of its interval, scaled by 10^-k, rounded to odd.
        let scaled = significand << 2
        let lowerEnd = roundToOdd(power, (scaled - (lowerIsCloser ? 1 : 2)) << h)
        let center = roundToOdd(power, scaled << h)
        let upperEnd = roundToOdd(power, (scaled + 2) << h)
        let lower = includesEnds ? lowerEnd : lowerEnd + 1
        let upper = includesEnds ? upperEnd : upperEnd - 1
        let truncated = center >> 2
        if truncated >= 10 {
            // One digit fewer: the interval holds at most one multiple of ten.
            let shorter = truncated / 10
            let downInside = lower <= 40 * shorter
            let upInside = 40 * shorter + 40 <= upper
            if downInside != upInside { return (upInside ? shorter + 1 : shorter, k + 1) }
        }
        let downInside = lower <= 4 * truncated
        let upInside = 4 * truncated + 4 <= upper
        if downInside != upInside { return (upInside ? truncated + 1 : truncated, k) }
        // Both inside: the closer one, the even one on a tie.
        let midpoint = 4 * truncated + 2
        let roundsUp = center > midpoint || (center == midpoint && truncated & 1 != 0)
        return (roundsUp ? truncated + 1 : truncated, k)
    }

    /// ⌊power × operand / 2^128⌋, with its lowest bit set when that is not exact.
    @inline(__always)
    private static func roundToOdd(_ power: (high: UInt64, low: UInt64), _ operand: UInt64) -> UInt64 {
        let lowProduct = power.low.multipliedFullWidth(by: operand).high
        let highProduct = power.high.multipliedFullWidth(by: operand)
        let (middle, carry) = highProduct.low.addingReportingOverflow(lowProduct)
        return (highProduct.high &+ (carry ? 1 : 0)) | (middle != 0 ? 1 : 0)
    }
}
