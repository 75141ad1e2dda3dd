/// Byte strings (prediction ids, category values) stored one after the other in one array, each found by its
/// number (0, 1, 2, … in the order appended).
///
/// While every string has the same length (prediction ids usually do), string `i` is at `i × length` and no
/// offsets are kept: 8 bytes a string are saved (40 MB for 5M ids), and a lookup in an arena far larger than the
/// caches misses the cache once fewer (the key, not its offset and then the key). The first string of another
/// length writes the offsets of every string before it, and from then on one offset a string.
struct ByteArena: Sendable {
    /// The strings' bytes, one after the other (``range(of:)``).
    private(set) var bytes: [UInt8] = []
    /// Where each string starts and where the next would (`count + 1` entries); only while the strings' lengths
    /// differ (``uniformLength`` nil).
    private var offsets: [Int] = []
    /// The length of every string while they all have the same one (and 0 before the first).
    private var uniformLength: Int? = 0
    /// The strings appended.
    private(set) var count = 0

    /// Makes room for `byteCount` bytes of strings (untouched room costs no memory).
    mutating func reserveCapacity(bytes byteCount: Int) {
        bytes.reserveCapacity(byteCount)
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
        // As typed bytes, which the array appends with one copy of contiguous memory.
        bytes.append(contentsOf: string.assumingMemoryBound(to: UInt8.self))
        if uniformLength == nil { offsets.append(bytes.count) }
        count += 1
    }

    /// Where string `index` starts in ``bytes``.
    @inline(__always)
    func start(of index: Int) -> Int {
        if let uniformLength { return index &* uniformLength }
        return offsets[index]
    }

    /// The range of string `index` in ``bytes``.
    @inline(__always)
    func range(of index: Int) -> Range<Int> {
        if let uniformLength { return index &* uniformLength..<(index &+ 1) &* uniformLength }
        return offsets[index]..<offsets[index &+ 1]
    }
}
