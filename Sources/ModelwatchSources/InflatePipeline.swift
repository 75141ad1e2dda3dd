import Dispatch
import Gzip
#if canImport(Glibc)
import Glibc
#endif

/// Reads and inflates a gzip file on a second thread, handing the decompressed bytes over in order, so
/// decompression and parsing run on different cores.
///
/// ``next()`` returns the pieces in file order, then nil at the end; a read error or corrupt data is thrown by
/// ``next()`` after every piece decompressed before it, exactly where reading on one thread would have thrown.
/// Call ``stop()`` before closing the file (it also ends the thread early when parsing failed).
final class InflatePipeline: @unchecked Sendable {
    /// Decompressed bytes per piece.
    static let pieceSize = 1 << 20
    /// Pieces decompressed ahead of the parser.
    static let piecesAhead = 4

    private enum Item {
        case piece([UInt8])
        case end
        case failure(JobError)
    }

    private let lock = DispatchSemaphore(value: 1)
    private let ready = DispatchSemaphore(value: 0)
    private let room = DispatchSemaphore(value: InflatePipeline.piecesAhead)
    private let finished = DispatchSemaphore(value: 0)
    private var items: [Item] = []
    private var cancelled = false
    private var stopped = false
    private var ended = false

    /// Starts inflating `descriptor` of `path`; `first` holds the bytes already read from its start.
    init(descriptor: Int32, path: String, first: [UInt8]) {
        ReaderThread.start("inflate") { [self] in
            produce(descriptor: descriptor, path: path, first: first)
            finished.signal()
        }
    }

    /// The next decompressed piece, nil at the end.
    func next() throws(JobError) -> [UInt8]? {
        guard !ended else { return nil }
        ready.wait()
        lock.wait()
        let item = items.removeFirst()
        lock.signal()
        room.signal()
        switch item {
        case .piece(let bytes): return bytes
        case .end:
            ended = true
            return nil
        case .failure(let error):
            ended = true
            throw error
        }
    }

    /// Stops the inflating thread (if still running) and waits for it.
    func stop() {
        guard !stopped else { return }
        stopped = true
        lock.wait()
        cancelled = true
        lock.signal()
        // Unblock a producer waiting for room.
        for _ in 0..<Self.piecesAhead { room.signal() }
        finished.wait()
    }

    private func send(_ item: Item) -> Bool {
        room.wait()
        lock.wait()
        defer { lock.signal() }
        guard !cancelled else { return false }
        items.append(item)
        ready.signal()
        return true
    }

    private func produce(descriptor: Int32, path: String, first: [UInt8]) {
        let inflater: GzipInflater
        do { inflater = try GzipInflater() } catch {
            _ = send(.failure(JobError(.dataError, "\(path): \(error)")))
            return
        }
        var piece: [UInt8] = []
        piece.reserveCapacity(Self.pieceSize + (1 << 16))
        var buffer = first
        var count = first.count
        while true {
            var failure: GzipError?
            buffer.withUnsafeBytes { raw in
                do {
                    try inflater.decompress(UnsafeRawBufferPointer(rebasing: raw[0..<count])) { piece.append(contentsOf: $0) }
                } catch {
                    failure = (error as? GzipError) ?? .corruptData(message: "\(error)")
                }
            }
            if piece.count >= Self.pieceSize || failure != nil {
                if !piece.isEmpty {
                    guard send(.piece(piece)) else { return }
                    piece.removeAll(keepingCapacity: true)
                }
            }
            if let failure {
                _ = send(.failure(JobError(.dataError, "\(path): corrupt gzip data: \(failure)")))
                return
            }
            if buffer.count < FileRecords.chunkSize { buffer = [UInt8](repeating: 0, count: FileRecords.chunkSize) }
            count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, FileRecords.chunkSize) }
            if count < 0 {
                if errno == EINTR {
                    count = 0
                    continue
                }
                if !piece.isEmpty { guard send(.piece(piece)) else { return } }
                _ = send(.failure(JobError(.temporaryFailure, "\(path): read failed: \(String(cString: strerror(errno)))")))
                return
            }
            if count == 0 { break }
        }
        if !piece.isEmpty { guard send(.piece(piece)) else { return } }
        do { try inflater.finish() } catch {
            _ = send(.failure(JobError(.dataError, "\(path): truncated or corrupt gzip data: \(error)")))
            return
        }
        _ = send(.end)
    }
}
