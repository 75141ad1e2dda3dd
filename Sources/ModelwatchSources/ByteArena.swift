/// Byte strings (prediction ids, category values) stored one after the other in one array, each found by its
/// number (0, 1, 2, … in the order appended).
///
/// While every string has the same length (prediction ids usually do), string `i` is at `i × length` and no
/// offsets are kept: 8 bytes a string are saved (40 MB for 5M ids), and a lookup in an arena far larger than the
/// caches misses the cache once fewer (the key, not its offset and then the key). The first string of another
/// length writes the offsets of every string before it, and from then on one offset a string.
///
/// The bytes live in storage of the arena's own (copied on write, like an array's): appending a short string is
/// a capacity check and two overlapping stores (``ShortBytes``), where `Array.append(contentsOf:)` took about 85
/// instructions with its call and `memcpy` (two appends a row: the id index's keys and the labels' ids).
struct ByteArena: Sendable {
    /// The strings' bytes, one after the other (``range(of:)``), in ``withUnsafeBytes(_:)``.
    private var storage = Storage.empty
    /// Where each string starts and where the next would (`count + 1` entries); only while the strings' lengths
    /// differ (``uniformLength`` nil).
    private var offsets: [Int] = []
    /// The length of every string while they all have the same one (and 0 before the first).
    private var uniformLength: Int? = 0
    /// The strings appended.
    private(set) var count = 0

    /// Makes room for `byteCount` bytes of strings (untouched room costs no memory).
    mutating func reserveCapacity(bytes byteCount: Int) {
        guard byteCount > storage.capacity else { return }
        storage = storage.copy(capacity: byteCount)
    }

    /// Appends `string`. Should it be the first of another length, `expectedCount` (the strings expected in all)
    /// sizes the offsets it starts.
    @inline(__always)
    mutating func append(_ string: UnsafeRawBufferPointer, expectedCount: @autoclosure () -> Int) {
        if let length = uniformLength, length != string.count {
            if count == 0 {
                uniformLength = string.count
            } else {
                offsets.reserveCapacity(Swift.max(expectedCount(), count + 1) + 1)
                offsets.append(contentsOf: (0...count).lazy.map { $0 * length })
                uniformLength = nil
            }
        }
        let length = string.count
        if !isKnownUniquelyReferenced(&storage) || storage.capacity &- storage.count < length {
            storage = storage.copy(capacity: Swift.max(storage.capacity * 2, storage.count + length, 64))
        }
        if let source = string.baseAddress, length > 0 {
            ShortBytes.copy(source, to: storage.base + storage.count, count: length)
        }
        storage.count &+= length
        if uniformLength == nil { offsets.append(storage.count) }
        count += 1
    }

    /// Calls `body` with every string's bytes, one after the other (string `i` at ``range(of:)``).
    @inline(__always)
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    /// Where string `index` starts in the bytes.
    @inline(__always)
    func start(of index: Int) -> Int {
        if let uniformLength { return index &* uniformLength }
        return offsets[index]
    }

    /// The range of string `index` in the bytes.
    @inline(__always)
    func range(of index: Int) -> Range<Int> {
        if let uniformLength { return index &* uniformLength..<(index &+ 1) &* uniformLength }
        return offsets[index]..<offsets[index &+ 1]
    }

    /// The bytes and their room; shared by copies of an arena until one of them appends.
    private final class Storage: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        /// Bytes in use.
        var count = 0

        /// The storage of every arena not yet appended to (never written: the first append copies it).
        static let empty = Storage(capacity: 0)

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(byteCount: Swift.max(1, capacity), alignment: 8)
        }

        deinit { base.deallocate() }

        /// A storage of `capacity` bytes (at least ``count``) holding these bytes.
        func copy(capacity: Int) -> Storage {
            let copy = Storage(capacity: Swift.max(capacity, count))
            copy.base.copyMemory(from: base, byteCount: count)
            copy.count = count
            return copy
        }
    }
}
