import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive, non-blocking lock that keeps two runs of the same configuration from overlapping.
///
/// `flock` on a lock file: the kernel releases it when the process ends, however it ends, so a killed run
/// never leaves a stale lock behind. The file lives in the spool directory when there is one, otherwise in
/// the temporary directory, named after the config file's path.
public final class RunLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws exit 75 naming the holder's lock file.
    public init(configuration: JobConfiguration) throws(JobError) {
        let name = "modelwatch-\(Fingerprint.fnv1a64Hex(URL(fileURLWithPath: configuration.sourceFile).standardized.path)).lock"
        let directory = configuration.delivery.spoolDirectory ?? NSTemporaryDirectory()
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent(name)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw JobError(.cannotCreate, "cannot create the run lock `\(path)`: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw JobError(.temporaryFailure, "another modelwatch run with this config is still running (lock `\(path)`); this run stops so the two do not overlap")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
