import CZlib

/// Streaming gzip decompressor: feed compressed chunks, receive decompressed chunks.
///
/// Handles multi-member input (`cat a.gz b.gz`): after one member ends the next one starts.
/// zlib-wrapped input is accepted too (header auto-detection). Not thread-safe; use one per stream.
public final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var outBuffer: UnsafeMutablePointer<UInt8>
    private let outCapacity: Int
    /// True while inside a member (header seen, end not yet reached).
    private var insideMember = false
    /// True once at least one member has been completed.
    private var sawCompleteMember = false

    /// Creates an inflater; `outputChunkSize` bounds the size of each decompressed chunk handed out.
    public init(outputChunkSize: Int = 1 << 16) throws(GzipError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        outCapacity = max(outputChunkSize, 512)
        outBuffer = .allocate(capacity: outCapacity)
        let code = czlib_inflate_init_auto(stream)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            outBuffer.deallocate()
            throw .initializationFailed(code: code)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        outBuffer.deallocate()
    }

    /// Decompresses `chunk`, passing each decompressed piece to `sink` (valid only during the call).
    public func decompress(
        _ chunk: UnsafeRawBufferPointer, into sink: (UnsafeRawBufferPointer) -> Void
    ) throws(GzipError) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var offset = 0
        while offset < chunk.count {
            let take = min(chunk.count - offset, Int(UInt32.max >> 1))
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: (base + offset).assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = uInt(take)
            offset += take
            while stream.pointee.avail_in > 0 {
                if !insideMember {
                    if sawCompleteMember, inflateReset(stream) != Z_OK {
                        throw .corruptData(message: "cannot reset for next member")
                    }
                    insideMember = true
                }
                stream.pointee.next_out = outBuffer
                stream.pointee.avail_out = uInt(outCapacity)
                let status = inflate(stream, Z_NO_FLUSH)
                let produced = outCapacity - Int(stream.pointee.avail_out)
                if produced > 0 { sink(UnsafeRawBufferPointer(start: outBuffer, count: produced)) }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    insideMember = false
                    sawCompleteMember = true
                case Z_BUF_ERROR:
                    // No progress possible with the current input; wait for more.
                    if produced == 0 && stream.pointee.avail_in > 0 {
                        throw .corruptData(message: "no progress")
                    }
                default:
                    throw .corruptData(message: zlibMessage(status))
                }
            }
            // Drain output that zlib may still hold after consuming all input.
            while insideMember {
                stream.pointee.next_out = outBuffer
                stream.pointee.avail_out = uInt(outCapacity)
                let status = inflate(stream, Z_NO_FLUSH)
                let produced = outCapacity - Int(stream.pointee.avail_out)
                if produced > 0 { sink(UnsafeRawBufferPointer(start: outBuffer, count: produced)) }
                if status == Z_STREAM_END {
                    insideMember = false
                    sawCompleteMember = true
                } else if status == Z_BUF_ERROR || produced == 0 {
                    break
                } else if status != Z_OK {
                    throw .corruptData(message: zlibMessage(status))
                }
            }
        }
    }

    /// Decompresses `chunk` and returns the decompressed bytes (convenience over the sink variant).
    public func decompress(_ chunk: [UInt8]) throws(GzipError) -> [UInt8] {
        var result: [UInt8] = []
        var failure: GzipError?
        chunk.withUnsafeBytes { raw in
            do throws(GzipError) {
                try decompress(raw) { result.append(contentsOf: $0) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Declares the end of input; throws `.truncatedData` if it ended inside a member or no member was seen.
    public func finish() throws(GzipError) {
        if insideMember || !sawCompleteMember { throw .truncatedData }
    }

    private func zlibMessage(_ status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return "zlib error \(status)"
    }
}
