import CZlib

/// One-shot gzip helpers (RFC 1952 format) backed by zlib.
public enum Gzip {
    /// True when `firstBytes` starts with the gzip magic number `1f 8b`.
    public static func isGzip(_ firstBytes: some Collection<UInt8>) -> Bool {
        var iterator = firstBytes.makeIterator()
        return iterator.next() == 0x1f && iterator.next() == 0x8b
    }

    /// Compresses `bytes` into a single gzip member. `level` is the zlib level, 0 (store) … 9 (best), -1 default.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws(GzipError) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        let initCode = czlib_deflate_init_gzip(stream, level)
        guard initCode == Z_OK else { throw .initializationFailed(code: initCode) }

        var output: [UInt8] = []
        output.reserveCapacity(Int(deflateBound(stream, uLong(bytes.count))))
        let chunkSize = 1 << 16
        var outChunk = [UInt8](repeating: 0, count: chunkSize)
        let code: Int32 = bytes.withUnsafeBufferPointer { input in
            var offset = 0
            while true {
                let remaining = input.count - offset
                let take = min(remaining, Int(UInt32.max >> 1))
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + offset })
                stream.pointee.avail_in = uInt(take)
                let flush = take == remaining ? Z_FINISH : Z_NO_FLUSH
                var status: Int32 = Z_OK
                repeat {
                    status = outChunk.withUnsafeMutableBufferPointer { out in
                        stream.pointee.next_out = out.baseAddress
                        stream.pointee.avail_out = uInt(chunkSize)
                        let status = deflate(stream, flush)
                        let produced = chunkSize - Int(stream.pointee.avail_out)
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: out[0..<produced]))
                        return status
                    }
                    if status == Z_STREAM_ERROR { return status }
                } while stream.pointee.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END)
                offset += take
                if flush == Z_FINISH { return status == Z_STREAM_END ? Z_OK : status }
            }
        }
        guard code == Z_OK else { throw .compressionFailed(code: code) }
        return output
    }

    /// Decompresses a complete gzip input (one or more concatenated members).
    public static func decompress(_ bytes: [UInt8]) throws(GzipError) -> [UInt8] {
        let inflater = try GzipInflater()
        let output = try inflater.decompress(bytes)
        try inflater.finish()
        return output
    }
}
