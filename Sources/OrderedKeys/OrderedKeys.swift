/// Order-preserving 64-bit keys for finite doubles and an LSD radix sort over them.
///
/// Shared by the metric modules: the performance metrics sort a window's scores once, the drift statistics
/// sort each feature's values; both sort integers instead of comparing doubles.
public enum OrderedKeys {
    /// Maps a finite value to an unsigned integer with the same order. `-0.0` is first normalised to
    /// `+0.0`, so two values get equal keys exactly when they compare equal as `Double`.
    @inlinable @inline(__always)
    public static func key(_ value: Double) -> UInt64 {
        let bits = (value + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The value whose ``key(_:)`` is `key`.
    @inlinable @inline(__always)
    public static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// Sorts keys ascending with an LSD radix sort on bytes, skipping bytes that all keys share.
    ///
    /// Small inputs fall back to the standard library sort. The result does not depend on the input order.
    public static func sort(_ keys: inout [UInt64]) {
        let n = keys.count
        if n < 1024 {
            keys.sort()
            return
        }
        var counts = [Int](repeating: 0, count: 8 * 256)
        counts.withUnsafeMutableBufferPointer { c in
            keys.withUnsafeBufferPointer { src in
                for key in src {
                    var k = key
                    for byte in 0..<8 {
                        c[byte &* 256 &+ Int(k & 0xFF)] &+= 1
                        k >>= 8
                    }
                }
            }
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var resultInScratch = false
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                counts.withUnsafeMutableBufferPointer { c in
                    for byte in 0..<8 {
                        let shift = UInt64(byte * 8)
                        let base = byte * 256
                        let first = resultInScratch ? b[0] : a[0]
                        if c[base + Int((first >> shift) & 0xFF)] == n { continue }
                        var offset = 0
                        for d in 0..<256 {
                            let count = c[base + d]
                            c[base + d] = offset
                            offset += count
                        }
                        let src = resultInScratch ? b : a
                        let dst = resultInScratch ? a : b
                        for key in src {
                            let d = base &+ Int((key >> shift) & 0xFF)
                            dst[c[d]] = key
                            c[d] &+= 1
                        }
                        resultInScratch.toggle()
                    }
                }
            }
        }
        if resultInScratch { keys = scratch }
    }
}
