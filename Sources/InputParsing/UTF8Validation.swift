/// Finds the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF), so that such input is reported instead of silently replaced by U+FFFD.
public enum UTF8Validation {
    /// The offset of the first byte of the first ill-formed sequence in `bytes`, or nil when all of it is
    /// well-formed. ASCII is checked eight bytes at a time, the last bytes with one more (overlapping) load.
    @inline(__always)
    public static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        // The offset from which a byte of 0x80 or more may be (every byte before it is ASCII), if any is.
        var suspect: Int?
        if count >= 8 {
            var index = 0
            while index &+ 8 <= count {
                if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & high != 0 { break }
                index &+= 8
            }
            if index &+ 8 <= count || (index < count && base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) & high != 0) {
                suspect = index
            }
        } else if count >= 4 {
            let words = base.loadUnaligned(as: UInt32.self) | base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            if words & 0x8080_8080 != 0 { suspect = 0 }
        } else if count > 0 {
            let bytes = base.load(as: UInt8.self) | base.load(fromByteOffset: count / 2, as: UInt8.self)
                | base.load(fromByteOffset: count &- 1, as: UInt8.self)
            if bytes >= 0x80 { suspect = 0 }
        }
        guard let suspect else { return nil }
        // The slow path skips ASCII bytes, so it finds the same first ill-formed sequence from any earlier ASCII byte.
        return slowPath(base.assumingMemoryBound(to: UInt8.self), count: count, from: suspect)
    }

    @inline(never)
    private static func slowPath(_ bytes: UnsafePointer<UInt8>, count: Int, from start: Int) -> Int? {
        var index = start
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= low && second <= high else { return index }
            for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
