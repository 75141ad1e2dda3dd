@testable import ModelwatchSources
import Testing
import TestSupport

/// The short copy and comparison read a value with overlapping loads: every byte of every length must count.
@Suite("ShortBytes")
struct ShortBytesTests {
    @Test("a copy reproduces every byte and touches none around it; equal bytes compare equal, any one byte changed does not",
          arguments: Array(1...24) + [31, 40])
    func everyByteCounts(length: Int) {
        var mix = SplitMix64(seed: UInt64(length))
        let value = (0..<length).map { _ in UInt8(truncatingIfNeeded: mix.next()) }
        // The copy lands between guard bytes, which must survive.
        var room = [UInt8](repeating: 0xA5, count: length + 16)
        value.withUnsafeBytes { source in
            room.withUnsafeMutableBytes { ShortBytes.copy(source.baseAddress!, to: $0.baseAddress! + 8, count: length) }
        }
        #expect(Array(room[8..<(8 + length)]) == value)
        #expect(room[..<8].allSatisfy { $0 == 0xA5 } && room[(8 + length)...].allSatisfy { $0 == 0xA5 })

        value.withUnsafeBytes { left in
            let same = value
            same.withUnsafeBytes { #expect(ShortBytes.equal(left.baseAddress!, $0.baseAddress!, count: length)) }
            for position in 0..<length {
                var changed = value
                changed[position] ^= 0x01
                changed.withUnsafeBytes { right in
                    #expect(!ShortBytes.equal(left.baseAddress!, right.baseAddress!, count: length), "byte \(position) of \(length)")
                }
            }
        }
    }
}
