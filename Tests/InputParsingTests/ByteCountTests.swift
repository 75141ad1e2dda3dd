import InputParsing
import Testing
import TestSupport

@Suite("occurrences(of:in:)")
struct ByteCountTests {
    @Test("counts like a byte-by-byte loop, at any length and alignment", arguments: [UInt8(0x0A), 0x00, 0x80, 0xFF, 0x7F])
    func matchesNaiveCount(byte: UInt8) {
        var generator = SplitMix64(seed: UInt64(byte))
        for length in Array(0...40) + [1_000, 4_099] {
            // Bytes next to the one counted (its neighbours in value, and in the high half) catch lane carries.
            let alphabet: [UInt8] = [byte, byte &+ 1, byte &- 1, byte ^ 0x80, 0x0A, 0x00, 0xFF]
            let bytes = (0..<(length + 7)).map { _ in alphabet.randomElement(using: &generator)! }
            for offset in 0..<8 {
                let slice = Array(bytes[offset..<(offset + length)])
                let expected = slice.filter { $0 == byte }.count
                #expect(bytes.withUnsafeBytes { occurrences(of: byte, in: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + length)])) } == expected,
                        "length \(length), offset \(offset)")
            }
        }
    }
}
