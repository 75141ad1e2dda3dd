/// Maps a finite score to an unsigned integer with the same order, so sorting and tie detection work on integers.
///
/// `-0.0` is first normalised to `+0.0`, so two scores get equal keys exactly when they compare equal as `Double`.
@inline(__always)
func scoreKey(_ score: Double) -> UInt64 {
    let bits = (score + 0.0).bitPattern
    return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
}

/// The score whose ``scoreKey(_:)`` is `key`.
@inline(__always)
func score(fromKey key: UInt64) -> Double {
    Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
}

/// Sorts keys ascending with an LSD radix sort on bytes, skipping bytes that all keys share.
///
/// Small inputs fall back to the standard library sort. The result does not depend on the input order.
func radixSortKeys(_ keys: inout [UInt64]) {
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
