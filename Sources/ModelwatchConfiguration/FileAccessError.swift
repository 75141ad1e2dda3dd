import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a file could not be read: its path and the cause, in plain words with the `errno` name, so that a
/// missing config, a directory given as a file or a symbolic-link loop each say what they are.
public struct FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cause, typed, so callers can tell a missing file from an unreadable one.
    public enum Cause: Sendable, Equatable {
        /// ENOENT: the file (or a directory on its path) does not exist.
        case notFound
        /// EACCES or EPERM: no permission to read it or to search a directory on its path.
        case permissionDenied
        /// EISDIR: a directory where a file was expected.
        case isDirectory
        /// ELOOP: symbolic links that point at each other.
        case symlinkLoop
        /// ENOTDIR: a part of the path that should be a directory is a file.
        case notADirectory
        /// Any other `errno` value.
        case other(code: Int32)

        public init(errno code: Int32) {
            switch code {
            case ENOENT: self = .notFound
            case EACCES, EPERM: self = .permissionDenied
            case EISDIR: self = .isDirectory
            case ELOOP: self = .symlinkLoop
            case ENOTDIR: self = .notADirectory
            default: self = .other(code: code)
            }
        }

        /// The cause in plain words, with the `errno` name.
        public var text: String {
            switch self {
            case .notFound: "no such file or directory (ENOENT)"
            case .permissionDenied: "permission denied (EACCES): the user running modelwatch cannot read it or search a directory on its path"
            case .isDirectory: "it is a directory, not a file (EISDIR)"
            case .symlinkLoop: "too many levels of symbolic links, a symlink loop (ELOOP)"
            case .notADirectory: "a part of the path is a file, not a directory (ENOTDIR)"
            case .other(let code): "\(String(cString: strerror(code))) (errno \(code))"
            }
        }
    }

    public let path: String
    public let cause: Cause

    public init(path: String, cause: Cause) {
        self.path = path
        self.cause = cause
    }

    /// `` `path`: cause ``.
    public var description: String { "`\(path)`: \(cause.text)" }

    /// Opens `path` for reading; a directory is refused (``Cause/isDirectory``) instead of failing on its first
    /// read. The caller closes the descriptor.
    package static func openForReading(_ path: String) throws(FileAccessError) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileAccessError(path: path, cause: Cause(errno: errno)) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw FileAccessError(path: path, cause: .isDirectory)
        }
        return descriptor
    }

    /// The whole contents of the file at `path`.
    package static func read(_ path: String) throws(FileAccessError) -> [UInt8] {
        let descriptor = try openForReading(path)
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, cause: Cause(errno: errno))
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Why `path` cannot be reached, when `stat` says so (nil when it exists).
    package static func probe(_ path: String) -> FileAccessError? {
        var status = stat()
        return stat(path, &status) == 0 ? nil : FileAccessError(path: path, cause: Cause(errno: errno))
    }
}
