import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Expands a source path (a file, a directory, or a glob) into an ordered list of files.
///
/// Directories contribute their regular files whose names end in `.csv`, `.jsonl`, `.ndjson`
/// (optionally `.gz`), not recursively. Files are read in byte order of their paths, so runs are
/// deterministic. No match is a configuration error naming the key.
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
                throw JobError(.configError, "\(key): the directory `\(path)` holds no .csv, .jsonl or .ndjson files (optionally .gz)")
            }
            return files
        }
        if path.contains(where: { "*?[".contains($0) }) {
            var result = glob_t()
            defer { globfree(&result) }
            let status = glob(path, 0, nil, &result)
            guard status == 0 else {
                throw JobError(.configError, "\(key): no file matches `\(path)`")
            }
            var files: [String] = []
            for index in 0..<Int(result.gl_pathc) {
                if let pointer = result.gl_pathv[index] { files.append(String(cString: pointer)) }
            }
            return files.sorted()
        }
        throw JobError(.configError, "\(key): `\(path)` does not exist")
    }

    /// A generous estimate of the rows in `files` (about 4 bytes a column, gzip counted 5×), capped at
    /// 8 million, used only to reserve memory up front.
    static func estimatedRows(_ files: [String], columns: Int) -> Int {
        var bytes = 0
        for file in files {
            let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
            bytes += file.hasSuffix(".gz") ? size * 5 : size
        }
        return min(bytes / max(4 * columns, 16), 8_000_000)
    }

    /// The format implied by a file name, or nil.
    static func format(of path: String) -> SourceFormat? {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        if name.hasSuffix(".csv") || name.hasSuffix(".tsv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }
}
