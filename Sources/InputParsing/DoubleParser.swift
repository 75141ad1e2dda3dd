/// Parses an ASCII decimal floating-point number, correctly rounded (bit-identical to `Double(String)`).
///
/// Accepts an optional `+`/`-`, digits with an optional `.` (`1.`, `.5` are accepted, `.` alone is not) and an
/// optional exponent (`e`/`E`, optional sign, at least one digit). `nan`, `inf` and `infinity` (any case, optional
/// sign) return the non-finite value so callers can count them separately. Out-of-range values round to ±infinity
/// or ±0 like `Double(String)`. Anything else (whitespace, `1.2.3`, hex floats, empty input) returns nil.
/// Allocation-free except in the rare slow path (more than 19 significant digits or an ambiguous rounding case).
public func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let count = bytes.count
    guard count > 0, let raw = bytes.baseAddress else { return nil }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    // Fast path: at most 19 digits (so the significand cannot overflow), no exponent.
    var index = 0
    let negative = base[0] == UInt8(ascii: "-")
    if negative || base[0] == UInt8(ascii: "+") { index = 1 }
    var significand: UInt64 = 0
    var digitCount = readDigits(base, at: &index, end: count, into: &significand)
    var fractionDigits = 0
    if index < count && base[index] == UInt8(ascii: ".") {
        index &+= 1
        fractionDigits = readDigits(base, at: &index, end: count, into: &significand)
        digitCount &+= fractionDigits
    }
    if index == count && digitCount > 0 && digitCount <= 19 {
        if significand == 0 { return negative ? -0.0 : 0.0 }
        if significand <= 1 << 53 && fractionDigits <= 22 {
            let value = Double(significand) / exactPowersOfTen[fractionDigits]
            return negative ? -value : value
        }
        if let bits = eiselLemire(significand, -fractionDigits) {
            let value = Double(bitPattern: bits)
            return negative ? -value : value
        }
        return slowParseDouble(base, count)
    }
    return parseDoubleGeneral(base, count)
}

/// Reads the run of ASCII digits at `index` into `significand` (shifted left by their count; it wraps past 19
/// digits, which the caller rejects) and returns how many there were. (Byte by byte: the fields are short, and a
/// word-at-a-time version measured slower on them.)
@inline(__always)
func readDigits(_ bytes: UnsafePointer<UInt8>, at index: inout Int, end: Int, into significand: inout UInt64) -> Int {
    let start = index
    while index < end {
        let digit = bytes[index] &- 48
        if digit > 9 { break }
        significand = significand &* 10 &+ UInt64(digit)
        index &+= 1
    }
    return index &- start
}

/// The general path: exponents, more than 19 digits, special values and syntax errors.
private func parseDoubleGeneral(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
    var index = 0
    var negative = false
    if base[0] == UInt8(ascii: "-") {
        negative = true
        index = 1
    } else if base[0] == UInt8(ascii: "+") {
        index = 1
    }
    guard index < count else { return nil }
    if base[index] &- 48 > 9 && base[index] != UInt8(ascii: ".") {
        return parseNonFinite(base + index, count - index, negative: negative)
    }

    var mantissa: UInt64 = 0
    var significantDigits = 0
    var exponent = 0
    var sawDigit = false
    var droppedNonZero = false
    while index < count {
        let digit = base[index] &- 48
        if digit > 9 { break }
        sawDigit = true
        if mantissa == 0 && digit == 0 {
            // leading zero: contributes nothing
        } else if significantDigits < 19 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            significantDigits &+= 1
        } else {
            exponent &+= 1
            if digit != 0 { droppedNonZero = true }
        }
        index &+= 1
    }
    if index < count && base[index] == UInt8(ascii: ".") {
        index &+= 1
        while index < count {
            let digit = base[index] &- 48
            if digit > 9 { break }
            sawDigit = true
            if mantissa == 0 && digit == 0 {
                exponent &-= 1
            } else if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                significantDigits &+= 1
                exponent &-= 1
            } else if digit != 0 {
                droppedNonZero = true
            }
            index &+= 1
        }
    }
    guard sawDigit else { return nil }
    if index < count && base[index] | 0x20 == UInt8(ascii: "e") {
        index &+= 1
        var exponentNegative = false
        if index < count && (base[index] == UInt8(ascii: "-") || base[index] == UInt8(ascii: "+")) {
            exponentNegative = base[index] == UInt8(ascii: "-")
            index &+= 1
        }
        var exponentValue = 0
        var sawExponentDigit = false
        while index < count {
            let digit = base[index] &- 48
            if digit > 9 { break }
            sawExponentDigit = true
            if exponentValue < 1_000_000 { exponentValue = exponentValue &* 10 &+ Int(digit) }
            index &+= 1
        }
        guard sawExponentDigit else { return nil }
        exponent &+= exponentNegative ? -exponentValue : exponentValue
    }
    guard index == count else { return nil }

    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    if !droppedNonZero {
        // Clinger's fast path: both operands exact, one correctly rounded operation.
        if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= exactPowersOfTen[-exponent]
            } else {
                value *= exactPowersOfTen[exponent]
            }
            return negative ? -value : value
        }
        if let bits = eiselLemire(mantissa, exponent) {
            let value = Double(bitPattern: bits)
            return negative ? -value : value
        }
    }
    return slowParseDouble(base, count)
}

