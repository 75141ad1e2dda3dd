import Glibc

/// Small POSIX file helpers with errno-carrying errors (no Foundation file APIs: we need fsync).
enum PosixFile {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var path: String
        var errnoValue: Int32
        var description: String { "\(operation) \(path): \(String(cString: strerror(errnoValue)))" }
    }

    static func createDirectories(_ path: String) throws(Failure) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw Failure(operation: "mkdir", path: prefix, errnoValue: errno) }
        }
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(operation: "write", path: path, errnoValue: errno)
            }
            offset += n
        }
    }

    static func readAll(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(operation: "open", path: path, errnoValue: errno) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(operation: "read", path: path, errnoValue: errno)
            }
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes `bytes` to `path` atomically and durably: temp file in the same directory, fsync, rename, fsync directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(Failure) {
        let temp = "\(directory)/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(operation: "create", path: temp, errnoValue: errno) }
        do throws(Failure) {
            try writeAll(fd: fd, bytes, path: temp)
            guard fsync(fd) == 0 else { throw Failure(operation: "fsync", path: temp, errnoValue: errno) }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw Failure(operation: "rename", path: path, errnoValue: e)
        }
        try syncDirectory(directory)
    }

    static func syncDirectory(_ directory: String) throws(Failure) {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw Failure(operation: "open", path: directory, errnoValue: errno) }
        defer { close(dfd) }
        guard fsync(dfd) == 0 else { throw Failure(operation: "fsync", path: directory, errnoValue: errno) }
    }

    /// Regular-file names in `directory` (no `.` entries).
    static func list(_ directory: String) throws(Failure) -> [String] {
        guard let dir = opendir(directory) else { throw Failure(operation: "opendir", path: directory, errnoValue: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func size(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }
}
