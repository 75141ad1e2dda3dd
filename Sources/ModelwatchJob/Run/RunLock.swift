#if canImport(Glibc)
import Glibc
#endif
// With Foundation elsewhere in the module, Swift on Linux finds `struct stat` and its members through these
// (MemberImportVisibility wants the defining modules imported here).
#if canImport(CoreFoundation)
import CoreFoundation
#endif
#if canImport(CDispatch)
import CDispatch
import ModelwatchConfiguration
import ModelwatchSources
#endif

/// An exclusive, non-blocking lock that keeps two runs of the same configuration from overlapping.
///
/// `flock` on `run.lock` in the config's state directory (``JobConfiguration/stateDirectory``): the kernel
/// releases it when the process ends, however it ends, so a killed run never leaves a stale lock behind.
/// The file is opened with `O_NOFOLLOW` and created with mode 0600; it is written (the holder's PID) only
/// once the lock is held. A lock path that is a symbolic link or not a regular file, a lock file or state
/// directory owned by another user: each is a configuration error (exit 78) naming the path, and nothing
/// outside the state directory is opened or written.
public final class RunLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock, or throws exit 75 naming the holder's lock file, or exit 78 when the path is unsafe.
    public init(configuration: JobConfiguration) throws(JobError) {
        let directory = configuration.stateDirectory
        path = directory + "/run.lock"
        try Self.prepare(directory: directory)
        let opened = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            let error = errno
            if error == ELOOP {
                throw JobError(.configError, "the run lock `\(path)` is a symbolic link; modelwatch does not follow it. Remove it (`rm \(path)`) and run again")
            }
            throw JobError(.cannotCreate, "cannot open the run lock `\(path)`: \(String(cString: strerror(error))); make the state directory writable or set MODELWATCH_STATE_DIR")
        }
        descriptor = opened
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw JobError(.configError, "cannot inspect the run lock `\(path)`: \(message)")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw JobError(.configError, "the run lock `\(path)` is not a regular file; remove it and run again")
        }
        guard status.st_uid == geteuid() else {
            close(descriptor)
            throw JobError(.configError, "the run lock `\(path)` belongs to \(Self.userName(status.st_uid)), not to \(Self.userName(geteuid())) who runs modelwatch; run modelwatch as \(Self.userName(status.st_uid)), or remove the file if no such run should exist")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw JobError(.temporaryFailure, "another modelwatch run with this config is still running (lock `\(path)`); this run stops so the two do not overlap")
        }
        // Only now, holding the lock: the PID of the holder, for whoever looks.
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Creates the state directory (mode 0700, parents as needed) and checks that the config's own directory
    /// is a real directory owned by this user (also for root: a root-owned lock in a service user's directory
    /// would stop the service).
    static func prepare(directory: String) throws(JobError) {
        var components: [String] = []
        var current = directory
        while !current.isEmpty && current != "/" && !PosixPath.exists(current) {
            components.append(current)
            current = String(current[..<(current.lastIndex(of: "/") ?? current.startIndex)])
        }
        for component in components.reversed() where mkdir(component, 0o700) != 0 && errno != EEXIST {
            throw JobError(.configError, "cannot create the state directory `\(component)`: \(String(cString: strerror(errno))); set MODELWATCH_STATE_DIR to a directory this user may write")
        }
        var status = stat()
        guard lstat(directory, &status) == 0 else {
            throw JobError(.configError, "cannot inspect the state directory `\(directory)`: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw JobError(.configError, "the state directory `\(directory)` is not a directory (a symbolic link or a file); remove it and run again")
        }
        guard status.st_uid == geteuid() else {
            throw JobError(.configError, "the state directory `\(directory)` belongs to \(userName(status.st_uid)), not to \(userName(geteuid())) who runs modelwatch; run modelwatch as its owner, or set MODELWATCH_STATE_DIR to a directory of your own")
        }
    }

    static func userName(_ uid: uid_t) -> String {
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return "user `\(String(cString: name))` (uid \(uid))" }
        return "uid \(uid)"
    }
}

/// `lstat`-based existence (a dangling symbolic link exists).
enum PosixPath {
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}
