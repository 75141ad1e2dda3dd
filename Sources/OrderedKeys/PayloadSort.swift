extension OrderedKeys {
    /// Sorts `keys` ascending with an LSD radix sort on bytes, stably, moving each key's payload with it
    /// (`payload[i]` belongs to `keys[i]`): keys that are equal keep their input order, and so do their payloads.
    /// `scratch` and `payloadScratch` (the lengths of `keys`) are the passes' second buffers. Returns true when the
    /// sorted keys and payloads end up in the scratch buffers, false when in `keys` and `payload` (keys already
    /// ascending are left where they are, without a pass).
    ///
    /// Lets a caller sort a column's values once and still tell each value's row group (its slice) apart after
    /// the sort, where the value needs all 64 bits of its key and the group cannot ride in the key's low bytes
    /// (``sort(_:scratch:carryingLowBytes:)``).
    @inlinable
    public static func sort<Payload: FixedWidthInteger>(
        _ keys: UnsafeMutableBufferPointer<UInt64>, payload: UnsafeMutableBufferPointer<Payload>,
        scratch: UnsafeMutableBufferPointer<UInt64>, payloadScratch: UnsafeMutableBufferPointer<Payload>
    ) -> Bool {
        let n = keys.count
        precondition(payload.count == n && scratch.count == n && payloadScratch.count == n, "buffers must have the length of keys")
        guard n > 1, !isAscending(UnsafeBufferPointer(keys)) else { return false }
        var counts = byteHistograms(UnsafeBufferPointer(keys))
        var resultInScratch = false
        counts.withUnsafeMutableBufferPointer { c in
            for byte in 0..<8 {
                let shift = UInt64(byte * 8)
                let base = byte * 256
                guard passOffsets(c, byte: byte, anyKey: resultInScratch ? scratch[0] : keys[0], count: n) else { continue }
                let sourceKeys = resultInScratch ? scratch : keys, targetKeys = resultInScratch ? keys : scratch
                let sourcePayload = resultInScratch ? payloadScratch : payload
                let targetPayload = resultInScratch ? payload : payloadScratch
                for index in 0..<n {
                    let key = sourceKeys[index]
                    let d = base &+ Int((key >> shift) & 0xFF)
                    let target = c[d]
                    targetKeys[target] = key
                    targetPayload[target] = sourcePayload[index]
                    c[d] = target &+ 1
                }
                resultInScratch.toggle()
            }
        }
        return resultInScratch
    }
}
