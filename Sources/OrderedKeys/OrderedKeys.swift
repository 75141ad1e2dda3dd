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
        var scratch: [UInt64] = []
        sort(&keys, scratch: &scratch)
    }

    /// ``sort(_:)`` with a caller-owned scratch buffer, so repeated sorts reuse memory instead of allocating
    /// (and page-faulting in) a fresh buffer each time. `scratch`'s contents on return are unspecified.
    public static func sort(_ keys: inout [UInt64], scratch: inout [UInt64]) {
        let n = keys.count
        if n < 1024 {
            keys.sort()
            return
        }
        if scratch.count < n { scratch.append(contentsOf: repeatElement(0, count: n - scratch.count)) }
        let resultInScratch = keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in sort(a, scratch: UnsafeMutableBufferPointer(rebasing: b[0..<n])) }
        }
        if resultInScratch {
            if scratch.count > n { scratch.removeLast(scratch.count - n) }
            swap(&keys, &scratch)
        }
    }

    /// Sorts `keys` with `scratch` (the same length) as the other buffer of the radix passes; returns true when
    /// the sorted keys end up in `scratch` (then `keys` holds a permutation of them), false when in `keys`.
    /// Lets a caller that converts the keys back anyway skip a copy.
    public static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        if keys.count < 1024 {
            var small = keys
            small.sort()
            return false
        }
        return sort(keys, scratch: scratch, carryingLowBytes: 0)
    }

    /// Sorts `keys` by their upper `8 − carriedBytes` bytes only, stably: the lowest `carriedBytes` bytes are a
    /// payload that travels with its key (keys equal in their upper bytes keep their input order, whatever
    /// their payloads). Returns true when the sorted keys end up in `scratch`, as
    /// ``sort(_:scratch:)-(UnsafeMutableBufferPointer<UInt64>,_)``; keys already ascending are left where they
    /// are, without a pass.
    public static func sort(
        _ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>, carryingLowBytes carriedBytes: Int
    ) -> Bool {
        let n = keys.count
        precondition(scratch.count == n, "scratch must have the length of keys")
        precondition((0..<8).contains(carriedBytes), "at most 7 bytes can be carried")
        guard n > 1, !isAscending(UnsafeBufferPointer(keys)) else { return false }
        var counts = byteHistograms(UnsafeBufferPointer(keys))
        var resultInScratch = false
        let a = keys, b = scratch
        counts.withUnsafeMutableBufferPointer { c in
            for byte in carriedBytes..<8 {
                let shift = UInt64(byte * 8)
                let base = byte * 256
                guard passOffsets(c, byte: byte, anyKey: resultInScratch ? b[0] : a[0], count: n) else { continue }
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
        return resultInScratch
    }

    /// Turns byte `byte`'s histogram in `counts` (as ``byteHistograms(_:)`` lays them out) into the position
    /// where each of its values starts in the pass's output; false, leaving it, when all `count` keys share the
    /// byte of `anyKey` (the pass would move nothing).
    @usableFromInline @inline(__always)
    static func passOffsets(_ counts: UnsafeMutableBufferPointer<Int>, byte: Int, anyKey: UInt64, count: Int) -> Bool {
        let base = byte * 256
        if counts[base + Int((anyKey >> UInt64(byte * 8)) & 0xFF)] == count { return false }
        var offset = 0
        for value in 0..<256 {
            let keys = counts[base + value]
            counts[base + value] = offset
            offset += keys
        }
        return true
    }

    /// Whether `keys` are in ascending order already (equal neighbours allowed), as a time-ordered log's times
    /// are: every stable sort of them, by whole keys or by their upper bytes, leaves them as they are. Stops at
    /// the first descent, so keys out of order cost a comparison or a few.
    @usableFromInline
    static func isAscending(_ keys: UnsafeBufferPointer<UInt64>) -> Bool {
        var index = 1
        while index < keys.count {
            if keys[index] < keys[index &- 1] { return false }
            index &+= 1
        }
        return true
    }

    /// For each of the 8 bytes of the keys (least significant first), how many keys have each value:
    /// `counts[byte * 256 + value]`, the histograms an LSD radix sort turns into offsets.
    @usableFromInline
    static func byteHistograms(_ keys: UnsafeBufferPointer<UInt64>) -> [Int] {
        var counts = [Int](repeating: 0, count: 8 * 256)
        counts.withUnsafeMutableBufferPointer { c in
            for key in keys {
                var k = key
                for byte in 0..<8 {
                    c[byte &* 256 &+ Int(k & 0xFF)] &+= 1
                    k >>= 8
                }
            }
        }
        return counts
    }

    /// Maps an `Int64` to an unsigned integer with the same order.
    @inlinable @inline(__always)
    public static func key(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: value) ^ (1 << 63)
    }

    /// Sorts `values` ascending (radix sort on ``key(_:)-(Int64)``; small inputs use the standard sort).
    public static func sort(_ values: inout [Int64]) {
        guard values.count >= 1024 else {
            values.sort()
            return
        }
        var keys = values.map { key($0) }
        sort(&keys)
        for index in keys.indices { values[index] = Int64(bitPattern: keys[index] ^ (1 << 63)) }
    }

    /// The positions `0..<keys.count` ordered by key, ties in position order (a stable sort), as computed by
    /// sorting indices with the standard library's stable sort: the positions carried as the payload of
    /// ``sort(_:payload:scratch:payloadScratch:)``.
    public static func stableOrder(_ keys: [UInt64]) -> [Int32] {
        let n = keys.count
        precondition(n <= Int(Int32.max), "too many keys")
        if n < 1024 {
            func precedes(_ a: Int32, _ b: Int32) -> Bool {
                let left = keys[Int(a)], right = keys[Int(b)]
                return left < right || (left == right && a < b)
            }
            return (0..<Int32(n)).sorted(by: precedes)
        }
        var keysA = keys
        var keysB = [UInt64](repeating: 0, count: n)
        var orderA = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for index in 0..<n { buffer[index] = Int32(truncatingIfNeeded: index) }
            initialized = n
        }
        var orderB = [Int32](repeating: 0, count: n)
        // The positions are the payload of a stable sort of the keys.
        let resultInB = keysA.withUnsafeMutableBufferPointer { ka in
            keysB.withUnsafeMutableBufferPointer { kb in
                orderA.withUnsafeMutableBufferPointer { oa in
                    orderB.withUnsafeMutableBufferPointer { ob in sort(ka, payload: oa, scratch: kb, payloadScratch: ob) }
                }
            }
        }
        return resultInB ? orderB : orderA
    }
}
