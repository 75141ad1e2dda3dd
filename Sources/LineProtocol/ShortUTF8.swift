/// The UTF-8 bytes of a string of at most 16 bytes, read into two words so that they can be checked and copied
/// with a few loads and stores, after the string is let go (reading it does not retain it).
struct ShortUTF8 {
    /// The longest string held.
    static let capacity = 16

    /// Number of bytes.
    let count: Int
    /// The bytes at offsets 0 and `count - 8`, in memory order (the words overlap below 16 bytes). Below 8 bytes,
    /// both hold all the bytes followed by padding (`a`, which needs no escaping).
    private let words: (UInt64, UInt64)

    /// Reads `string`, or returns nil when it is longer than ``capacity`` or not stored contiguously.
    @inline(__always)
    init?(_ string: String) {
        count = string.utf8.count
        guard count <= Self.capacity, let words = string.utf8.withContiguousStorageIfAvailable(Self.read) else { return nil }
        self.words = words
    }

    @inline(__always)
    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        let count = bytes.count
        guard count >= 8, let source = bytes.baseAddress.map(UnsafeRawPointer.init) else {
            var word = UInt64(0x6161_6161_6161_6161) &<< (8 * count)
            if let source = bytes.baseAddress {
                if count >= 4 {
                    word |= UInt64(UInt32(littleEndian: UnsafeRawPointer(source).loadUnaligned(as: UInt32.self)))
                    word |= UInt64(UInt32(littleEndian: UnsafeRawPointer(source + count - 4).loadUnaligned(as: UInt32.self))) &<< (8 * (count - 4))
                } else {
                    word |= UInt64(source[0]) | UInt64(source[count / 2]) &<< (8 * (count / 2)) | UInt64(source[count - 1]) &<< (8 * (count - 1))
                }
            }
            word = word.littleEndian
            return (word, word)
        }
        return (source.loadUnaligned(as: UInt64.self), source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }

    /// True when `specials` finds nothing in either word.
    @inline(__always)
    func hasNone(_ specials: (UInt64) -> UInt64) -> Bool {
        specials(words.0) | specials(words.1) == 0
    }

    /// The first 8 bytes as a number that orders like them (missing bytes count as zero).
    @inline(__always)
    var sortPrefix: UInt64 {
        let prefix = UInt64(bigEndian: words.0)
        return count >= 8 ? prefix : prefix & ~(UInt64.max >> (8 * count))
    }

    /// Copies the bytes to `destination`, which has room for `max(count, 8)` bytes.
    @inline(__always)
    func write(to destination: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(destination)
        raw.storeBytes(of: words.0, as: UInt64.self)
        raw.storeBytes(of: words.1, toByteOffset: max(0, count - 8), as: UInt64.self)
    }
}
