import Foundation
import Gzip
import InputParsing
#if canImport(Glibc)
import Glibc
import ModelwatchConfiguration
#endif

/// Streams the records of one file (plain or gzip, detected by its magic bytes) through a ``RecordReader``.
///
/// Reads 1 MiB at a time, so memory does not grow with the file; gzip is inflated on a second thread
/// (``InflatePipeline``) while this one parses. Row errors are handed to `onRowError`
/// and reading goes on; fatal problems (unreadable file, missing column, corrupt gzip) throw.
enum FileRecords {
    /// Opens the input file of config key `key` for reading: a file that cannot be opened is a missing input
    /// (exit 66) naming the key and the reason.
    static func openInput(_ path: String, key: String) throws(JobError) -> Int32 {
        do {
            return try FileAccessError.openForReading(path)
        } catch {
            throw JobError(.noInput, key: key, error)
        }
    }

    /// Bytes read at a time: small enough for the kernel's copy and the parser's pass to stay in the core's
    /// cache (``ParallelScoreFile/pieceSize`` gives the figures).
    static let chunkSize = 1 << 16

    /// Where to start reading a plain file other than at its beginning: at byte `offset`, which is line
    /// `line` of the file, after feeding `header` (the file's header row, empty for JSON Lines).
    struct Resume {
        var offset: Int
        var header: [UInt8]
        var line: Int
    }

    /// The job error for a whole-input problem: a missing column is a config error naming the key that asked
    /// for it (`columnKeys` maps a column to its key, e.g. a feature to `models[fraud].features.numeric`;
    /// `key.columns` otherwise), with the closest column the file has as a suggestion.
    static func jobError(_ error: InputError, key: String, columnKeys: [String: String] = [:]) -> JobError {
        if case .missingColumn(let name, _, let available) = error {
            let configKey = columnKeys[name] ?? "\(key).columns"
            return JobError(.configError, "\(configKey): \(error.description)\(Suggestion.hint(for: name, among: available))")
        }
        return JobError(.dataError, error.description)
    }

    /// The reader's format for a source file.
    static func inputFormat(path: String, format: SourceFormat) -> InputFormat {
        switch format {
        case .csv: path.hasSuffix(".tsv") || path.hasSuffix(".tsv.gz") ? .csv(delimiter: UInt8(ascii: "\t")) : .csv()
        case .jsonl: .jsonLines
        }
    }

    /// The error of a read abandoned because the run was asked to stop and its grace period is nearly over.
    static let abandoned = JobError(
        .temporaryFailure, "stopped while reading (SIGTERM or SIGINT, run.stop_grace nearly over): nothing of this model was written")

    /// Streams `path`, checking `shouldAbort` before each chunk (64 KiB of the file, or an inflated piece) and
    /// throwing ``abandoned`` when it says so.
    static func stream(
        path: String, format: SourceFormat?, columns: [String], numberColumns: [Int] = [], key: String,
        columnKeys: [String: String] = [:], resume: Resume? = nil,
        maxRecordBytes: Int = RecordReader.defaultMaxRecordBytes, shouldAbort: () -> Bool = { false },
        onRecord: (Record) -> Void, onRowError: (RowError) -> Void
    ) throws(JobError) {
        guard let resolvedFormat = format ?? SourceFiles.format(of: path) else {
            throw JobError(.configError, "\(key): cannot tell the format of `\(path)` from its name; set `format: csv` or `format: jsonl`")
        }
        let inputFormat = inputFormat(path: path, format: resolvedFormat)
        let descriptor = try Self.openInput(path, key: key)
        defer { close(descriptor) }
        let headerLines = resume.map { $0.header.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } } ?? 0
        let reader = RecordReader(format: inputFormat, columns: columns, source: path, startLine: (resume?.line ?? 1) - headerLines, numberColumns: numberColumns,
            maxRecordBytes: maxRecordBytes)
        var first = true
        if let resume {
            guard lseek(descriptor, off_t(resume.offset), SEEK_SET) >= 0 else {
                throw JobError(.temporaryFailure, "\(path): seek failed: \(String(cString: strerror(errno)))")
            }
            reader.feed(resume.header)
            first = false
        }
        var buffer = [UInt8](repeating: 0, count: chunkSize)

        func drain() -> JobError? {
            do {
                while let event = try reader.next() {
                    switch event {
                    case .record(let record): onRecord(record)
                    case .rowError(let error): onRowError(error)
                    }
                }
                return nil
            } catch {
                return jobError(error, key: key, columnKeys: columnKeys)
            }
        }

        // A gzip file is inflated on a second thread (InflatePipeline) while this one parses.
        var pipeline: InflatePipeline?
        defer { pipeline?.stop() }
        while pipeline == nil {
            if shouldAbort() { throw abandoned }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JobError(.temporaryFailure, "\(path): read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            if first {
                first = false
                if Gzip.isGzip(buffer.prefix(count)) {
                    pipeline = InflatePipeline(descriptor: descriptor, path: path, first: Array(buffer[0..<count]))
                    break
                }
            }
            buffer.withUnsafeBytes { reader.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if let error = drain() { throw error }
        }
        if let pipeline {
            while let piece = try pipeline.next() {
                if shouldAbort() { throw abandoned }
                reader.feed(piece)
                if let error = drain() { throw error }
            }
        }
        reader.finish()
        if let error = drain() { throw error }
        if first, case .csv = inputFormat {
            throw JobError(.dataError, "\(path):1:1: the file is empty (a CSV source needs a header row)")
        }
    }
}
