#if canImport(Glibc)
import Glibc
#endif

/// Copies and comparisons of byte strings that are mostly short (ids, versions, segment and category values).
enum ShortBytes {
    /// Copies `count` bytes (at least one). Values of up to 16 bytes are copied with two overlapping loads and
    /// stores of the same width, which stay within both ranges, instead of a call.
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) {
        if count >= 8 {
            guard count <= 16 else {
                destination.copyMemory(from: source, byteCount: count)
                return
            }
            let head = source.loadUnaligned(as: UInt64.self), tail = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            destination.storeBytes(of: head, as: UInt64.self)
            destination.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let head = source.loadUnaligned(as: UInt32.self), tail = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            destination.storeBytes(of: head, as: UInt32.self)
            destination.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            // One to three bytes: the first, the middle and the last.
            destination.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            destination.storeBytes(of: source.load(fromByteOffset: count / 2, as: UInt8.self), toByteOffset: count / 2, as: UInt8.self)
            destination.storeBytes(of: source.load(fromByteOffset: count &- 1, as: UInt8.self), toByteOffset: count &- 1, as: UInt8.self)
        }
    }

    /// Whether the `count` bytes (at least one) at `left` and `right` are equal. Values of up to 16 bytes are
    /// compared with two overlapping loads of the same width, instead of a call.
    @inline(__always)
    static func equal(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            guard count <= 16 else { return memcmp(left, right, count) == 0 }
            return left.loadUnaligned(as: UInt64.self) == right.loadUnaligned(as: UInt64.self)
                && left.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) == right.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
                && left.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self) == right.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        // One to three bytes: the first, the middle and the last.
        return left.load(as: UInt8.self) == right.load(as: UInt8.self)
            && left.load(fromByteOffset: count / 2, as: UInt8.self) == right.load(fromByteOffset: count / 2, as: UInt8.self)
            && left.load(fromByteOffset: count &- 1, as: UInt8.self) == right.load(fromByteOffset: count &- 1, as: UInt8.self)
    }
}
