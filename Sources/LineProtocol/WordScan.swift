/// Tests eight bytes at once for the bytes that need escaping (SWAR: "SIMD within a register"). Each test gives a
/// mask whose high bit is set in a byte (at least) when some byte matches, so tests combine with `|` and one branch.
enum WordScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Some byte is below `limit` (at most 128).
    @inline(__always)
    private static func bytes(below limit: UInt8, in word: UInt64) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word
    }

    /// Some byte equals `byte`.
    @inline(__always)
    private static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        bytes(below: 1, in: word ^ (ones &* UInt64(byte)))
    }

    /// Mask for `,` `=` space `\` and control characters: the bytes a name is escaped or rewritten for.
    @inline(__always)
    static func nameSpecials(_ word: UInt64) -> UInt64 {
        (bytes(below: 0x21, in: word) | bytes(equalTo: UInt8(ascii: ","), in: word) | bytes(equalTo: UInt8(ascii: "="), in: word)
            | bytes(equalTo: UInt8(ascii: "\\"), in: word)) & highBits
    }

    /// Mask for `"` `\` and control characters below 0x0e (newline, carriage return): the bytes a string value is
    /// escaped or rewritten for (and a few it is not, which the careful path copies unchanged).
    @inline(__always)
    static func stringSpecials(_ word: UInt64) -> UInt64 {
        (bytes(below: 0x0e, in: word) | bytes(equalTo: UInt8(ascii: "\""), in: word) | bytes(equalTo: UInt8(ascii: "\\"), in: word)) & highBits
    }
}
