import Foundation
import Gzip
#if canImport(Glibc)
import Glibc
import ModelwatchConfiguration
#endif

/// Expands a source path (a file, a directory, or a glob) into an ordered list of files.
///
/// Directories contribute their regular files whose names end in `.csv`, `.jsonl`, `.ndjson`
/// (optionally `.gz`), not recursively. Files are read in byte order of their paths, so runs are
/// deterministic. No match is a missing input (exit 66) naming the key.
enum SourceFiles {
    static let extensions = [".csv", ".jsonl", ".ndjson", ".csv.gz", ".jsonl.gz", ".ndjson.gz", ".tsv", ".tsv.gz"]

    static func expand(_ path: String, key: String) throws(JobError) -> [String] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let files = names.filter { name in !name.hasPrefix(".") && extensions.contains { name.hasSuffix($0) } }
                .map { (path as NSString).appendingPathComponent($0) }.sorted()
            guard !files.isEmpty else {
                throw JobError(.noInput, "\(key): the directory `\(path)` holds no .csv, .jsonl or .ndjson files (optionally .gz)")
            }
            return files
        }
        if path.contains(where: { "*?[".contains($0) }) {
            var result = glob_t()
            defer { globfree(&result) }
            let status = glob(path, 0, nil, &result)
            guard status == 0 else {
                throw JobError(.noInput, "\(key): no file matches `\(path)`")
            }
            var files: [String] = []
            for index in 0..<Int(result.gl_pathc) {
                if let pointer = result.gl_pathv[index] { files.append(String(cString: pointer)) }
            }
            return files.sorted()
        }
        throw JobError(.noInput, key: key, FileAccessError.probe(path) ?? FileAccessError(path: path, cause: .notFound))
    }

    /// An estimate of the rows in `files`, used only to reserve memory up front, capped at 8 million: the
    /// file sizes divided by the mean line length of the first 64 KiB of the first uncompressed file (plus 5%),
    /// or by about 4 bytes a column when there is none (gzip counted 5×). Column reservations cost no memory
    /// until written; the id index is allocated at once, so a close estimate keeps it small. `bytes`: the files'
    /// ``estimatedBytes(_:)`` when the caller has it already.
    static func estimatedRows(_ files: [String], columns: Int, bytes: Int? = nil) -> Int {
        let bytes = bytes ?? estimatedBytes(files)
        var bytesPerRow = max(4 * columns, 16)
        var sampled = false
        for file in files {
            if !sampled, !file.hasSuffix(".gz"), let handle = FileHandle(forReadingAtPath: file) {
                sampled = true
                let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
                try? handle.close()
                let lines = head.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                if lines >= 16, !Gzip.isGzip(head.prefix(2)) { bytesPerRow = max(1, head.count * 100 / (lines * 105)) }
            }
        }
        return min(bytes / bytesPerRow, 8_000_000)
    }

    /// The bytes of `files` once uncompressed, as far as their sizes tell (gzip counted 5×).
    static func estimatedBytes(_ files: [String]) -> Int {
        files.reduce(0) { total, file in
            let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
            return total + (file.hasSuffix(".gz") ? size * 5 : size)
        }
    }

    /// The format implied by a file name, or nil.
    static func format(of path: String) -> SourceFormat? {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        if name.hasSuffix(".csv") || name.hasSuffix(".tsv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }
}