/// Parses a `String` as a decimal number; see `parseDouble(_: UnsafeRawBufferPointer)`.
public func parseDouble(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { parseDouble(UnsafeRawBufferPointer($0)) }
}

/// 10^0 … 10^22, all exactly representable as Double.
let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Recognises `nan`, `inf`, `infinity` (case-insensitive) after an optional sign.
private func parseNonFinite(_ base: UnsafePointer<UInt8>, _ count: Int, negative: Bool) -> Double? {
    @inline(__always) func matches(_ word: StaticString) -> Bool {
        guard count == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for offset in 0..<count where base[offset] | 0x20 != expected[offset] { return false }
        return true
    }
    if matches("nan") { return .nan }
    if matches("inf") || matches("infinity") { return negative ? -.infinity : .infinity }
    return nil
}

/// Correctly rounded fallback for inputs the fast paths cannot decide (already validated as decimal syntax).
private func slowParseDouble(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
    Double(String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self))
}

/// Eisel–Lemire: correctly rounded `w * 10^q` for a non-zero 64-bit `w`, or nil when undecidable/out of range
/// (the caller then takes the slow path). Returns the IEEE bits of the positive result.
@inline(__always)
private func eiselLemire(_ decimalMantissa: UInt64, _ q: Int) -> UInt64? {
    guard q >= smallestPowerOfFive && q <= largestPowerOfFive else { return nil }
    let leadingZeros = decimalMantissa.leadingZeroBitCount
    let w = decimalMantissa << UInt64(leadingZeros)
    let index = 2 &* (q &- smallestPowerOfFive)
    return powersOfFive128.withUnsafeBufferPointer { table -> UInt64? in
        var (high, low) = w.multipliedFullWidth(by: table[index])
        let precisionMask: UInt64 = 0xFFFF_FFFF_FFFF_FFFF >> 55
        if high & precisionMask == precisionMask {
            let second = w.multipliedFullWidth(by: table[index &+ 1]).high
            let newLow = low &+ second
            if second > newLow { high &+= 1 }
            low = newLow
            if low == UInt64.max && (q < -27 || q > 55) { return nil }
        }
        let upperBit = Int(high >> 63)
        let shift = upperBit &+ 64 &- 52 &- 3
        var mantissa = high >> UInt64(shift)
        var power2 = ((((152_170 + 65_536) &* q) >> 16) &+ 63) &+ upperBit &- leadingZeros &+ 1023
        if power2 <= 0 { return nil }  // subnormal: rare, use the slow path
        if low <= 1 && q >= -4 && q <= 23 && mantissa & 3 == 1 && (mantissa << UInt64(shift)) == high {
            mantissa &= ~1
        }
        mantissa &+= mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 as UInt64) << 52 {
            mantissa = 1 << 52
            power2 &+= 1
        }
        mantissa &= ~((1 as UInt64) << 52)
        if power2 >= 0x7FF { return 0x7FF << 52 }
        return UInt64(power2) << 52 | mantissa
    }
}
