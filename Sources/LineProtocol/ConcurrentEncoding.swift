import Dispatch

extension LineProtocolEncoder {
    /// Lines encoded before guessing the size of a chunk.
    private static let sampleLines = 64

    /// Encodes `points` into a new buffer as `chunkCount` consecutive chunks at once, on as many cores as Dispatch
    /// gives them (a few chunks per core even out uneven ones): the same bytes, and the same statistics, as
    /// encoding the points one by one. Each chunk is encoded into a buffer of its own; the buffers are then copied
    /// into the result, also at once.
    public mutating func encode(_ points: [Point], chunks chunkCount: Int) -> [UInt8] {
        let chunkCount = min(chunkCount, points.count)
        guard chunkCount > 1 else { return encode(points) }
        let chunks = UnsafeMutableBufferPointer<(bytes: [UInt8], statistics: EncodingStatistics)>.allocate(capacity: chunkCount)
        chunks.initialize(repeating: ([], EncodingStatistics()))
        defer {
            _ = chunks.deinitialize()
            chunks.deallocate()
        }
        nonisolated(unsafe) let encoded = chunks
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = points.count * chunk / chunkCount..<points.count * (chunk + 1) / chunkCount
            var encoder = LineProtocolEncoder()
            var bytes: [UInt8] = []
            for index in range {
                // Room for the whole chunk, guessed from its first lines: growing a buffer copies it into fresh
                // memory, and fresh memory is what concurrent encoding spends most on.
                if index == range.lowerBound + Self.sampleLines {
                    bytes.reserveCapacity(bytes.count * range.count / Self.sampleLines * 5 / 4)
                }
                encoder.encode(points[index], into: &bytes)
            }
            encoded[chunk] = (bytes, encoder.statistics)
        }
        var ends: [Int] = []
        for chunk in chunks {
            ends.append((ends.last ?? 0) + chunk.bytes.count)
            statistics.add(chunk.statistics)
        }
        let offsets = [0] + ends
        return [UInt8](unsafeUninitializedCapacity: offsets.last!) { buffer, initializedCount in
            nonisolated(unsafe) let destination = buffer
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                _ = UnsafeMutableBufferPointer(rebasing: destination[offsets[chunk]...]).initialize(fromContentsOf: encoded[chunk].bytes)
            }
            initializedCount = offsets.last!
        }
    }
}
