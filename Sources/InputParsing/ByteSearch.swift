/// SWAR (SIMD within a register) helpers for scanning bytes eight at a time.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// `byte` repeated in all eight lanes.
    @inline(__always)
    static func broadcast(_ byte: UInt8) -> UInt64 { UInt64(byte) &* ones }

    /// Loads eight bytes at `pointer` as a little-endian word (lane 0 = first byte).
    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// High bit set in lanes equal to the broadcast `pattern`; only the lowest set bit is exact
    /// (lanes above a match may be false positives).
    @inline(__always)
    static func equalMask(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        return (x &- ones) & ~x & highBits
    }

    /// High bit set in lanes below 0x20 (control characters); only the lowest set bit is exact.
    @inline(__always)
    static func controlMask(_ word: UInt64) -> UInt64 {
        (word &- broadcast(0x20)) & ~word & highBits
    }

    /// Index of the first lane flagged in a non-zero mask.
    @inline(__always)
    static func firstLane(_ mask: UInt64) -> Int { mask.trailingZeroBitCount &>> 3 }
}

/// Offset of the first `byte` in `bytes[from..<end]`, or `end`.
@inline(__always)
func firstIndex(of byte: UInt8, in bytes: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
    var index = from
    let pattern = SWAR.broadcast(byte)
    while index &+ 8 <= end {
        let mask = SWAR.equalMask(SWAR.load(bytes + index), pattern)
        if mask != 0 { return index &+ SWAR.firstLane(mask) }
        index &+= 8
    }
    while index < end && bytes[index] != byte { index &+= 1 }
    return index
}

/// How many times `byte` occurs in `bytes` (eight bytes at a time).
public func occurrences(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
    let pattern = SWAR.broadcast(byte)
    let low: UInt64 = ~SWAR.highBits
    var count = 0
    var index = 0
    while index &+ 8 <= bytes.count {
        // Exact per lane: a lane of `x` is zero exactly when its high bit stays clear in `nonZero`.
        let x = SWAR.load(base + index) ^ pattern
        let nonZero = ((x & low) &+ low) | x
        count &+= (~nonZero & SWAR.highBits).nonzeroBitCount
        index &+= 8
    }
    while index < bytes.count {
        if base[index] == byte { count &+= 1 }
        index &+= 1
    }
    return count
}
