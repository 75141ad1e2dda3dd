import Glibc

/// An exclusive, non-blocking `flock` on `<spool>/.lock`, held for the lifetime of the `Spool`.
/// The kernel releases it when the process dies, so a crashed run never blocks the next one.
final class SpoolLock {
    private let fd: Int32

    init(directory: String) throws(SpoolError) {
        let path = "\(directory)/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SpoolError.io("open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            close(fd)
            if e == EWOULDBLOCK {
                throw SpoolError.locked(
                    "another modelwatch run holds the spool lock \(path); it is still writing or replaying this spool. "
                        + "Let it finish (or make runs not overlap) and try again")
            }
            throw SpoolError.io("flock \(path): \(String(cString: strerror(e)))")
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
