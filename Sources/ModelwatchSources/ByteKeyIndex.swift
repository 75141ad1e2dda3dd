import CPrefetch
#if canImport(Glibc)
import Glibc
#endif

/// Maps byte strings (prediction ids, category values) to dense indices 0, 1, 2, … in insertion order,
/// without creating a `String` per lookup.
///
/// Open addressing over 64-bit hashes of the bytes; keys are kept in one contiguous byte arena and compared on a
/// hash match, so collisions never merge two keys. This is the reader's hottest structure: one lookup per
/// score row, label row and categorical cell.
///
/// The keys are a ``ByteArena``: while they all have one length, a lookup in a table far larger than the caches
/// misses the cache once fewer (the slot and the key, not the slot, the offset and the key).
struct ByteKeyIndex: Sendable {
    /// Per slot: 0 when empty, else (upper 32 bits of the hash) << 32 | (index + 1), so a probe rejects
    /// most non-matching entries without touching the key arena.
    private var slots: [UInt64]
    /// The keys, numbered by their index.
    private var arena = ByteArena()
    private var mask: Int
    /// Number of distinct keys.
    var count: Int { arena.count }

    init(capacity: Int = 64) {
        var size = 16
        while !Self.fits(capacity, in: size) { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// An index without storage, only to stand in for one taken out (``takeOut(_:)``); not for lookups.
    private init(placeholder: Void) {
        slots = []
        mask = 0
    }

    /// Moves `index` out of where it is kept (an array's element), leaving a placeholder without storage there: the
    /// caller works on the only copy of its storage (no copy on write, no access through the array per lookup)
    /// and puts it back when done.
    static func takeOut(_ index: inout ByteKeyIndex) -> ByteKeyIndex {
        let taken = index
        index = ByteKeyIndex(placeholder: ())
        return taken
    }

    /// Whether `keys` keys stay within the maximum load (3/4) of `slots` slots.
    @inline(__always)
    private static func fits(_ keys: Int, in slots: Int) -> Bool { keys * 4 <= slots * 3 }

    /// Sizes the table for `keys` keys so it does not rehash while they are inserted, and the arena for `keyBytes`
    /// bytes of keys so it does not grow (untouched room costs no memory).
    mutating func reserveCapacity(_ keys: Int, keyBytes: Int = 0) {
        var size = slots.count
        while !Self.fits(keys, in: size) { size <<= 1 }
        // One table of the final size (growing by doubling wrote every smaller table too: 138 MB of page faults
        // for the 8M slots of the benchmark's 5M ids, instead of 64 MB).
        if size > slots.count { rehash(into: size) }
        arena.reserveCapacity(bytes: keyBytes)
    }

    /// A 64-bit hash of `bytes`: eight bytes at a time, each word folded in with a multiply, and a final
    /// avalanche (the splitmix64 finaliser), so both the low bits (the slot) and the high bits (the tag) vary.
    /// Only equality of hashes matters to its users (slots, tags, the orphan-label check), never their values.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var hash = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: count &+ 1)
        guard let base = bytes.baseAddress, count > 0 else { return mix(hash) }
        var offset = 0
        while offset &+ 8 <= count {
            hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset &+= 8
        }
        if offset < count {
            // The bytes not yet read, without a loop: loads that overlap each other or the words already read
            // and together cover every byte (the length is in the seed, so equal-length keys that differ differ here).
            let tail: UInt64
            if count >= 8 {
                // The last eight bytes.
                tail = base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            } else if count >= 4 {
                // The first four and the last four.
                tail = UInt64(base.loadUnaligned(as: UInt32.self)) | UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)) &<< 32
            } else {
                // One to three bytes: the first, the middle and the last.
                tail = UInt64(base.load(as: UInt8.self)) | UInt64(base.load(fromByteOffset: count >> 1, as: UInt8.self)) &<< 8
                    | UInt64(base.load(fromByteOffset: count &- 1, as: UInt8.self)) &<< 16
            }
            hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        }
        return mix(hash)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
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

    /// Starts loading the home slot of `hash` into the cache and returns at once (a prefetch).
    ///
    /// The table is far larger than the caches and accessed at random: prefetching the slots of a block of keys
    /// before looking them up lets their cache misses overlap, and the lookups then hit the cache.
    @inline(__always)
    func prefetchSlot(_ hash: UInt64) {
        slots.withUnsafeBufferPointer { modelwatch_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & mask)) }
    }

    /// The index a lookup of `hash` will most likely find (its home slot's entry when the tag matches), having
    /// started to load that key's bytes (a prefetch); for once the slot itself is cached (``prefetchSlot(_:)``).
    /// Callers prefetch their own per-index data with it.
    @inline(__always)
    func prefetchKey(_ hash: UInt64) -> Int? {
        let entry = slots[Int(truncatingIfNeeded: hash) & mask]
        guard entry != 0, entry & 0xFFFF_FFFF_0000_0000 == hash & 0xFFFF_FFFF_0000_0000 else { return nil }
        let index = Int(entry & 0xFFFF_FFFF) - 1
        let offset = arena.start(of: index)
        arena.withUnsafeBytes { modelwatch_prefetch($0.baseAddress.map { $0 + offset }) }
        return index
    }

    /// The index of `bytes`, inserting it (with the next index) when absent.
    @inline(__always)
    mutating func findOrInsert(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (index: Int, inserted: Bool) {
        if let existing = find(bytes, hash: hash) { return (existing, false) }
        if !Self.fits(count + 1, in: slots.count) { grow() }
        let index = count
        arena.append(bytes, expectedCount: slots.count * 3 / 4)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Self.entry(hash: hash, index: index)
        return (index, true)
    }

    /// The key at `index`, as a String.
    func key(_ index: Int) -> String {
        arena.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[arena.range(of: index)]), as: UTF8.self) }
    }

    /// Every key, in index order.
    var keys: [String] { (0..<count).map(key) }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let keyRange = arena.range(of: index)
        let start = keyRange.lowerBound, length = keyRange.count
        guard length == bytes.count else { return false }
        guard length > 0 else { return true }
        return arena.withUnsafeBytes { stored in ShortBytes.equal(stored.baseAddress! + start, bytes.baseAddress!, count: length) }
    }

    @inline(__always)
    private static func entry(hash: UInt64, index: Int) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
    }

    /// Doubles the slots and re-places every key (its hash recomputed from the arena: keeping 8 bytes of hash
    /// per key for the rare resize would cost more memory than the recomputation costs time).
    private mutating func grow() {
        rehash(into: slots.count * 2)
    }

    /// Replaces the table by one of `size` slots (a power of two) holding every key.
    private mutating func rehash(into size: Int) {
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        arena.withUnsafeBytes { bytes in
            for index in 0..<count {
                let hash = Self.hash(UnsafeRawBufferPointer(rebasing: bytes[arena.range(of: index)]))
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Self.entry(hash: hash, index: index)
            }
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
