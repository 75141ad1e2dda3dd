#if canImport(Glibc)
import Glibc
#endif

/// Maps byte strings (prediction ids, category values) to dense indices 0, 1, 2, … in insertion order,
/// without creating a `String` per lookup.
///
/// Open addressing over 64-bit FNV-1a hashes; keys are kept in one contiguous byte arena and compared on a
/// hash match, so collisions never merge two keys. This is the reader's hottest structure: one lookup per
/// score row, label row and categorical cell.
struct ByteKeyIndex: Sendable {
    /// Per slot: 0 when empty, else (upper 32 bits of the hash) << 32 | (index + 1), so a probe rejects
    /// most non-matching entries without touching the key arena.
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    private var offsets: [Int] = [0]
    private var arena: [UInt8] = []
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Sizes the table for `keys` keys so it does not rehash while they are inserted.
    mutating func reserveCapacity(_ keys: Int) {
        hashes.reserveCapacity(keys)
        offsets.reserveCapacity(keys + 1)
        while keys * 2 > slots.count { grow() }
    }

    /// Number of distinct keys.
    var count: Int { hashes.count }

    /// FNV-1a, 64-bit.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The index of `bytes`, if present.
    @inline(__always)
    func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(entry & 0xFFFF_FFFF) - 1
                if equals(index, bytes) { return index }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `bytes`, inserting it (with the next index) when absent.
    @inline(__always)
    mutating func findOrInsert(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (index: Int, inserted: Bool) {
        if let existing = find(bytes, hash: hash) { return (existing, false) }
        if (count + 1) * 2 > slots.count { grow() }
        let index = count
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Self.entry(hash: hash, index: index)
        return (index, true)
    }

    /// The key at `index`, as a String.
    func key(_ index: Int) -> String {
        arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]]), as: UTF8.self) }
    }

    /// Every key, in index order.
    var keys: [String] { (0..<count).map(key) }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[index]
        let length = offsets[index + 1] - start
        guard length == bytes.count else { return false }
        return arena.withUnsafeBytes { stored in
            length == 0 || memcmp(stored.baseAddress! + start, bytes.baseAddress!, length) == 0
        }
    }

    @inline(__always)
    private static func entry(hash: UInt64, index: Int) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.entry(hash: hash, index: index)
        }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
