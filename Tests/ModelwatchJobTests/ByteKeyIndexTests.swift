@testable import ModelwatchJob
@testable import ModelwatchSources
import Testing
import TestSupport

/// `ByteKeyIndex` keeps no offsets while its keys have one length, and switches to offsets at the first key of
/// another: lookups, keys and indices must be the same whichever way the keys are stored.
@Suite("ByteKeyIndex")
struct ByteKeyIndexTests {
    /// Inserts `keys` in order (duplicates allowed) and checks every answer against a dictionary.
    /// `reserved` keys' room is reserved after the first `reservedAfter` keys (before any by default).
    static func check(_ keys: [String], reserving reserved: Int? = nil, after reservedAfter: Int = 0) {
        var index = ByteKeyIndex()
        var expected: [String: Int] = [:]
        var order: [String] = []
        for (position, key) in keys.enumerated() {
            if let reserved, position == reservedAfter { index.reserveCapacity(reserved) }
            let result = key.withBytes { index.findOrInsert($0, hash: ByteKeyIndex.hash($0)) }
            if let known = expected[key] {
                #expect(result.index == known && !result.inserted, "\(key)")
            } else {
                #expect(result.index == order.count && result.inserted, "\(key)")
                expected[key] = order.count
                order.append(key)
            }
        }
        #expect(index.count == order.count)
        #expect(index.keys == order)
        for (key, position) in expected {
            #expect(key.withBytes { index.find($0, hash: ByteKeyIndex.hash($0)) } == position, "\(key)")
        }
        for absent in ["", "p000000000000", "p00000000000x", "zz"] where expected[absent] == nil {
            #expect(absent.withBytes { index.find($0, hash: ByteKeyIndex.hash($0)) } == nil, "\(absent)")
        }
    }

    static func ids(_ range: Range<Int>) -> [String] { range.map { "p" + String(100_000_000_000 + $0).dropFirst() } }

    @Test("keys of one length, then another at the start, the middle or after the table grew", arguments: [0, 1, 7, 500, 5_000])
    func lengthChanges(at position: Int) {
        var keys = Self.ids(0..<6_000)
        keys.insert("short", at: position)
        keys.insert("a much longer key than the others", at: position + 2)
        Self.check(keys + Self.ids(0..<100) + ["short"])
        Self.check(keys, reserving: 10_000)
        // Reserved once keys are in: the table is rebuilt at its final size in one go, keys and all.
        Self.check(keys, reserving: 100_000, after: 3_000)
    }

    @Test("one length throughout, with duplicates", arguments: [1, 8, 12, 16, 40])
    func uniform(length: Int) {
        var generator = SplitMix64(seed: UInt64(length))
        let keys = (0..<3_000).map { _ in
            String((0..<length).map { _ in Character(UnicodeScalar(UInt8.random(in: 97...100, using: &generator))) })
        }
        Self.check(keys)
    }

    @Test("the hash reads every byte: changing any one byte of a key of any length changes it", arguments: Array(1...24) + [40])
    func hashReadsEveryByte(length: Int) {
        var generator = SplitMix64(seed: 0xB17E + UInt64(length))
        for _ in 0..<20 {
            let key = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let hash = key.withUnsafeBytes { ByteKeyIndex.hash($0) }
            for position in 0..<length {
                for flip in [UInt8(1), 0x80, 0xFF] {
                    var other = key
                    other[position] ^= flip
                    #expect(other.withUnsafeBytes { ByteKeyIndex.hash($0) } != hash, "length \(length), byte \(position)")
                }
            }
        }
    }

    @Test("the empty key, alone and among others")
    func emptyKey() {
        Self.check(["", "", ""])
        Self.check(["", "a", "", "bc", "a"])
        Self.check(["a", "", "b"])
    }

    @Test("a key that differs in any one byte is not found, even under the stored key's hash", arguments: Array(1...24) + [40])
    func differsInOneByte(length: Int) {
        var generator = SplitMix64(seed: UInt64(length))
        let key = (0..<length).map { _ in UInt8.random(in: 97...122, using: &generator) }
        var index = ByteKeyIndex()
        let hash = key.withUnsafeBytes { ByteKeyIndex.hash($0) }
        _ = key.withUnsafeBytes { index.findOrInsert($0, hash: hash) }
        #expect(key.withUnsafeBytes { index.find($0, hash: hash) } == 0)
        for position in 0..<length {
            var other = key
            other[position] ^= 0x20
            // Looked up with the stored key's hash, so the slot's tag matches and only the bytes tell them apart.
            #expect(other.withUnsafeBytes { index.find($0, hash: hash) } == nil, "length \(length), position \(position)")
        }
        #expect(key.dropLast().withUnsafeBytes { index.find($0, hash: hash) } == nil)
    }
}
